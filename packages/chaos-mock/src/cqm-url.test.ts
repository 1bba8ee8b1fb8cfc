import { describe, expect, it } from 'vitest';
import { CQM_BASE_URL, CQM_COMMAND, cqmName, cqmPath, cqmSecret } from './cqm-url.ts';
import { generateLines } from './lines.ts';

describe('CQM addressing: secret and name from the line ID', () => {
  it('gives every line a 16-character [A-Za-z0-9] secret, the same on every call', () => {
    // Pinned: a change here changes every mock URL a test or demo may have written down.
    expect(cqmSecret('32001')).toBe('PTcVGRjZTRbkpd8i');
    expect(cqmSecret('32002')).toBe('DArN75eh446bx6JU');
    for (const line of generateLines(1000)) {
      expect(cqmSecret(line.info.ID)).toMatch(/^[A-Za-z0-9]{16}$/);
    }
    expect(new Set(generateLines(1000).map((line) => cqmSecret(line.info.ID))).size).toBe(1000);
    expect(cqmSecret('1')).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('names a line line<ID>, at most 12 characters for generated IDs', () => {
    expect(cqmName('32001')).toBe('line32001');
    expect(cqmName(String(32000 + 100_000))).toHaveLength(10);
  });

  it('builds the path cqmdirect.cgi/<secret>/<name>.csv under control.aa.net.uk', () => {
    expect(cqmPath('32001')).toBe('cqmdirect.cgi/PTcVGRjZTRbkpd8i/line32001.csv');
    expect(new URL(cqmPath('32001'), CQM_BASE_URL).href).toBe(
      'https://control.aa.net.uk/cqmdirect.cgi/PTcVGRjZTRbkpd8i/line32001.csv',
    );
    expect(cqmPath('a/b')).toBe(`cqmdirect.cgi/${cqmSecret('a/b')}/linea%2Fb.csv`);
    expect(CQM_COMMAND).toBe('cqm/csv');
  });
});
