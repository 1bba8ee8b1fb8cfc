/**
 * Where the fake CQM serves a line: `cqmdirect.cgi/<secret>/<name>.csv` (docs/chaos-api.md §11.2),
 * with a secret and a name derived from the line ID, so tests can compute any line's URL.
 *
 * @module
 */

import { hashText } from './cqm-hash.ts';

/**
 * A&A's host for CQM graphs, with a trailing slash: `https://control.aa.net.uk/`. The msw
 * handlers answer `cqmdirect.cgi/…` under it by default; the server mock answers it under its own
 * root URL.
 */
export const CQM_BASE_URL = 'https://control.aa.net.uk/';

/**
 * The key that names CQM requests in a scenario's `commands` or `excludeCommands`: a CHAOS-like
 * `subsystem/command` pair that no CHAOS command uses.
 */
export const CQM_COMMAND = 'cqm/csv';

/** The path every CQM URL starts with, relative to a base URL. */
export const CQM_PATH_PREFIX = 'cqmdirect.cgi/';

/** How many characters a secret has: DJ stored 16 per line (§11.2). */
const SECRET_LENGTH = 16;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A line's fake CQM secret: 16 characters of `[A-Za-z0-9]`, the same for the same line ID in every
 * mock and every run (a hash of the ID, not a random value). It guards nothing: it only has the
 * shape of the real one.
 *
 * @example
 * ```ts
 * cqmSecret('32001'); // always the same 16 characters
 * ```
 */
export function cqmSecret(lineId: string): string {
  // xorshift32 from the ID's hash; the salt keeps a one-character ID off a fixed point.
  let state = hashText(`cqm-secret:${lineId}`) || 1;
  let secret = '';
  for (let index = 0; index < SECRET_LENGTH; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    secret += ALPHABET[state % ALPHABET.length] ?? 'A';
  }
  return secret;
}

/**
 * A line's CQM graph name: `line<ID>`, e.g. `line32001` (at most 12 characters for the generated
 * IDs, the length DJ allowed, §11.2). What A&A really names a line's graph is not shown [?]; the
 * mock's choice keeps logins out of URLs.
 */
export function cqmName(lineId: string): string {
  return `line${lineId}`;
}

/**
 * A line's CQM path relative to a base URL: `cqmdirect.cgi/<secret>/<name>.csv`. Resolve it
 * against the server mock's `url`, or against {@link CQM_BASE_URL} for the msw handlers.
 *
 * @example
 * ```ts
 * new URL(cqmPath('32002'), CQM_BASE_URL).href;
 * // → 'https://control.aa.net.uk/cqmdirect.cgi/<16 characters>/line32002.csv'
 * ```
 */
export function cqmPath(lineId: string): string {
  return `${CQM_PATH_PREFIX}${cqmSecret(lineId)}/${encodeURIComponent(cqmName(lineId))}.csv`;
}
