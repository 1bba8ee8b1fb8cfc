import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infoOf, postForm, postJson } from '../test/helpers.ts';
import {
  generateLines,
  type LineTrait,
  MAX_GENERATED_LINES,
  type RunningChaosMock,
  startChaosMock,
} from './index.ts';

const DIGITS = /^\d+$/;
const UK_WALL_TIME_ON_THE_HOUR = /^\d{4}-\d{2}-\d{2} \d{2}:00:00$/;

describe('a 10 000-line account over real HTTP', () => {
  let mock: RunningChaosMock;
  let info: Record<string, string>[];

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 10_000 });
    info = infoOf(await postJson(mock.url, 'broadband/info/json'));
  });
  afterAll(async () => {
    await mock.close();
  });

  it('lists every line once, keyed by a unique digit-string ID', () => {
    expect(info).toHaveLength(10_000);
    expect(new Set(info.map((line) => line.ID)).size).toBe(10_000);
    expect(info.every((line) => DIGITS.test(line.ID ?? ''))).toBe(true);
  });

  it('sends rates and quotas as digit strings and quota timestamps as wall time on the hour', () => {
    for (const line of info) {
      for (const key of ['tx_rate', 'rx_rate', 'tx_rate_adjusted', 'quota_monthly', 'quota_remaining']) {
        if (line[key] !== undefined) expect(line[key]).toMatch(DIGITS);
      }
      if (line.quota_timestamp !== undefined) expect(line.quota_timestamp).toMatch(UK_WALL_TIME_ON_THE_HOUR);
    }
  });

  it('covers unlimited, no-quota, rollover, down, padded postcode, extra key and ordinary lines', () => {
    const unlimited = info.filter((line) => line.quota_monthly === '0');
    expect(unlimited.length).toBeGreaterThan(1000);
    expect(
      unlimited.every((line) => line.quota_remaining === undefined && line.quota_timestamp === undefined),
    ).toBe(true);
    const noQuota = info.filter((line) => !('quota_monthly' in line));
    expect(noQuota.length).toBeGreaterThan(1000);
    expect(noQuota.every((line) => !('quota_remaining' in line) && !('quota_timestamp' in line))).toBe(true);
    const limited = info.filter((line) => Number(line.quota_monthly) > 0);
    const rollover = limited.filter((line) => Number(line.quota_remaining) > Number(line.quota_monthly));
    const ordinary = limited.filter((line) => Number(line.quota_remaining) < Number(line.quota_monthly));
    expect(rollover.length).toBeGreaterThan(1000);
    expect(ordinary.length).toBeGreaterThan(1000);
    const down = info.filter(
      (line) => line.tx_rate === '0' && line.rx_rate === '0' && line.tx_rate_adjusted === '0',
    );
    expect(down.length).toBeGreaterThan(1000);
    expect(info.filter((line) => line.postcode !== line.postcode?.trim()).length).toBeGreaterThan(1000);
    expect(info.filter((line) => 'unknown_extra' in line).length).toBeGreaterThan(1000);
  });

  it('uses fake data only: ZZ99 postcodes, test logins, Ofcom drama phone numbers', async () => {
    expect(info.every((line) => line.postcode?.startsWith('ZZ99 '))).toBe(true);
    expect(info.every((line) => /^test\d*@a\.\d+$/.test(line.login ?? ''))).toBe(true);
    const body = await postJson(mock.url, 'broadband/info/json');
    // Choice titles are "POSTCODE LOGIN" (docs/chaos-api.md §11.1), with the fake postcode and login.
    const titles = JSON.stringify(body.options).match(/"title":"ZZ99 \w{3} test\d*@a\.\d+"/g) ?? [];
    expect(titles).toHaveLength(10_000);
    const phones = mock.lines().flatMap((line) => (line.phone === undefined ? [] : [line.phone]));
    expect(phones.length).toBeGreaterThan(7000);
    const drama = /^(01632 960\d{3}|020 7946 0\d{3}|01\d{2} 49[68] 0\d{3})$/;
    expect(phones.filter((number) => !drama.test(number))).toEqual([]);
    // Unique for the first 14 000 lines, so a phone-number lookup finds exactly one line.
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('lists a Service choice per line after the empty "Select service" choice', async () => {
    const body = await postJson(mock.url, 'broadband/info/json');
    const choices = JSON.stringify(body.options).match(/"value":"\d*","title"/g) ?? [];
    expect(choices).toHaveLength(10_001);
    expect(JSON.stringify(body.options)).toContain('"choice":[{"value":"","title":"Select service"},');
  });

  it('has lines with no tx_rate but rx_rate and tx_rate_adjusted, one in seven from the seventh', () => {
    const noTx = info.filter((line) => !('tx_rate' in line));
    expect(noTx.length).toBe(Math.floor((10_000 + 1) / 7));
    expect(
      noTx.every((line) => DIGITS.test(line.rx_rate ?? '') && DIGITS.test(line.tx_rate_adjusted ?? '')),
    ).toBe(true);
    expect(noTx.slice(0, 3).map((line) => line.ID)).toEqual(['32007', '32014', '32021']);
  });

  it('gives quota and services for the same lines', async () => {
    const services = await postJson(mock.url, 'broadband/services/json');
    expect(services.services).toEqual(info.map((line) => line.ID));
    const quota = await postJson(mock.url, 'broadband/quota/json');
    expect(Array.isArray(quota.quota) && quota.quota.length).toBe(
      info.filter((line) => 'quota_monthly' in line).length,
    );
  });

  it('answers byte-for-byte the same for the same line count (deterministic)', async () => {
    // Two new mocks, so the per-answer state (seq 1, its uuid) is the same too.
    const one = await startChaosMock({ lines: 10_000 });
    const other = await startChaosMock({ lines: 10_000 });
    try {
      const a = await (await postForm(one.url, 'broadband/info/json')).text();
      const b = await (await postForm(other.url, 'broadband/info/json')).text();
      expect(a).toBe(b);
    } finally {
      await one.close();
      await other.close();
    }
  });
});

describe('generateLines', () => {
  it('starts with the four reference lines and the capture-shaped seventh, then cycles through every kind', () => {
    const traits = generateLines(14).map((line) => line.traits);
    expect(traits).toEqual<LineTrait[][]>([
      ['unlimited'],
      ['rollover'],
      ['down'],
      ['no-quota', 'postcode-whitespace'],
      ['limited'],
      ['limited', 'extra-key'],
      ['no-tx-rate', 'rollover'],
      ['rollover'],
      ['down'],
      ['no-quota', 'postcode-whitespace'],
      ['limited'],
      ['limited', 'extra-key'],
      ['unlimited'],
      ['rollover', 'no-tx-rate'],
    ]);
  });

  it('keeps the six lines served by default before, and adds the capture-shaped 32007 (docs/chaos-api.md §11.1)', () => {
    const [seventh] = generateLines(7).slice(6);
    expect(seventh?.info).toEqual({
      ID: '32007',
      login: 'test3@a.3',
      postcode: 'ZZ99 3AB',
      rx_rate: '7272000',
      tx_rate_adjusted: '944955500',
      quota_monthly: '10000000000000',
      quota_remaining: '18881390851534',
      quota_timestamp: '2026-07-14 17:00:00',
    });
    expect(seventh?.title).toBe('ZZ99 3AB test3@a.3');
    expect(generateLines(6).map((line) => line.info.ID)).toEqual([
      '32001',
      '32002',
      '32003',
      '32004',
      '32005',
      '32006',
    ]);
  });

  it('titles every line "POSTCODE LOGIN" with the postcode trimmed', () => {
    for (const line of generateLines(50)) {
      expect(line.title).toBe(`${line.info.postcode?.trim()} ${line.info.login}`);
    }
  });

  it('includes quota timestamps in both DST-change hours', () => {
    const stamps = new Set(generateLines(200).map((line) => line.info.quota_timestamp));
    expect(stamps).toContain('2026-10-25 01:00:00');
    expect(stamps).toContain('2026-03-29 02:00:00');
    expect(stamps).not.toContain('2026-03-29 01:00:00');
  });

  it('makes an empty account for 0 and refuses counts out of range', () => {
    expect(generateLines(0)).toEqual([]);
    expect(generateLines(MAX_GENERATED_LINES)).toHaveLength(MAX_GENERATED_LINES);
    expect(() => generateLines(MAX_GENERATED_LINES + 1)).toThrow(RangeError);
    expect(() => generateLines(Number.NaN)).toThrow(RangeError);
  });
});
