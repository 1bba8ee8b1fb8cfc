import { describe, expect, it } from 'vitest';
import {
  assembleExposition,
  broadbandLines,
  CONTENT_TYPES,
  lineCount,
  lineInfo,
  quotaTotal,
  renderExposition,
  renderSeries,
  syncChanges,
  telephonyRatecard,
} from './index.ts';

const collector = { name: 'tiny', metrics: [lineInfo, syncChanges, lineCount] };

describe('renderExposition', () => {
  it('writes Prometheus text: HELP, TYPE, series, a blank line between families', () => {
    const text = renderExposition(
      [
        {
          collector,
          samples: [
            { metric: lineCount.name, labels: {}, value: 2 },
            { metric: syncChanges.name, labels: { line_id: '1' }, value: 3 },
          ],
        },
      ],
      'text',
    );
    expect(text).toBe(
      [
        `# HELP ${lineInfo.name} ${lineInfo.help}`,
        `# TYPE ${lineInfo.name} gauge`,
        '',
        `# HELP ${syncChanges.name} ${syncChanges.help}`,
        `# TYPE ${syncChanges.name} counter`,
        `${syncChanges.name}{line_id="1"} 3`,
        '',
        `# HELP ${lineCount.name} ${lineCount.help}`,
        `# TYPE ${lineCount.name} gauge`,
        `${lineCount.name} 2`,
        '',
      ].join('\n'),
    );
  });

  it('writes OpenMetrics: counter families without _total, UNIT lines, and # EOF', () => {
    const text = renderExposition(
      [
        {
          collector: { name: 'om', metrics: [syncChanges, quotaTotal] },
          samples: [
            { metric: syncChanges.name, labels: { line_id: '1' }, value: 1 },
            { metric: quotaTotal.name, labels: { line_id: '1' }, value: 1e11 },
          ],
        },
      ],
      'openmetrics',
    );
    expect(text).toBe(
      [
        '# TYPE aaisp_broadband_sync_changes counter',
        `# HELP aaisp_broadband_sync_changes ${syncChanges.help}`,
        'aaisp_broadband_sync_changes_total{line_id="1"} 1',
        '# TYPE aaisp_broadband_quota_total_bytes gauge',
        '# UNIT aaisp_broadband_quota_total_bytes bytes',
        `# HELP aaisp_broadband_quota_total_bytes ${quotaTotal.help}`,
        'aaisp_broadband_quota_total_bytes{line_id="1"} 100000000000',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    const text = renderExposition(
      [
        {
          collector,
          samples: [
            {
              metric: lineInfo.name,
              labels: { line_id: '1', login: 'a@a.1', name: 'say "hi"\\\nbye' },
              value: 1,
            },
          ],
        },
      ],
      'text',
    );
    expect(text).toContain('name="say \\"hi\\"\\\\\\nbye"');
    expect(text.split('\n').filter((line) => line.startsWith(lineInfo.name))).toHaveLength(1);
  });

  it('writes special values the way Prometheus reads them', () => {
    const text = renderExposition(
      [{ collector, samples: [{ metric: lineCount.name, labels: {}, value: Number.NaN }] }],
      'text',
    );
    expect(text).toContain(`${lineCount.name} NaN`);
  });

  it('renders several collectors in order, each family once', () => {
    const text = renderExposition(
      [
        { collector: broadbandLines, samples: [] },
        { collector: telephonyRatecard, samples: [] },
      ],
      'text',
    );
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE'));
    expect(types).toHaveLength(broadbandLines.metrics.length + telephonyRatecard.metrics.length);
  });

  it('merges one snapshot per account into one family each, with the account label', () => {
    const lines = (account: string, id: string) =>
      broadbandLines.collect(
        {
          lines: [{ id, login: `${account}@a.1`, syncDownBps: 1, raw: {} }],
          serviceChoices: [],
          skipped: [],
        },
        { account },
      );
    const text = renderExposition(
      [
        { collector: broadbandLines, samples: lines('home', '1') },
        { collector: broadbandLines, samples: lines('shop', '2') },
      ],
      'text',
    );
    expect(text.match(/^# TYPE aaisp_broadband_sync_download_bits_per_second /gm)).toHaveLength(1);
    expect(text).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="1",account="home"} 1');
    expect(text).toContain('aaisp_broadband_sync_download_bits_per_second{line_id="2",account="shop"} 1');
    expect(text).toContain(
      'aaisp_broadband_lines{account="home"} 1\naaisp_broadband_lines{account="shop"} 1',
    );
  });

  it('names the content type of each format', () => {
    expect(CONTENT_TYPES.text).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(CONTENT_TYPES.openmetrics).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
  });
});

describe('renderSeries and assembleExposition: series rendered once, joined per format', () => {
  const lines = (account: string, id: string) =>
    broadbandLines.collect(
      { lines: [{ id, login: `${account}@a.1`, syncDownBps: 1, raw: {} }], serviceChoices: [], skipped: [] },
      { account },
    );
  const home = { collector: broadbandLines, samples: lines('home', '1') };
  const shop = { collector: broadbandLines, samples: lines('shop', '2') };

  it('merges accounts into one family each, in OpenMetrics, byte for byte', () => {
    const withUnit = { name: 'with_unit', metrics: [syncChanges, quotaTotal, lineCount, lineCount] };
    const a = renderSeries({
      collector: withUnit,
      samples: [
        { metric: lineCount.name, labels: { account: 'a' }, value: 1 },
        { metric: syncChanges.name, labels: { line_id: '1', account: 'a' }, value: 2 },
        { metric: quotaTotal.name, labels: { line_id: '1', account: 'a' }, value: 1e12 },
      ],
    });
    const b = renderSeries({
      collector: withUnit,
      samples: [{ metric: lineCount.name, labels: { account: 'b' }, value: 3 }],
    });
    expect(Buffer.concat(assembleExposition([a, b], 'openmetrics')).toString('utf8')).toBe(
      [
        '# TYPE aaisp_broadband_sync_changes counter',
        "# HELP aaisp_broadband_sync_changes Times the exporter saw the line's download or upload sync rate change (resync detection).",
        'aaisp_broadband_sync_changes_total{line_id="1",account="a"} 2',
        '# TYPE aaisp_broadband_quota_total_bytes gauge',
        '# UNIT aaisp_broadband_quota_total_bytes bytes',
        '# HELP aaisp_broadband_quota_total_bytes Monthly quota allowance in bytes (limited lines only; excludes bonus and top-ups).',
        'aaisp_broadband_quota_total_bytes{line_id="1",account="a"} 1000000000000',
        '# TYPE aaisp_broadband_lines gauge',
        '# HELP aaisp_broadband_lines Broadband lines in the last broadband/info answer.',
        // A collector that lists a metric twice gets its series once.
        'aaisp_broadband_lines{account="a"} 1',
        'aaisp_broadband_lines{account="b"} 3',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('assembles what renderExposition writes, in both formats', () => {
    const series = [renderSeries(home), renderSeries(shop)];
    for (const format of ['text', 'openmetrics'] as const) {
      expect(Buffer.concat(assembleExposition(series, format)).toString('utf8')).toBe(
        renderExposition([home, shop], format),
      );
    }
  });

  it("shares each family's series bytes between the formats, never copying them", () => {
    const series = renderSeries(home);
    const download = series.lines.get('aaisp_broadband_sync_download_bits_per_second');
    expect(download?.toString('utf8')).toBe(
      'aaisp_broadband_sync_download_bits_per_second{line_id="1",account="home"} 1\n',
    );
    expect(assembleExposition([series], 'text')).toContain(download);
    expect(assembleExposition([series], 'openmetrics')).toContain(download);
    let total = 0;
    for (const bytes of series.lines.values()) total += bytes.length;
    expect(series.byteLength).toBe(total);
  });

  it('leaves out samples of metrics the collector does not define, and heads empty families', () => {
    const series = renderSeries({
      collector,
      samples: [
        { metric: quotaTotal.name, labels: {}, value: 1 },
        { metric: lineCount.name, labels: {}, value: 3 },
      ],
    });
    expect([...series.lines.keys()]).toEqual([lineCount.name]);
    const text = Buffer.concat(assembleExposition([series], 'text')).toString('utf8');
    expect(text).not.toContain(quotaTotal.name);
    expect(text).toContain(`# TYPE ${lineInfo.name} gauge\n`);
    expect(text).toContain(`${lineCount.name} 3\n`);
  });
});
