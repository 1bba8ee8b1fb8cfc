/**
 * Writes deploy/kubernetes/prometheusrule.yaml: the Prometheus Operator's `PrometheusRule` holding
 * the groups of deploy/prometheus/rules.yml and alerts.yml, comments included, so Kubernetes gets
 * exactly the rules that promtool tests. Those two files are the source; never edit the output.
 *
 * Run from the repository root after changing them:
 * `node apps/exporter/scripts/prometheus-rule.ts` (writes), or with `--check` (exits 1 when the
 * file is out of date). apps/exporter/test/deploy/kubernetes.test.ts fails when it is.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Document, isSeq, parseDocument, type YAMLSeq } from 'yaml';

const REPO_ROOT = new URL('../../..', import.meta.url);

/** The rule files embedded, in order (recording rules first: the alerts use them). */
export const RULE_FILES: readonly string[] = ['deploy/prometheus/rules.yml', 'deploy/prometheus/alerts.yml'];

/** Where the generated resource goes. */
export const PROMETHEUS_RULE_FILE = 'deploy/kubernetes/prometheusrule.yaml';

const HEADER = [
  ' Generated from deploy/prometheus/rules.yml and alerts.yml by',
  ' apps/exporter/scripts/prometheus-rule.ts: edit those and run it, never this file.',
  '',
  ' For the Prometheus Operator (monitoring.coreos.com/v1). kube-prometheus-stack only selects',
  ' PrometheusRules with its release label by default: add `release: <your release name>` below',
  ' (or in kustomization.yaml), or set its ruleSelectorNilUsesHelmValues to false.',
].join('\n');

function readRepoFile(path: string): string {
  return readFileSync(new URL(path, REPO_ROOT), 'utf8');
}

/** The `groups` sequence of one rule file, as parsed nodes (their comments kept). */
function groupsOf(path: string, text: string): YAMLSeq {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message}`);
  const groups = document.get('groups', true);
  if (!isSeq(groups)) throw new Error(`${path}: has no \`groups\` list`);
  return groups;
}

/**
 * The PrometheusRule YAML for the given rule files' texts (by default, the repository's).
 *
 * @throws {Error} when a file is not YAML or has no `groups` list.
 */
export function renderPrometheusRule(
  texts: readonly string[] = RULE_FILES.map((path) => readRepoFile(path)),
): string {
  const document = new Document({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'aaisp-exporter',
      labels: { 'app.kubernetes.io/name': 'aaisp-exporter', 'app.kubernetes.io/component': 'exporter' },
    },
    spec: { groups: [] },
  });
  const groups = document.getIn(['spec', 'groups'], true) as YAMLSeq;
  texts.forEach((text, index) => {
    groups.items.push(...groupsOf(RULE_FILES[index] ?? `file ${index}`, text).items);
  });
  document.commentBefore = HEADER;
  return document.toString({ lineWidth: 0 });
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean' } } });
  const rendered = renderPrometheusRule();
  const target = new URL(PROMETHEUS_RULE_FILE, REPO_ROOT);
  if (values.check === true) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // Missing counts as out of date.
    }
    if (current !== rendered) {
      console.error(
        `${PROMETHEUS_RULE_FILE} is out of date: run node apps/exporter/scripts/prometheus-rule.ts`,
      );
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(target, rendered);
  console.log(`wrote ${PROMETHEUS_RULE_FILE}`);
}

if (import.meta.main) main();
