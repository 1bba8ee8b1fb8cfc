import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_LOGIN, infoOf, postJson } from '../test/helpers.ts';
import infoAllLines from './fixtures/broadband-info-all-lines.json' with { type: 'json' };
import kill from './fixtures/broadband-kill.HYPOTHETICAL.json' with { type: 'json' };
import quotaAllLines from './fixtures/broadband-quota-all-lines.json' with { type: 'json' };
import services from './fixtures/broadband-services.json' with { type: 'json' };
import unknownCommand from './fixtures/error-unknown-command.json' with { type: 'json' };
import loginServices from './fixtures/login-services.HYPOTHETICAL.json' with { type: 'json' };
import ratecard from './fixtures/telephony-ratecard.json' with { type: 'json' };
import { type RunningChaosMock, startChaosMock } from './index.ts';

describe('every CHAOS command, over real HTTP, against the reference fixtures', () => {
  let mock: RunningChaosMock;

  beforeAll(async () => {
    // Four lines: exactly the reference fixture's account.
    mock = await startChaosMock({ lines: 4 });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('broadband/info without service answers every line and the Service options, equal to the fixture', async () => {
    expect(await postJson(mock.url, 'broadband/info/json')).toEqual(infoAllLines);
  });

  it('broadband/info with an empty service is the "All lines" choice', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, service: '' });
    expect(infoOf(body)).toHaveLength(4);
  });

  it('broadband/info with a line ID answers that line only, with the Service option set to it', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, service: '32002' });
    expect(infoOf(body)).toEqual([infoAllLines.info[1]]);
    expect(body.options).toMatchObject([{ title: 'Service', option: [{ name: 'service', value: '32002' }] }]);
    expect(body.request).toEqual({ control_login: 'test@a', service: '32002' });
  });

  it('broadband/info with a phone number finds the line by its number', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, service: '01632 960003' });
    expect(infoOf(body).map((line) => line.ID)).toEqual(['32003']);
  });

  it('broadband/info with an unknown service answers an error and no info', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, service: '99999' });
    expect(body.error).toBe('Unknown service');
    expect(body).not.toHaveProperty('info');
    // D1: an error about an attribute comes with the options, the bad one carrying `error`.
    expect(body.options).toMatchObject([
      { title: 'Service', option: [{ name: 'service', value: '99999', error: 'Unknown service' }] },
    ]);
  });

  it('broadband/quota answers one entry per line with a quota, equal to the fixture', async () => {
    expect(await postJson(mock.url, 'broadband/quota/json')).toEqual(quotaAllLines);
    const one = await postJson(mock.url, 'broadband/quota/json', { ...GOOD_LOGIN, service: '32003' });
    expect(one.quota).toEqual([quotaAllLines.quota[2]]);
    const none = await postJson(mock.url, 'broadband/quota/json', { ...GOOD_LOGIN, service: '32004' });
    expect(none).not.toHaveProperty('quota');
  });

  it('broadband/services answers the line IDs, equal to the fixture', async () => {
    expect(await postJson(mock.url, 'broadband/services/json')).toEqual(services);
  });

  it('broadband/usage answers the hypothetical hourly shape for a service, and needs one', async () => {
    const body = await postJson(mock.url, 'broadband/usage/json', { ...GOOD_LOGIN, service: '32002' });
    expect(body.usage).toEqual([
      expect.objectContaining({ ID: '32002', start: '2026-07-14 14:00:00', duration: '3600' }),
      expect.objectContaining({ ID: '32002', start: '2026-07-14 15:00:00', duration: '3600' }),
      expect.objectContaining({ ID: '32002', start: '2026-07-14 16:00:00', duration: '3600' }),
    ]);
    for (const bucket of infoOf({ info: body.usage })) {
      expect(bucket.tx).toMatch(/^\d+$/);
      expect(bucket.rx).toMatch(/^\d+$/);
    }
    expect((await postJson(mock.url, 'broadband/usage/json')).error).toBe('Missing service');
  });

  it('broadband/kill answers like the fixture and is counted as a write', async () => {
    mock.resetStats();
    expect(await postJson(mock.url, 'broadband/kill/json', { ...GOOD_LOGIN, service: '32003' })).toEqual(
      kill,
    );
    expect(mock.stats()).toMatchObject({ writes: 1, writesByCommand: { 'broadband/kill': 1 } });
  });

  it('ordering commands are refused but still counted as writes', async () => {
    mock.resetStats();
    for (const command of ['order', 'cease']) {
      const body = await postJson(mock.url, `broadband/${command}/json`, { ...GOOD_LOGIN, service: '32001' });
      expect(body.error).toBe('Ordering is not emulated by chaos-mock');
    }
    expect(mock.stats().writes).toBe(2);
  });

  it('broadband/adjust changes nothing and answers the line, counted as a write', async () => {
    mock.resetStats();
    const body = await postJson(mock.url, 'broadband/adjust/json', { ...GOOD_LOGIN, service: '32001' });
    expect(infoOf(body)).toEqual([infoAllLines.info[0]]);
    expect(mock.stats().writes).toBe(1);
  });

  it('login/services answers the control logins (hypothetical shape), equal to the fixture', async () => {
    expect(await postJson(mock.url, 'login/services/json')).toEqual(loginServices);
  });

  it('login/info answers one control login and refuses unknown ones', async () => {
    const body = await postJson(mock.url, 'login/info/json', { ...GOOD_LOGIN, service: 'test@a' });
    expect(body.info).toEqual([{ login: 'test@a', lines: '3' }]);
    const unknown = await postJson(mock.url, 'login/info/json', { ...GOOD_LOGIN, service: 'nobody@a' });
    expect(unknown.error).toBe('Unknown service');
  });

  it('telephony/ratecard answers the rate card, equal to the fixture', async () => {
    expect(await postJson(mock.url, 'telephony/ratecard/json')).toEqual(ratecard);
  });

  it('domain/services answers "Unknown command", equal to the fixture', async () => {
    expect(await postJson(mock.url, 'domain/services/json')).toEqual(unknownCommand);
  });
});
