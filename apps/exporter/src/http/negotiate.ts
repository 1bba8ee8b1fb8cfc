/**
 * What the client asked for: the exposition format (from `Accept`) and whether it takes gzip (from
 * `Accept-Encoding`). Both are read leniently, since the clients that matter are Prometheus and
 * people with `curl`; neither ever gets a 406.
 *
 * @module
 */

import type { ExpositionFormat } from '@aaisp/collectors';

// How closely a media range names a type (RFC 9110 §12.5.1): the type itself (`text/plain`)
// beats its subtype wildcard (`text/*`), which beats the any-type wildcard (`*/*`).
const EXACT = 3;
const SUBTYPE_WILDCARD = 2;
const ANY = 1;
const NO_MATCH = 0;

/**
 * The exposition format for an `Accept` header, by q-value (RFC 9110 §12.5.1).
 *
 * Each format takes its q from the most specific range that matches it: OpenMetrics from
 * `application/openmetrics-text` (any `version`), else `application/*`, else the any-type
 * wildcard; the text format from `text/plain` (any `version`), else `text/*`, else the any-type
 * wildcard. Where several ranges of that specificity match (Prometheus 3 names OpenMetrics twice,
 * once per version), the highest q counts. A format that no range matches, or whose q is 0, is
 * not acceptable: `application/openmetrics-text;q=0` never gets OpenMetrics, whatever else the
 * header says.
 *
 * The acceptable format with the higher q wins. Tie rule: on equal q, OpenMetrics wins only when
 * `application/openmetrics-text` itself is named; a tie OpenMetrics reaches only through a
 * wildcard goes to the text format, so a bare any-type wildcard (curl, browsers) gets text.
 *
 * Never a 406 (lenient, like the rest of this module): a missing or empty header, or one under
 * which neither format is acceptable (`text/plain;q=0`, or the any-type wildcard with `q=0`), gets
 * the text format, which every client can at least read.
 *
 * @example
 * ```ts
 * negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;q=0.5'); // 'openmetrics'
 * negotiateFormat('text/plain;q=0.9, application/openmetrics-text;q=0.8'); // 'text'
 * negotiateFormat('application/openmetrics-text;q=0'); // 'text'
 * negotiateFormat(undefined); // 'text'
 * ```
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined) return 'text';
  const ranges = parseWeightedList(accept);
  const openmetrics = weightOf(ranges, 'application/openmetrics-text');
  const text = weightOf(ranges, 'text/plain');
  if (openmetrics.q === 0) return 'text';
  if (openmetrics.q > text.q) return 'openmetrics';
  // A tie goes to OpenMetrics only when the client named it: a wildcard says nothing about
  // whether the client parses OpenMetrics, and the text format is the one everything reads.
  return openmetrics.q === text.q && openmetrics.specificity === EXACT ? 'openmetrics' : 'text';
}

/**
 * Whether an `Accept-Encoding` header accepts gzip (RFC 9110 §12.5.3): `gzip` or `x-gzip` (the
 * first named) with a q-value above 0, or, when neither is named, `*` with one. A missing header
 * means identity: a client that did not ask may not be able to decode it. Weights are not ranked
 * against each other: a client that accepts gzip at all gets it, because for a 6 MB exposition
 * gzip is what any client wants (RFC 9110 lets the server choose among acceptable codings).
 *
 * @example
 * ```ts
 * acceptsGzip('gzip'); // true (Prometheus)
 * acceptsGzip('gzip;q=0, identity'); // false
 * acceptsGzip(undefined); // false
 * ```
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  const codings = parseWeightedList(header);
  const gzip = codings.find(({ value }) => value === 'gzip' || value === 'x-gzip');
  if (gzip !== undefined) return gzip.q > 0;
  const wildcard = codings.findLast(({ value }) => value === '*');
  return wildcard !== undefined && wildcard.q > 0;
}

/** One element of an `Accept` or `Accept-Encoding` list: the lower-cased value and its weight. */
interface Weighted {
  /** The media range or content coding, lower-cased (both are case-insensitive), parameters cut off. */
  readonly value: string;
  /** The q-value, in [0, 1]. */
  readonly q: number;
}

/**
 * The elements of a comma-separated list with q-values (`Accept`, `Accept-Encoding`). Other
 * parameters (`version`, `escaping`) are read past: no format here depends on them. Empty
 * elements are dropped (RFC 9110 §5.6.1 has recipients ignore them). Quoted commas are not
 * honoured: no client that scrapes an exporter sends one.
 */
function parseWeightedList(header: string): Weighted[] {
  return header.split(',').flatMap((element): Weighted[] => {
    const [value = '', ...parameters] = element.split(';').map((part) => part.trim().toLowerCase());
    if (value === '') return [];
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    return [{ value, q: q === undefined ? 1 : qValue(q.slice(q.indexOf('=') + 1).trim()) }];
  });
}

/**
 * A q-value read leniently: RFC 9110 allows `0` to `1` with at most three decimals, but a client
 * that sends `q=.5` or `q=0.3333` plainly means a weight, so any decimal number is taken and
 * clamped to [0, 1]. Anything unreadable counts as 1, as if the q were absent: the element was
 * still listed, and refusing it on a typo would be the stricter reading.
 */
function qValue(text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return 1;
  return Math.min(1, Math.max(0, Number(text)));
}

/** A type's weight under an `Accept` header, and how specific the range that gave it was. */
interface TypeWeight {
  /** `NO_MATCH` when no range matched: the type is then not acceptable. */
  readonly specificity: number;
  /** 0 when no range matched. */
  readonly q: number;
}

/**
 * The weight `ranges` give `type` (`application/openmetrics-text`): the q of the most specific
 * matching range, the highest q among several equally specific ones.
 */
function weightOf(ranges: readonly Weighted[], type: string): TypeWeight {
  return ranges.reduce<TypeWeight>(
    (best, { value, q }) => {
      const specificity = specificityOf(value, type);
      if (specificity === NO_MATCH || specificity < best.specificity) return best;
      return { specificity, q: specificity === best.specificity ? Math.max(best.q, q) : q };
    },
    { specificity: NO_MATCH, q: 0 },
  );
}

/** How specifically the media range `range` (lower-cased, without parameters) names `type`. */
function specificityOf(range: string, type: string): number {
  if (range === type) return EXACT;
  // A bare `*` is not a media range, but Java's default `Accept` sends one, meaning `*/*`.
  if (range === '*/*' || range === '*') return ANY;
  return range === `${type.slice(0, type.indexOf('/'))}/*` ? SUBTYPE_WILDCARD : NO_MATCH;
}
