import { describe, expect, it } from 'vitest';
import { cqmUrlScrubber, maskCqmUrl } from './cqm-url.ts';

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
