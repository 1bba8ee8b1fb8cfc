import { describe, expect, it } from 'vitest';
import { type Rule, ruleGroups } from '../../test/deploy/catalog.ts';
import {
  CQM_PUBLISH_DELAY_SECONDS,
  LATENCY_BASELINE_FACTOR,
  LATENCY_BASELINE_SECONDS,
  LATENCY_MARGIN_SECONDS,
  LATENCY_WINDOW_SECONDS,
  LOSS_RATIO_ABOVE,
  LOSS_WINDOW_SECONDS,
  OFFLINE_SECONDS_ABOVE,
  OFFLINE_WINDOW_SECONDS,
  QUOTA_HOLD_SECONDS,
  QUOTA_HORIZON_SECONDS,
  QUOTA_TREND_WINDOW_SECONDS,
} from './alert-thresholds.ts';

/** The rules of one file of deploy/prometheus, every group's together. */
function rulesOf(file: string): Rule[] {
  return ruleGroups(`deploy/prometheus/${file}`).flatMap((group) => [...group.rules]);
}

const alerts = rulesOf('alerts.yml');
const records = rulesOf('rules.yml');

function alert(name: string): { expr: string; for?: string | undefined } {
  const rule = alerts.find((candidate) => candidate.alert === name);
  if (rule === undefined) throw new Error(`alerts.yml has no alert ${name}`);
  return rule;
}

function recordExpr(name: string): string {
  const rule = records.find((candidate) => candidate.record === name);
  if (rule === undefined) throw new Error(`rules.yml has no recording rule ${name}`);
  return rule.expr;
}

/** The first capture of `pattern` in `text`, or a failure naming what was looked for. */
function captured(text: string, pattern: RegExp): string {
  const found = pattern.exec(text)?.[1];
  if (found === undefined) throw new Error(`${pattern} not found in: ${text}`);
  return found;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A Prometheus duration such as `15m` or `24h`, in seconds. */
function seconds(duration: string): number {
  const match = /^(\d+)([smhd])$/.exec(duration);
  const unit = match?.[2] === undefined ? undefined : UNIT_SECONDS[match[2]];
  if (match?.[1] === undefined || unit === undefined) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * unit;
}

/** A product such as `3 * 86400`, or a plain number. */
function product(text: string): number {
  return text.split('*').reduce((total, factor) => total * Number(factor.trim()), 1);
}

describe('the status page’s thresholds', () => {
  it('are the packet loss alert’s: ratio and window', () => {
    const expr = alert('AAISPLinePacketLoss').expr;
    expect(Number(captured(expr, /ratio_rate15m > ([\d.]+)/))).toBe(LOSS_RATIO_ABOVE);
    const ratio = recordExpr('aaisp:cqm_polls_failed_total:ratio_rate15m');
    expect(seconds(captured(ratio, /increase\(aaisp_cqm_polls_failed_total\[(\w+)\]\)/))).toBe(
      LOSS_WINDOW_SECONDS,
    );
    expect(seconds(captured(ratio, /increase\(aaisp_cqm_polls_sent_total\[(\w+)\]\)/))).toBe(
      LOSS_WINDOW_SECONDS,
    );
  });

  it('are the offline alert’s: seconds and window', () => {
    const expr = alert('AAISPLineOffline').expr;
    const pattern = /increase\(aaisp_cqm_offline_seconds_total\[(\w+)\]\) > (\d+)/;
    expect(seconds(captured(expr, pattern))).toBe(OFFLINE_WINDOW_SECONDS);
    expect(Number(pattern.exec(expr)?.[2])).toBe(OFFLINE_SECONDS_ABOVE);
  });

  it('are the latency alert’s: factor, margin, window and baseline', () => {
    const expr = alert('AAISPLineLatencyHigh').expr.replace(/\s+/g, ' ');
    expect(Number(captured(expr, /> ([\d.]+) \* aaisp:cqm_latency_seconds:median24h/))).toBe(
      LATENCY_BASELINE_FACTOR,
    );
    expect(Number(captured(expr, /> aaisp:cqm_latency_seconds:median24h \+ ([\d.]+)/))).toBe(
      LATENCY_MARGIN_SECONDS,
    );
    const windows = [
      ...expr.matchAll(/quantile_over_time\(0\.5, aaisp_cqm_latency_seconds\{stat="avg"\}\[(\w+)\]\)/g),
    ];
    expect(windows.length).toBe(2);
    for (const window of windows) expect(seconds(window[1] ?? '')).toBe(LATENCY_WINDOW_SECONDS);
    const baseline = recordExpr('aaisp:cqm_latency_seconds:median24h');
    expect(seconds(captured(baseline, /\[(\w+)\]/))).toBe(LATENCY_BASELINE_SECONDS);
  });

  it('are the quota alert’s: trend window, horizon and hold time', () => {
    const rule = alert('AAISPQuotaExhaustionPredicted');
    const pattern = /predict_linear\(aaisp_broadband_quota_remaining_bytes\[(\w+)\], ([\d *]+)\) < 0/;
    expect(seconds(captured(rule.expr, pattern))).toBe(QUOTA_TREND_WINDOW_SECONDS);
    expect(product(pattern.exec(rule.expr)?.[2] ?? 'NaN')).toBe(QUOTA_HORIZON_SECONDS);
    expect(rule.expr).toContain('aaisp_broadband_quota_limited == 1');
    expect(rule.expr).toContain('aaisp_broadband_quota_remaining_bytes > 0');
    expect(seconds(rule.for ?? '')).toBe(QUOTA_HOLD_SECONDS);
  });

  it('are the CQM staleness alert’s publishing delay', () => {
    const expr = alert('AAISPCqmDataStale').expr;
    expect(Number(captured(expr, /aaisp_collector_max_age_seconds\{collector="cqm"\} \+ (\d+)/))).toBe(
      CQM_PUBLISH_DELAY_SECONDS,
    );
  });
});
