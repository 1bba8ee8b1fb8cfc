/**
 * Helpers for this package's own tests: they talk to the mock over real HTTP, as a client would.
 * Not part of the published surface (outside src/, not exported, not bundled, not in `files`).
 *
 * @module
 */

import { DEFAULT_CREDENTIALS } from '../src/index.ts';
import { isRecord } from '../src/is-record.ts';

/** Form attributes that authenticate against a mock with the default credentials. */
export const GOOD_LOGIN: Readonly<Record<string, string>> = {
  control_login: DEFAULT_CREDENTIALS.controlLogin,
  control_password: DEFAULT_CREDENTIALS.controlPassword,
};

/** POSTs a form to `path` under `base`, the way the SDK talks to CHAOS. */
export function postForm(
  base: string,
  path: string,
  attributes: Readonly<Record<string, string>> = GOOD_LOGIN,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(new URL(path, base), {
    method: 'POST',
    body: new URLSearchParams({ ...attributes }),
    ...init,
  });
}

/** POSTs a form and parses the JSON answer, failing the test on a non-200 status. */
export async function postJson(
  base: string,
  path: string,
  attributes: Readonly<Record<string, string>> = GOOD_LOGIN,
): Promise<Record<string, unknown>> {
  const response = await postForm(base, path, attributes);
  if (response.status !== 200) throw new Error(`${path} answered HTTP ${response.status}`);
  const body: unknown = await response.json();
  if (!isRecord(body)) throw new Error(`${path}: not an object`);
  return body;
}

/** The `info[]` entries of a `broadband/info` answer; throws if any value is not a string. */
export function infoOf(body: Record<string, unknown>): Record<string, string>[] {
  const info = body.info;
  if (info === undefined) return [];
  if (!Array.isArray(info)) throw new Error('info is not an array');
  return info.map((entry: unknown) => {
    if (!isRecord(entry)) throw new Error('info entry is not an object');
    const record: Record<string, string> = {};
    for (const [key, value] of Object.entries(entry)) {
      // CHAOS sends every value as a string; anything else is a mock bug worth failing on.
      if (typeof value !== 'string') throw new Error(`info.${key} is ${typeof value}, not a string`);
      record[key] = value;
    }
    return record;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A copy of an answer without its per-answer `state` and the `uuid`/`seq` of its `request` echo
 * (docs/chaos-api.md §11.1), after checking they are there and agree: what is left is the same for
 * the same request, whichever answer of a mock it was. Throws when they are missing or disagree.
 */
export function stateless(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new Error('answer is not an object');
  const { state, request, ...rest } = body;
  if (!isRecord(state) || typeof state.uuid !== 'string' || typeof state.seq !== 'string')
    throw new Error('answer has no state {uuid, seq}');
  if (!UUID.test(state.uuid) || !/^\d+$/.test(state.seq)) throw new Error('state is malformed');
  if (!isRecord(request)) throw new Error('answer has no request echo');
  const { uuid, seq, ...echo } = request;
  if (uuid !== state.uuid || seq !== state.seq) throw new Error('request uuid/seq differ from state');
  return { ...rest, request: echo };
}

/** The `options` group titled `title` of an answer, or `undefined`. */
export function optionGroup(body: unknown, title: string): Record<string, unknown> | undefined {
  const options = isRecord(body) && Array.isArray(body.options) ? body.options : [];
  return options.find((group: unknown) => isRecord(group) && group.title === title);
}

/** One CQM fetch: status, content type and the body as text. */
export interface CqmAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

/** GETs a CQM URL (or sends `init.method`) and reads the whole answer. */
export async function fetchCqmText(url: string, init: RequestInit = {}): Promise<CqmAnswer> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

/**
 * The rows of a CQM CSV body as lists of fields, header excluded. Throws unless the body is the
 * header, then `\n`-ended rows of ten fields each, the last one ended too.
 */
export function cqmRows(body: string): string[][] {
  if (!body.endsWith('\n')) throw new Error('CQM body does not end with a newline');
  if (body.includes('\r')) throw new Error('CQM body has a carriage return');
  const [header, ...rows] = body.slice(0, -1).split('\n');
  if (header !== 'Time,Period,Polls Sent,%Fail,Latency Min,Av,Max,Traffic (bit/s) Rx,Tx,Score')
    throw new Error(`unexpected CQM header ${header}`);
  return rows.map((row, index) => {
    const fields = row.split(',');
    if (fields.length !== 10) throw new Error(`CQM row ${index + 2} has ${fields.length} fields`);
    return fields;
  });
}
