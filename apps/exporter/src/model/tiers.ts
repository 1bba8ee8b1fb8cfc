/**
 * The tiers and the interval setting each runs on, in order: the CHAOS tiers fastest first, then
 * `cqm`, the line-quality CSVs, which are not CHAOS and keep their own clock (docs/chaos-api.md
 * §11.2). The tier plan walks this list; it knows no tier by name. A new tier is a row here and
 * its `INTERVALS__…` setting (`config/settings.ts`).
 *
 * @module
 */

/** The tiers in order, each with the `ExporterConfig['intervals']` field that sets it. */
export const TIERS = [
  { name: 'fast', interval: 'fastSeconds' },
  { name: 'medium', interval: 'mediumSeconds' },
  { name: 'slow', interval: 'slowSeconds' },
  { name: 'cqm', interval: 'cqmSeconds' },
] as const;

/** A tier's name, as the `tier` label and `/health` show it. */
export type TierName = (typeof TIERS)[number]['name'];

/** How often each tier runs, in seconds, keyed as `ExporterConfig['intervals']` is. */
export type TierIntervals = { readonly [Tier in (typeof TIERS)[number] as Tier['interval']]: number };
