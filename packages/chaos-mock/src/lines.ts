/**
 * Deterministic broadband line sets for the fake CHAOS.
 *
 * @module
 */

/** What a generated line exercises in a client or collector. */
export type LineTrait =
  /** `quota_monthly` is `"0"` and no other quota key is present (NDC: unlimited lines report 0). */
  | 'unlimited'
  /** No quota key at all (old "units" tariffs, MUN PR #1). */
  | 'no-quota'
  /** `quota_remaining` is greater than `quota_monthly` (Quota Bonus rollover, top-ups). */
  | 'rollover'
  /** A limited line with `quota_remaining` below `quota_monthly`. */
  | 'limited'
  /** A line that is down: all three rates are `"0"` (a guess; see docs/chaos-api.md §10.2). */
  | 'down'
  /** The postcode carries trailing whitespace (NMQ strips it). */
  | 'postcode-whitespace'
  /** The line has a key no client knows about (A&A may add keys at any time). */
  | 'extra-key'
  /**
   * No `tx_rate` key, while `rx_rate` and `tx_rate_adjusted` are sent, as in the 2024 capture
   * (docs/chaos-api.md §3.2, §11.1): one rate can be missing while the others are present.
   */
  | 'no-tx-rate';

/**
 * One `info[]` object exactly as CHAOS puts it on the wire: every value a string, the line key
 * upper-case `ID`, quota keys absent rather than empty.
 */
export interface WireLine {
  readonly ID: string;
  readonly login: string;
  readonly postcode?: string;
  readonly tx_rate?: string;
  readonly rx_rate?: string;
  readonly tx_rate_adjusted?: string;
  readonly quota_monthly?: string;
  readonly quota_remaining?: string;
  readonly quota_timestamp?: string;
  readonly [key: string]: string | undefined;
}

/** A broadband line the mock serves. */
export interface MockLine {
  /**
   * The line's name in the `options` "Service" choice list (`choice[].title`). Generated lines
   * use CHAOS's "POSTCODE LOGIN" form (docs/chaos-api.md §11.1), see {@link choiceTitle}.
   */
  readonly title: string;
  /**
   * The line's phone number, which the mock accepts as `service` (D1, docs/chaos-api.md §3.2).
   * Absent for a line without one (the FTTP lines); a hand-written line without it is still
   * found by a phone number written in its `title`.
   */
  readonly phone?: string;
  /**
   * What this line exercises in CHAOS answers; empty for a hand-written line. Its CQM quality is
   * chosen from the line ID instead (`cqmTraitOf`).
   */
  readonly traits: readonly LineTrait[];
  /** The `broadband/info` object for this line, as on the wire. */
  readonly info: WireLine;
}

/** The most lines {@link generateLines} will make; IDs stay unique well past it. */
export const MAX_GENERATED_LINES = 100_000;

const FIRST_LINE_ID = 32001;

/**
 * A line's `choice[].title` as CHAOS writes it: the postcode, one space, then the line's login
 * (`XX1 1XX ab123@a.1`, docs/chaos-api.md §11.1), or just the login for a line with no postcode.
 *
 * The postcode is trimmed: the capture shows exactly one space between postcode and login, and
 * the stray whitespace of `info.postcode` (§3.2, NMQ strips it) is a trait of that field, not
 * shown in any title; whether A&A trims it there too is not documented [I]. So a
 * `postcode-whitespace` line's title is `ZZ99 2AA test2@a.1`, not `ZZ99 2AA  test2@a.1`.
 */
export function choiceTitle(info: Pick<WireLine, 'login' | 'postcode'>): string {
  const postcode = info.postcode?.trim() ?? '';
  return postcode === '' ? info.login : `${postcode} ${info.login}`;
}

/** Freezes a shared line, so one mock (or test) cannot change another's data. */
function freezeLine(line: MockLine): MockLine {
  Object.freeze(line.info);
  Object.freeze(line.traits);
  return Object.freeze(line);
}

/** Freezes the shared reference lines, so one mock (or test) cannot change another's data. */
function deepFreeze(lines: MockLine[]): readonly MockLine[] {
  for (const line of lines) freezeLine(line);
  return Object.freeze(lines);
}

/**
 * The first four lines equal the reference fixture `broadband-info-all-lines.json` value for
 * value, so a mock with `lines: 4` answers exactly what the reference describes.
 */
const REFERENCE_LINES: readonly MockLine[] = deepFreeze([
  {
    title: 'ZZ99 1AA test@a.1',
    traits: ['unlimited'],
    info: {
      ID: '32001',
      login: 'test@a.1',
      postcode: 'ZZ99 1AA',
      tx_rate: '1000000000',
      rx_rate: '115000000',
      tx_rate_adjusted: '994700000',
      quota_monthly: '0',
    },
  },
  {
    title: 'ZZ99 1AB test@a.2',
    phone: '01632 960002',
    traits: ['rollover'],
    info: {
      ID: '32002',
      login: 'test@a.2',
      postcode: 'ZZ99 1AB',
      tx_rate: '79987000',
      rx_rate: '19999000',
      tx_rate_adjusted: '79563000',
      quota_monthly: '200000000000',
      quota_remaining: '231845120448',
      quota_timestamp: '2026-07-14 17:00:00',
    },
  },
  {
    title: 'ZZ99 1AD test@a.3',
    phone: '01632 960003',
    traits: ['down'],
    info: {
      ID: '32003',
      login: 'test@a.3',
      postcode: 'ZZ99 1AD',
      tx_rate: '0',
      rx_rate: '0',
      tx_rate_adjusted: '0',
      quota_monthly: '100000000000',
      quota_remaining: '61234567890',
      quota_timestamp: '2026-07-14 09:00:00',
    },
  },
  {
    title: 'ZZ99 2AA test2@a.1',
    phone: '01632 960104',
    traits: ['no-quota', 'postcode-whitespace'],
    info: {
      ID: '32004',
      login: 'test2@a.1',
      postcode: 'ZZ99 2AA ',
      tx_rate: '7616000',
      rx_rate: '1031000',
      tx_rate_adjusted: '7578000',
    },
  },
]);

/**
 * The line at index {@link CAPTURE_SHAPED_INDEX} (ID 32007, the seventh): shaped like the `info[]`
 * entry of the 2024 capture (docs/chaos-api.md §11.1): `rx_rate` and `tx_rate_adjusted` but **no
 * `tx_rate`**, a 10 TB monthly quota with more remaining than that. The rate and quota figures
 * are the capture's as §11.1 gives them; ID, login, postcode and timestamp are the mock's own.
 * It comes after the six lines the mock served by default before, so those keep their values.
 */
const CAPTURE_SHAPED_LINE: MockLine = freezeLine({
  title: 'ZZ99 3AB test3@a.3',
  traits: ['no-tx-rate', 'rollover'],
  info: {
    ID: '32007',
    login: 'test3@a.3',
    postcode: 'ZZ99 3AB',
    rx_rate: '7272000',
    tx_rate_adjusted: '944955500',
    quota_monthly: '10000000000000',
    quota_remaining: '18881390851534',
    quota_timestamp: '2026-07-14 17:00:00',
  },
});

const CAPTURE_SHAPED_INDEX = 6;

/**
 * Every seventh line from the seventh on has no `tx_rate` (`no-tx-rate`): the seventh is
 * {@link CAPTURE_SHAPED_LINE}, the later ones (32014, 32021, …) are generated lines of any kind
 * with `tx_rate` left out.
 */
const NO_TX_RATE_EVERY = 7;

type Archetype = 'limited' | 'extra-key' | 'unlimited' | 'rollover' | 'down' | 'no-quota';

/**
 * Lines after the reference four cycle through these (the seventh line aside), so any set of 7+
 * has every trait.
 */
const ARCHETYPES: readonly Archetype[] = [
  'limited',
  'extra-key',
  'unlimited',
  'rollover',
  'down',
  'no-quota',
];

/** Sync profiles (download, upload) in bit/s, from FTTP down to long ADSL lines. */
const PROFILES: readonly (readonly [number, number])[] = [
  [1_000_000_000, 115_000_000],
  [79_987_000, 19_999_000],
  [55_120_000, 9_854_000],
  [38_400_000, 6_970_000],
  [17_212_000, 1_187_000],
  [7_616_000, 1_031_000],
];

/** Decimal byte quotas: 100 GB, 200 GB, 500 GB, 1 TB. */
const MONTHLY_QUOTAS: readonly number[] = [100e9, 200e9, 500e9, 1e12];

/**
 * UK wall-clock times on the hour. They cover GMT and BST, the last hour before and the first
 * after each 2026 clock change, and 01:00 on 25 October, which happens twice in London (a quota
 * computed hourly in local time can carry it). Never the skipped 01:00 on 29 March.
 */
const QUOTA_TIMESTAMPS: readonly string[] = [
  '2026-11-23 08:00:00',
  '2026-07-14 17:00:00',
  '2026-03-29 00:00:00',
  '2026-03-29 02:00:00',
  '2026-10-25 00:00:00',
  '2026-10-25 01:00:00',
  '2026-10-25 02:00:00',
  '2026-01-20 08:00:00',
];

/**
 * Ofcom's ranges reserved for drama (never a real subscriber), a thousand numbers each; lines take
 * them in turn, so numbers are unique for the first 14 000 lines and repeat after that.
 */
const DRAMA_RANGES: readonly string[] = [
  '01632 960',
  '020 7946 0',
  '0113 496 0',
  '0114 496 0',
  '0115 496 0',
  '0116 496 0',
  '0117 496 0',
  '0118 496 0',
  '0121 496 0',
  '0131 496 0',
  '0141 496 0',
  '0151 496 0',
  '0161 496 0',
  '0191 498 0',
];

function dramaNumber(index: number): string {
  // Slot 104 belongs to reference line 32004 (01632 960104); slot 1 is free, so line 104 takes it.
  if (index === 104) return '01632 960001';
  const range = DRAMA_RANGES[Math.floor(index / 1000) % DRAMA_RANGES.length] ?? '01632 960';
  return `${range}${String(index % 1000).padStart(3, '0')}`;
}

/** A cheap, stable integer hash so values vary by line without any randomness. */
function mix(index: number, salt: number): number {
  let h = (index + 1) * 0x9e3779b1 + salt * 0x85ebca6b;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function pick<T>(list: readonly T[], index: number, salt: number): T {
  const value = list[mix(index, salt) % list.length];
  if (value === undefined) throw new RangeError('pick from an empty list');
  return value;
}

/** The ≈0.995 ratio between `tx_rate_adjusted` and `tx_rate` seen in NDC's test data and CHAOS v1. */
function adjusted(txRate: number): number {
  return Math.round((txRate * 0.9947) / 1000) * 1000;
}

/** A generated line of one archetype, before the `no-tx-rate` overlay. */
function archetypeLine(index: number): MockLine {
  const archetype = ARCHETYPES[(index - REFERENCE_LINES.length) % ARCHETYPES.length] ?? 'limited';
  const id = String(FIRST_LINE_ID + index);
  const group = Math.floor((index - REFERENCE_LINES.length) / 4);
  const login = `test${group + 3}@a.${((index - REFERENCE_LINES.length) % 4) + 1}`;
  const postcode = `ZZ99 ${(index % 9) + 1}${String.fromCharCode(65 + (mix(index, 1) % 26))}${String.fromCharCode(65 + (mix(index, 2) % 26))}`;
  const phone = dramaNumber(index);
  const [profileDown, profileUp] =
    archetype === 'unlimited' ? [1_000_000_000, 115_000_000] : pick(PROFILES, index, 3);
  // Real sync rates wander a little below the profile's ceiling.
  const down = archetype === 'down' ? 0 : profileDown - (mix(index, 4) % 40) * 1000;
  const up = archetype === 'down' ? 0 : profileUp - (mix(index, 5) % 20) * 1000;
  const rates = {
    tx_rate: String(down),
    rx_rate: String(up),
    tx_rate_adjusted: String(adjusted(down)),
  };
  const monthly = pick(MONTHLY_QUOTAS, index, 6);
  const timestamp = pick(QUOTA_TIMESTAMPS, index, 7);
  const share = (mix(index, 8) % 900) / 1000;
  const limitedQuota = {
    quota_monthly: String(monthly),
    quota_remaining: String(Math.round(monthly * (0.05 + share))),
    quota_timestamp: timestamp,
  };
  const base = { ID: id, login, postcode };
  const title = choiceTitle(base);
  switch (archetype) {
    case 'unlimited':
      // An FTTP line without a phone number.
      return { title, traits: ['unlimited'], info: { ...base, ...rates, quota_monthly: '0' } };
    case 'rollover':
      return {
        title,
        phone,
        traits: ['rollover'],
        info: {
          ...base,
          ...rates,
          ...limitedQuota,
          quota_remaining: String(Math.round(monthly * (1.05 + share / 2))),
        },
      };
    case 'down':
      return { title, phone, traits: ['down'], info: { ...base, ...rates, ...limitedQuota } };
    case 'no-quota':
      return {
        title,
        phone,
        traits: ['no-quota', 'postcode-whitespace'],
        info: { ...base, postcode: `${postcode} `, ...rates },
      };
    case 'extra-key':
      return {
        title,
        phone,
        traits: ['limited', 'extra-key'],
        info: { ...base, ...rates, ...limitedQuota, unknown_extra: `value-${id}` },
      };
    case 'limited':
      return { title, phone, traits: ['limited'], info: { ...base, ...rates, ...limitedQuota } };
  }
}

function generatedLine(index: number): MockLine {
  if (index === CAPTURE_SHAPED_INDEX) return CAPTURE_SHAPED_LINE;
  const line = archetypeLine(index);
  if (index % NO_TX_RATE_EVERY !== CAPTURE_SHAPED_INDEX) return line;
  const { tx_rate: _left, ...info } = line.info;
  return { ...line, traits: [...line.traits, 'no-tx-rate'], info };
}

/**
 * Builds a deterministic set of `count` fake broadband lines: the same input always gives the
 * same lines, byte for byte.
 *
 * The first four are the reference fixture's lines (unlimited, rollover, down, no quota with a
 * padded postcode); the next two are an ordinary limited line and one with an unknown extra key;
 * the seventh (32007) is shaped like the 2024 capture's line, with no `tx_rate` (`no-tx-rate`,
 * docs/chaos-api.md §11.1); after that the six kinds repeat with varied rates and quotas, and
 * every seventh line (32014, 32021, …) also has no `tx_rate`. Choice titles are "POSTCODE LOGIN"
 * ({@link choiceTitle}). Line IDs start at 32001, logins are `test…@a.n`, postcodes `ZZ99 …`,
 * phone numbers (`phone`) in Ofcom's drama ranges (01632 960xxx first): no value belongs to a real
 * customer. The first seven lines are frozen objects shared by every call; the rest are new on
 * each call.
 *
 * Each line's CQM graph (the fake `cqmdirect.cgi`) has a quality chosen from the line ID, not
 * kept in `traits` so the CHAOS answers stay as they were: `cqmTraitOf` gives 32001 `healthy`,
 * 32002 `lossy` (`%Fail` 20), 32003 `offline-hour` (`%Fail` 100 rows 03:00–03:59 UTC), 32004
 * `high-latency` (~150 ms), 32005 `healthy`, 32006 `offline-gap` (missing rows in that hour),
 * 32007 `healthy`, repeating every seven IDs.
 *
 * @param count - how many lines, from 0 to {@link MAX_GENERATED_LINES}.
 * @throws {RangeError} when `count` is not a whole number in that range.
 * @example
 * ```ts
 * const lines = generateLines(14);
 * lines.filter((line) => line.traits.includes('no-tx-rate')).map((line) => line.info.ID);
 * // → ['32007', '32014']
 * ```
 */
export function generateLines(count: number): MockLine[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATED_LINES) {
    throw new RangeError(`lines must be a whole number from 0 to ${MAX_GENERATED_LINES}, got ${count}`);
  }
  const lines: MockLine[] = [];
  for (let index = 0; index < count; index++) {
    lines.push(REFERENCE_LINES[index] ?? generatedLine(index));
  }
  return lines;
}
