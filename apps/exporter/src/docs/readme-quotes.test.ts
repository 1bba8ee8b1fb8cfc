/**
 * The exporter README quotes what the exporter says: the auth-refusal log line and the `/health`
 * error it leaves, the configuration check's problems (a line login among them). Each quote is
 * produced here by the code that says it (the job runner, a real SDK client against the fake
 * CHAOS, the configuration loader), so rewording a message fails this test until the README
 * follows. Likewise the CQM loss query the READMEs recommend is the one `deploy/prometheus/rules.yml`
 * records, never a window too short for counters that step once per fetch.
 */

import { readFile } from 'node:fs/promises';
import { createChaosClient } from '@aaisp/chaos-client';
import { type RunningChaosMock, startChaosMock } from '@aaisp/chaos-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { bindingNamed } from '../../harness/bindings.ts';

import { loadConfig } from '../config/config.ts';
import { createJobRunner } from '../schedule/job-runner.ts';
import type { TierPlan } from '../schedule/tiers.ts';
import { createLogger } from '../telemetry/logger.ts';

const README = new URL('../../README.md', import.meta.url);
const LOGIN = 'quote42@a';

/** The README's text with each line's leading spaces removed, so quotes in list items match too. */
async function readme(): Promise<string> {
  return (await readFile(README, 'utf8')).replaceAll(/^ +/gm, '');
}

/** The section of `text` under the heading `heading`, up to the next heading of any level. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`the README has no heading ${heading}`);
  const next = text.slice(start + heading.length + 2).search(/^#{1,6} /m);
  return next === -1 ? text.slice(start) : text.slice(start, start + heading.length + 2 + next);
}

describe('the exporter README quotes an auth refusal as the exporter reports it', () => {
  let mock: RunningChaosMock;
  const logs: { level: string; msg: string; pauseMinutes?: number }[] = [];
  let healthMessage = '';

  beforeAll(async () => {
    mock = await startChaosMock({ lines: 2, credentials: { controlLogin: LOGIN, controlPassword: 'right' } });
    // A real SDK client with the wrong password, so CHAOS' refusal is the fake's real answer.
    const client = createChaosClient({
      auth: { controlLogin: LOGIN, controlPassword: 'wrong' },
      baseUrl: mock.url,
      retry: 0,
    });
    const logger = createLogger(
      { level: 'info', format: 'json' },
      { destination: { write: (line: string) => void logs.push(JSON.parse(line)) } },
    );
    const binding = bindingNamed('broadband_lines');
    const tier: TierPlan = { name: 'fast', intervalSeconds: 60, maxAgeSeconds: 180, collectors: [binding] };
    const runner = createJobRunner({ concurrencyLimit: 1, logger, now: () => Date.now() });
    const result = await runner.run(tier, 'default', binding, Date.now(), {
      collect: async (_account, _collector, signal) => {
        await client.broadband.info({ signal });
      },
      signal: new AbortController().signal,
    });
    if (result.kind !== 'failed') throw new Error(`expected a refused run, got ${result.kind}`);
    expect(result.error.kind).toBe('auth');
    healthMessage = result.error.message;
  });
  afterAll(async () => {
    await mock.close();
  });

  it('quotes the error log line word for word', async () => {
    const refusals = logs.filter((line) => line.level === 'error');
    expect(refusals).toHaveLength(1);
    const [refusal] = refusals;
    expect(refusal?.pauseMinutes).toBe(15);
    const text = section(await readme(), '### Auth errors');
    expect(text, 'README "Auth errors" must quote the logged message').toContain(
      `\`\`\`text\n${refusal?.msg}\n\`\`\``,
    );
    expect(text).toContain('`pauseMinutes`');
  });

  it("quotes /health's lastError message for it", async () => {
    expect(healthMessage).toMatch(/^CHAOS broadband\/info: /);
    const text = await readme();
    expect(section(text, '### Auth errors')).toContain(`\`${healthMessage}\``);
    expect(section(text, '## Endpoints')).toContain(`"message": "${healthMessage}"`);
  });

  it('names the log message the same way in the Logging table', async () => {
    const [refusal] = logs.filter((line) => line.level === 'error');
    const prefix = refusal?.msg.split(':')[0] ?? '';
    expect(prefix).not.toBe('');
    expect(section(await readme(), '## Logging')).toContain(`| error | \`${prefix}: …\` |`);
  });
});

describe('the exporter README quotes the configuration check', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    const result = loadConfig({ env, readFile: () => 'secret', demo: false });
    if (result.ok) throw new Error('expected the configuration to be refused');
    return result.problems.map((problem) => `${problem.variable}: ${problem.message}`);
  };

  it('quotes its refusal of a line login', async () => {
    const problems = problemsOf({
      AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a.1',
      AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'secret',
    });
    expect(problems).toEqual([
      'AAISP_EXPORTER_AUTH__CONTROL_LOGIN: is a line login (ends in .n); use the base control login, e.g. ab123@a',
    ]);
    const [problem] = problems;
    expect(section(await readme(), '### Auth errors')).toContain(`\`${problem}\``);
  });

  it('quotes its output for a bad interval and a login without @', async () => {
    const problems = problemsOf({
      AAISP_EXPORTER_INTERVALS__FAST: '5',
      AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123',
      AAISP_EXPORTER_AUTH__CONTROL_PASSWORD: 'secret',
    });
    const text = await readme();
    expect(text).toContain(['aaisp-exporter: the configuration is not valid:', ...problems].join('\n'));
  });
});

describe('the READMEs recommend the CQM loss query the Prometheus rules use', () => {
  const RULES = new URL('../../../../deploy/prometheus/rules.yml', import.meta.url);
  const DOCS = [
    '../../README.md',
    '../../../../README.md',
    '../../../../deploy/README.md',
    '../../../../docs/metrics.md',
  ].map((path) => new URL(path, import.meta.url));
  /** A CQM counter over a window shorter than 15 minutes: it steps once per fetch (300 s by default). */
  const SHORT_WINDOW = /aaisp_cqm_\w+_total(?:\{[^}]*\})?\[(?:\d+s|[1-9]m|1[0-4]m)\]/g;

  it('quotes the loss recording rule of deploy/prometheus/rules.yml', async () => {
    const rules = z
      .object({
        groups: z.array(
          z.object({ rules: z.array(z.object({ record: z.string().optional(), expr: z.string() })) }),
        ),
      })
      .parse(parse(await readFile(RULES, 'utf8')));
    const loss = rules.groups
      .flatMap((group) => group.rules)
      .find((rule) => rule.record === 'aaisp:cqm_polls_failed_total:ratio_rate15m');
    const expr = loss?.expr.trim().replaceAll(/\s+/g, ' ') ?? '';
    expect(expr).toContain('[15m]');
    const text = (await readFile(README, 'utf8')).replaceAll(/\s+/g, ' ');
    expect(text).toContain(`\`${expr}\``);
  });

  it('never shows a CQM counter over less than 15 minutes', async () => {
    for (const doc of DOCS) {
      const text = await readFile(doc, 'utf8');
      expect(
        [...text.matchAll(SHORT_WINDOW)].map(([match]) => match),
        doc.pathname,
      ).toEqual([]);
    }
  });
});
