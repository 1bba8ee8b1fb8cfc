import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_LOGIN, infoOf, optionGroup, postJson, stateless } from '../test/helpers.ts';
import captureShape from './fixtures/broadband-info-2024-capture-shape.json' with { type: 'json' };
import infoAllLines from './fixtures/broadband-info-all-lines.json' with { type: 'json' };
import kill from './fixtures/broadband-kill.HYPOTHETICAL.json' with { type: 'json' };
import quotaAllLines from './fixtures/broadband-quota-all-lines.json' with { type: 'json' };
import services from './fixtures/broadband-services.json' with { type: 'json' };
import unknownCommand from './fixtures/error-unknown-command.json' with { type: 'json' };
import loginServices from './fixtures/login-services.HYPOTHETICAL.json' with { type: 'json' };
import ratecard from './fixtures/telephony-ratecard.json' with { type: 'json' };
import { generateLines, type RunningChaosMock, startChaosMock } from './index.ts';

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
    expect(stateless(await postJson(mock.url, 'broadband/info/json'))).toEqual(stateless(infoAllLines));
  });

  it('broadband/info with an empty service is the "Select service" choice: every line', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, service: '' });
    expect(infoOf(body)).toHaveLength(4);
  });

  it('broadband/info with a line ID answers that line only, with the Service option set to it', async () => {
    const body = await postJson(mock.url, 'broadband/info/json', { ...GOOD_LOGIN, service: '32002' });
    expect(infoOf(body)).toEqual([infoAllLines.info[1]]);
    expect(optionGroup(body, 'Service')).toMatchObject({ option: [{ name: 'service', value: '32002' }] });
    expect(stateless(body).request).toEqual({
      control_login: 'test@a',
      control_password: '(redacted)',
      service: '32002',
    });
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
    expect(optionGroup(body, 'Service')).toMatchObject({
      option: [{ name: 'service', value: '99999', error: 'Unknown service' }],
    });
  });

  it('broadband/quota answers one entry per line with a quota, equal to the fixture', async () => {
    expect(stateless(await postJson(mock.url, 'broadband/quota/json'))).toEqual(stateless(quotaAllLines));
    const one = await postJson(mock.url, 'broadband/quota/json', { ...GOOD_LOGIN, service: '32003' });
    expect(one.quota).toEqual([quotaAllLines.quota[2]]);
    const none = await postJson(mock.url, 'broadband/quota/json', { ...GOOD_LOGIN, service: '32004' });
    expect(none).not.toHaveProperty('quota');
  });

  it('broadband/services answers the line IDs, equal to the fixture', async () => {
    expect(stateless(await postJson(mock.url, 'broadband/services/json'))).toEqual(stateless(services));
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
    const body = await postJson(mock.url, 'broadband/kill/json', { ...GOOD_LOGIN, service: '32003' });
    expect(stateless(body)).toEqual(stateless(kill));
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
    expect(stateless(await postJson(mock.url, 'login/services/json'))).toEqual(stateless(loginServices));
  });

  it('login/info answers one control login and refuses unknown ones', async () => {
    const body = await postJson(mock.url, 'login/info/json', { ...GOOD_LOGIN, service: 'test@a' });
    expect(body.info).toEqual([{ login: 'test@a', lines: '3' }]);
    const unknown = await postJson(mock.url, 'login/info/json', { ...GOOD_LOGIN, service: 'nobody@a' });
    expect(unknown.error).toBe('Unknown service');
  });

  it('telephony/ratecard answers the rate card, equal to the fixture', async () => {
    expect(stateless(await postJson(mock.url, 'telephony/ratecard/json'))).toEqual(stateless(ratecard));
  });

  it('domain/services answers "Unknown command", equal to the fixture', async () => {
    expect(stateless(await postJson(mock.url, 'domain/services/json'))).toEqual(stateless(unknownCommand));
  });
});

describe('the envelope of the 2024 capture (docs/chaos-api.md §11.1) on every answer', () => {
  let mock: RunningChaosMock;

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 7 });
  });
  afterAll(async () => {
    await mock.close();
  });

  const ANSWERED = [
    ['broadband/info', {}],
    ['broadband/quota', {}],
    ['broadband/services', {}],
    ['broadband/usage', { service: '32002' }],
    ['broadband/kill', { service: '32002' }],
    ['broadband/adjust', { service: '32002' }],
    ['broadband/order', { service: '32002' }],
    ['login/services', {}],
    ['login/info', { service: 'test@a' }],
    ['login/adjust', { service: 'test@a' }],
    ['telephony/ratecard', {}],
    ['domain/services', {}],
  ] as const;

  it.each(ANSWERED)(
    '%s carries request (passwords redacted), state, prices and the option groups',
    async (path, extra) => {
      const body = await postJson(mock.url, `${path}/json`, { ...GOOD_LOGIN, ...extra });
      const [subsystem, command] = path.split('/');
      expect(body).toMatchObject({ subsystem, command });
      expect(stateless(body).request).toEqual({ ...GOOD_LOGIN, control_password: '(redacted)', ...extra });
      expect(body.prices).toEqual({
        vat_preferred: expect.any(String),
        price: [{ name: expect.any(String), title: expect.any(String), description: expect.any(String) }],
      });
      expect(JSON.stringify(body.prices)).not.toMatch(/\d/);
      expect(optionGroup(body, 'Authentication')).toEqual({
        title: 'Authentication',
        option: [
          { name: 'control_login', type: 'text', title: expect.any(String), value: 'test@a' },
          { name: 'control_password', type: 'password', title: expect.any(String) },
        ],
      });
      expect(optionGroup(body, 'Service Details')).toEqual({ title: 'Service Details' });
      expect(JSON.stringify(body)).not.toContain(GOOD_LOGIN.control_password);
    },
  );

  it('gives the Service group to commands that take service, and only to them', async () => {
    const takes = [
      'broadband/info',
      'broadband/quota',
      'broadband/usage',
      'broadband/kill',
      'broadband/adjust',
      'login/info',
      'login/adjust',
    ];
    for (const [path, extra] of ANSWERED) {
      const body = await postJson(mock.url, `${path}/json`, { ...GOOD_LOGIN, ...extra });
      const titles = (body.options as { title: string }[]).map((group) => group.title);
      expect(titles, path).toEqual(
        takes.includes(path)
          ? ['Authentication', 'Service', 'Service Details']
          : ['Authentication', 'Service Details'],
      );
    }
  });

  it('lists the lines as a select whose first choice is "Select service", titled POSTCODE LOGIN', async () => {
    const body = await postJson(mock.url, 'broadband/info/json');
    expect(optionGroup(body, 'Service')).toEqual({
      title: 'Service',
      option: [
        {
          name: 'service',
          type: 'select',
          title: 'Service',
          recheck: 'true',
          value: '',
          choice: [
            { value: '', title: 'Select service' },
            { value: '32001', title: 'ZZ99 1AA test@a.1' },
            { value: '32002', title: 'ZZ99 1AB test@a.2' },
            { value: '32003', title: 'ZZ99 1AD test@a.3' },
            // The postcode is trimmed in the title: "ZZ99 2AA " is sent in info[].postcode.
            { value: '32004', title: 'ZZ99 2AA test2@a.1' },
            { value: '32005', title: expect.stringMatching(/^ZZ99 \w{3} test3@a\.1$/) },
            { value: '32006', title: expect.stringMatching(/^ZZ99 \w{3} test3@a\.2$/) },
            { value: '32007', title: 'ZZ99 3AB test3@a.3' },
          ],
        },
      ],
    });
  });

  it('titles a line without a postcode by its login alone', async () => {
    const bare = await startChaosMock({
      lines: [{ title: 'me@a.1', traits: [], info: { ID: '99', login: 'me@a.1' } }],
    });
    try {
      const body = await postJson(bare.url, 'broadband/info/json');
      expect(JSON.stringify(optionGroup(body, 'Service'))).toContain('{"value":"99","title":"me@a.1"}');
    } finally {
      await bare.close();
    }
  });

  it('counts seq from 1 per mock, with a uuid derived from it: the same for the same requests', async () => {
    const a = await startChaosMock({ lines: 2 });
    const b = await startChaosMock({ lines: 2 });
    try {
      const states = async (url: string) => {
        const out: unknown[] = [];
        for (const path of ['broadband/info/json', 'broadband/quota', 'login/services/json']) {
          const text = await (
            await fetch(new URL(path, url), { method: 'POST', body: new URLSearchParams(GOOD_LOGIN) })
          ).text();
          out.push(/"uuid":"([^"]+)".*?"seq":"(\d+)"/s.exec(text)?.slice(1));
        }
        return out;
      };
      const first = await states(a.url);
      expect(first.map((state) => (state as string[])[1])).toEqual(['1', '2', '3']);
      expect(new Set(first.map((state) => (state as string[])[0])).size).toBe(3);
      expect(await states(b.url)).toEqual(first);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('repeats an auth failure on the control_login option, HTTP 200, and lists no line', async () => {
    for (const attributes of [
      { ...GOOD_LOGIN, control_password: 'wrong' },
      { control_login: 'who@a', control_password: 'x' },
    ]) {
      const response = await fetch(new URL('broadband/info/json', mock.url), {
        method: 'POST',
        body: new URLSearchParams(attributes),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      const error = body.error;
      expect(['Control authorisation failed', 'Bad control-login']).toContain(error);
      expect(optionGroup(body, 'Authentication')).toMatchObject({
        option: [
          { name: 'control_login', value: attributes.control_login, error },
          { name: 'control_password' },
        ],
      });
      expect(optionGroup(body, 'Service')).toMatchObject({
        option: [{ choice: [{ value: '', title: 'Select service' }] }],
      });
      expect(body).not.toHaveProperty('info');
      expect(stateless(body).request).toEqual({
        control_login: attributes.control_login,
        control_password: '(redacted)',
      });
    }
  });

  it('serves the capture-shaped line 32007 like the constructed capture-shape fixture', async () => {
    const one = await startChaosMock({ lines: generateLines(7).slice(6) });
    try {
      const body = await postJson(one.url, 'broadband/info/json');
      expect(infoOf(body)).toEqual(captureShape.info);
      expect(infoOf(body)[0]).not.toHaveProperty('tx_rate');
      expect(Object.keys(body).sort()).toEqual(Object.keys(captureShape).sort());
      expect(optionGroup(captureShape, 'Service Details')).toEqual({ title: 'Service Details' });
      // The same choices: "Select service", then the line in the "POSTCODE LOGIN" form.
      expect(optionGroup(body, 'Service')).toEqual(optionGroup(captureShape, 'Service'));
      // The fixture keeps the capture's redacted login and its `hidden` password type; the rest agrees.
      expect(stateless(body).request).toEqual({ control_login: 'test@a', control_password: '(redacted)' });
      expect(stateless(captureShape).request).toEqual({
        control_login: '(redacted)',
        control_password: '(redacted)',
      });
    } finally {
      await one.close();
    }
  });
});
