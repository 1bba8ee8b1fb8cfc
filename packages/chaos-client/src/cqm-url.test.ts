import { describe, expect, it } from 'vitest';
import { cqmLinkSecrets, cqmUrlScrubber, maskCqmUrl } from './cqm-url.ts';

const SECRET = 's3cr3tS3cr3tS3cr';
const LINK = `https://control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.csv`;

describe('maskCqmUrl', () => {
  it('keeps the host, cqmdirect.cgi and the file name, and masks the secret', () => {
    expect(maskCqmUrl(LINK)).toBe('control.aa.net.uk/cqmdirect.cgi/…/home.csv');
    expect(maskCqmUrl(new URL(LINK))).toBe('control.aa.net.uk/cqmdirect.cgi/…/home.csv');
    expect(maskCqmUrl(`http://127.0.0.1:8080/cqmdirect.cgi/${SECRET}/line32001.csv`)).toBe(
      '127.0.0.1:8080/cqmdirect.cgi/…/line32001.csv',
    );
  });

  it('masks every other segment of an unexpected shape, and drops user info, query and fragment', () => {
    expect(maskCqmUrl(`https://me:pw@fb.example/cqm/${SECRET}/2026-01-20/home.csv?key=${SECRET}#x`)).toBe(
      'fb.example/…/…/…/home.csv',
    );
    expect(maskCqmUrl(`https://control.aa.net.uk/prefix/cqmdirect.cgi/${SECRET}/home.tsv`)).toBe(
      'control.aa.net.uk/…/cqmdirect.cgi/…/home.tsv',
    );
  });

  it('masks a last segment that is not a file name: it may be the secret itself', () => {
    expect(maskCqmUrl(`https://control.aa.net.uk/cqmdirect.cgi/${SECRET}`)).toBe(
      'control.aa.net.uk/cqmdirect.cgi/…',
    );
    expect(maskCqmUrl(`https://control.aa.net.uk/cqmdirect.cgi/${SECRET}/`)).toBe(
      'control.aa.net.uk/cqmdirect.cgi/…',
    );
    expect(maskCqmUrl('https://control.aa.net.uk/')).toBe('control.aa.net.uk');
  });

  it('says only "(not a URL)" for text that does not parse', () => {
    expect(maskCqmUrl(`control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.csv`)).toBe('(not a URL)');
    expect(maskCqmUrl('')).toBe('(not a URL)');
  });
});

describe('cqmUrlScrubber', () => {
  it('replaces the link, however spelt, by its masked form and each secret part by …', () => {
    const scrub = cqmUrlScrubber(new URL(LINK));
    expect(scrub(`GET ${LINK} failed`)).toBe('GET control.aa.net.uk/cqmdirect.cgi/…/home.csv failed');
    expect(scrub(`path /cqmdirect.cgi/${SECRET}/home.csv`)).toBe('path /cqmdirect.cgi/…/home.csv');
    expect(scrub(`"${SECRET}"`)).toBe('"…"');
    expect(scrub('other side closed')).toBe('other side closed');
  });

  it('catches a percent-encoded secret and the link as the caller wrote it', () => {
    const given = 'https://control.aa.net.uk/cqmdirect.cgi/ab cd+ef%2Fgh/home.csv';
    const scrub = cqmUrlScrubber(new URL(given), given);
    // As in the parsed path, decoded, encoded again, and the whole link as given.
    for (const form of ['ab%20cd+ef%2Fgh', 'ab cd+ef/gh', 'ab%20cd%2Bef%2Fgh', given]) {
      expect(scrub(`x ${form} y`)).not.toContain('cd+ef');
    }
  });
});

describe('cqmLinkSecrets', () => {
  it('lists the link, the secret segment and the file name; not cqmdirect.cgi', () => {
    expect(cqmLinkSecrets(LINK)).toEqual({ links: [LINK], parts: [SECRET], fileName: ['home.csv'] });
    expect(cqmLinkSecrets(new URL(LINK))).toEqual({ links: [LINK], parts: [SECRET], fileName: ['home.csv'] });
  });

  it('gives each part and the link as written and decoded, and the parser’s spelling of the link', () => {
    const given = 'https://control.aa.net.uk/cqmdirect.cgi/ab%20cd+ef%2Fgh/My%20Flat.csv';
    expect(cqmLinkSecrets(given)).toEqual({
      links: [given, 'https://control.aa.net.uk/cqmdirect.cgi/ab cd+ef/gh/My Flat.csv'],
      parts: ['ab%20cd+ef%2Fgh', 'ab cd+ef/gh'],
      fileName: ['My%20Flat.csv', 'My Flat.csv'],
    });
    const spaced = 'https://control.aa.net.uk/cqmdirect.cgi/ab cd/home.csv';
    expect(cqmLinkSecrets(spaced).links).toEqual([
      spaced,
      'https://control.aa.net.uk/cqmdirect.cgi/ab%20cd/home.csv',
    ]);
  });

  it('lists every part maskCqmUrl masks: other segments, query, fragment and user info', () => {
    const link = `https://user:pass@fb.example/cqm2/${SECRET}/2026-01-20/home.csv?key=k3y5#frag`;
    expect(cqmLinkSecrets(link).parts).toEqual([
      'cqm2',
      SECRET,
      '2026-01-20',
      'key=k3y5',
      'frag',
      'user',
      'pass',
    ]);
    expect(cqmLinkSecrets(link).fileName).toEqual(['home.csv']);
  });

  it('leaves out forms shorter than 4 characters, even when written longer', () => {
    expect(cqmLinkSecrets('https://control.aa.net.uk/cqmdirect.cgi/ab/%41%42/home.csv').parts).toEqual([
      '%41%42',
    ]);
  });

  it('counts a last segment that is not a file name as secret, and a non-URL as all secret', () => {
    expect(cqmLinkSecrets(`https://control.aa.net.uk/cqmdirect.cgi/${SECRET}`)).toEqual({
      links: [`https://control.aa.net.uk/cqmdirect.cgi/${SECRET}`],
      parts: [SECRET],
      fileName: [],
    });
    expect(cqmLinkSecrets('https://control.aa.net.uk/cqmdirect.cgi').fileName).toEqual([]);
    expect(cqmLinkSecrets(`not a link ${SECRET}`)).toEqual({
      links: [`not a link ${SECRET}`],
      parts: [],
      fileName: [],
    });
  });

  it('leaves nothing of the link in maskCqmUrl’s output', () => {
    const link = `https://fb.example/cqm/${SECRET}/2026-01-20/home.csv?key=k3y5`;
    const { links, parts } = cqmLinkSecrets(link);
    for (const secret of [...links, ...parts]) expect(maskCqmUrl(link)).not.toContain(secret);
  });
});
