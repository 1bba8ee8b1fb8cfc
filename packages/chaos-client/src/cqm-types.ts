/**
 * The types of A&A's CQM line-quality data and of its fetch: what `parseCqmCsv` returns and what
 * `fetchCqm` takes and reports. Their own module, so the parser and the fetch both import them
 * without importing each other.
 *
 * @module
 */

import type { ChaosErrorKind, ChaosSchemaIssue } from './errors.ts';
import type { RetryPolicy } from './transport-types.ts';

/**
 * One CQM sample: A&A's measurements of a line over one period (normally 100 s of one LCP echo a
 * second). Each value is absent when its CSV field is absent or empty.
 */
export interface CqmSample {
  /** Start of the sample (the CSV's `Time`, Europe/London wall time). */
  readonly start: Date;
  /** `Period`: seconds in the sample (100). */
  readonly periodSeconds?: number | undefined;
  /** `Polls Sent`: echoes sent in the sample (100 = one a second); 0 may mean the line was down. */
  readonly pollsSent?: number | undefined;
  /** `%Fail` ÷ 100: the share of echoes without an answer, 0..1. */
  readonly failedRatio?: number | undefined;
  /** `Latency Min,Av,Max`, converted from nanoseconds [I] to seconds. */
  readonly latencySeconds: {
    readonly min?: number | undefined;
    readonly avg?: number | undefined;
    readonly max?: number | undefined;
  };
  /**
   * `Traffic (bit/s) Rx,Tx` named from A&A's side [I]: `down` is Tx (A&A transmits, the customer
   * downloads), `up` is Rx.
   */
  readonly trafficBitsPerSecond: {
    readonly down?: number | undefined;
    readonly up?: number | undefined;
  };
  /** `Score`: an integer quality grade whose meaning A&A does not document [?]. */
  readonly score?: number | undefined;
}

/** A row of the CSV that could not be read as a sample; the other rows are kept. */
export interface SkippedCqmRow {
  /** 1-based line number in the body (the header is line 1). */
  readonly line: number;
  readonly issues: readonly ChaosSchemaIssue[];
}

/** One fetch of a line's CQM CSV. */
export interface CqmData {
  /** The samples, oldest first (sorted by `start`; of rows with the same start, the last one). */
  readonly samples: readonly CqmSample[];
  /** Rows that were not valid samples (never the whole body: a bad header is a `schema` error). */
  readonly skipped: readonly SkippedCqmRow[];
  /**
   * Known columns the header lacks, each by the name A&A is known to send (`Latency Min`, `Av`,
   * `Tx`, …): its value is absent from every sample. Empty for the real header and for an empty
   * body. Not empty means A&A's format differs from the one this package knows: worth reporting.
   */
  readonly missingColumns: readonly string[];
  /**
   * Header names that no known column takes (trimmed, cut at 64 characters; a nameless column as
   * `(column N, no name)`), a repeated name included: their values are not read. Empty for the real
   * header.
   */
  readonly unknownColumns: readonly string[];
}

/** What a hook sees of one CQM HTTP attempt: the masked URL only. */
export interface CqmRequestEvent {
  /** `maskCqmUrl` of the URL, e.g. `control.aa.net.uk/cqmdirect.cgi/…/home.csv`. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
}

/**
 * What a hook sees when one CQM attempt ends. An attempt cut short by the caller's abort has no
 * response event.
 */
export interface CqmResponseEvent extends CqmRequestEvent {
  /** Wall time of the attempt, in ms, reading and parsing the body included. */
  readonly durationMs: number;
  /**
   * `"ok"`, or the error kind the attempt ended with: `http`, `rate-limit`, `network`, `timeout`
   * or `schema` (never a CHAOS kind such as `auth`).
   */
  readonly outcome: 'ok' | ChaosErrorKind;
  /** The HTTP status when an answer arrived (`ok`, `http`, `rate-limit`, `schema`). */
  readonly status?: number | undefined;
}

/**
 * Observers of each CQM attempt, e.g. to count and time fetches. Called synchronously and not
 * awaited; a hook that throws (or returns a promise that rejects) is ignored.
 */
export interface CqmHooks {
  readonly onRequest?: ((event: CqmRequestEvent) => void) | undefined;
  readonly onResponse?: ((event: CqmResponseEvent) => void) | undefined;
}

/** Options of `fetchCqm` and `fetchCqmCsv`; the same rules and defaults as the CHAOS client's. */
export interface FetchCqmOptions {
  /** Per attempt, in ms, from sending to the last byte of the body. Default 30 000. */
  readonly timeout?: number | undefined;
  /**
   * As for CHAOS read commands (default 2 retries, jittered back-off, `Retry-After` honoured up to
   * `maxRetryAfterMs`), except that HTTP 500 is retried too: a GET is always safe to repeat, and
   * no 500 of the CQM host is known to be permanent.
   */
  readonly retry?: RetryPolicy | undefined;
  /**
   * Injectable fetch (tests, proxies). Default `globalThis.fetch`. Called as
   * `fetch(link: URL, { headers, signal })`, once per attempt.
   */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Observers of each attempt; they see the masked link only. */
  readonly hooks?: CqmHooks | undefined;
  /** Aborts the fetch, retries included: the promise rejects with the signal's reason as is. */
  readonly signal?: AbortSignal | undefined;
  /** `User-Agent`; default `@aaisp/chaos-client/<version>`. */
  readonly userAgent?: string | undefined;
}
