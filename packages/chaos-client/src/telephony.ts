/**
 * The telephony subsystem's ratecard, parsed into typed models.
 *
 * @module
 */

import * as z from 'zod';
import { isRecord } from './is-record.ts';
import { decimal, optionalList, parseAnswer, stringFields } from './wire.ts';

/** A number prefix and the rate it is charged at. */
export interface RatecardCode {
  /** The dialled prefix, e.g. `+447`. The key's real name is unknown [?]: `prefix` is assumed. */
  readonly prefix?: string;
  /** The rate's name, e.g. `UK mobile`. */
  readonly rate: string;
  readonly raw: Readonly<Record<string, string>>;
}

/** What one rate costs. Pence, as CHAOS sends them (RK [S]); absent when not sent. */
export interface RatecardRate {
  readonly rate: string;
  readonly peakPencePerMinute?: number;
  readonly offpeakPencePerMinute?: number;
  readonly weekendPencePerMinute?: number;
  readonly minChargePence?: number;
  readonly raw: Readonly<Record<string, string>>;
}

/** What `telephony.ratecard()` resolves to. */
export interface Ratecard {
  readonly codes: readonly RatecardCode[];
  readonly rates: readonly RatecardRate[];
}

const Code = z.looseObject({ rate: z.string(), prefix: z.string().optional() });
const Rate = z.looseObject({
  rate: z.string(),
  peak_ppm: decimal.optional(),
  offpeak_ppm: decimal.optional(),
  weekend_ppm: decimal.optional(),
  min_charge: decimal.optional(),
});

/** Shape from RK's parser, written after a real call (docs/chaos-api.md §5, [S]). */
const RatecardAnswer = z.looseObject({
  rate_card: z.looseObject({
    codes: z.looseObject({ code: optionalList(Code) }).optional(),
    rates: z.looseObject({ rate: optionalList(Rate) }).optional(),
  }),
});

function raws(list: unknown): Record<string, string>[] {
  return Array.isArray(list) ? list.filter(isRecord).map(stringFields) : [];
}

/** @internal Parses a `telephony/ratecard` answer. */
export function parseRatecard(answer: Record<string, unknown>): Ratecard {
  const parsed = parseAnswer(RatecardAnswer, answer, 'telephony', 'ratecard').rate_card;
  const card = isRecord(answer.rate_card) ? answer.rate_card : {};
  const codeRaws = raws(isRecord(card.codes) ? card.codes.code : undefined);
  const rateRaws = raws(isRecord(card.rates) ? card.rates.rate : undefined);
  return {
    codes: (parsed.codes?.code ?? []).map((code, index) => ({
      rate: code.rate,
      ...(code.prefix === undefined ? {} : { prefix: code.prefix }),
      raw: codeRaws[index] ?? {},
    })),
    rates: (parsed.rates?.rate ?? []).map((rate, index) => ({
      rate: rate.rate,
      ...(rate.peak_ppm === undefined ? {} : { peakPencePerMinute: rate.peak_ppm }),
      ...(rate.offpeak_ppm === undefined ? {} : { offpeakPencePerMinute: rate.offpeak_ppm }),
      ...(rate.weekend_ppm === undefined ? {} : { weekendPencePerMinute: rate.weekend_ppm }),
      ...(rate.min_charge === undefined ? {} : { minChargePence: rate.min_charge }),
      raw: rateRaws[index] ?? {},
    })),
  };
}
