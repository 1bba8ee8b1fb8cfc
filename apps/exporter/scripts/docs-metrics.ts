/**
 * Writes `docs/metrics.md` at the repository root from the metric definitions and the exporter's
 * collector bindings (`src/docs/metrics-reference.ts`).
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 docs:metrics` (or
 * `npx -y pnpm@12.21.0 --filter @aaisp/exporter docs:metrics`).
 * `src/docs/metrics-reference.test.ts` fails when the committed file differs from what this writes.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderMetricsReference } from '../src/docs/metrics-reference.ts';

const target = new URL('../../../docs/metrics.md', import.meta.url);

await mkdir(new URL('.', target), { recursive: true });
await writeFile(target, renderMetricsReference());
console.log(`wrote ${fileURLToPath(target)}`);
