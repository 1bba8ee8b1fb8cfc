/**
 * Per-line CQM URLs (docs/chaos-api.md §11.2): A&A's `cqmdirect.cgi/<secret>/<name>.csv` links,
 * given per line ID either in the accounts file (`cqm: { "32001": { url_file: … } }`) or, for the
 * `default` account, in `AAISP_EXPORTER_CQM__URLS_FILE` (one `line_id url` a line). The secret in
 * the path is the only credential, so a URL is handled like a password: problems name the line and
 * the file, never the URL or the text around it.
 *
 * @module
 */

import { isLoopbackHost, maskCqmUrl } from '@aaisp/chaos-client';
import type { CqmLineConfig } from '../model/account.ts';
import { isLineId, NOT_A_LINE_ID } from './line-id.ts';
import type { ConfigProblem } from './problem.ts';

/**
 * Checks one URL: absolute `https://` (plain `http://` only for loopback, where the mock and
 * tests run), no user info, no fragment. Returns the problem's message, or undefined when good.
 * The message never quotes the URL.
 */
export function cqmUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'is not an absolute URL (expected https://control.aa.net.uk/cqmdirect.cgi/…/<name>.csv)';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must be https:// (plain http:// only for localhost)';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  if (url.hash !== '') return 'must not carry a #fragment';
  // The `.csv` form is the one parsed; `.tsv`, `.xml` and the PNG graphs are not (FireBrick serves
  // several forms; only CSV is shown for A&A).
  if (!url.pathname.toLowerCase().endsWith('.csv')) return 'must be the .csv link (it ends in .csv)';
  return undefined;
}

/** One line's URL, checked; its problem is added under `where` and the line is left out. */
export function cqmLink(
  lineId: string,
  url: string,
  where: string,
  problems: ConfigProblem[],
): CqmLineConfig | undefined {
  if (!isLineId(lineId)) {
    problems.push({ variable: where, message: NOT_A_LINE_ID });
    return undefined;
  }
  const problem = cqmUrlProblem(url);
  if (problem !== undefined) {
    problems.push({ variable: where, message: `the CQM URL of line ${lineId} ${problem}` });
    return undefined;
  }
  return { lineId, url: url.trim() };
}

/**
 * Reads a `CQM__URLS_FILE`: one `line_id url` a line, separated by spaces or tabs; blank lines
 * and lines starting with `#` are ignored. Problems are named `<variable> <path>: line <n>`.
 */
export function cqmLinksFromText(
  text: string,
  where: (lineNumber: number) => string,
  problems: ConfigProblem[],
): CqmLineConfig[] {
  const lines: CqmLineConfig[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const [lineId, url] = fields;
    if (lineId === undefined || url === undefined || fields.length !== 2) {
      problems.push({
        variable: where(index + 1),
        message: 'expected two fields, `<line_id> <url>` (the text is not shown: it holds a secret)',
      });
      return;
    }
    if (seen.has(lineId)) {
      problems.push({ variable: where(index + 1), message: `line ${lineId} is listed twice` });
      return;
    }
    seen.add(lineId);
    const parsed = cqmLink(lineId, url, where(index + 1), problems);
    if (parsed !== undefined) lines.push(parsed);
  });
  return lines;
}

/** What `--check-config` and the start-up log may show of a line's URL: its masked form. */
export function describeCqmLine(line: CqmLineConfig): string {
  return `line ${line.lineId}: ${maskCqmUrl(line.url)}`;
}
