/**
 * The SDK against answers in the envelope of the 2024 capture (docs/chaos-api.md §11.1): the
 * constructed fixture `broadband-info-2024-capture-shape.json` of `@aaisp/chaos-mock`, and the
 * mock itself, whose default line set has the capture-shaped line 32007 (no `tx_rate`).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CREDENTIALS, type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChaosClient, isChaosError } from './index.ts';

const AUTH = {
  controlLogin: DEFAULT_CREDENTIALS.controlLogin,
  controlPassword: DEFAULT_CREDENTIALS.controlPassword,
};

/** The constructed fixture, read from the mock package (it is not part of its published files). */
async function captureShape(): Promise<Record<string, unknown>> {
  const file = new URL(
    '../../chaos-mock/src/fixtures/broadband-info-2024-capture-shape.json',
    import.meta.url,
  );
  return JSON.parse(await readFile(file, 'utf8'));
}

/** A client whose every call is answered with `body` (HTTP 200, JSON). */
function answering(body: Record<string, unknown>) {
  return createChaosClient({
    auth: AUTH,
    retry: 0,
    fetch: async () => Response.json(body),
  });
}

describe('a §11.1-shaped broadband/info answer (constructed fixture)', () => {
  it('parses the line without tx_rate: no syncDownBps at all, every other field', async () => {
    const info = await answering(await captureShape()).broadband.info();
    expect(info.skipped).toEqual([]);
    expect(info.lines).toHaveLength(1);
    const [line] = info.lines;
    expect(line).toEqual({
      id: '32007',
      login: 'test3@a.3',
      postcode: 'ZZ99 3AB',
      syncUpBps: 7_272_000,
      adjustedDownBps: 944_955_500,
      quota: {
        monthlyBytes: 10_000_000_000_000,
        remainingBytes: 18_881_390_851_534,
        updatedAt: new Date('2026-07-14T16:00:00Z'),
      },
      raw: expect.objectContaining({ ID: '32007', rx_rate: '7272000' }),
    });
    // Absent, not 0 or undefined-valued: a missing rate is "not sent" (docs/chaos-api.md §9.2).
    expect(line && 'syncDownBps' in line).toBe(false);
    expect(line?.raw).not.toHaveProperty('tx_rate');
  });

  it('takes the line choices from the Service group, never the empty "Select service" one', async () => {
    const info = await answering(await captureShape()).broadband.info();
    expect(info.serviceChoices.map((choice) => choice.id)).toEqual(['32007']);
    expect(info.serviceChoices.some((choice) => choice.title === 'Select service')).toBe(false);
  });

  it('ignores the unknown envelope keys and the group with no option key', async () => {
    const body = await captureShape();
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['request', 'state', 'prices', 'options', 'info']),
    );
    const { body: raw } = await answering(body).request('broadband', 'info');
    expect(raw.state).toEqual(body.state);
    expect(raw.prices).toEqual(body.prices);
    // The echo keeps its non-secret keys; anything named like a password is dropped, "(redacted)" or not.
    expect(raw.request).toEqual({
      control_login: '(redacted)',
      uuid: 'c0d7bd86-20c2-88dd-a41c-ccc975825643',
      seq: '1',
    });
  });

  it('reads an auth failure in the envelope, its error repeated on control_login, as kind auth', async () => {
    const body = await captureShape();
    const failed = {
      ...body,
      info: undefined,
      error: 'Control authorisation failed',
      options: [
        {
          title: 'Authentication',
          option: [
            {
              name: 'control_login',
              type: 'text',
              value: '(redacted)',
              error: 'Control authorisation failed',
            },
            { name: 'control_password', type: 'hidden' },
          ],
        },
        { title: 'Service Details' },
      ],
    };
    const error = await answering(failed)
      .broadband.info()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isChaosError(error) && error.kind).toBe('auth');
  });

  it('finds open records under another key, not in the envelope’s options list', async () => {
    const body = await captureShape();
    const usage = {
      ...body,
      command: 'usage',
      info: undefined,
      hours: [{ tx: '1' }, { tx: '2' }],
    };
    expect((await answering(usage).broadband.usage({ service: '32007' })).records).toEqual([
      { tx: '1' },
      { tx: '2' },
    ]);
    const none = { ...body, command: 'usage', info: undefined };
    expect((await answering(none).broadband.usage({ service: '32007' })).records).toEqual([]);
  });
});

describe('the mock’s default line set over HTTP', () => {
  let mock: RunningChaosMock;

  beforeAll(async () => {
    mock = await startChaosMock();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('gives line 32007 no syncDownBps and everything else, and the other lines all three rates', async () => {
    const info = await createChaosClient({ baseUrl: mock.url, auth: AUTH }).broadband.info();
    expect(info.lines.map((line) => line.id)).toEqual([
      '32001',
      '32002',
      '32003',
      '32004',
      '32005',
      '32006',
      '32007',
    ]);
    const capture = info.lines.find((line) => line.id === '32007');
    expect(capture && 'syncDownBps' in capture).toBe(false);
    expect(capture).toMatchObject({
      syncUpBps: 7_272_000,
      adjustedDownBps: 944_955_500,
      quota: { monthlyBytes: 10_000_000_000_000, remainingBytes: 18_881_390_851_534 },
    });
    for (const line of info.lines.filter((other) => other.id !== '32007')) {
      expect(line.syncDownBps, line.id).toBeTypeOf('number');
    }
    expect(info.serviceChoices.map((choice) => choice.id)).toEqual(info.lines.map((line) => line.id));
  });
});
