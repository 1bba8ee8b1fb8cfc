/**
 * Writes `docs/metrics.md` at the repository root from the collectors' metric definitions.
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 --filter @aaisp/collectors docs:metrics`.
 * `src/docs-metrics.test.ts` fails when the committed file differs from what this writes.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderMetricsDoc } from '../src/docs-metrics.ts';

const target = new URL('../../../docs/metrics.md', import.meta.url);

await mkdir(new URL('.', target), { recursive: true });
await writeFile(target, renderMetricsDoc());
console.log(`wrote ${fileURLToPath(target)}`);
