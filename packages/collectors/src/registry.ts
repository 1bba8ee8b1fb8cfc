/**
 * Every collector this package ships, for callers that want them all.
 *
 * @module
 */

import { broadbandLines } from './broadband-lines.ts';
import { broadbandServices } from './broadband-services.ts';
import { cqmLines } from './cqm.ts';
import { loginServices } from './login-services.ts';
import { telephonyRatecard } from './telephony-ratecard.ts';
import type { CollectorMetrics } from './types.ts';

/** All collectors, in tier order (fast, medium, slow), then `cqm` (not CHAOS: A&A's CQM CSV). */
export const collectors: readonly (CollectorMetrics & { readonly commands: readonly string[] })[] & {
  readonly broadbandLines: typeof broadbandLines;
  readonly broadbandServices: typeof broadbandServices;
  readonly loginServices: typeof loginServices;
  readonly telephonyRatecard: typeof telephonyRatecard;
  readonly cqmLines: typeof cqmLines;
} = Object.assign([broadbandLines, broadbandServices, loginServices, telephonyRatecard, cqmLines], {
  broadbandLines,
  broadbandServices,
  loginServices,
  telephonyRatecard,
  cqmLines,
});
