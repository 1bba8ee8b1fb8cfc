/**
 * deploy/grafana/aaisp-dashboard.json: every panel queries only metrics the exporter exposes (or
 * recording rules of deploy/prometheus/rules.yml), uses the templated data source, filters by the
 * account and line variables, and its queries parse and return the right lines in single- and
 * multi-account mode (evaluated by promtool on synthetic series).
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import * as z from 'zod';
import { REPO_ROOT, readRepoFile } from '../../harness/repo.ts';
import { isCatalogSeries, metricCatalog, recordNames, usedNames } from './catalog.ts';
import { promtool } from './promtool.ts';

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
const DATASOURCE_UID = '${datasource}';
const DATASOURCE = { type: 'prometheus', uid: DATASOURCE_UID };
const ACCOUNT_MATCHER = 'account=~"$account|"';
const LINE_MATCHER = 'line_id=~"$line"';

const DataSourceRef = z.object({ type: z.string(), uid: z.string() });
const Target = z.object({ refId: z.string(), expr: z.string(), datasource: DataSourceRef });
const Panel = z.object({
  id: z.number(),
  type: z.string(),
  title: z.string(),
  description: z.string().optional(),
  datasource: DataSourceRef.optional(),
  gridPos: z.object({ h: z.number(), w: z.number(), x: z.number(), y: z.number() }),
  targets: z.array(Target).optional(),
  panels: z.array(z.unknown()).optional(),
  fieldConfig: z.object({ defaults: z.object({ unit: z.string().optional() }) }).optional(),
});
const Variable = z.object({
  name: z.string(),
  type: z.string(),
  query: z.union([z.string(), z.object({ query: z.string() })]),
  datasource: DataSourceRef.optional(),
  includeAll: z.boolean().optional(),
  allValue: z.string().optional(),
  multi: z.boolean().optional(),
});
const Dashboard = z.object({
  uid: z.string(),
  title: z.string(),
  schemaVersion: z.number(),
  panels: z.array(Panel),
  templating: z.object({ list: z.array(Variable) }),
});

const raw: unknown = JSON.parse(readRepoFile('deploy/grafana/aaisp-dashboard.json'));
const dashboard = Dashboard.parse(raw);
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));
const variable = (name: string) => dashboard.templating.list.find((entry) => entry.name === name);
const variableQuery = (name: string): string => {
  const query = variable(name)?.query ?? '';
  return typeof query === 'string' ? query : query.query;
};

const catalog = metricCatalog();
const records = recordNames();

/** Metrics, from the catalog, whose series are per line (they carry `line_id`). */
const perLine = new Set([...catalog.values()].filter((m) => m.labels.includes('line_id')).map((m) => m.name));
/** Whether a metric or recording-rule name is per line (a rule is named after its input metric). */
const isPerLine = (name: string): boolean =>
  perLine.has(name) || perLine.has(name.replace(/^aaisp:([a-z0-9_]+):[a-z0-9_]+$/, 'aaisp_$1'));

/**
 * Replaces Grafana's variables the way Grafana does for a Prometheus query: `$name` or `${name}`
 * by `values[name]`. An unknown variable fails the test.
 */
function interpolate(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g, (_, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`unknown Grafana variable $${name} in ${expr}`);
    return value;
  });
}

describe('the dashboard JSON', () => {
  it('is a schema 39 dashboard with a stable uid', () => {
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.uid).toBe('aaisp-broadband');
    expect(panels.length).toBe(22);
  });

  it('uses a templated Prometheus data source, never a hard-coded uid', () => {
    expect(variable('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    // Every data source reference anywhere in the JSON: panels, targets, variables, annotations.
    const uids: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'datasource' && value !== null && typeof value === 'object' && 'uid' in value)
            uids.push(String(value.uid));
          walk(value);
        }
      }
    };
    walk(raw);
    // Grafana's own annotation source is the one exception.
    expect(new Set(uids)).toEqual(new Set([DATASOURCE_UID, '-- Grafana --']));
    for (const { panel, target } of targets) {
      expect(panel.datasource, panel.title).toEqual(DATASOURCE);
      expect(target.datasource, panel.title).toEqual(DATASOURCE);
    }
  });

  it('has the account and line variables, multi-valued with All as .*', () => {
    expect(variableQuery('account')).toBe('label_values(aaisp_broadband_line_info, account)');
    expect(variableQuery('line')).toBe(
      `label_values(aaisp_broadband_line_info{${ACCOUNT_MATCHER}}, line_id)`,
    );
    for (const name of ['account', 'line']) {
      expect(variable(name), name).toMatchObject({
        type: 'query',
        datasource: DATASOURCE,
        includeAll: true,
        allValue: '.*',
        multi: true,
      });
    }
  });

  it('gives every panel a description and targets with a non-empty expr', () => {
    for (const panel of panels) {
      expect(panel.description?.trim().length ?? 0, panel.title).toBeGreaterThan(40);
      expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.expr.trim(), panel.title).not.toBe('');
    }
    // Rows only lay the panels out.
    for (const row of dashboard.panels.filter((panel) => panel.type === 'row'))
      expect(row.panels).toEqual([]);
  });

  it('lays the panels out on the 24-column grid without overlaps', () => {
    const boxes = dashboard.panels.map((panel) => ({ title: panel.title, ...panel.gridPos }));
    for (const [i, a] of boxes.entries()) {
      expect(a.x + a.w, a.title).toBeLessThanOrEqual(24);
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} / ${b.title}`).toBe(false);
      }
    }
  });

  it('uses only catalog metrics (histograms as _bucket/_sum/_count) and recording rules of rules.yml', () => {
    const texts = [
      ...targets.map(({ target }) => target.expr),
      variableQuery('account'),
      variableQuery('line'),
    ];
    const used = usedNames(texts.join('\n'));
    expect(used.metrics.filter((name) => !isCatalogSeries(catalog, name))).toEqual([]);
    expect(used.records.filter((name) => !records.has(name))).toEqual([]);
    // The dashboard shows every recording rule, and the panels the brief asks for.
    expect(used.records.sort()).toEqual([...records].sort());
    for (const metric of [
      'aaisp_broadband_sync_download_bits_per_second',
      'aaisp_broadband_sync_upload_bits_per_second',
      'aaisp_broadband_sync_download_adjusted_bits_per_second',
      'aaisp_broadband_quota_remaining_bytes',
      'aaisp_broadband_quota_used_ratio',
      'aaisp_broadband_sync_changes_total',
      'aaisp_collector_success',
      'aaisp_collector_errors_total',
      'aaisp_account_auth_paused',
      'aaisp_api_requests_total',
      'aaisp_api_request_duration_seconds_bucket',
      'aaisp_broadband_line_info',
      'aaisp_cqm_latency_seconds',
      'aaisp_cqm_traffic_bits_per_second',
      'aaisp_cqm_offline_seconds_total',
    ])
      expect(used.metrics, metric).toContain(metric);
  });

  it('filters every selector by account, and every per-line selector by line', () => {
    for (const { panel, target } of targets) {
      for (const [, name, matchers] of target.expr.matchAll(/\b(aaisp[:_][a-zA-Z0-9_:]+)(\{[^}]*\})?/g)) {
        expect(matchers ?? '', `${panel.title}: ${name}`).toContain(ACCOUNT_MATCHER);
        if (isPerLine(name ?? '')) expect(matchers ?? '', `${panel.title}: ${name}`).toContain(LINE_MATCHER);
      }
    }
  });

  it('shows rates, bytes, ratios and seconds in their units', () => {
    const unit = (title: string) => panels.find((panel) => panel.title === title)?.fieldConfig?.defaults.unit;
    expect(unit('Download sync rate')).toBe('bps');
    expect(unit('Upload sync rate')).toBe('bps');
    expect(unit('Adjusted download rate')).toBe('bps');
    // A&A counts quota in decimal bytes (100 GB = 100 000 000 000).
    expect(unit('Quota remaining')).toBe('decbytes');
    expect(unit('Quota used')).toBe('percentunit');
    expect(unit('Quota days left')).toBe('d');
    expect(unit('Data freshness')).toBe('s');
    expect(unit('CHAOS request duration p95')).toBe('s');
    expect(unit('Latency')).toBe('s');
    expect(unit('Packet loss')).toBe('percentunit');
    expect(unit('CQM traffic')).toBe('bps');
    expect(unit('Offline time')).toBe('s');
    expect(unit('CQM sample age')).toBe('s');
  });
});

/*
 * The queries, run. Grafana sends `$account` as `.*` for All, as the value for one account, as
 * `(a|b)` for several, and as an empty string when the list is empty (one account: no `account`
 * label anywhere). Each case below is a promtool unit test over synthetic series of every metric
 * the panels use, 25 hours long so the day-ago ratios have a baseline. A panel that follows the
 * line variable must return exactly one series per selected line; every other panel must return
 * something.
 */

/** One account's lines; `account` undefined for single-account mode (no label). */
interface AccountData {
  readonly account?: string;
  readonly instance?: string;
  readonly lines: readonly string[];
}

const MINUTES = 1500;

/** Input series for promtool: every metric the panels read, for `accounts`. */
function inputSeries(accounts: readonly AccountData[]): { series: string; values: string }[] {
  const out: { series: string; values: string }[] = [];
  for (const { account, instance = 'exporter:9099', lines } of accounts) {
    const add = (name: string, labels: Record<string, string>, values: string) => {
      const text = Object.entries({ job: 'aaisp', instance, ...labels })
        .map(([key, value]) => `${key}="${value}"`)
        .join(',');
      out.push({ series: `${name}{${text}}`, values });
    };
    const base = account === undefined ? {} : { account };
    for (const line of lines) {
      const id = { ...base, line_id: line };
      add(
        'aaisp_broadband_line_info',
        { ...id, login: `user@a.${line}`, name: `user@a.${line} FTTP` },
        `1x${MINUTES}`,
      );
      add('aaisp_broadband_sync_download_bits_per_second', id, `79987000x${MINUTES}`);
      add('aaisp_broadband_sync_upload_bits_per_second', id, `19999000x${MINUTES}`);
      add('aaisp_broadband_sync_download_adjusted_bits_per_second', id, `79563000x${MINUTES}`);
      add('aaisp_broadband_sync_changes_total', id, `0x1450 1x${MINUTES - 1451}`);
      add('aaisp_broadband_quota_limited', id, `1x${MINUTES}`);
      add('aaisp_broadband_quota_remaining_bytes', id, `400000000000-10000000x${MINUTES}`);
      add('aaisp_broadband_quota_used_ratio', id, `0.2+0.0001x${MINUTES}`);
      // CQM: a new 100-second sample every minute or so is enough here (the real counters step
      // once per fetch; deploy/prometheus/tests/cqm-alerts.test.yml has those).
      for (const [stat, seconds] of [
        ['min', 0.006],
        ['avg', 0.007],
        ['max', 0.012],
      ] as const)
        add('aaisp_cqm_latency_seconds', { ...id, stat }, `${seconds}x${MINUTES}`);
      add('aaisp_cqm_traffic_bits_per_second', { ...id, direction: 'down' }, `278400x${MINUTES}`);
      add('aaisp_cqm_traffic_bits_per_second', { ...id, direction: 'up' }, `19670x${MINUTES}`);
      add('aaisp_cqm_polls_sent_total', id, `0+100x${MINUTES}`);
      add('aaisp_cqm_polls_failed_total', id, `0+1x${MINUTES}`);
      add('aaisp_cqm_offline_seconds_total', id, `0x1450 0+10x${MINUTES - 1451}`);
      add('aaisp_cqm_sample_timestamp_seconds', id, `-200+60x${MINUTES}`);
    }
    add('aaisp_broadband_lines', base, `${lines.length}x${MINUTES}`);
    add('aaisp_account_auth_paused', base, `0x${MINUTES}`);
    for (const collector of ['broadband_lines', 'broadband_services']) {
      add('aaisp_collector_success', { ...base, collector }, `1x${MINUTES}`);
      add('aaisp_collector_last_success_timestamp_seconds', { ...base, collector }, `0+60x${MINUTES}`);
      add('aaisp_collector_errors_total', { ...base, collector, error_type: 'timeout' }, `0+1x${MINUTES}`);
    }
    const command = { subsystem: 'broadband', command: 'info' };
    add('aaisp_api_requests_total', { ...base, ...command, outcome: 'ok' }, `0+1x${MINUTES}`);
    for (const [le, perMinute] of [
      ['0.25', 0],
      ['0.5', 1],
      ['1', 1],
      ['+Inf', 1],
    ] as const) {
      add(
        'aaisp_api_request_duration_seconds_bucket',
        { ...base, ...command, le },
        `0+${perMinute}x${MINUTES}`,
      );
    }
  }
  return out;
}

const SINGLE: readonly AccountData[] = [{ lines: ['32001', '32002'] }];
// A manager login sees the lines of the logins under it, so two configured accounts can both
// report line 32001: joins must match on account as well as line_id.
const MULTI: readonly AccountData[] = [
  { account: 'home', lines: ['32001'] },
  { account: 'office', lines: ['42001', '32001'] },
];
/** A single-account exporter (no `account` label) next to a multi-account one. */
const MIXED: readonly AccountData[] = [{ instance: 'other:9099', lines: ['52001'] }, ...MULTI];

interface Case {
  readonly name: string;
  readonly data: readonly AccountData[];
  readonly account: string;
  readonly line: string;
  /** The lines a per-line panel must show, each as [account or undefined, line_id]. */
  readonly lines: readonly (readonly [string | undefined, string])[];
  /** The line IDs the line variable offers (it follows the account variable only). */
  readonly choices: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'one account, All',
    data: SINGLE,
    account: '.*',
    line: '.*',
    lines: [
      [undefined, '32001'],
      [undefined, '32002'],
    ],
    choices: ['32001', '32002'],
  },
  {
    name: 'one account, empty account list',
    data: SINGLE,
    account: '',
    line: '.*',
    lines: [
      [undefined, '32001'],
      [undefined, '32002'],
    ],
    choices: ['32001', '32002'],
  },
  {
    name: 'one account, one line',
    data: SINGLE,
    account: '.*',
    line: '32002',
    lines: [[undefined, '32002']],
    choices: ['32001', '32002'],
  },
  {
    name: 'two accounts, All',
    data: MULTI,
    account: '.*',
    line: '.*',
    lines: [
      ['home', '32001'],
      ['office', '32001'],
      ['office', '42001'],
    ],
    choices: ['32001', '42001'],
  },
  {
    name: 'two accounts, both selected',
    data: MULTI,
    account: '(home|office)',
    line: '.*',
    lines: [
      ['home', '32001'],
      ['office', '32001'],
      ['office', '42001'],
    ],
    choices: ['32001', '42001'],
  },
  {
    name: 'two accounts, home',
    data: MULTI,
    account: 'home',
    line: '.*',
    lines: [['home', '32001']],
    choices: ['32001'],
  },
  {
    name: 'two accounts, All, one line',
    data: MULTI,
    account: '.*',
    line: '42001',
    lines: [['office', '42001']],
    choices: ['32001', '42001'],
  },
  // The `|` in account=~"$account|": series without an account label always show.
  {
    name: 'a single-account exporter next to a two-account one, home',
    data: MIXED,
    account: 'home',
    line: '.*',
    lines: [
      [undefined, '52001'],
      ['home', '32001'],
    ],
    choices: ['32001', '52001'],
  },
];

/** Label text for promtool's `exp_samples`. */
const labelText = (labels: Record<string, string | undefined>): string =>
  `{${Object.entries(labels)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}="${value}"`)
    .join(',')}}`;

function promtoolCase(test: Case) {
  const values = { account: test.account, line: test.line, __rate_interval: '4m' };
  const evalTime = `${MINUTES}m`;
  const exprTests = targets.map(({ target }) => {
    const expr = interpolate(target.expr, values);
    if (target.expr.includes('$line')) {
      return {
        expr: `count by (account, line_id) (${expr})`,
        eval_time: evalTime,
        exp_samples: test.lines.map(([account, line]) => ({
          labels: labelText({ account, line_id: line }),
          value: 1,
        })),
      };
    }
    return {
      expr: `clamp_max(count(${expr}), 1)`,
      eval_time: evalTime,
      exp_samples: [{ labels: '{}', value: 1 }],
    };
  });
  // The line variable's choices: label_values(aaisp_broadband_line_info{…}, line_id).
  exprTests.push({
    expr: `group by (line_id) (aaisp_broadband_line_info{${interpolate(ACCOUNT_MATCHER, values)}})`,
    eval_time: evalTime,
    exp_samples: test.choices.map((line) => ({ labels: labelText({ line_id: line }), value: 1 })),
  });
  return { interval: '1m', input_series: inputSeries(test.data), promql_expr_test: exprTests };
}

describe('the dashboard queries, run by promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aaisp-dashboard-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rules = fileURLToPath(new URL('deploy/prometheus/rules.yml', REPO_ROOT));

  it('parse as PromQL (promtool check rules on every panel query as a recording rule)', () => {
    const file = join(dir, 'dashboard-rules.yml');
    const values = { account: '.*', line: '.*', __rate_interval: '4m' };
    writeFileSync(
      file,
      stringify({
        groups: [
          {
            name: 'dashboard',
            rules: targets.map(({ panel, target }) => ({
              record: `dashboard_panel_${panel.id}_${target.refId}`,
              expr: interpolate(target.expr, values),
            })),
          },
        ],
      }),
    );
    const { status, output } = promtool('check', 'rules', file);
    expect(status, output).toBe(0);
    expect(output).toContain(`SUCCESS: ${targets.length} rules found`);
  });

  it.each(CASES)('return the selected lines: $name', (test) => {
    const file = join(dir, `${test.name.replace(/\W+/g, '-')}.test.yml`);
    writeFileSync(
      file,
      stringify(
        { rule_files: [rules], evaluation_interval: '1m', tests: [promtoolCase(test)] },
        { lineWidth: 0 },
      ),
    );
    const { status, output } = promtool('test', 'rules', file);
    expect(status, output).toBe(0);
  });
});
