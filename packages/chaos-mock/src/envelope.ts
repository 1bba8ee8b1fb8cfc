/**
 * The envelope every CHAOS answer carries, in the shape of the 2024 capture (docs/chaos-api.md
 * §2.6, §11.1): `subsystem`, `command`, the `request` echo, `state`, `prices` and the `options`
 * groups. Pure, except for {@link createStateCounter}, whose counter the caller owns.
 *
 * @module
 */

import { SECRET_ATTRIBUTES } from './credentials.ts';

/** What `state` (and the `uuid`/`seq` of the `request` echo) holds: strings, as every CHAOS value. */
export interface AnswerState {
  readonly uuid: string;
  readonly seq: string;
}

/** Hands out the `state` of each answer of one mock, in the order the answers are made. */
export interface StateCounter {
  next(): AnswerState;
}

/** Fixed, so every mock makes the same `uuid` for the same `seq`. */
const STATE_SEED = 0x43_48_41_4f; // "CHAO"

function mix32(value: number, salt: number): number {
  let h = Math.imul(value ^ salt, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The `uuid` of answer number `seq`: 128 bits hashed from `seq` and a fixed seed, laid out as an
 * RFC 9562 version 8 ("custom") UUID, since it is not random. What CHAOS's `uuid` identifies is
 * not documented (§11.1 shows only that it is there); the mock gives each answer its own.
 */
export function stateUuid(seq: number): string {
  const hex = [1, 2, 3, 4]
    .map((word) =>
      mix32(seq, STATE_SEED + word)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/**
 * A per-mock counter of answers: the first answer is `seq` `"1"`, the next `"2"`, and so on, with
 * `uuid` derived from `seq` ({@link stateUuid}). Deterministic: two mocks sent the same requests
 * in the same order answer the same `state`. It counts only enveloped answers (not transport
 * faults), and neither `setScenario` nor `resetStats` restarts it.
 */
export function createStateCounter(): StateCounter {
  let seq = 0;
  return {
    next() {
      seq++;
      return { uuid: stateUuid(seq), seq: String(seq) };
    },
  };
}

/** What a secret attribute is echoed as (PAA, docs/chaos-api.md §11.1). */
export const REDACTED = '(redacted)';

/**
 * The `request` echo: the request's attributes (normalised names), with every password replaced
 * by `"(redacted)"`, plus `uuid` and `seq` (§11.1). In the capture `control_login` reads
 * `"(redacted)"` too, but its author redacted the capture, so that may be the author's doing
 * [?]; the mock echoes the login (a fake one) and hides only the passwords.
 */
export function requestEcho(
  attributes: ReadonlyMap<string, string>,
  state: AnswerState,
): Record<string, string> {
  const echo: Record<string, string> = {};
  for (const [name, value] of attributes) echo[name] = SECRET_ATTRIBUTES.has(name) ? REDACTED : value;
  echo.uuid = state.uuid;
  echo.seq = state.seq;
  return echo;
}

/**
 * `prices`, as in the capture: `vat_preferred` and a `price[]` list of `{name, title,
 * description}` with no amounts (§11.1). Every value here is invented: the capture's are not
 * documented.
 */
export const PRICES: Readonly<Record<string, unknown>> = Object.freeze({
  vat_preferred: 'true',
  price: Object.freeze([
    Object.freeze({ name: 'total', title: 'Total', description: 'This request has no charge' }),
  ]),
});

/**
 * The "Authentication" group (§11.1): `control_login` with the login as sent, and
 * `control_password` of type `password` with no `value` (a `password` option would carry its
 * secret there, §3.2). An auth failure repeats the top-level `error` on `control_login` (§11.1).
 * The option titles are invented.
 */
export function authenticationGroup(login: string, problem?: string): Record<string, unknown> {
  return {
    title: 'Authentication',
    option: [
      {
        name: 'control_login',
        type: 'text',
        title: 'Control login',
        value: login,
        ...(problem === undefined ? {} : { error: problem }),
      },
      { name: 'control_password', type: 'password', title: 'Control password' },
    ],
  };
}

/** "Service Details": a group with a title and no `option` key at all (§11.1). */
export const SERVICE_DETAILS_GROUP: Readonly<Record<string, unknown>> = Object.freeze({
  title: 'Service Details',
});

/** One entry of the "Service" option's `choice[]`. */
export interface Choice {
  readonly value: string;
  readonly title: string;
}

/** The first choice of the "Service" option: the empty value, which is not a line (§3.2, §11.1). */
export const SELECT_SERVICE: Choice = Object.freeze({ value: '', title: 'Select service' });

/**
 * The "Service" group (§3.2, §11.1): one `select` option named `service`, with `recheck`, the
 * selected `value`, and a `choice[]` list that starts with "Select service". With `problem`, the
 * option carries it in `error`, as D1 says CHAOS marks a bad attribute (§2.5). The option's
 * `title` and `recheck` value are invented.
 */
export function serviceGroup(
  choices: readonly Choice[],
  value: string,
  problem?: string,
): Record<string, unknown> {
  return {
    title: 'Service',
    option: [
      {
        name: 'service',
        type: 'select',
        title: 'Service',
        recheck: 'true',
        value,
        ...(problem === undefined ? {} : { error: problem }),
        choice: [SELECT_SERVICE, ...choices],
      },
    ],
  };
}

/** What {@link envelope} puts around a payload. */
export interface EnvelopeParts {
  readonly subsystem: string;
  readonly command: string;
  /** The request's attributes, names normalised; empty when the request could not be read. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly state: AnswerState;
  /** The "Service" group, for commands that take `service`; `undefined` for the rest. */
  readonly service: Record<string, unknown> | undefined;
  /** An auth failure's error, repeated on the `control_login` option. */
  readonly authError?: string;
}

/**
 * Wraps a payload (and any `error`) in the envelope, keys in this order: `subsystem`, `command`,
 * `request`, `state`, `prices`, `options`, then the payload. The order of the capture's keys is
 * not documented; JSON clients must not depend on it.
 */
export function envelope(
  parts: EnvelopeParts,
  payload: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const login = parts.attributes.get('control_login') ?? '';
  const options = [
    authenticationGroup(login, parts.authError),
    ...(parts.service === undefined ? [] : [parts.service]),
    SERVICE_DETAILS_GROUP,
  ];
  return {
    subsystem: parts.subsystem,
    command: parts.command,
    request: requestEcho(parts.attributes, parts.state),
    state: { uuid: parts.state.uuid, seq: parts.state.seq },
    prices: PRICES,
    options,
    ...payload,
  };
}
