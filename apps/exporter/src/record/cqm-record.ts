/**
 * `record`'s CQM part: each configured line's CQM CSV (docs/chaos-api.md §11.2) as A&A sent it,
 * so a user can attach real line-quality data to a bug report. The link is the credential, and
 * its `<name>` is the user's own choice (it may be personal): the secret and the whole link are
 * removed from every recorded file (they join the redactor's secrets), and the name is replaced
 * by `line<ID>` in what this module writes. File names hold only the line ID.
 *
 * @module
 */

import type { CqmLineConfig } from '../config/config.ts';

/** What the link gives away, to be removed from what is recorded. */
export interface CqmLinkParts {
  /** The whole link and the path segments that may be secret (the FireBrick or A&A key). */
  readonly secrets: readonly string[];
  /** The file name's stem, `home` of `…/home.csv`; undefined when there is none. */
  readonly name: string | undefined;
}

/**
 * Splits a link into what must go: the link itself, every path segment but `cqmdirect.cgi` and
 * the file name (short ones are kept: removing a two-letter segment everywhere would garble the
 * files, and no secret is that short), and the file name's stem.
 */
export function cqmLinkParts(url: string): CqmLinkParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { secrets: [url], name: undefined };
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '');
  const file = segments.pop();
  const keys = segments.filter((segment) => segment !== 'cqmdirect.cgi' && segment.length >= 8);
  const name = file?.replace(/\.csv$/i, '');
  return { secrets: [url, parsed.href, ...keys], name: name === '' ? undefined : name };
}

/** A recorded CQM fetch: the body, or why there is none. */
export type CqmFetchRecord =
  | { readonly outcome: 'ok'; readonly status: number; readonly body: string }
  | { readonly outcome: 'error'; readonly kind: 'http' | 'network' | 'timeout'; readonly status?: number };

/**
 * GETs one line's CSV once, raw (the SDK's `fetchCqm` parses; a bug report wants the bytes). No
 * retry: `record` is a snapshot, and a failure is recorded as what it was.
 */
export async function fetchCqmRaw(
  line: CqmLineConfig,
  timeoutMs: number,
  fetcher: typeof globalThis.fetch = globalThis.fetch,
): Promise<CqmFetchRecord> {
  try {
    const response = await fetcher(line.url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    if (!response.ok) return { outcome: 'error', kind: 'http', status: response.status };
    return { outcome: 'ok', status: response.status, body };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    // Nothing of the error is kept: undici's messages and causes may quote the link.
    return { outcome: 'error', kind: timedOut ? 'timeout' : 'network' };
  }
}

/** `text` with the link's name replaced by `line<ID>` (whole words only: `home` inside `homer` stays). */
export function withoutName(text: string, line: CqmLineConfig): string {
  const { name } = cqmLinkParts(line.url);
  if (name === undefined) return text;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, 'g'), `line${line.lineId}`);
}
