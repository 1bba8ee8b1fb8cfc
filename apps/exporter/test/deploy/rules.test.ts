/**
 * deploy/prometheus: the recording and alerting rules use only metrics the exporter exposes, every
 * alert carries what an on-call person needs, and promtool accepts the files and passes their unit
 * tests (deploy/prometheus/tests).
 */

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import * as z from 'zod';
import { REPO_ROOT, readRepoFile } from '../../harness/repo.ts';
import {
  documentedMetrics,
  isCatalogSeries,
  metricCatalog,
  recordNames,
  ruleGroups,
  usedNames,
} from './catalog.ts';
import { promtool } from './promtool.ts';

const RULES = 'deploy/prometheus/rules.yml';
const ALERTS = 'deploy/prometheus/alerts.yml';
const TESTS_DIR = 'deploy/prometheus/tests';
const RUNBOOK = 'https://github.com/aaisp-exporter/aaisp-exporter/blob/main/apps/exporter/README.md#';

const catalog = metricCatalog();
const records = recordNames();
const alertGroups = ruleGroups(ALERTS);
const recordGroups = ruleGroups(RULES);
const alerts = alertGroups.flatMap((group) => group.rules);
const testFiles = readdirSync(new URL(`${TESTS_DIR}/`, REPO_ROOT))
  .filter((file) => file.endsWith('.test.yml'))
  .sort()
  .map((file) => `${TESTS_DIR}/${file}`);

/** Every name in `text` that is neither a catalog series nor a recording rule of rules.yml. */
function unknownNames(text: string): string[] {
  const { records: usedRecords, metrics } = usedNames(text);
  return [
    ...usedRecords.filter((name) => !records.has(name)),
    ...metrics.filter((name) => !isCatalogSeries(catalog, name)),
  ];
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces as hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');
}

describe('the metric catalog the deploy tests check against', () => {
  it('is exactly the catalog of docs/metrics.md, names, types and labels, without the migration table', () => {
    const documented = documentedMetrics();
    const sorted = (metrics: Iterable<{ name: string; type: string; labels: readonly string[] }>) =>
      [...metrics].sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted(catalog.values())).toEqual(sorted(documented.values()));
    // The original exporter's names (left column of the migration table) are not ours.
    expect(documented.has('aaisp_broadband_line_sync_download_bps')).toBe(false);
    expect(isCatalogSeries(catalog, 'aaisp_broadband_line_sync_download_bps')).toBe(false);
  });

  it('accepts histogram series by suffix, counters only as named', () => {
    expect(isCatalogSeries(catalog, 'aaisp_api_request_duration_seconds_bucket')).toBe(true);
    expect(isCatalogSeries(catalog, 'aaisp_collector_duration_seconds_count')).toBe(true);
    expect(isCatalogSeries(catalog, 'aaisp_api_request_duration_seconds')).toBe(false);
    expect(isCatalogSeries(catalog, 'aaisp_api_requests_total')).toBe(true);
    expect(isCatalogSeries(catalog, 'aaisp_api_requests')).toBe(false);
    expect(isCatalogSeries(catalog, 'aaisp_broadband_sync_changes_total_count')).toBe(false);
  });
});

describe(RULES, () => {
  it('has the aaisp.rules group of recording rules only', () => {
    expect(recordGroups.map((group) => group.name)).toEqual(['aaisp.rules']);
    expect([...records]).toEqual([
      'aaisp:broadband_quota_remaining_bytes:burn_rate6h',
      'aaisp:broadband_quota_remaining_bytes:days_left6h',
      'aaisp:broadband_sync_download_bits_per_second:ratio1d',
      'aaisp:broadband_sync_upload_bits_per_second:ratio1d',
      'aaisp:collector_last_success_timestamp_seconds:age',
      'aaisp:cqm_polls_failed_total:ratio_rate15m',
      'aaisp:cqm_latency_seconds:median24h',
      'aaisp:cqm_sample_timestamp_seconds:age',
    ]);
  });

  it('names each rule level:metric:operations after a catalog metric, and uses only catalog metrics', () => {
    for (const rule of recordGroups.flatMap((group) => group.rules)) {
      const match = /^aaisp:([a-z0-9_]+):([a-z0-9_]+)$/.exec(rule.record ?? '');
      expect(match, rule.record).not.toBeNull();
      expect(catalog.has(`aaisp_${match?.[1]}`), rule.record).toBe(true);
      expect(unknownNames(rule.expr), rule.record).toEqual([]);
    }
  });

  it('defines a recording rule before any rule of the group uses it (rules run in order)', () => {
    const seen = new Set<string>();
    for (const rule of recordGroups.flatMap((group) => group.rules)) {
      for (const used of usedNames(rule.expr).records)
        expect(seen, `${rule.record} uses ${used}`).toContain(used);
      seen.add(rule.record ?? '');
    }
  });
});

describe(ALERTS, () => {
  it('has the aaisp.alerts group with the fifteen alerts, their severities and for durations', () => {
    expect(alertGroups.map((group) => group.name)).toEqual(['aaisp.alerts']);
    expect(Object.fromEntries(alerts.map((rule) => [rule.alert, [rule.labels?.severity, rule.for]]))).toEqual(
      {
        AAISPExporterDown: ['critical', '5m'],
        AAISPExporterAbsent: ['critical', '10m'],
        AAISPExporterConfigReloadFailed: ['warning', '10m'],
        AAISPCollectorFailing: ['warning', '15m'],
        AAISPChaosAuthFailing: ['critical', '5m'],
        AAISPDataStale: ['warning', '5m'],
        AAISPQuotaExhaustionPredicted: ['warning', '1h'],
        AAISPSyncRateDropped: ['warning', '30m'],
        AAISPLineResynced: ['info', '0m'],
        AAISPLineVanished: ['warning', '5m'],
        AAISPLinePacketLoss: ['warning', '15m'],
        AAISPLineLatencyHigh: ['warning', '15m'],
        AAISPLineOffline: ['warning', '0m'],
        AAISPCqmDataStale: ['warning', '5m'],
        AAISPCqmCsvFormatChanged: ['warning', '30m'],
      },
    );
  });

  it('gives every alert a summary, a description and a runbook link to a README section that exists', () => {
    const readme = readRepoFile('apps/exporter/README.md');
    const anchors = new Set(
      [...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => githubAnchor(heading ?? '')),
    );
    expect(anchors).toContain('troubleshooting');
    for (const rule of alerts) {
      expect(rule.expr, rule.alert).not.toBe('');
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(rule.annotations?.summary, rule.alert).toMatch(/\S/);
      expect(rule.annotations?.description, rule.alert).toMatch(/\S/);
      const runbook = rule.annotations?.runbook_url ?? '';
      expect(runbook.startsWith(RUNBOOK), `${rule.alert}: ${runbook}`).toBe(true);
      expect(anchors, `${rule.alert}: ${runbook}`).toContain(runbook.slice(RUNBOOK.length));
    }
  });

  it('names, in expressions and annotations, only catalog metrics and recording rules of rules.yml', () => {
    for (const rule of alerts) {
      const text = [rule.expr, ...Object.values(rule.annotations ?? {})].join('\n');
      expect(unknownNames(text), rule.alert).toEqual([]);
    }
    // The check sees the names: the alerts use both kinds.
    const all = usedNames(alerts.map((rule) => rule.expr).join('\n'));
    expect(all.records).toContain('aaisp:collector_last_success_timestamp_seconds:age');
    expect(all.metrics).toContain('aaisp_broadband_quota_remaining_bytes');
  });

  it('reads the exporter’s own intervals and auth pause instead of hard-coded defaults or offset workarounds', () => {
    const expr = (name: string): string => alerts.find((rule) => rule.alert === name)?.expr ?? '';
    expect(usedNames(expr('AAISPDataStale')).metrics).toContain('aaisp_collector_max_age_seconds');
    expect(expr('AAISPDataStale')).not.toMatch(/\d+\s*\*\s*\d+|>\s*\d/);
    expect(usedNames(expr('AAISPChaosAuthFailing')).metrics).toEqual(['aaisp_account_auth_paused']);
    // The error counters start at 0: no alert needs `offset` to see a first error.
    for (const rule of alerts) {
      if (usedNames(rule.expr).metrics.includes('aaisp_collector_errors_total'))
        expect(rule.expr, rule.alert).not.toContain('offset');
    }
  });

  it('keeps the CQM alerts apart and reads the cqm collector’s max age instead of an interval', () => {
    const expr = (name: string): string => alerts.find((rule) => rule.alert === name)?.expr ?? '';
    // An offline line is AAISPLineOffline's: the loss alert leaves out lines with offline time.
    expect(expr('AAISPLinePacketLoss')).toMatch(/unless[\s\S]*aaisp_cqm_offline_seconds_total/);
    expect(usedNames(expr('AAISPLinePacketLoss')).records).toEqual([
      'aaisp:cqm_polls_failed_total:ratio_rate15m',
    ]);
    expect(usedNames(expr('AAISPCqmDataStale')).metrics).toContain('aaisp_collector_max_age_seconds');
    expect(expr('AAISPCqmDataStale')).toContain('collector="cqm"');
    // The counters start at 0 with the exporter: only increase() or rate() of them makes sense.
    for (const rule of [...alerts, ...recordGroups.flatMap((group) => group.rules)]) {
      for (const { 0: counter, index } of rule.expr.matchAll(/\baaisp_cqm_[a-z_]+_total\b/g)) {
        expect(rule.expr.slice(0, index), `${rule.alert ?? rule.record}: ${counter}`).toMatch(
          /(increase|rate)\($/,
        );
      }
    }
  });

  it('keeps the account label: every on(...) that matches lines or collectors lists account', () => {
    for (const rule of alerts) {
      for (const [, labels] of rule.expr.matchAll(/\bon\(([^)]*)\)/g)) {
        expect(
          labels?.split(',').map((label) => label.trim()),
          rule.alert,
        ).toContain('account');
      }
    }
  });
});

const PromtoolTestFile = z.object({
  rule_files: z.array(z.string()),
  tests: z.array(
    z.object({
      alert_rule_test: z
        .array(z.object({ alertname: z.string(), exp_alerts: z.array(z.unknown()).nullish() }))
        .optional(),
      promql_expr_test: z.array(z.object({ expr: z.string() })).optional(),
    }),
  ),
});

describe(`${TESTS_DIR}/*.test.yml`, () => {
  const files = testFiles.map((path) => ({ path, test: PromtoolTestFile.parse(parse(readRepoFile(path))) }));

  it('tests every alert both firing and not firing', () => {
    const cases = files.flatMap(({ test }) => test.tests.flatMap((group) => group.alert_rule_test ?? []));
    for (const rule of alerts) {
      const mine = cases.filter((entry) => entry.alertname === rule.alert);
      expect(
        mine.some((entry) => (entry.exp_alerts ?? []).length > 0),
        `${rule.alert} fires in a test`,
      ).toBe(true);
      expect(
        mine.some((entry) => (entry.exp_alerts ?? []).length === 0),
        `${rule.alert} stays quiet in a test`,
      ).toBe(true);
    }
  });

  it('tests the value of every recording rule', () => {
    const exprs = files.flatMap(({ test }) =>
      test.tests.flatMap((group) => (group.promql_expr_test ?? []).map((entry) => entry.expr)),
    );
    for (const record of records)
      expect(
        exprs.some((expr) => expr.includes(record)),
        record,
      ).toBe(true);
  });
});

describe('promtool', () => {
  it('check rules accepts rules.yml and alerts.yml', () => {
    const { status, output } = promtool('check', 'rules', RULES, ALERTS);
    expect(status, output).toBe(0);
    expect(output).toContain(`SUCCESS: ${records.size} rules found`);
    expect(output).toContain(`SUCCESS: ${alerts.length} rules found`);
  });

  it('test rules passes every unit test file', () => {
    expect(testFiles.length).toBeGreaterThanOrEqual(3);
    const { status, output } = promtool('test', 'rules', ...testFiles);
    expect(status, output).toBe(0);
    expect(output.match(/SUCCESS/g)?.length, output).toBe(testFiles.length);
  });

  it('test rules fails when an alert does not behave as a test expects (the test run is not vacuous)', () => {
    // The target has been down for 10 minutes, so AAISPExporterDown fires; this test says it
    // does not.
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-rules-'));
    try {
      const file = join(dir, 'wrong.test.yml');
      writeFileSync(
        file,
        stringify({
          rule_files: [fileURLToPath(new URL(ALERTS, REPO_ROOT)), fileURLToPath(new URL(RULES, REPO_ROOT))],
          evaluation_interval: '1m',
          tests: [
            {
              interval: '1m',
              input_series: [{ series: 'up{job="aaisp",instance="exporter:9099"}', values: '0x10' }],
              alert_rule_test: [{ eval_time: '10m', alertname: 'AAISPExporterDown', exp_alerts: [] }],
            },
          ],
        }),
      );
      const { status, output } = promtool('test', 'rules', file);
      expect(status, output).toBe(1);
      expect(output).toContain('alertname: AAISPExporterDown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
