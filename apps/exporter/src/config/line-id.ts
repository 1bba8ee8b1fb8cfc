/**
 * What an A&A line ID looks like (docs/chaos-api.md §3.2): digits. Shared by every setting keyed by
 * line (CQM links, line names), so a typo is caught the same way everywhere.
 *
 * @module
 */

const LINE_ID = /^[0-9]{1,12}$/;

/** Whether `text` is an A&A line ID (digits, e.g. `32001`); anything else is a typo. */
export function isLineId(text: string): boolean {
  return LINE_ID.test(text);
}

/** The problem message for a key that is not a line ID. */
export const NOT_A_LINE_ID = 'the line ID must be digits (the A&A line ID, e.g. 32001)';
