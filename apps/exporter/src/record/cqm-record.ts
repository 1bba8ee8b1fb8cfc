/**
 * `record`'s CQM part: each configured line's CQM CSV (docs/chaos-api.md §11.2) as A&A sent it,
 * so a user can attach real line-quality data to a bug report. The link is the credential, and
 * its `<name>` is the user's own choice (it may be personal): the link and its secret parts (the
 * SDK's rule, `cqmLinkSecrets`) join the redactor's secrets and the name becomes `line<ID>` (see
 * {@link cqmRedactions}), so neither is left in any recorded file. File names hold only the line ID.
 *
 * @module
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cqmLinkSecrets, fetchCqmCsv, isChaosError, maskCqmUrl } from '@aaisp/chaos-client';
import { CQM_COMMAND } from '../collectors/index.ts';
import type { CqmLineConfig } from '../config/config.ts';
import type { NameReplacement, Redactor } from './redact.ts';

/**
 * A FireBrick link may carry a date or hour before the name (docs/chaos-api.md §11.2). The SDK
 * counts it among the masked parts, rightly for a log line, but it is no secret, and cutting
 * `2026-01-20` out of a CSV would wreck every row's `Time`.
 */
const DATE_SEGMENT = /^\d{4}-?\d{2}-?\d{2}$/;
/**
 * Names shorter than this are not replaced in the files: a whole-word `a` is in every login
 * (`ab12@a.1`). Such a name gives little away; the error message never shows it anyway.
 */
const MIN_NAME_LENGTH = 3;

/** What a link gives away, to be removed from what is recorded. */
export interface CqmLinkParts {
  /** The whole link and the parts that may be secret (the A&A or FireBrick key). */
  readonly secrets: readonly string[];
  /** The file name's stem (`home` of `…/home.csv`) as written and decoded; empty when not worth replacing. */
  readonly names: readonly string[];
}

/**
 * Splits a link into what must go. Which parts are secret is the SDK's rule ({@link cqmLinkSecrets}:
 * the link as written and decoded, every part it masks, as written and decoded), less date-shaped
 * segments; the names are the file name's stem. A name of digits only (a line ID or a number:
 * nothing personal, and replacing it would garble IDs and figures) or shorter than 3 characters
 * is left out of `names`.
 */
export function cqmLinkParts(url: string): CqmLinkParts {
  const { links, parts, fileName } = cqmLinkSecrets(url);
  const keys = parts.filter((part) => !DATE_SEGMENT.test(part));
  const names = fileName
    .map((name) => name.replace(/\.csv$/i, ''))
    .filter((name) => name.length >= MIN_NAME_LENGTH && !/^\d+$/.test(name));
  return {
    secrets: [...new Set([...links, ...keys])],
    names: [...new Set(names)],
  };
}

/** What the redactor must know about these lines: their links' secrets, and each name with its stand-in. */
export function cqmRedactions(lines: readonly CqmLineConfig[]): {
  readonly secrets: readonly string[];
  readonly names: readonly NameReplacement[];
} {
  return {
    secrets: lines.flatMap((line) => cqmLinkParts(line.url).secrets),
    names: lines.flatMap((line) =>
      cqmLinkParts(line.url).names.map((name) => ({ name, replacement: `line${line.lineId}` })),
    ),
  };
}

/**
 * The link's masked form with its name already `line<ID>`: safe to write whatever the name was,
 * even one too short for the redactor to replace.
 */
export function maskedCqmLink(line: CqmLineConfig): string {
  const parsed = URL.parse(line.url);
  if (parsed === null) return maskCqmUrl(line.url);
  parsed.pathname = parsed.pathname.replace(/[^/]*$/, `line${line.lineId}.csv`);
  return maskCqmUrl(parsed);
}

/** A recorded CQM fetch: the body, or why there is none. */
export type CqmFetchRecord =
  | { readonly outcome: 'ok'; readonly body: string }
  | { readonly outcome: 'error'; readonly kind: 'http' | 'network' | 'timeout'; readonly status?: number };

/** What {@link recordCqmLine} needs. */
export interface CqmRecordContext {
  /** The account's directory. */
  readonly dir: string;
  /** Already told every link's secrets and names (see {@link cqmRedactions}). */
  readonly redactor: Redactor;
  readonly now: () => Date;
  readonly timeoutMs: number;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** The `User-Agent` of the fetch; defaults to the SDK's. */
  readonly userAgent?: string | undefined;
}

/**
 * GETs one line's CSV once, as sent, through the SDK's `fetchCqmCsv` (its `fetchCqm` parses; a bug
 * report wants the text): the SDK's User-Agent (or the one given), timeout and error mapping. No
 * retry: `record` is a snapshot, and a failure is recorded as what it was. Only the kind and the
 * HTTP status of a failure are kept; the SDK's messages name the link masked, but with the user's
 * own `<name>`, which {@link maskedCqmLink} replaces.
 */
export async function fetchCqmRaw(
  line: CqmLineConfig,
  context: Pick<CqmRecordContext, 'timeoutMs' | 'fetch' | 'userAgent'>,
): Promise<CqmFetchRecord> {
  try {
    const body = await fetchCqmCsv(line.url, {
      timeout: context.timeoutMs,
      retry: { limit: 0 },
      fetch: context.fetch,
      userAgent: context.userAgent,
    });
    return { outcome: 'ok', body };
  } catch (error) {
    // A 429 has always been recorded as what it is on the wire: an HTTP status.
    if (isChaosError(error) && (error.kind === 'http' || error.kind === 'rate-limit')) {
      return {
        outcome: 'error',
        kind: 'http',
        ...(error.status === undefined ? {} : { status: error.status }),
      };
    }
    if (isChaosError(error) && error.kind === 'timeout') return { outcome: 'error', kind: 'timeout' };
    // No answer, or a link the SDK refuses to send (not a URL, user info): nothing of it is kept.
    return { outcome: 'error', kind: 'network' };
  }
}

/**
 * Fetches one line's CSV and writes it redacted as `cqm-<line_id>.csv`, or, when the fetch fails,
 * `cqm-<line_id>.error.json` with the kind, the HTTP status and a message naming the masked link.
 */
export async function recordCqmLine(
  line: CqmLineConfig,
  context: CqmRecordContext,
): Promise<{ readonly file: string; readonly outcome: 'ok' | 'error' }> {
  const fetched = await fetchCqmRaw(line, context);
  if (fetched.outcome === 'ok') {
    const file = join(context.dir, `cqm-${line.lineId}.csv`);
    await writeFile(file, context.redactor.redactText(fetched.body));
    return { file, outcome: 'ok' };
  }
  const file = join(context.dir, `cqm-${line.lineId}.error.json`);
  const status = fetched.status === undefined ? '' : ` ${fetched.status}`;
  const document = {
    command: CQM_COMMAND,
    line_id: line.lineId,
    recordedAt: context.now().toISOString(),
    outcome: 'error',
    error: {
      kind: fetched.kind,
      ...(fetched.status === undefined ? {} : { status: fetched.status }),
      message: `CQM ${maskedCqmLink(line)}: ${fetched.kind}${status}`,
    },
  };
  await writeFile(file, `${JSON.stringify(context.redactor.redact(document), null, 2)}\n`);
  return { file, outcome: 'error' };
}
