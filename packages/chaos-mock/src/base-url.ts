/**
 * The real CHAOS v2 endpoint, which the msw handlers answer under by default. Kept apart from
 * `msw.ts` so that the root entry can export it without loading msw.
 *
 * @module
 */

/** The real CHAOS v2 endpoint, with a trailing slash: `https://chaos2.aa.net.uk/`. */
export const CHAOS_BASE_URL = 'https://chaos2.aa.net.uk/';
