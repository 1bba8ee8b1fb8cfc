/**
 * deploy/kubernetes: every manifest parses as a Kubernetes object, kustomization.yaml lists them
 * (all but the example Secret), and they agree with each other and with the exporter: probes on
 * /health and /ready of the named container port, the Service and ServiceMonitor on that port,
 * the password as a file from the Secret, a locked-down pod, a job name the alerts match, and a
 * PrometheusRule that is exactly deploy/prometheus/rules.yml + alerts.yml. No cluster (nor
 * kubeconform) runs here, so nothing checks the objects against the API server's schemas.
 */

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import * as z from 'zod';
import { REPO_ROOT, readRepoFile } from '../../harness/repo.ts';
import { PROMETHEUS_RULE_FILE, RULE_FILES, renderPrometheusRule } from '../../scripts/prometheus-rule.ts';
import { ruleGroups } from './catalog.ts';
import { checkConfig } from './check-config.ts';

const DIR = 'deploy/kubernetes';

const KubeObject = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({ name: z.string().min(1), labels: z.record(z.string(), z.string()).optional() }),
});
type KubeObject = z.infer<typeof KubeObject>;

const files = readdirSync(new URL(`${DIR}/`, REPO_ROOT))
  .filter((file) => /\.ya?ml$/.test(file))
  .sort();
const objects = new Map<string, KubeObject>();
for (const file of files.filter((name) => name !== 'kustomization.yaml')) {
  for (const document of parseAllDocuments(readRepoFile(`${DIR}/${file}`))) {
    const object = KubeObject.parse(document.toJS());
    objects.set(object.kind, object);
  }
}

const Probe = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }) });
const Container = z.looseObject({
  name: z.string(),
  image: z.string(),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number(), protocol: z.string() })),
  env: z.array(
    z.object({
      name: z.string(),
      value: z.string().optional(),
      valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) }).optional(),
    }),
  ),
  volumeMounts: z.array(
    z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() }),
  ),
  livenessProbe: Probe,
  readinessProbe: Probe,
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ cpu: z.string(), memory: z.string() }),
  }),
  securityContext: z.looseObject({
    runAsNonRoot: z.literal(true),
    allowPrivilegeEscalation: z.literal(false),
    readOnlyRootFilesystem: z.literal(true),
    capabilities: z.object({ drop: z.array(z.string()) }),
  }),
});
const Deployment = z.looseObject({
  spec: z.looseObject({
    replicas: z.number(),
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    template: z.object({
      metadata: z.object({ labels: z.record(z.string(), z.string()) }),
      spec: z.looseObject({
        enableServiceLinks: z.boolean(),
        securityContext: z.looseObject({
          runAsNonRoot: z.literal(true),
          runAsUser: z.number(),
          fsGroup: z.number(),
        }),
        containers: z.array(Container).length(1),
        volumes: z.array(
          z.looseObject({
            name: z.string(),
            secret: z
              .object({
                secretName: z.string(),
                items: z.array(z.object({ key: z.string(), path: z.string() })),
                defaultMode: z.number(),
              })
              .optional(),
          }),
        ),
      }),
    }),
  }),
});
const Service = z.looseObject({
  spec: z.looseObject({
    selector: z.record(z.string(), z.string()),
    ports: z.array(
      z.object({
        name: z.string(),
        port: z.number(),
        targetPort: z.union([z.string(), z.number()]),
        protocol: z.string(),
      }),
    ),
  }),
});
const ServiceMonitor = z.looseObject({
  spec: z.object({
    selector: z.object({ matchLabels: z.record(z.string(), z.string()) }),
    endpoints: z.array(z.looseObject({ port: z.string(), path: z.string(), interval: z.string() })),
  }),
});
const Secret = z.looseObject({ type: z.literal('Opaque'), stringData: z.record(z.string(), z.string()) });

const deployment = Deployment.parse(objects.get('Deployment'));
const pod = deployment.spec.template.spec;
const container = pod.containers[0] as z.infer<typeof Container>;
const service = Service.parse(objects.get('Service'));
const serviceMonitor = ServiceMonitor.parse(objects.get('ServiceMonitor'));
const secret = Secret.parse(objects.get('Secret'));
const secretName = objects.get('Secret')?.metadata.name;

/** Whether every label of `selector` is in `labels`. */
function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('deploy/kubernetes', () => {
  it('holds a Deployment, Service, ServiceMonitor, PrometheusRule and an example Secret, each named', () => {
    expect([...objects.keys()].sort()).toEqual([
      'Deployment',
      'PrometheusRule',
      'Secret',
      'Service',
      'ServiceMonitor',
    ]);
    expect(objects.get('ServiceMonitor')?.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(objects.get('PrometheusRule')?.apiVersion).toBe('monitoring.coreos.com/v1');
  });

  it('has a kustomization.yaml that lists every manifest except the example Secret', () => {
    const kustomization = z
      .object({ apiVersion: z.string(), kind: z.literal('Kustomization'), resources: z.array(z.string()) })
      .parse(parse(readRepoFile(`${DIR}/kustomization.yaml`)));
    expect(kustomization.resources.sort()).toEqual(
      files.filter((file) => file !== 'kustomization.yaml' && file !== 'secret.example.yaml'),
    );
  });
});

describe('the Deployment', () => {
  it('runs one replica of a pod its selector selects', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
      true,
    );
  });

  it('runs as the image user, non-root, read-only, without capabilities or service links', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
    // Service links would put AAISP_EXPORTER_PORT and friends into the exporter's variable space.
    expect(pod.enableServiceLinks).toBe(false);
  });

  it('probes liveness on /health and readiness on /ready of its metrics port', () => {
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'metrics' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'metrics' });
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9099, protocol: 'TCP' }]);
  });

  it('sets resource requests and limits', () => {
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it('reads the password as a file from the Secret, readable by the pod group, never as a variable', () => {
    const fileVariable = container.env.find((v) => v.name === 'AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE');
    const path = fileVariable?.value ?? '';
    const mount = container.volumeMounts.find((m) => path.startsWith(`${m.mountPath}/`));
    expect(mount?.readOnly).toBe(true);
    const volume = pod.volumes.find((v) => v.name === mount?.name);
    expect(volume?.secret?.secretName).toBe(secretName);
    const item = volume?.secret?.items.find((i) => i.path === posix.relative(mount?.mountPath ?? '', path));
    expect(item).toBeDefined();
    expect(Object.keys(secret.stringData)).toContain(item?.key);
    expect(volume?.secret?.defaultMode).toBe(0o440);
    expect(container.env.filter((v) => /PASSWORD$/.test(v.name))).toEqual([]);
    for (const variable of container.env.filter((v) => v.valueFrom !== undefined)) {
      expect(variable.valueFrom?.secretKeyRef.name).toBe(secretName);
      expect(Object.keys(secret.stringData)).toContain(variable.valueFrom?.secretKeyRef.key);
    }
  });

  it('sets a configuration the exporter accepts, with the example Secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaisp-kubernetes-'));
    scratch.push(dir);
    const env: Record<string, string> = {};
    for (const variable of container.env) {
      const key = variable.valueFrom?.secretKeyRef.key;
      env[variable.name] = key === undefined ? (variable.value ?? '') : (secret.stringData[key] ?? '');
    }
    // The mounted Secret, under the scratch directory.
    const mount = container.volumeMounts.find((m) => m.name === 'chaos-credentials');
    for (const item of pod.volumes.find((v) => v.name === mount?.name)?.secret?.items ?? []) {
      writeFileSync(join(dir, item.path), secret.stringData[item.key] ?? '');
    }
    const passwordFile = env.AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE ?? '';
    env.AAISP_EXPORTER_AUTH__CONTROL_PASSWORD_FILE = join(
      dir,
      posix.relative(mount?.mountPath ?? '', passwordFile),
    );
    const result = checkConfig(env);
    expect(result.output).toMatch(/configuration is valid/);
    expect(result.status).toBe(0);
  });
});

describe('the Service and the ServiceMonitor', () => {
  it('expose the container port 9099 as `metrics`', () => {
    expect(service.spec.ports).toEqual([
      { name: 'metrics', port: 9099, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    expect(selects(service.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
  });

  it('scrape /metrics on that port, under a job (the Service name) that AAISPExporterDown matches', () => {
    expect(selects(serviceMonitor.spec.selector.matchLabels, objects.get('Service')?.metadata.labels)).toBe(
      true,
    );
    expect(serviceMonitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: 'metrics', path: '/metrics' }),
    ]);
    const regex = /up\{job=~"([^"]+)"\}/.exec(readRepoFile('deploy/prometheus/alerts.yml'))?.[1];
    expect(new RegExp(`^(?:${regex})$`).test(objects.get('Service')?.metadata.name ?? '')).toBe(true);
  });
});

describe('the PrometheusRule', () => {
  it('is up to date with deploy/prometheus (node apps/exporter/scripts/prometheus-rule.ts)', () => {
    expect(
      readRepoFile(PROMETHEUS_RULE_FILE),
      `${PROMETHEUS_RULE_FILE} is out of date: run node apps/exporter/scripts/prometheus-rule.ts`,
    ).toBe(renderPrometheusRule());
  });

  it('holds exactly the groups of rules.yml and alerts.yml', () => {
    const spec = z
      .object({ spec: z.object({ groups: z.array(z.unknown()) }) })
      .parse(objects.get('PrometheusRule')).spec;
    expect(spec.groups).toEqual(RULE_FILES.flatMap((file) => ruleGroups(file)));
  });
});

describe('the example Secret', () => {
  it('holds a placeholder, not a password', () => {
    expect(secret.stringData['control-password']).toMatch(/^REPLACE-/);
  });
});
