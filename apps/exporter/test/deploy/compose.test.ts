/**
 * deploy/compose.yaml and its provisioning files in deploy/compose/. No Docker engine (nor the
 * compose plugin) runs here, so the files are read as YAML and checked against each other: the
 * exporter is built from deploy/Dockerfile and gets its password as a secret file, Prometheus
 * scrapes it under a job the alerts match and loads the rules from where compose mounts them
 * (promtool checks that configuration), and Grafana gets the Prometheus data source and our
 * dashboard. The exporter itself accepts the environment compose gives it, demo or not.
 */

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { REPO_ROOT, readRepoFile } from '../../harness/repo.ts';
import { checkConfig } from './check-config.ts';
import { promtool } from './promtool.ts';

const DEPLOY = fileURLToPath(new URL('deploy/', REPO_ROOT));

const Service = z.looseObject({
  image: z.string().optional(),
  build: z
    .object({ context: z.string(), dockerfile: z.string(), args: z.record(z.string(), z.string()) })
    .optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  env_file: z.array(z.object({ path: z.string(), required: z.boolean() })).optional(),
  secrets: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.unknown().optional(),
});
const Compose = z.looseObject({
  services: z.record(z.string(), Service),
  secrets: z.record(z.string(), z.object({ file: z.string() })).optional(),
  volumes: z.record(z.string(), z.null()).optional(),
});

const compose = Compose.parse(parse(readRepoFile('deploy/compose.yaml')));
const demo = Compose.parse(parse(readRepoFile('deploy/compose.demo.yaml')));
const { exporter, prometheus, grafana } = compose.services;

/** A service's bind mounts (`./host:/container[:ro]`), host paths relative to deploy/. */
function binds(service: z.infer<typeof Service> | undefined): { host: string; container: string }[] {
  return (service?.volumes ?? [])
    .filter((volume) => volume.startsWith('.'))
    .map((volume) => {
      const [host = '', container = ''] = volume.split(':');
      return { host: posix.normalize(host), container };
    });
}

/** Where a container path is mounted from, relative to deploy/. */
function mountedFrom(service: z.infer<typeof Service> | undefined, container: string): string | undefined {
  return binds(service).find((bind) => bind.container === container)?.host;
}

const PrometheusConfig = z.object({
  rule_files: z.array(z.string()),
  scrape_configs: z.array(
    z.object({ job_name: z.string(), static_configs: z.array(z.object({ targets: z.array(z.string()) })) }),
  ),
});

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('compose.yaml: the exporter', () => {
  it('is built from deploy/Dockerfile with the repository root as context', () => {
    expect(exporter?.build).toMatchObject({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(existsSync(join(DEPLOY, exporter?.build?.context ?? '', exporter?.build?.dockerfile ?? ''))).toBe(
      true,
    );
    expect(Object.keys(exporter?.build?.args ?? {})).toEqual(['VERSION']);
  });

  it('reads the password from a secret file and the rest from an optional .env', () => {
    const file = exporter?.environment?.AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE ?? '';
    const secret = /^\/run\/secrets\/(.+)$/.exec(file)?.[1] ?? '';
    expect(exporter?.secrets).toEqual([secret]);
    expect(compose.secrets?.[secret]?.file).toMatch(/^\.\/secrets\//);
    expect(Object.keys(exporter?.environment ?? {}).filter((name) => /PASSWORD$/.test(name))).toEqual([]);
    expect(exporter?.env_file).toEqual([{ path: '.env', required: false }]);
    // The secret's directory is ignored by git and left out of the image's build context.
    expect(readRepoFile('deploy/secrets/.gitignore')).toMatch(/^\*$/m);
  });

  it('publishes 9099 and runs read-only without capabilities', () => {
    expect(exporter?.ports).toEqual(['9099:9099']);
    expect(exporter).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
  });

  it('is a configuration the exporter accepts, given a login in .env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-compose-'));
    scratch.push(dir);
    writeFileSync(join(dir, 'chaos_password'), 'a-password\n');
    const env = {
      AAISP_EXPORTER_AUTH__CONTROL_LOGIN: 'ab123@a',
      ...exporter?.environment,
      AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE: join(dir, 'chaos_password'),
    };
    const result = checkConfig(env);
    expect(result.output).toMatch(/configuration is valid/);
    expect(result.status).toBe(0);
  });
});

describe('compose.demo.yaml', () => {
  it('runs the exporter in demo mode with a placeholder login and password file', () => {
    expect(demo.services.exporter?.command).toEqual(['--demo']);
    const file = demo.secrets?.chaos_password?.file ?? '';
    expect(existsSync(join(DEPLOY, file))).toBe(true);
    const env = {
      ...exporter?.environment,
      ...demo.services.exporter?.environment,
      AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE: join(DEPLOY, file),
    };
    const result = checkConfig(env, demo.services.exporter?.command ?? []);
    expect(result.output).toMatch(/configuration is valid/);
    expect(result.status).toBe(0);
  });
});

describe('compose.yaml: Prometheus', () => {
  const configPath = mountedFrom(prometheus, '/etc/prometheus/prometheus.yml') ?? '';
  const config = PrometheusConfig.parse(parse(readFileSync(join(DEPLOY, configPath), 'utf8')));

  it('scrapes the exporter under a job that AAISPExporterDown matches', () => {
    const job = config.scrape_configs.find((scrape) =>
      scrape.static_configs.some((c) => c.targets.includes('exporter:9099')),
    );
    expect(job).toBeDefined();
    const regex = /up\{job=~"([^"]+)"\}/.exec(readRepoFile('deploy/prometheus/alerts.yml'))?.[1];
    expect(regex).toBeDefined();
    expect(new RegExp(`^(?:${regex})$`).test(job?.job_name ?? '')).toBe(true);
  });

  it('loads rules.yml and alerts.yml of deploy/prometheus from where compose mounts them', () => {
    const loaded = config.rule_files.map((file) =>
      mountedFrom(prometheus, posix.resolve('/etc/prometheus', file)),
    );
    expect(loaded).toEqual(['prometheus/rules.yml', 'prometheus/alerts.yml']);
  });

  it('passes promtool check config, laid out as in the container', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-prometheus-'));
    scratch.push(dir);
    for (const { host, container } of binds(prometheus)) {
      const target = join(dir, posix.relative('/etc/prometheus', container));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(DEPLOY, host), target);
    }
    const result = promtool('check', 'config', join(dir, 'prometheus.yml'));
    expect(result.output).toMatch(/SUCCESS: 2 rule files found/);
    expect(result.status).toBe(0);
  });

  it('starts after the exporter is healthy (the image HEALTHCHECK)', () => {
    expect(prometheus?.depends_on).toEqual({ exporter: { condition: 'service_healthy' } });
  });
});

describe('compose.yaml: Grafana', () => {
  const datasourcePath = binds(grafana).find((bind) =>
    bind.container.includes('/provisioning/datasources/'),
  )?.host;
  const providerPath = binds(grafana).find((bind) =>
    bind.container.includes('/provisioning/dashboards/'),
  )?.host;
  const dashboardMount = binds(grafana).find((bind) => bind.host === 'grafana/aaisp-dashboard.json');

  it('has the Prometheus service as its default data source', () => {
    const file = z
      .object({
        apiVersion: z.literal(1),
        datasources: z.array(z.object({ type: z.string(), url: z.string(), isDefault: z.boolean() })),
      })
      .parse(parse(readFileSync(join(DEPLOY, datasourcePath ?? ''), 'utf8')));
    expect(file.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    expect(prometheus?.ports).toEqual(['9090:9090']);
  });

  it('loads deploy/grafana/aaisp-dashboard.json through a file provider, and opens it first', () => {
    const provider = z
      .object({
        apiVersion: z.literal(1),
        providers: z.array(z.object({ type: z.literal('file'), options: z.object({ path: z.string() }) })),
      })
      .parse(parse(readFileSync(join(DEPLOY, providerPath ?? ''), 'utf8')));
    expect(dashboardMount).toBeDefined();
    expect(provider.providers.map((p) => p.options.path)).toEqual([
      posix.dirname(dashboardMount?.container ?? ''),
    ]);
    expect(grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(dashboardMount?.container);
    const dashboard = JSON.parse(readRepoFile('deploy/grafana/aaisp-dashboard.json')) as { uid?: string };
    expect(dashboard.uid).toBeTruthy();
  });
});

describe('compose.yaml: every file it mounts', () => {
  it('exists in the repository', () => {
    for (const service of Object.values(compose.services)) {
      for (const { host } of binds(service)) expect(existsSync(join(DEPLOY, host)), host).toBe(true);
    }
  });
});
