/**
 * The broadband subsystem's answers, parsed into typed models.
 *
 * @module
 */

import * as z from 'zod';
import type { ChaosSchemaIssue } from './errors.ts';
import { isRecord } from './is-record.ts';
import { digits, londonTime, schemaError, stringFields, toIssues } from './wire.ts';

/** A line's monthly quota. Present only when CHAOS sends `quota_monthly`. */
export interface Quota {
  /** `quota_monthly` in bytes. **0 means unlimited** (docs/chaos-api.md §3.2). */
  readonly monthlyBytes: number;
  /**
   * `quota_remaining` in bytes, when sent. It may exceed `monthlyBytes` (quota bonus rollover and
   * top-ups), so "used" can be negative.
   */
  readonly remainingBytes?: number;
  /** `quota_timestamp` (Europe/London wall time) as an instant: when the figures were computed. */
  readonly updatedAt?: Date;
}

/** One broadband line from `broadband/info`. */
export interface BroadbandLine {
  /** A&A's line ID (`ID`), the stable key. Never key by list position or phone number. */
  readonly id: string;
  /** The line's PPP login, e.g. `ab123@a.1`. */
  readonly login: string;
  /** Installation postcode, trimmed. Personal data: keep it out of logs and metrics by default. */
  readonly postcode?: string;
  /** `tx_rate`: download sync rate in bit/s (tx is what A&A transmits). */
  readonly syncDownBps?: number;
  /** `rx_rate`: upload sync rate in bit/s. */
  readonly syncUpBps?: number;
  /** `tx_rate_adjusted`: download rate after A&A's adjustment, in bit/s. */
  readonly adjustedDownBps?: number;
  /**
   * Absent when the line has no `quota_monthly` (old units tariffs send no quota keys at all);
   * any other quota key then stays on `raw`. Never a fake 0.
   */
  readonly quota?: Quota;
  /** Every string field exactly as CHAOS sent it, unknown keys included (a non-string value, which the wire rules rule out, is left out). */
  readonly raw: Readonly<Record<string, string>>;
}

/** A line CHAOS offers in the `options` "Service" choice list. */
export interface ServiceChoice {
  /** The line ID (`choice.value`). */
  readonly id: string;
  /**
   * The human name (`choice.title`), e.g. `XX1 1XX ab123@a.1`: CHAOS puts the postcode first
   * (docs/chaos-api.md §11.1), so treat it as personal data (`@aaisp/collectors`' `lineName`
   * removes it).
   */
  readonly title: string;
}

/** A line left out of a result because it broke the wire contract (`onInvalidLine: 'skip'`). */
export interface SkippedLine {
  /** Position in the answer's list. */
  readonly index: number;
  /** The line ID, when the entry had one. */
  readonly id: string | undefined;
  /** What was wrong, field by field. */
  readonly issues: readonly ChaosSchemaIssue[];
}

/** What `broadband.info()` resolves to. */
export interface BroadbandInfo {
  readonly lines: readonly BroadbandLine[];
  /** The "Service" choices, without the empty-value "Select service" entry. */
  readonly serviceChoices: readonly ServiceChoice[];
  /** Lines dropped for bad data; always empty unless `onInvalidLine: 'skip'`. */
  readonly skipped: readonly SkippedLine[];
}

/** One entry of `broadband/quota`. */
export interface LineQuota {
  readonly id: string;
  /** Absent when the entry carries no `quota_monthly`. */
  readonly quota?: Quota;
  readonly raw: Readonly<Record<string, string>>;
}

/** What `broadband.quota()` resolves to. */
export interface BroadbandQuota {
  readonly lines: readonly LineQuota[];
  readonly skipped: readonly SkippedLine[];
}

/** What to do with a line whose fields break the wire contract. */
export type InvalidLinePolicy = 'throw' | 'skip';

const lineId = z.string().regex(/^\S+$/, 'expected a line ID');

/** The line schemas, built once per parse so their timestamp cache lives only as long as it. */
function lineSchemas() {
  const quotaFields = {
    quota_monthly: digits.optional(),
    quota_remaining: digits.optional(),
    quota_timestamp: londonTime(new Map()).optional(),
  };
  // z.object, which drops unknown keys (not looseObject, which keeps them): unknown keys live on
  // `raw` instead, and a shape without extras lets zod compile a fast parser.
  const info = z.object({
    ID: lineId,
    login: z.string(),
    postcode: z.string().optional(),
    tx_rate: digits.optional(),
    rx_rate: digits.optional(),
    tx_rate_adjusted: digits.optional(),
    ...quotaFields,
  });
  const quota = z.object({ ID: lineId, ...quotaFields });
  return { info, quota };
}

/** A `choice` entry; a missing `value` reads as "" (the "Select service" entry has an empty one). */
const Choice = z.looseObject({ value: z.string().optional(), title: z.string().optional() });

type QuotaWire = {
  quota_monthly?: number | undefined;
  quota_remaining?: number | undefined;
  quota_timestamp?: Date | undefined;
};

function toQuota(wire: QuotaWire): Quota | undefined {
  if (wire.quota_monthly === undefined) return undefined;
  return {
    monthlyBytes: wire.quota_monthly,
    ...(wire.quota_remaining === undefined ? {} : { remainingBytes: wire.quota_remaining }),
    ...(wire.quota_timestamp === undefined ? {} : { updatedAt: wire.quota_timestamp }),
  };
}

/**
 * Parses each entry of a line list on its own, so one bad line is named precisely and, with
 * `skip`, costs only itself.
 */
function parseLines<S extends z.ZodType, T>(
  list: unknown,
  key: string,
  schema: S,
  toModel: (wire: z.output<S>, raw: Readonly<Record<string, string>>) => T,
  policy: InvalidLinePolicy,
  command: string,
): { lines: T[]; skipped: SkippedLine[] } {
  if (list === undefined) return { lines: [], skipped: [] };
  if (!Array.isArray(list))
    throw schemaError('broadband', command, [{ path: [key], message: 'expected a list' }]);
  const lines: T[] = [];
  const skipped: SkippedLine[] = [];
  list.forEach((entry: unknown, index) => {
    const result = schema.safeParse(entry);
    if (result.success) {
      lines.push(toModel(result.data, isRecord(entry) ? stringFields(entry) : {}));
      return;
    }
    const id = isRecord(entry) && typeof entry.ID === 'string' ? entry.ID : undefined;
    skipped.push({ index, id, issues: toIssues(result.error, [key, index]) });
  });
  const [first] = skipped;
  if (policy === 'throw' && first) {
    const issue = first.issues[0];
    const field = issue?.path.slice(2).join('.') || 'entry';
    const line = first.id === undefined ? `${key}[${first.index}] (no ID)` : `line ${first.id}`;
    const others = skipped.length > 1 ? ` (and ${skipped.length - 1} more lines)` : '';
    throw schemaError(
      'broadband',
      command,
      skipped.flatMap((bad) => bad.issues),
      `${line}: ${field}: ${issue?.message ?? 'invalid'}${others}`,
    );
  }
  return { lines, skipped };
}

function listOf(answer: Record<string, unknown>, key: string): unknown {
  return answer[key];
}

/** @internal Parses a `broadband/info` answer. */
export function parseBroadbandInfo(
  answer: Record<string, unknown>,
  policy: InvalidLinePolicy,
): BroadbandInfo {
  const { lines, skipped } = parseLines(
    listOf(answer, 'info'),
    'info',
    lineSchemas().info,
    (wire, raw): BroadbandLine => {
      const quota = toQuota(wire);
      // It may carry stray whitespace (NMQ strips it, docs/chaos-api.md §3.2); a blank postcode is none.
      const postcode = wire.postcode?.trim() || undefined;
      return {
        id: wire.ID,
        login: wire.login,
        ...(postcode === undefined ? {} : { postcode }),
        ...(wire.tx_rate === undefined ? {} : { syncDownBps: wire.tx_rate }),
        ...(wire.rx_rate === undefined ? {} : { syncUpBps: wire.rx_rate }),
        ...(wire.tx_rate_adjusted === undefined ? {} : { adjustedDownBps: wire.tx_rate_adjusted }),
        ...(quota === undefined ? {} : { quota }),
        raw,
      };
    },
    policy,
    'info',
  );
  return { lines, serviceChoices: serviceChoices(answer.options), skipped };
}

/**
 * The "Service" choices of an `options` block. The list only helps name lines, so it is read
 * entry by entry and anything malformed is passed over rather than fatal or contagious.
 */
function serviceChoices(options: unknown): ServiceChoice[] {
  const choices: ServiceChoice[] = [];
  for (const group of Array.isArray(options) ? options : []) {
    if (!isRecord(group) || typeof group.title !== 'string' || group.title.toLowerCase() !== 'service')
      continue;
    for (const option of Array.isArray(group.option) ? group.option : []) {
      if (!isRecord(option) || typeof option.name !== 'string' || option.name.toLowerCase() !== 'service')
        continue;
      for (const entry of Array.isArray(option.choice) ? option.choice : []) {
        const choice = Choice.safeParse(entry);
        // One choice has an empty value and is not a line (MUN, PAA: docs/chaos-api.md §3.2).
        if (!choice.success || !choice.data.value) continue;
        choices.push({ id: choice.data.value, title: choice.data.title ?? choice.data.value });
      }
    }
  }
  return choices;
}

/** @internal Parses a `broadband/quota` answer. */
export function parseBroadbandQuota(
  answer: Record<string, unknown>,
  policy: InvalidLinePolicy,
): BroadbandQuota {
  return parseLines(
    listOf(answer, 'quota'),
    'quota',
    lineSchemas().quota,
    (wire, raw): LineQuota => {
      const quota = toQuota(wire);
      return { id: wire.ID, ...(quota === undefined ? {} : { quota }), raw };
    },
    policy,
    'quota',
  );
}

/**
 * An answer whose shape is unknown (docs/chaos-api.md §3.4, §4, §5: [?]): `usage()` reads the `usage`
 * list, `login.info()` and `telephony.info()` the `info` list, as string records; `raw` keeps the
 * whole answer, until a real response is captured.
 */
export interface OpenRecords {
  /**
   * Entries of the command's list (`usage[]` or `info[]`, else the answer's first list of
   * objects), string fields only; `[]` when there is none.
   */
  readonly records: readonly Readonly<Record<string, string>>[];
  /** The whole answer, envelope included. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * The envelope's own keys (docs/chaos-api.md §2.6, §11.1). `options` is a list of objects in every
 * answer of the 2024 capture's shape, so the fallback below must not take it for the payload.
 */
const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'subsystem',
  'command',
  'request',
  'state',
  'prices',
  'options',
  'error',
]);

/**
 * @internal Reads an answer whose shape is unknown as open records: the list under `key`, or,
 * when there is none, the first list of objects in the answer outside the envelope [?].
 */
export function parseOpenRecords(answer: Record<string, unknown>, key: string): OpenRecords {
  const list =
    answer[key] ??
    Object.entries(answer).find(
      ([name, value]) =>
        !ENVELOPE_KEYS.has(name) && Array.isArray(value) && value.length > 0 && value.every(isRecord),
    )?.[1];
  const records = Array.isArray(list) ? list.filter(isRecord).map(stringFields) : [];
  return { records, raw: answer };
}
