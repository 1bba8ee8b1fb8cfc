/**
 * Every collector this package ships, for callers that want them all.
 *
 * @module
 */

import { broadbandLines } from './broadband-lines.ts';
import { broadbandServices } from './broadband-services.ts';
import { loginServices } from './login-services.ts';
import type { CollectorMetrics } from './prom.ts';
import { telephonyRatecard } from './telephony-ratecard.ts';

/** All collectors, in tier order (fast, medium, slow). */
export const collectors: readonly (CollectorMetrics & { readonly commands: readonly string[] })[] & {
  readonly broadbandLines: typeof broadbandLines;
  readonly broadbandServices: typeof broadbandServices;
  readonly loginServices: typeof loginServices;
  readonly telephonyRatecard: typeof telephonyRatecard;
} = Object.assign([broadbandLines, broadbandServices, loginServices, telephonyRatecard], {
  broadbandLines,
  broadbandServices,
  loginServices,
  telephonyRatecard,
});
