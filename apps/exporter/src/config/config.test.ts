import { describe, expect, it } from 'vitest';
import { type ConfigSources, loadConfig } from './config.ts';

const SECRET = 'pa55-Very-Secret';
const P = 'AAISP_EXPORTER_';

/** Sources with an in-memory file system: a missing file fails like fs does. */
function sources(
  env: Record<string, string>,
  files: Record<string, string> = {},
  demo = false,
): ConfigSources {
  return {
    env,
    demo,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined)
        throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
  };
}

/** A syntactically valid bcrypt hash (cost 10). */
const HASH = '$2y$10$Q2jqHKYGTd/wUr5WYfCrF.GNm8AAZ/.WEXEWb12fn5GDcLskibE3a';
const WEB = `${P}WEB__CONFIG_FILE`;

const LOGIN = { [`${P}AUTH__CONTROL_LOGIN`]: 'ab123@a', [`${P}AUTH__CONTROL_PASSWORD`]: SECRET };

describe('loadConfig: good configurations', () => {
  it('applies the original design’s defaults', () => {
    const result = loadConfig(sources(LOGIN));
    expect(result).toEqual({
      ok: true,
      config: {
        accounts: [{ name: 'default', auth: { controlLogin: 'ab123@a', controlPassword: SECRET } }],
        server: { host: '0.0.0.0', port: 9099, enableLifecycle: false },
        state: {},
        logging: { level: 'info', format: 'logfmt' },
        intervals: { fastSeconds: 60, mediumSeconds: 300, slowSeconds: 900, cqmSeconds: 300 },
        api: { baseUrl: 'https://chaos2.aa.net.uk', timeoutSeconds: 30, maxRetries: 3, concurrencyLimit: 5 },
        collectors: {
          enabled: { broadband: true, telephony: false, login: false, cqm: true },
          includePostcode: false,
        },
        web: { headers: {}, healthOpen: false },
      },
    });
  });

  it('reads every variable', () => {
    const result = loadConfig(
      sources({
        ...LOGIN,
        [`${P}SERVER__HOST`]: '127.0.0.1',
        [`${P}SERVER__PORT`]: '9100',
        [`${P}LOGGING__LEVEL`]: 'DEBUG',
        [`${P}LOGGING__JSON`]: 'true',
        [`${P}INTERVALS__FAST`]: '30',
        [`${P}INTERVALS__MEDIUM`]: '120',
        [`${P}INTERVALS__SLOW`]: '600',
        [`${P}API__BASE_URL`]: 'http://127.0.0.1:8080/',
        [`${P}API__TIMEOUT`]: '10',
        [`${P}API__MAX_RETRIES`]: '0',
        [`${P}API__CONCURRENCY_LIMIT`]: '2',
        [`${P}COLLECTORS__ENABLE_TELEPHONY`]: 'yes',
        [`${P}COLLECTORS__ENABLE_LOGIN`]: '1',
        [`${P}COLLECTORS__INCLUDE_POSTCODE`]: 'on',
        [`${P}WEB__ENABLE_LIFECYCLE`]: 'true',
        [`${P}STATE__DIR`]: ' /var/lib/aaisp-exporter ',
      }),
    );
    expect(result.ok && result.config).toMatchObject({
      server: { host: '127.0.0.1', port: 9100, enableLifecycle: true },
      state: { dir: '/var/lib/aaisp-exporter' },
      logging: { level: 'debug', format: 'json' },
      intervals: { fastSeconds: 30, mediumSeconds: 120, slowSeconds: 600, cqmSeconds: 300 },
      api: { baseUrl: 'http://127.0.0.1:8080/', timeoutSeconds: 10, maxRetries: 0, concurrencyLimit: 2 },
      collectors: { enabled: { broadband: true, telephony: true, login: true }, includePostcode: true },
    });
  });

  it.each([
    ['nothing set', {}, 'logfmt'],
    ['LOGGING__FORMAT=json', { [`${P}LOGGING__FORMAT`]: 'JSON' }, 'json'],
    ['LOGGING__FORMAT=logfmt', { [`${P}LOGGING__FORMAT`]: 'logfmt' }, 'logfmt'],
    ['the older LOGGING__JSON=true', { [`${P}LOGGING__JSON`]: 'true' }, 'json'],
    ['LOGGING__JSON=false', { [`${P}LOGGING__JSON`]: 'false' }, 'logfmt'],
    ['both, agreeing', { [`${P}LOGGING__JSON`]: 'yes', [`${P}LOGGING__FORMAT`]: 'json' }, 'json'],
    [
      'LOGGING__JSON=false, the old default, beside LOGGING__FORMAT=json',
      { [`${P}LOGGING__JSON`]: 'false', [`${P}LOGGING__FORMAT`]: 'json' },
      'json',
    ],
  ])('logs in %s → %s', (_, env, format) => {
    const result = loadConfig(sources({ ...LOGIN, ...env }));
    expect(result.ok && result.config.logging.format).toBe(format);
  });

  it('refuses LOGGING__FORMAT and LOGGING__JSON asking for different formats', () => {
    const result = loadConfig(
      sources({ ...LOGIN, [`${P}LOGGING__JSON`]: 'true', [`${P}LOGGING__FORMAT`]: 'logfmt' }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          variable: `${P}LOGGING__JSON`,
          message: `is true but ${P}LOGGING__FORMAT is logfmt: set only LOGGING__FORMAT`,
        },
      ],
    });
  });

  it('reads passwords from *_PASSWORD_FILE, without the trailing newline', () => {
    const result = loadConfig(
      sources(
        { [`${P}AUTH__CONTROL_LOGIN`]: 'ab123@a', [`${P}AUTH__CONTROL_PASSWORD_FILE`]: '/run/secrets/chaos' },
        { '/run/secrets/chaos': `${SECRET}\n` },
      ),
    );
    expect(result.ok && result.config.accounts).toEqual([
      { name: 'default', auth: { controlLogin: 'ab123@a', controlPassword: SECRET } },
    ]);
  });

  it('takes account-number credentials, with the control login alongside', () => {
    const result = loadConfig(
      sources({
        [`${P}AUTH__ACCOUNT_NUMBER`]: 'A1234A',
        [`${P}AUTH__ACCOUNT_PASSWORD`]: SECRET,
        [`${P}AUTH__CONTROL_LOGIN`]: 'ab123@a',
      }),
    );
    expect(result.ok && result.config.accounts[0]?.auth).toEqual({
      accountNumber: 'A1234A',
      accountPassword: SECRET,
      controlLogin: 'ab123@a',
    });
  });

  it('lists several named accounts from the YAML file, beside the default one', () => {
    const yaml = [
      'accounts:',
      '  - name: shop',
      '    control_login: shop@a',
      '    control_password_file: /run/secrets/shop',
      '  - name: mum',
      '    account_number: A9999A',
      `    account_password: ${SECRET}`,
    ].join('\n');
    const result = loadConfig(
      sources(
        { ...LOGIN, [`${P}CONFIG_FILE`]: '/etc/aaisp.yaml' },
        { '/etc/aaisp.yaml': yaml, '/run/secrets/shop': 'x\n' },
      ),
    );
    expect(result.ok && result.config.accounts.map((account) => account.name)).toEqual([
      'default',
      'shop',
      'mum',
    ]);
  });

  it('reads the web-config file and WEB__HEALTH_OPEN', () => {
    const result = loadConfig(
      sources(
        { ...LOGIN, [`${P}WEB__CONFIG_FILE`]: '/web/users.yml', [`${P}WEB__HEALTH_OPEN`]: 'true' },
        { '/web/users.yml': `basic_auth_users:\n  prometheus: ${HASH}\n` },
      ),
    );
    expect(result.ok && result.config.web).toEqual({
      basicAuthUsers: new Map([['prometheus', HASH]]),
      headers: {},
      healthOpen: true,
    });
  });

  it('reads the shard pair; without it there is no shard', () => {
    const sharded = loadConfig(sources({ ...LOGIN, [`${P}SHARD__INDEX`]: '2', [`${P}SHARD__COUNT`]: ' 3 ' }));
    expect(sharded.ok && sharded.config.shard).toEqual({ index: 2, count: 3 });
    const single = loadConfig(sources({ ...LOGIN, [`${P}SHARD__INDEX`]: '0', [`${P}SHARD__COUNT`]: '1' }));
    expect(single.ok && single.config.shard).toEqual({ index: 0, count: 1 });
    const unsharded = loadConfig(sources({ ...LOGIN, [`${P}SHARD__INDEX`]: '', [`${P}SHARD__COUNT`]: '' }));
    expect(unsharded.ok && 'shard' in unsharded.config).toBe(false);
  });

  it('accepts a shard count above the number of accounts (that shard serves nothing)', () => {
    const result = loadConfig(
      sources({ ...LOGIN, [`${P}SHARD__INDEX`]: '999', [`${P}SHARD__COUNT`]: '1000' }),
    );
    expect(result.ok && result.config.shard).toEqual({ index: 999, count: 1000 });
  });

  it('needs no credentials in demo mode', () => {
    const result = loadConfig(sources({}, {}, true));
    expect(result.ok && result.config.accounts).toEqual([]);
  });
});

/** Each bad input, and the one variable its problem must name. */
const BAD: readonly [string, Record<string, string>, string, RegExp][] = [
  ['no credentials at all', {}, 'AUTH__CONTROL_LOGIN', /credentials are required/],
  ['a missing password', { [`${P}AUTH__CONTROL_LOGIN`]: 'ab123@a' }, 'AUTH__CONTROL_PASSWORD', /required/],
  ['a password without login', { [`${P}AUTH__CONTROL_PASSWORD`]: SECRET }, 'AUTH__CONTROL_LOGIN', /required/],
  [
    'a login that is not a control login',
    { ...LOGIN, [`${P}AUTH__CONTROL_LOGIN`]: 'ab123' },
    'AUTH__CONTROL_LOGIN',
    /ab123@a/,
  ],
  ['half an account pair', { [`${P}AUTH__ACCOUNT_NUMBER`]: 'A1234A' }, 'AUTH__ACCOUNT_PASSWORD', /required/],
  [
    'both auth modes half set',
    { [`${P}AUTH__CONTROL_PASSWORD`]: SECRET, [`${P}AUTH__ACCOUNT_PASSWORD`]: SECRET },
    'AUTH__ACCOUNT_NUMBER',
    /required/,
  ],
  [
    'both a password and its file',
    { ...LOGIN, [`${P}AUTH__CONTROL_PASSWORD_FILE`]: '/s' },
    'AUTH__CONTROL_PASSWORD',
    /not both/,
  ],
  [
    'an unreadable password file',
    { [`${P}AUTH__CONTROL_LOGIN`]: 'a@a', [`${P}AUTH__CONTROL_PASSWORD_FILE`]: '/nope' },
    'AUTH__CONTROL_PASSWORD_FILE',
    /cannot read \/nope \(ENOENT\)/,
  ],
  [
    'an empty password file',
    { [`${P}AUTH__CONTROL_LOGIN`]: 'a@a', [`${P}AUTH__CONTROL_PASSWORD_FILE`]: '/empty' },
    'AUTH__CONTROL_PASSWORD_FILE',
    /empty/,
  ],
  [
    'a non-numeric interval',
    { ...LOGIN, [`${P}INTERVALS__FAST`]: 'soon' },
    'INTERVALS__FAST',
    /^must be a whole number of seconds from 10 to 3600$/,
  ],
  [
    'a fast interval below 10 s',
    { ...LOGIN, [`${P}INTERVALS__FAST`]: '5' },
    'INTERVALS__FAST',
    /from 10 to 3600$/,
  ],
  [
    'a medium interval above an hour',
    { ...LOGIN, [`${P}INTERVALS__MEDIUM`]: '7200' },
    'INTERVALS__MEDIUM',
    /from 60 to 3600$/,
  ],
  [
    'a slow interval below 300 s',
    { ...LOGIN, [`${P}INTERVALS__SLOW`]: '60' },
    'INTERVALS__SLOW',
    /from 300 to 7200$/,
  ],
  [
    'a line login instead of the control login',
    { ...LOGIN, [`${P}AUTH__CONTROL_LOGIN`]: 'ab123@a.1' },
    'AUTH__CONTROL_LOGIN',
    /line login/,
  ],
  [
    'a base URL with credentials',
    { ...LOGIN, [`${P}API__BASE_URL`]: 'https://u:p@chaos2.aa.net.uk/' },
    'API__BASE_URL',
    /must not carry credentials/,
  ],
  [
    'every collector disabled',
    { ...LOGIN, [`${P}COLLECTORS__ENABLE_BROADBAND`]: 'false' },
    'COLLECTORS__ENABLE_BROADBAND',
    /every collector is disabled/,
  ],
  ['a port out of range', { ...LOGIN, [`${P}SERVER__PORT`]: '70000' }, 'SERVER__PORT', /from 0 to 65535$/],
  [
    'a medium tier faster than the fast one',
    { ...LOGIN, [`${P}INTERVALS__FAST`]: '3600', [`${P}INTERVALS__MEDIUM`]: '60' },
    'INTERVALS__MEDIUM',
    /must not be shorter than AAISP_EXPORTER_INTERVALS__FAST \(3600 s\)/,
  ],
  [
    'a slow tier faster than the medium one',
    { ...LOGIN, [`${P}INTERVALS__MEDIUM`]: '3600', [`${P}INTERVALS__SLOW`]: '600' },
    'INTERVALS__SLOW',
    /must not be shorter than AAISP_EXPORTER_INTERVALS__MEDIUM \(3600 s\)/,
  ],
  ['a negative port', { ...LOGIN, [`${P}SERVER__PORT`]: '-1' }, 'SERVER__PORT', /whole number/],
  ['an unknown log level', { ...LOGIN, [`${P}LOGGING__LEVEL`]: 'loud' }, 'LOGGING__LEVEL', /one of fatal/],
  [
    'a boolean that is not one',
    { ...LOGIN, [`${P}LOGGING__JSON`]: 'maybe' },
    'LOGGING__JSON',
    /true or false/,
  ],
  [
    'a base URL that is not a URL',
    { ...LOGIN, [`${P}API__BASE_URL`]: 'chaos' },
    'API__BASE_URL',
    /must be a URL/,
  ],
  [
    'a plain-http base URL to another host',
    { ...LOGIN, [`${P}API__BASE_URL`]: 'http://chaos2.aa.net.uk' },
    'API__BASE_URL',
    /https/,
  ],
  [
    'a zero concurrency limit',
    { ...LOGIN, [`${P}API__CONCURRENCY_LIMIT`]: '0' },
    'API__CONCURRENCY_LIMIT',
    /from 1 to 100$/,
  ],
  ['too many retries', { ...LOGIN, [`${P}API__MAX_RETRIES`]: '50' }, 'API__MAX_RETRIES', /from 0 to 10$/],
  [
    'an unreadable config file',
    { ...LOGIN, [`${P}CONFIG_FILE`]: '/missing.yaml' },
    'CONFIG_FILE',
    /cannot read \/missing.yaml/,
  ],
  [
    'invalid YAML',
    { ...LOGIN, [`${P}CONFIG_FILE`]: '/bad.yaml' },
    'CONFIG_FILE',
    /^\/bad.yaml line 3, column 23: unclosed double-quoted string$/,
  ],
  [
    'a YAML account without credentials',
    { [`${P}CONFIG_FILE`]: '/nocreds.yaml' },
    'CONFIG_FILE /nocreds.yaml: accounts.0.name',
    /no credentials/,
  ],
  [
    'a YAML account with a bad name',
    { [`${P}CONFIG_FILE`]: '/badname.yaml' },
    'CONFIG_FILE /badname.yaml: accounts.0.name',
    /letters, digits/,
  ],
  [
    'an account name used twice',
    { ...LOGIN, [`${P}CONFIG_FILE`]: '/twice.yaml' },
    'CONFIG_FILE',
    /default is used twice/,
  ],
  ['an unreadable web-config file', { ...LOGIN, [WEB]: '/web/nope.yml' }, 'WEB__CONFIG_FILE', /cannot read/],
  [
    'an unknown web-config key',
    { ...LOGIN, [WEB]: '/web/unknown.yml' },
    'WEB__CONFIG_FILE /web/unknown.yml: tls_server_config.certfile',
    /not a web-config key/,
  ],
  [
    'a web-config certificate without a key',
    { ...LOGIN, [WEB]: '/web/nokey.yml' },
    'WEB__CONFIG_FILE /web/nokey.yml: tls_server_config.key_file',
    /required/,
  ],
  [
    'an unreadable certificate file',
    { ...LOGIN, [WEB]: '/web/nocert.yml' },
    'WEB__CONFIG_FILE /web/nocert.yml: tls_server_config.cert_file',
    /^cannot read \/web\/missing.pem \(ENOENT\)$/,
  ],
  [
    'an unknown client_auth_type',
    { ...LOGIN, [WEB]: '/web/clientauth.yml' },
    'WEB__CONFIG_FILE /web/clientauth.yml: tls_server_config.client_auth_type',
    /must be one of NoClientCert/,
  ],
  [
    'an unknown min_version',
    { ...LOGIN, [WEB]: '/web/version.yml' },
    'WEB__CONFIG_FILE /web/version.yml: tls_server_config.min_version',
    /must be one of TLS10, TLS11, TLS12, TLS13/,
  ],
  [
    'a password where a bcrypt hash belongs',
    { ...LOGIN, [WEB]: '/web/plain.yml' },
    'WEB__CONFIG_FILE /web/plain.yml: basic_auth_users.alice',
    /bcrypt hash/,
  ],
  [
    'invalid web-config YAML',
    { ...LOGIN, [WEB]: '/web/broken.yml' },
    'WEB__CONFIG_FILE',
    /^\/web\/broken.yml line 2, column 10: unclosed double-quoted string$/,
  ],
  [
    'cipher_suites in the web-config file',
    { ...LOGIN, [WEB]: '/web/ciphers.yml' },
    'WEB__CONFIG_FILE /web/ciphers.yml: tls_server_config.cipher_suites',
    /not supported by aaisp-exporter/,
  ],
  [
    'RequireAndVerifyClientCert without client_ca_file',
    { ...LOGIN, [WEB]: '/web/noca.yml' },
    'WEB__CONFIG_FILE /web/noca.yml: tls_server_config.client_ca_file',
    /required with client_auth_type RequireAndVerifyClientCert/,
  ],
  [
    'a shard index without a count',
    { ...LOGIN, [`${P}SHARD__INDEX`]: '0' },
    'SHARD__COUNT',
    /set both or neither/,
  ],
  [
    'a shard count without an index',
    { ...LOGIN, [`${P}SHARD__COUNT`]: '2' },
    'SHARD__INDEX',
    /set both or neither/,
  ],
  [
    'a shard index equal to the count',
    { ...LOGIN, [`${P}SHARD__INDEX`]: '2', [`${P}SHARD__COUNT`]: '2' },
    'SHARD__INDEX',
    /^must be below AAISP_EXPORTER_SHARD__COUNT \(2\): shards are numbered 0 to 1$/,
  ],
  [
    'a negative shard index',
    { ...LOGIN, [`${P}SHARD__INDEX`]: '-1', [`${P}SHARD__COUNT`]: '2' },
    'SHARD__INDEX',
    /whole number/,
  ],
  [
    'a fractional shard count',
    { ...LOGIN, [`${P}SHARD__INDEX`]: '0', [`${P}SHARD__COUNT`]: '1.5' },
    'SHARD__COUNT',
    /whole number/,
  ],
  [
    'a shard count of 0',
    { ...LOGIN, [`${P}SHARD__INDEX`]: '0', [`${P}SHARD__COUNT`]: '0' },
    'SHARD__COUNT',
    /from 1 to 1000$/,
  ],
  [
    'a shard count above 1000',
    { ...LOGIN, [`${P}SHARD__INDEX`]: '0', [`${P}SHARD__COUNT`]: '1001' },
    'SHARD__COUNT',
    /from 1 to 1000$/,
  ],
  [
    'a WEB__HEALTH_OPEN that is not a boolean',
    { ...LOGIN, [`${P}WEB__HEALTH_OPEN`]: 'sometimes' },
    'WEB__HEALTH_OPEN',
    /true or false/,
  ],
];

/** A TLS section with readable (if fake) files, plus `extra` lines. */
const tlsYaml = (extra: string): string =>
  `tls_server_config:\n  cert_file: /web/cert.pem\n  key_file: /web/key.pem\n${extra}`;

const FILES: Record<string, string> = {
  '/empty': '\n',
  '/bad.yaml': `accounts:\n  - name: x\n    control_password: "${SECRET}\n  bad: [`,
  '/nocreds.yaml': 'accounts:\n  - name: lonely\n',
  '/badname.yaml': `accounts:\n  - name: "has space"\n    control_login: a@a\n    control_password: ${SECRET}\n`,
  '/twice.yaml': `accounts:\n  - name: default\n    control_login: b@a\n    control_password: ${SECRET}\n`,
  '/web/cert.pem': 'not read that far\n',
  '/web/key.pem': `${SECRET}\n`,
  '/web/unknown.yml': tlsYaml('  certfile: /web/cert.pem\n'),
  '/web/nokey.yml': 'tls_server_config:\n  cert_file: /web/cert.pem\n',
  '/web/nocert.yml': 'tls_server_config:\n  cert_file: /web/missing.pem\n  key_file: /web/key.pem\n',
  '/web/clientauth.yml': tlsYaml('  client_auth_type: Always\n'),
  '/web/version.yml': tlsYaml('  min_version: TLSv1.2\n'),
  '/web/plain.yml': `basic_auth_users:\n  alice: ${SECRET}\n`,
  '/web/broken.yml': `basic_auth_users:\n  alice: "${SECRET}\n  bob: [`,
  '/web/ciphers.yml': tlsYaml('  cipher_suites: [TLS_AES_128_GCM_SHA256]\n'),
  '/web/noca.yml': tlsYaml('  client_auth_type: RequireAndVerifyClientCert\n'),
};

describe('loadConfig: bad configurations', () => {
  it.each(BAD)('%s: names the variable, says why, never echoes a secret', (_title, env, variable, why) => {
    const result = loadConfig(sources(env, FILES));
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const problem = problems.find((entry) => entry.variable === `${P}${variable}`);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.message).toMatch(why);
    expect(JSON.stringify(problems)).not.toContain(SECRET);
  });

  it('reports every problem at once', () => {
    const result = loadConfig(
      sources({
        ...LOGIN,
        [`${P}SERVER__PORT`]: '65536',
        [`${P}INTERVALS__FAST`]: 'x',
        [`${P}LOGGING__LEVEL`]: 'loud',
      }),
    );
    expect(result.ok ? [] : result.problems.map((problem) => problem.variable)).toEqual([
      `${P}SERVER__PORT`,
      `${P}LOGGING__LEVEL`,
      `${P}INTERVALS__FAST`,
    ]);
  });

  it('reports a half-set shard pair beside other problems', () => {
    const result = loadConfig(sources({ ...LOGIN, [`${P}SERVER__PORT`]: 'x', [`${P}SHARD__INDEX`]: '1' }));
    expect(result.ok ? [] : result.problems).toEqual([
      { variable: `${P}SERVER__PORT`, message: 'must be a whole number from 0 to 65535' },
      {
        variable: `${P}SHARD__COUNT`,
        message: `is required with ${P}SHARD__INDEX: set both or neither`,
      },
    ]);
  });

  it('reports an index past the count beside a disabled collector set', () => {
    const result = loadConfig(
      sources({
        ...LOGIN,
        [`${P}COLLECTORS__ENABLE_BROADBAND`]: 'off',
        [`${P}SHARD__INDEX`]: '3',
        [`${P}SHARD__COUNT`]: '3',
      }),
    );
    expect(result.ok ? [] : result.problems.map((problem) => problem.variable)).toEqual([
      `${P}COLLECTORS__ENABLE_BROADBAND`,
      `${P}SHARD__INDEX`,
    ]);
  });
});
