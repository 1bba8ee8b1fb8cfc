import { describe, expect, it } from 'vitest';
import { readCommandLine, settingOverrides, subjectAsGiven, unknownFlagMessage } from './flags.ts';

const P = 'AAISP_EXPORTER_';
const read = (...args: string[]) => readCommandLine(args);

describe('readCommandLine', () => {
  it('serves by default, with nothing overridden', () => {
    expect(read()).toEqual({
      ok: true,
      commandLine: {
        command: 'serve',
        demo: false,
        checkConfig: false,
        help: false,
        version: false,
        out: undefined,
        overrides: {},
      },
    });
  });

  it('turns each setting flag into its variables, in both spellings of a value', () => {
    const result = read(
      '--web.listen-address',
      '127.0.0.1:9100',
      '--web.config.file=web.yml',
      '--web.enable-lifecycle',
      '--config.file=accounts.yml',
      '--log.level=debug',
      '--log.format',
      'json',
    );
    expect(result.ok && result.commandLine.overrides).toEqual({
      [`${P}SERVER__HOST`]: '127.0.0.1',
      [`${P}SERVER__PORT`]: '9100',
      [`${P}WEB__CONFIG_FILE`]: 'web.yml',
      [`${P}WEB__ENABLE_LIFECYCLE`]: 'true',
      [`${P}CONFIG_FILE`]: 'accounts.yml',
      [`${P}LOGGING__LEVEL`]: 'debug',
      [`${P}LOGGING__FORMAT`]: 'json',
      // --log.format wins over the older switch too: set empty, which reads as unset.
      [`${P}LOGGING__JSON`]: '',
    });
  });

  it.each([
    [':9099', '0.0.0.0', '9099'],
    ['localhost:80', 'localhost', '80'],
    ['[::1]:9099', '::1', '9099'],
    ['[::]:0', '::', '0'],
  ])('reads the listen address %s as host %s, port %s', (address, host, port) => {
    const result = read(`--web.listen-address=${address}`);
    expect(result.ok && result.commandLine.overrides).toEqual({
      [`${P}SERVER__HOST`]: host,
      [`${P}SERVER__PORT`]: port,
    });
  });

  it.each(['9099', '::1:9099', 'host:', '[::1]9099'])(
    'refuses the listen address %s in one line',
    (address) => {
      expect(read(`--web.listen-address=${address}`)).toEqual({
        ok: false,
        message: '--web.listen-address must be [HOST]:PORT, e.g. :9099, 127.0.0.1:9099 or [::1]:9099',
      });
    },
  );

  it('turns an on/off flag off with --no-', () => {
    const result = read('--no-web.enable-lifecycle');
    expect(result.ok && result.commandLine.overrides).toEqual({ [`${P}WEB__ENABLE_LIFECYCLE`]: 'false' });
  });

  it('reads the command flags and record --out', () => {
    const result = read('record', '--demo', '--out', 'report');
    expect(result.ok && result.commandLine).toMatchObject({ command: 'record', demo: true, out: 'report' });
    expect(read('-h').ok && read('-v').ok).toBe(true);
    expect(read('--check-config')).toMatchObject({ ok: true, commandLine: { checkConfig: true } });
  });

  it.each([
    [['--log.level'], '--log.level needs a value, e.g. --log.level=LEVEL'],
    [['--demo=yes'], '--demo takes no value'],
    [['--log.level', '--demo'], '--log.level needs a value, e.g. --log.level=LEVEL'],
    [['--config.file='], '--config.file needs a value, e.g. --config.file=FILE'],
    [['--no-log.level'], '--no-log.level: --log.level takes a value, e.g. --log.level=LEVEL'],
    [['-h=1'], 'unknown flag -h=1; see aaisp-exporter --help'],
    [
      ['--web.enable-lifecycle=false'],
      '--web.enable-lifecycle takes no value (--no-web.enable-lifecycle turns it off)',
    ],
    [['recrod'], 'unknown command recrod; the only command is record'],
    [['record'], 'record needs --out DIR'],
    [['--out', 'x'], '--out is for record'],
    [['--web.listen-adress=:1'], 'unknown flag --web.listen-adress; did you mean --web.listen-address?'],
  ])('refuses %j in one line', (args, message) => {
    expect(read(...args)).toEqual({ ok: false, message });
  });
});

describe('unknownFlagMessage', () => {
  const message = (flag: string) => unknownFlagMessage(flag);

  it('names the nearest flag', () => {
    expect(message('--log-level')).toBe('unknown flag --log-level; did you mean --log.level?');
    expect(message('--config')).toBe('unknown flag --config; did you mean --config.file?');
    expect(message('--listen-address')).toBe(
      'unknown flag --listen-address; did you mean --web.listen-address?',
    );
  });

  it('names the flag that sets the nearest variable, or the variable when none does', () => {
    expect(message('--port')).toBe(
      `unknown flag --port; did you mean --web.listen-address (it sets ${P}SERVER__PORT)?`,
    );
    expect(message('--intervals.slow')).toBe(
      `unknown flag --intervals.slow; did you mean the variable ${P}INTERVALS__SLOW? (it has no flag; see aaisp-exporter --help)`,
    );
  });

  it('guesses nothing when nothing is close', () => {
    expect(message('--xyzzy')).toBe('unknown flag --xyzzy; see aaisp-exporter --help');
  });
});

describe('settingOverrides and subjectAsGiven', () => {
  it('put a flag over its variable and name the flag in problems', () => {
    const env = { [`${P}LOGGING__LEVEL`]: 'warn', OTHER: 'x' };
    const overrides = { [`${P}LOGGING__LEVEL`]: 'debug' };
    expect(settingOverrides(env, { overrides })).toEqual({ [`${P}LOGGING__LEVEL`]: 'debug', OTHER: 'x' });
    // --log.format wins over the older switch too, whatever it says.
    const json = { [`${P}LOGGING__JSON`]: 'true', OTHER: 'x' };
    const format = read('--log.format=logfmt');
    expect(format.ok && settingOverrides(json, format.commandLine)).toEqual({
      [`${P}LOGGING__FORMAT`]: 'logfmt',
      [`${P}LOGGING__JSON`]: '',
      OTHER: 'x',
    });
    const given = { [`${P}LOGGING__LEVEL`]: 'debug', [`${P}WEB__CONFIG_FILE`]: 'web.yml' };
    expect(subjectAsGiven(`${P}LOGGING__LEVEL`, given)).toBe('--log.level');
    expect(subjectAsGiven(`${P}WEB__CONFIG_FILE web.yml: tls_server_config`, given)).toBe(
      '--web.config.file web.yml: tls_server_config',
    );
    expect(subjectAsGiven(`${P}LOGGING__LEVELS`, given)).toBe(`${P}LOGGING__LEVELS`);
  });
});
