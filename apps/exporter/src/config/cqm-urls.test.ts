import { describe, expect, it } from 'vitest';
import { type ConfigSources, loadConfig } from './config.ts';
import { cqmUrlProblem } from './cqm-urls.ts';

const P = 'AAISP_EXPORTER_';
const SECRET = 'Ab12Cd34Ef56Gh78';
const URL_1 = `https://control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.csv`;
const URL_2 = `https://control.aa.net.uk/cqmdirect.cgi/${SECRET}x/home2.csv`;
const LOGIN = { [`${P}AUTH__CONTROL_LOGIN`]: 'ab123@a', [`${P}AUTH__CONTROL_PASSWORD`]: 'pw' };

function sources(env: Record<string, string>, files: Record<string, string> = {}): ConfigSources {
  return {
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return text;
    },
  };
}

/** Every problem as one text, to check that no link or secret is in any of them. */
const problemText = (result: ReturnType<typeof loadConfig>): string =>
  result.ok ? '' : result.problems.map((problem) => `${problem.variable}: ${problem.message}`).join('\n');

describe('CQM links in the configuration', () => {
  it('reads CQM__URLS_FILE for the default account: comments, blank lines, tabs and CRLF', () => {
    const file = `# line_id url\r\n\r\n32001 ${URL_1}\r\n32002\t${URL_2}\n`;
    const result = loadConfig(
      sources({ ...LOGIN, [`${P}CQM__URLS_FILE`]: '/run/cqm' }, { '/run/cqm': file }),
    );
    expect(result.ok && result.config.accounts[0]?.cqm).toEqual([
      { lineId: '32001', url: URL_1 },
      { lineId: '32002', url: URL_2 },
    ]);
    expect(result.ok && result.config.intervals.cqmSeconds).toBe(300);
  });

  it('reads cqm: in the accounts file, inline or by url_file', () => {
    const yaml = [
      'accounts:',
      '  - name: home',
      '    control_login: ab123@a',
      '    control_password: pw',
      '    cqm:',
      '      "32001": { url_file: /run/cqm-32001 }',
      `      "32002": { url: "${URL_2}" }`,
    ].join('\n');
    const result = loadConfig(
      sources(
        { [`${P}CONFIG_FILE`]: '/etc/a.yaml' },
        { '/etc/a.yaml': yaml, '/run/cqm-32001': `${URL_1}\n` },
      ),
    );
    expect(result.ok && result.config.accounts[0]?.cqm).toEqual([
      { lineId: '32001', url: URL_1 },
      { lineId: '32002', url: URL_2 },
    ]);
  });

  it('reports each bad line by file and line number, never quoting a link', () => {
    const file = [
      `abc ${URL_1}`,
      `32001 http://control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.csv`,
      `32002 https://control.aa.net.uk/cqmdirect.cgi/${SECRET}/home.png`,
      `32003 ${URL_1} extra`,
      `32004 https://me:${SECRET}@control.aa.net.uk/cqmdirect.cgi/x/home.csv`,
      `32005 ${URL_1}`,
      `32005 ${URL_1}`,
    ].join('\n');
    const result = loadConfig(
      sources({ ...LOGIN, [`${P}CQM__URLS_FILE`]: '/run/cqm' }, { '/run/cqm': file }),
    );
    expect(result.ok ? [] : result.problems).toEqual([
      {
        variable: `${P}CQM__URLS_FILE /run/cqm: line 1`,
        message: 'the line ID must be digits (the A&A line ID, e.g. 32001)',
      },
      {
        variable: `${P}CQM__URLS_FILE /run/cqm: line 2`,
        message: 'the CQM URL of line 32001 must be https:// (plain http:// only for localhost)',
      },
      {
        variable: `${P}CQM__URLS_FILE /run/cqm: line 3`,
        message: 'the CQM URL of line 32002 must be the .csv link (it ends in .csv)',
      },
      {
        variable: `${P}CQM__URLS_FILE /run/cqm: line 4`,
        message: 'expected two fields, `<line_id> <url>` (the text is not shown: it holds a secret)',
      },
      {
        variable: `${P}CQM__URLS_FILE /run/cqm: line 5`,
        message: 'the CQM URL of line 32004 must not carry a user name or password',
      },
      { variable: `${P}CQM__URLS_FILE /run/cqm: line 7`, message: 'line 32005 is listed twice' },
    ]);
    expect(problemText(result)).not.toContain(SECRET);
  });

  it('says what is missing: an unreadable file, no default account, a cqm entry without a link', () => {
    const missing = loadConfig(sources({ ...LOGIN, [`${P}CQM__URLS_FILE`]: '/nope' }));
    expect(problemText(missing)).toBe(`${P}CQM__URLS_FILE: cannot read /nope (ENOENT)`);
    const orphan = loadConfig(
      sources({ [`${P}CQM__URLS_FILE`]: '/run/cqm' }, { '/run/cqm': `32001 ${URL_1}` }),
    );
    expect(problemText(orphan)).toContain(`${P}CQM__URLS_FILE: belongs to the default account`);
    expect(problemText(orphan)).not.toContain(SECRET);
    const yaml =
      'accounts:\n  - name: home\n    control_login: ab123@a\n    control_password: pw\n    cqm:\n      "32001": {}\n';
    const empty = loadConfig(sources({ [`${P}CONFIG_FILE`]: '/a.yaml' }, { '/a.yaml': yaml }));
    expect(problemText(empty)).toBe(
      `${P}CONFIG_FILE /a.yaml: accounts.0.cqm.32001.url: give url_file (or url): the line's CQM CSV link`,
    );
  });

  it('bounds the cqm interval', () => {
    for (const [value, ok] of [
      ['59', false],
      ['60', true],
      ['3600', true],
      ['3601', false],
    ] as const) {
      const result = loadConfig(sources({ ...LOGIN, [`${P}INTERVALS__CQM`]: value }));
      expect(result.ok, value).toBe(ok);
    }
  });

  it('with broadband off and no CQM link, says every collector is disabled; with a link, CQM alone is fine', () => {
    const off = { ...LOGIN, [`${P}COLLECTORS__ENABLE_BROADBAND`]: 'false' };
    expect(problemText(loadConfig(sources(off)))).toContain('every collector is disabled');
    const alone = loadConfig(
      sources({ ...off, [`${P}CQM__URLS_FILE`]: '/run/cqm' }, { '/run/cqm': `32001 ${URL_1}` }),
    );
    expect(alone.ok).toBe(true);
  });
});

describe('cqmUrlProblem', () => {
  it('accepts the A&A form and loopback http; refuses the rest without quoting it', () => {
    expect(cqmUrlProblem(URL_1)).toBeUndefined();
    expect(cqmUrlProblem('http://127.0.0.1:8080/cqmdirect.cgi/x/y.csv')).toBeUndefined();
    expect(cqmUrlProblem(`${URL_1}#frag`)).toBe('must not carry a #fragment');
    expect(cqmUrlProblem(`not a url ${SECRET}`)).not.toContain(SECRET);
  });
});
