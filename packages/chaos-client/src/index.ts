/**
 * `@aaisp/chaos-client`: a typed, validated client for Andrews & Arnold's CHAOS v2 API.
 *
 * @module
 */

export type {
  BroadbandInfo,
  BroadbandLine,
  BroadbandQuota,
  InvalidLinePolicy,
  LineQuota,
  OpenRecords,
  Quota,
  ServiceChoice,
  SkippedLine,
} from './broadband.ts';
export type {
  CallOptions,
  ChaosClient,
  ChaosClientOptions,
  ChaosEnvelope,
  LineCallOptions,
  RequestOptions,
  ServiceCallOptions,
} from './client.ts';
export { createChaosClient } from './client.ts';
export { fetchCqm, fetchCqmCsv } from './cqm.ts';
export { parseCqmCsv } from './cqm-csv.ts';
export type {
  CqmData,
  CqmHooks,
  CqmRequestEvent,
  CqmResponseEvent,
  CqmSample,
  FetchCqmOptions,
  SkippedCqmRow,
} from './cqm-types.ts';
export type { CqmLinkSecrets } from './cqm-url.ts';
export { cqmLinkSecrets, maskCqmUrl } from './cqm-url.ts';
export { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from './defaults.ts';
export type { ChaosErrorDetails, ChaosErrorKind, ChaosSchemaIssue } from './errors.ts';
export { ChaosError, isChaosError } from './errors.ts';
export { parseLondonWallTime } from './london-time.ts';
export { isLoopbackHost } from './loopback.ts';
export { secretForms } from './secret-forms.ts';
export type { Ratecard, RatecardCode, RatecardRate } from './telephony.ts';
export type {
  AccountAuth,
  ChaosAuth,
  ChaosHooks,
  ChaosRequestEvent,
  ChaosResponseEvent,
  ControlLoginAuth,
  RetryPolicy,
} from './transport-types.ts';
