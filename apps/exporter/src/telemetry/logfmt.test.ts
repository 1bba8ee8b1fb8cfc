import { describe, expect, it } from 'vitest';
import { encodeLogfmt, logfmtDestination, logfmtKey, logfmtOfJsonLine, logfmtValue } from './logfmt.ts';

describe('logfmtValue', () => {
  it('writes a value bare when nothing in it needs quotes', () => {
    expect(logfmtValue('aaisp-exporter')).toBe('aaisp-exporter');
    expect(logfmtValue('http://0.0.0.0:9099/metrics?x')).toBe('http://0.0.0.0:9099/metrics?x');
    expect(logfmtValue('back\\slash')).toBe('back\\slash');
    expect(logfmtValue('[redacted]')).toBe('[redacted]');
  });

  it.each([
    ['a space', 'exporter listening', '"exporter listening"'],
    ['an equals sign', 'a=b', '"a=b"'],
    ['a double quote', 'say "hi"', '"say \\"hi\\""'],
    ['DEL', 'a\u007fb', '"a\\u007fb"'],
    ['U+FFFD', 'a\ufffdb', '"a\ufffdb"'],
    ['NUL', 'a\u0000b', '"a\\u0000b"'],
    ['a C1 control (NEL)', 'a\u0085b', '"a\\u0085b"'],
    ['a line separator', 'a\u2028b', '"a\\u2028b"'],
  ])('quotes a value holding %s', (_what, value, written) => {
    expect(logfmtValue(value)).toBe(written);
  });

  it('inside quotes escapes backslashes and quotes, and writes newline, return and tab as escapes', () => {
    expect(logfmtValue('C:\\dir "x"\n\r\tend')).toBe('"C:\\\\dir \\"x\\"\\n\\r\\tend"');
    expect(logfmtValue('bell\u0007')).toBe('"bell\\u0007"');
    expect(logfmtValue('esc\u001b[31m')).toBe('"esc\\u001b[31m"');
  });

  it('keeps unicode as it is, and writes a lone surrogate as U+FFFD', () => {
    expect(logfmtValue('café→😀')).toBe('café→😀');
    expect(logfmtValue('Zoë Ørsted')).toBe('"Zoë Ørsted"');
    expect(logfmtValue('half\ud83d')).toBe('"half\ufffd"');
  });

  it('writes an empty string as nothing, and quotes the string "null" apart from null', () => {
    expect(logfmtValue('')).toBe('');
    expect(logfmtValue('null')).toBe('"null"');
  });
});

describe('logfmtKey', () => {
  it('drops what a key cannot hold, and writes an empty key as _', () => {
    expect(logfmtKey('retry in "s" = 3')).toBe('retryins3');
    expect(logfmtKey('line\nbreak')).toBe('linebreak');
    expect(logfmtKey('clé')).toBe('clé');
    expect(logfmtKey(' = ')).toBe('_');
  });
});

describe('encodeLogfmt', () => {
  it('writes each field in order: strings, numbers, booleans, null, empty', () => {
    expect(
      encodeLogfmt({
        msg: 'tier ran',
        lines: 3,
        ratio: 0.25,
        negative: -1,
        ok: true,
        tls: false,
        state: null,
        note: '',
      }),
    ).toBe('msg="tier ran" lines=3 ratio=0.25 negative=-1 ok=true tls=false state=null note=');
  });

  it('flattens nested objects with dots, and writes an empty one as nothing', () => {
    expect(
      encodeLogfmt({
        web: { tls: false, basicAuthUsers: 0 },
        accounts: { added: 'home', kept: { n: 2 } },
        targets: {},
      }),
    ).toBe('web.tls=false web.basicAuthUsers=0 accounts.added=home accounts.kept.n=2 targets=');
  });

  it('comma-joins an array of plain values, quoting the whole when an element needs it', () => {
    expect(encodeLogfmt({ accounts: ['home', 'work'], rows: [3, 7], tiers: [], names: ['a b', 'c'] })).toBe(
      'accounts=home,work rows=3,7 tiers= names="a b,c"',
    );
  });

  it('writes an array one key per element when a joined list could not be split back', () => {
    expect(encodeLogfmt({ reasons: ['bad value, row 3', 'missing'] })).toBe(
      'reasons.0="bad value, row 3" reasons.1=missing',
    );
    expect(encodeLogfmt({ parts: ['', 'x'] })).toBe('parts.0= parts.1=x');
    expect(encodeLogfmt({ maybe: [null, 1] })).toBe('maybe.0=null maybe.1=1');
    expect(
      encodeLogfmt({ problems: [{ variable: 'SERVER__PORT', message: 'must be a whole number' }] }),
    ).toBe('problems.0.variable=SERVER__PORT problems.0.message="must be a whole number"');
  });

  it('never writes a raw newline, whatever the keys and values hold', () => {
    const hostile = {
      'multi\nline\rkey': 'a\nb\rc\u2028d\u2029e\u0085f',
      nested: { deeper: ['x\ny', { z: '\n' }], stack: 'Error: boom\n    at f (file.ts:1:1)' },
    };
    const line = encodeLogfmt(hostile);
    expect(line).not.toMatch(/[\n\r\u2028\u2029\u0085]/u);
    expect(line).toContain('multilinekey="a\\nb\\rc\\u2028d\\u2029e\\u0085f"');
    expect(line).toContain('nested.stack="Error: boom\\n    at f (file.ts:1:1)"');
  });

  it('a quoted value reads back as the original string through JSON, whose escapes these are', () => {
    const original = 'tab\there "quoted" back\\slash\nnew\u0001ctl ünï';
    const written = logfmtValue(original);
    expect(JSON.parse(written)).toBe(original);
  });
});

describe('logfmtOfJsonLine', () => {
  it('puts time, level and msg first, then the rest in their order', () => {
    const json = JSON.stringify({
      level: 'info',
      time: '2026-12-05T06:00:00.000Z',
      service: 'aaisp-exporter',
      url: 'http://0.0.0.0:9099',
      msg: 'exporter listening',
    });
    expect(logfmtOfJsonLine(`${json}\n`)).toBe(
      'time=2026-12-05T06:00:00.000Z level=info msg="exporter listening" service=aaisp-exporter url=http://0.0.0.0:9099\n',
    );
  });

  it('keeps fields named like Object.prototype members', () => {
    expect(logfmtOfJsonLine('{"msg":"m","__proto__":{"x":1},"constructor":"c","toString":2}\n')).toBe(
      'msg=m __proto__.x=1 constructor=c toString=2\n',
    );
  });

  it('passes through a line that is not a JSON object', () => {
    expect(logfmtOfJsonLine('not json\n')).toBe('not json\n');
    expect(logfmtOfJsonLine('[1,2]\n')).toBe('[1,2]\n');
  });
});

describe('logfmtDestination', () => {
  it('writes each JSON line to the destination as one logfmt line', () => {
    const written: string[] = [];
    const destination = logfmtDestination({ write: (line: string) => void written.push(line) });
    destination.write('{"level":"warn","time":"t","msg":"a\\nb","n":1}\n');
    expect(written).toEqual(['time=t level=warn msg="a\\nb" n=1\n']);
  });
});
