/**
 * One job (a collector of an account) as a key. The back-offs, the self-metrics and the snapshot
 * all key on it, so a reload's `plannedJobKeys` can say what each of them keeps.
 *
 * @module
 */

/** `account` and `collector` as one key; a NUL cannot be in either name. */
export const jobKey = (account: string, collector: string): string => `${account}\u0000${collector}`;
