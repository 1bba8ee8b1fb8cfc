/**
 * Reads a CHAOS request the way CHAOS does (docs/chaos-api.md §2.1–2.4): the command from the path,
 * the attributes from the query string, a form, multipart or JSON body, or HTTP Basic auth. CHAOS's
 * XML and SOAP forms are recognised, so the mock can refuse them plainly, but not read.
 *
 * @module
 */

import { CREDENTIAL_ATTRIBUTES } from './credentials.ts';
import { isRecord } from './is-record.ts';

/** The response formats a path suffix can force on the real CHAOS; the mock answers only `json`. */
export type PathFormat = 'json' | 'xml' | 'soap';

/** Where a request is aimed: `/<subsystem>/<command>[/json|/xml|/soap]`. */
export interface RequestTarget {
  readonly subsystem: string;
  readonly command: string;
  /** The forced format, or `undefined` when the path has no suffix. */
  readonly format: PathFormat | undefined;
}

/**
 * Splits a request path into subsystem, command and format suffix.
 *
 * @param pathname - the URL path, already stripped of any base path.
 * @returns `undefined` when the path is not a CHAOS command path.
 */
export function parseTarget(pathname: string): RequestTarget | undefined {
  // Strict on purpose: no source shows CHAOS accepting empty segments, a trailing slash or
  // capitals in the path, so a client that builds such URLs should find out here.
  const match = /^\/([a-z][a-z0-9_-]*)\/([a-z][a-z0-9_-]*)(?:\/(json|xml|soap))?$/.exec(pathname);
  if (!match?.[1] || !match[2]) return undefined;
  const format = match[3] === 'json' || match[3] === 'xml' || match[3] === 'soap' ? match[3] : undefined;
  return { subsystem: match[1], command: match[2], format };
}

/**
 * Attribute names are case-insensitive and `-` and `_` are interchangeable (D1), so
 * `Control-Login`, `control_login` and `CONTROL-LOGIN` are one attribute.
 */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, '_');
}

/** The attributes of one request, after every source was read. */
export interface RequestAttributes {
  /** Normalised names in arrival order; each name at most once. */
  readonly attributes: ReadonlyMap<string, string>;
}

/** Why the attributes could not be read. The message is the mock's own wording, not A&A's [?]. */
export interface AttributeProblem {
  readonly problem: string;
}

function collect(
  target: Map<string, string>,
  pairs: Iterable<readonly [string, string]>,
): AttributeProblem | undefined {
  for (const [rawName, value] of pairs) {
    const name = normaliseName(rawName);
    // D1: each attribute may appear only once. Answering an error makes a client that sends a
    // credential twice (say, in the query and the body) fail loudly instead of passing by luck.
    if (target.has(name)) return { problem: `Duplicate attribute ${name}` };
    target.set(name, value);
  }
  return undefined;
}

function jsonPairs(text: string): [string, string][] | AttributeProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'Request body is not valid JSON' };
  }
  if (!isRecord(parsed)) {
    return { problem: 'Request JSON must be a flat object of attributes' };
  }
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      pairs.push([name, String(value)]);
    } else {
      return { problem: `Attribute ${normaliseName(name)} must be a string` };
    }
  }
  return pairs;
}

/** The request's media type, lower case and without parameters; `''` when it has none. */
function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Tells whether a request says its body is XML (`text/xml`, `application/xml`, `…+xml` such as
 * SOAP's), a form the real CHAOS reads and answers in XML, and the mock does not emulate.
 */
export function hasXmlBody(request: Request): boolean {
  const type = mediaType(request);
  return type === 'text/xml' || type === 'application/xml' || type.endsWith('+xml');
}

async function bodyPairs(request: Request): Promise<[string, string][] | AttributeProblem> {
  if (request.method === 'GET' || request.method === 'HEAD' || request.body === null) return [];
  const type = mediaType(request);
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return { problem: 'Request multipart body is malformed' };
    }
    const pairs: [string, string][] = [];
    for (const [name, value] of form) if (typeof value === 'string') pairs.push([name, value]);
    return pairs;
  }
  const text = await request.text();
  if (text.trim() === '') return [];
  if (type === 'application/json' || type.endsWith('+json')) return jsonPairs(text);
  if (type === 'application/x-www-form-urlencoded' || type === '' || type === 'text/plain') {
    return [...new URLSearchParams(text)];
  }
  return { problem: `Unsupported request content type ${type}` };
}

/**
 * HTTP Basic credentials (D1, ROSS): the user name is a control login or an account number.
 * A login has an `@`; an account number (e.g. `A1234A`) does not.
 */
function basicPairs(request: Request): [string, string][] {
  const header = request.headers.get('authorization');
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return [];
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [];
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return user.includes('@')
    ? [
        ['control_login', user],
        ['control_password', password],
      ]
    : [
        ['account_number', user],
        ['account_password', password],
      ];
}

/**
 * Tells whether a URL's query string carries a control/account login or password, where proxies,
 * access logs and browser history keep it.
 */
export function hasCredentialInQuery(url: string): boolean {
  return [...new URL(url).searchParams.keys()].some((name) => CREDENTIAL_ATTRIBUTES.has(normaliseName(name)));
}

/**
 * Reads every attribute of a request: the query string, the body and HTTP Basic auth, each
 * attribute from one of them only.
 */
export async function readAttributes(request: Request): Promise<RequestAttributes | AttributeProblem> {
  const attributes = new Map<string, string>();
  const query = [...new URL(request.url).searchParams];
  const queryProblem = collect(attributes, query);
  if (queryProblem) return queryProblem;
  const body = await bodyPairs(request);
  if (!Array.isArray(body)) return body;
  const bodyProblem = collect(attributes, body);
  if (bodyProblem) return bodyProblem;
  // Basic credentials are attributes too: sending a login both there and in the body is a duplicate.
  const basicProblem = collect(attributes, basicPairs(request));
  if (basicProblem) return basicProblem;
  return { attributes };
}
