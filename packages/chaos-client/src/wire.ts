/**
 * zod schemas for the CHAOS wire encoding (docs/chaos-api.md §2.3): every value a string, numbers
 * as decimal digits, arrays that may be absent, timestamps in UK wall time (§3.2).
 *
 * @module
 */

import * as z from 'zod';
import { ChaosError, type ChaosSchemaIssue } from './errors.ts';
import { parseLondonWallTime } from './london-time.ts';

const DIGITS = /^\d+$/;

/**
 * A count on the wire: a string of decimal digits, parsed to a number. Never `z.coerce`, which
 * reads `""` as 0; a sign, a unit or a decimal point is a schema error.
 */
export const digits: z.ZodType<number, string> = z.string().transform((text, context) => {
  // One transform rather than regex → transform → refine: this runs six times per line.
  if (!DIGITS.test(text)) {
    context.addIssue({ code: 'custom', message: 'expected a string of decimal digits' });
    return z.NEVER;
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    context.addIssue({ code: 'custom', message: 'number too large' });
    return z.NEVER;
  }
  return value;
});

/** A decimal on the wire (the ratecard's `"1.0"` pence): digits with an optional fraction. */
export const decimal: z.ZodType<number, string> = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a decimal number')
  .transform(Number);

/**
 * `YYYY-MM-DD HH:MM:SS` in Europe/London, as a `Date`. Give each parse its own `cache`: an
 * account's lines share a handful of quota timestamps, so each distinct text is converted once
 * (and every line still gets its own `Date`).
 */
export function londonTime(cache: Map<string, number | undefined> = new Map()): z.ZodType<Date, string> {
  return z.string().transform((text, context) => {
    let ms = cache.get(text);
    if (ms === undefined && !cache.has(text)) {
      ms = parseLondonWallTime(text)?.getTime();
      cache.set(text, ms);
    }
    if (ms === undefined) {
      context.addIssue({ code: 'custom', message: 'expected YYYY-MM-DD HH:MM:SS (Europe/London)' });
      return z.NEVER;
    }
    return new Date(ms);
  });
}

/** A list CHAOS may leave out when it is empty (docs/chaos-api.md §2.3 rule 5): absent means `[]`. */
export function optionalList<T extends z.ZodType>(item: T): z.ZodType<z.output<T>[], unknown> {
  return z
    .array(item)
    .optional()
    .transform((list) => list ?? []);
}

/** Tells whether every value of a parsed JSON object is a string, as CHAOS's wire rules say. */
function allStrings(value: Readonly<Record<string, unknown>>): value is Record<string, string> {
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

/**
 * The string-valued keys of a wire object: the `raw` record of a model. The common case, an
 * object of strings only, is returned as is rather than copied (it is fresh from `JSON.parse`).
 */
export function stringFields(value: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
  if (allStrings(value)) return value;
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) if (typeof field === 'string') fields[key] = field;
  return fields;
}

/** Turns zod issues into ours, prefixed with where in the answer they are. */
export function toIssues(error: z.ZodError, prefix: readonly (string | number)[] = []): ChaosSchemaIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.filter((key) => typeof key !== 'symbol')],
    message: issue.message,
  }));
}

/** A `schema` ChaosError for one command. */
export function schemaError(
  subsystem: string,
  command: string,
  issues: readonly ChaosSchemaIssue[],
  summary?: string,
): ChaosError {
  const first = issues[0];
  const where = first ? `${first.path.join('.') || '(answer)'}: ${first.message}` : 'unexpected shape';
  const more = summary === undefined && issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new ChaosError('schema', `CHAOS ${subsystem}/${command}: ${summary ?? where}${more}`, {
    subsystem,
    command,
    issues,
  });
}

/**
 * Parses a whole answer with a schema, or throws a `schema` ChaosError naming every bad field.
 */
export function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, subsystem: string, command: string): T {
  const result = schema.safeParse(answer);
  if (result.success) return result.data;
  throw schemaError(subsystem, command, toIssues(result.error));
}

/**
 * `services` answers: a list of ID strings for broadband (RK [S], docs/chaos-api.md §3.1); for login
 * and telephony the field names are unknown [?] and the same shape is assumed. Absent when empty.
 */
const ServiceList = z.looseObject({
  services: optionalList(z.union([z.string(), z.looseObject({})])),
});

/** The identifier in a service entry that is an object [?]: `ID`, `login`, or its first string value. */
function serviceName(entry: string | Record<string, unknown>): string | undefined {
  if (typeof entry === 'string') return entry;
  for (const key of ['ID', 'id', 'login', 'service']) if (typeof entry[key] === 'string') return entry[key];
  return Object.values(entry).find((value): value is string => typeof value === 'string');
}

/**
 * Parses a `services` answer to its identifiers. Entries are strings for broadband (RK); login and
 * telephony are unknown [?], so an entry that is an object is read by its ID, login or first
 * string field.
 */
export function parseServiceList(answer: unknown, subsystem: string): string[] {
  const { services } = parseAnswer(ServiceList, answer, subsystem, 'services');
  return services.map(serviceName).filter((name): name is string => name !== undefined);
}
