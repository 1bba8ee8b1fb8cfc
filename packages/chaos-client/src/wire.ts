/**
 * zod schemas for the CHAOS wire encoding (chaos-api.md §2.3): every value a string, numbers as
 * decimal digits, arrays that may be absent, timestamps in UK wall time.
 *
 * @module
 */

import * as z from 'zod';
import { ChaosError, type ChaosSchemaIssue } from './errors.ts';
import { parseLondonWallTime } from './london-time.ts';

/**
 * A count on the wire: a string of decimal digits, parsed to a number. Never `z.coerce`, which
 * reads `""` as 0; a sign, a unit or a decimal point is a schema error.
 */
export const digits: z.ZodType<number, string> = z
  .string()
  .regex(/^\d+$/, 'expected a string of decimal digits')
  .transform(Number)
  .refine(Number.isSafeInteger, 'number too large');

/** A decimal on the wire (the ratecard's `"1.0"` pence): digits with an optional fraction. */
export const decimal: z.ZodType<number, string> = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a decimal number')
  .transform(Number);

/** `YYYY-MM-DD HH:MM:SS` in Europe/London, as a `Date`. */
export const londonTime: z.ZodType<Date, string> = z.string().transform((text, context) => {
  const date = parseLondonWallTime(text);
  if (date === undefined) {
    context.addIssue({ code: 'custom', message: 'expected YYYY-MM-DD HH:MM:SS (Europe/London)' });
    return z.NEVER;
  }
  return date;
});

/** A list CHAOS may leave out when it is empty (§2.3 rule 5): absent means `[]`. */
export function optionalList<T extends z.ZodType>(item: T): z.ZodType<z.output<T>[], unknown> {
  return z
    .array(item)
    .optional()
    .transform((list) => list ?? []);
}

/** Keeps the string-valued keys of a wire object: the `raw` record of a model. */
export function stringFields(value: Readonly<Record<string, unknown>>): Record<string, string> {
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
 * `services` answers: a list of ID strings for broadband (RK [S]); for login and telephony the
 * field names are unknown [?] and the same shape is assumed. Absent when empty.
 */
const ServiceList = z.looseObject({ services: optionalList(z.string()) });

/** Parses a `services` answer to its list of strings. */
export function parseServiceList(answer: unknown, subsystem: string): string[] {
  return parseAnswer(ServiceList, answer, subsystem, 'services').services;
}
