/**
 * What each CHAOS command answers, given the account's lines. Pure: no scenario, no transport.
 *
 * @module
 */

import type { MockCredentials } from './credentials.ts';
import type { Choice } from './envelope.ts';
import ratecard from './fixtures/telephony-ratecard.json' with { type: 'json' };
import type { MockLine, WireLine } from './lines.ts';

/**
 * The state of the "Service" option in an answer: the selected `value` and, for a bad `service`,
 * the `error` D1 says CHAOS puts on the attribute (docs/chaos-api.md §2.5).
 */
export interface ServiceSelection {
  readonly value: string;
  readonly error?: string;
}

/** A command's answer before the envelope and format are added. */
export type CommandAnswer =
  /** Payload keys merged into the envelope (`info`, `services`, …). */
  | {
      readonly kind: 'payload';
      readonly payload: Readonly<Record<string, unknown>>;
      readonly service?: ServiceSelection;
    }
  /** HTTP 200 with a top-level `error` string. */
  | { readonly kind: 'error'; readonly error: string; readonly service?: ServiceSelection }
  /** HTTP 500, as `telephony/services` answers without VoIP (RK); the HTML body is the mock's own [?]. */
  | { readonly kind: 'server-error' };

/** Everything a command may read. */
export interface CommandContext {
  readonly lines: readonly MockLine[];
  readonly attributes: ReadonlyMap<string, string>;
  readonly credentials: MockCredentials;
}

/**
 * Commands that change the account or the line. The mock answers `kill` (so a test can see it
 * called) but counts every one of them, so tests can assert an exporter never sends one.
 */
export const WRITE_COMMANDS: ReadonlySet<string> = new Set(['kill', 'adjust', 'order', 'cease']);

/** The only error string known for a command CHAOS does not have (RK, for `domain/*`). */
export const UNKNOWN_COMMAND = 'Unknown command';

// The wording of these errors is the mock's own: no source shows A&A's text for them [?].
const UNKNOWN_SERVICE = 'Unknown service';
const SERVICE_REQUIRED = 'Missing service';
const NOT_EMULATED = 'Ordering is not emulated by chaos-mock';

const payload = (value: Record<string, unknown>): CommandAnswer => ({ kind: 'payload', payload: value });
const error = (message: string): CommandAnswer => ({ kind: 'error', error: message });

/** A missing or unknown line: the error, also marked on the Service option (D1 [S], §2.5). */
function serviceError(context: CommandContext, message: string): CommandAnswer {
  return { kind: 'error', error: message, service: { value: serviceOf(context) ?? '', error: message } };
}

/** An empty `service` is the empty-value choice (MUN, docs/chaos-api.md §3.2), read as no service [I]. */
function serviceOf(context: CommandContext): string | undefined {
  const service = context.attributes.get('service')?.trim();
  return service === '' ? undefined : service;
}

/**
 * A service is a line ID, the line's phone number or its circuit ID (D1). The mock knows IDs and
 * each line's `phone`, or, for a hand-written line without one, a phone number in its title.
 */
function findLine(lines: readonly MockLine[], service: string): MockLine | undefined {
  const digits = service.replace(/\s+/g, '');
  const isPhone = /^\d{7,}$/.test(digits);
  return lines.find(
    (line) =>
      line.info.ID === service ||
      (isPhone &&
        (line.phone === undefined
          ? line.title.replace(/\s+/g, '').includes(digits)
          : line.phone.replace(/\s+/g, '') === digits)),
  );
}

/** Empty lists are absent keys on the wire (docs/chaos-api.md §2.3 rule 5). */
function listOrAbsent(key: string, list: readonly unknown[]): Record<string, unknown> {
  return list.length === 0 ? {} : { [key]: list };
}

function broadbandInfo(context: CommandContext): CommandAnswer {
  const service = serviceOf(context);
  if (service === undefined) {
    return payload(
      listOrAbsent(
        'info',
        context.lines.map((line) => line.info),
      ),
    );
  }
  const line = findLine(context.lines, service);
  if (!line) return serviceError(context, UNKNOWN_SERVICE);
  return { kind: 'payload', payload: { info: [line.info] }, service: { value: line.info.ID } };
}

function quotaEntry(info: WireLine): Record<string, string> | undefined {
  if (info.quota_monthly === undefined) return undefined;
  const entry: Record<string, string> = { ID: info.ID, quota_monthly: info.quota_monthly };
  if (info.quota_remaining !== undefined) entry.quota_remaining = info.quota_remaining;
  if (info.quota_timestamp !== undefined) entry.quota_timestamp = info.quota_timestamp;
  return entry;
}

function broadbandQuota(context: CommandContext): CommandAnswer {
  const service = serviceOf(context);
  let lines = context.lines;
  if (service !== undefined) {
    const line = findLine(context.lines, service);
    if (!line) return serviceError(context, UNKNOWN_SERVICE);
    lines = [line];
  }
  // Lines without a monthly quota are left out, as in the reference fixture [?].
  const entries: Record<string, string>[] = [];
  for (const line of lines) {
    const entry = quotaEntry(line.info);
    if (entry) entries.push(entry);
  }
  return payload(listOrAbsent('quota', entries));
}

function broadbandServices(context: CommandContext): CommandAnswer {
  return payload(
    listOrAbsent(
      'services',
      context.lines.map((line) => line.info.ID),
    ),
  );
}

function hourBefore(timestamp: string, hours: number): string {
  const date = new Date(`${timestamp.replace(' ', 'T')}Z`);
  date.setUTCHours(date.getUTCHours() - hours);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * HYPOTHETICAL: the real `usage` shape is unknown (docs/chaos-api.md §3.4). This answers the invented
 * shape of `broadband-usage.HYPOTHETICAL.json` (hourly buckets of bytes) so a client's untyped
 * pass-through can be tested, and nothing more.
 */
function broadbandUsage(context: CommandContext): CommandAnswer {
  const service = serviceOf(context);
  if (service === undefined) return serviceError(context, SERVICE_REQUIRED);
  const line = findLine(context.lines, service);
  if (!line) return serviceError(context, UNKNOWN_SERVICE);
  const end = line.info.quota_timestamp ?? '2026-07-14 17:00:00';
  const seed = Number(line.info.ID);
  const usage = [3, 2, 1].map((hoursBack) => ({
    ID: line.info.ID,
    start: hourBefore(end, hoursBack),
    duration: '3600',
    tx: String(((seed * 7919 * hoursBack) % 2_500_000) * 1024),
    rx: String(((seed * 104_729 * hoursBack) % 100_000) * 1024),
  }));
  return payload({ usage });
}

/** `kill` drops the customer's PPP session on a real line; the mock only answers (fixture: empty envelope). */
function broadbandKill(context: CommandContext): CommandAnswer {
  const service = serviceOf(context);
  if (service === undefined) return serviceError(context, SERVICE_REQUIRED);
  return findLine(context.lines, service) ? payload({}) : serviceError(context, UNKNOWN_SERVICE);
}

/** `adjust` answers the line's new `info` (D1); the mock changes nothing, so it answers the current one. */
function broadbandAdjust(context: CommandContext): CommandAnswer {
  const service = serviceOf(context);
  if (service === undefined) return serviceError(context, SERVICE_REQUIRED);
  return broadbandInfo(context);
}

/** A line's PPP login is its control login plus `.n` (`test@a.1` → `test@a`). */
function baseLogin(line: MockLine): string {
  return line.info.login.replace(/\.\d+$/, '');
}

/** Control logins are the lines' base logins (`test@a.1` → `test@a`) plus the caller's own [I]. */
function controlLogins(context: CommandContext): string[] {
  const logins = new Set([context.credentials.controlLogin]);
  for (const line of context.lines) logins.add(baseLogin(line));
  return [...logins];
}

/** HYPOTHETICAL: `login/services` field names are unknown (docs/chaos-api.md §4); strings are [I]. */
function loginServices(context: CommandContext): CommandAnswer {
  return payload(listOrAbsent('services', controlLogins(context)));
}

/** HYPOTHETICAL: `login/info` field names are unknown (docs/chaos-api.md §4); `info[]` is [I]. */
function loginInfo(context: CommandContext): CommandAnswer {
  const service = serviceOf(context);
  if (service === undefined) return serviceError(context, SERVICE_REQUIRED);
  const login = controlLogins(context).find((candidate) => candidate.toLowerCase() === service.toLowerCase());
  if (!login) return serviceError(context, UNKNOWN_SERVICE);
  const lines = context.lines.filter((line) => baseLogin(line) === login).length;
  return { kind: 'payload', payload: { info: [{ login, lines: String(lines) }] }, service: { value: login } };
}

/** The ratecard works without VoIP (RK); its shape is RK's, with an invented `prefix` key. */
function telephonyRatecard(): CommandAnswer {
  return payload({ rate_card: ratecard.rate_card });
}

/**
 * The fake account has no VoIP, so telephony's per-service commands answer HTTP 500 as RK saw
 * for `telephony/services`; `info` and `usage` are assumed to behave the same [I].
 */
function noVoip(): CommandAnswer {
  return { kind: 'server-error' };
}

function notEmulated(): CommandAnswer {
  return error(NOT_EMULATED);
}

type CommandHandler = (context: CommandContext) => CommandAnswer;

const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  'broadband/info': broadbandInfo,
  'broadband/quota': broadbandQuota,
  'broadband/services': broadbandServices,
  'broadband/usage': broadbandUsage,
  'broadband/kill': broadbandKill,
  'broadband/adjust': broadbandAdjust,
  'broadband/availability': notEmulated,
  'broadband/check': notEmulated,
  'broadband/order': notEmulated,
  'broadband/cease': notEmulated,
  'login/services': loginServices,
  'login/info': loginInfo,
  'login/adjust': notEmulated,
  'telephony/ratecard': telephonyRatecard,
  'telephony/services': noVoip,
  'telephony/info': noVoip,
  'telephony/usage': noVoip,
};

/**
 * The commands that take `service` (D1, docs/chaos-api.md §3–§4): their answers carry the
 * "Service" option group (§3.2: it is there even without `service`). `telephony/info` and
 * `telephony/usage` take one too, but the fake account answers them with HTTP 500 and no body.
 */
const SERVICE_COMMANDS: ReadonlySet<string> = new Set([
  'broadband/info',
  'broadband/quota',
  'broadband/usage',
  'broadband/kill',
  'broadband/adjust',
  'broadband/cease',
  'login/info',
  'login/adjust',
]);

/**
 * The "Service" choices a command offers, after the "Select service" entry: one per line
 * (`value` = line ID, `title` = the line's title, docs/chaos-api.md §3.2, §11.1) for broadband,
 * one per control login for `login/*` [I]; `undefined` for a command that takes no `service`.
 */
export function serviceChoicesFor(
  subsystem: string,
  command: string,
  context: CommandContext,
): readonly Choice[] | undefined {
  const key = `${subsystem}/${command}`;
  if (!SERVICE_COMMANDS.has(key)) return undefined;
  if (subsystem === 'login') return controlLogins(context).map((login) => ({ value: login, title: login }));
  return context.lines.map((line) => ({ value: line.info.ID, title: line.title }));
}

/**
 * Answers one command. Anything not in the table (domain, email, sim, vpn, a typo) answers
 * "Unknown command", as RK saw for `domain/*`.
 */
export function answerCommand(subsystem: string, command: string, context: CommandContext): CommandAnswer {
  const handler = COMMANDS[`${subsystem}/${command}`];
  return handler ? handler(context) : error(UNKNOWN_COMMAND);
}
