/**
 * Writes the docs generated from the metric definitions and the exporter's collector bindings:
 * - `docs/metrics.md` at the repository root (`src/docs/metrics-reference.ts`), whole;
 * - the generated blocks of `apps/exporter/README.md` (`src/docs/readme-tables.ts`: the tiers
 *   table, the collector switches and the self-metrics table), only between their
 *   `<!-- generated:NAME … -->` and `<!-- /generated:NAME -->` lines. A missing marker is an error,
 *   and then nothing is written.
 *
 * Run from the repository root: `npx -y pnpm@12.21.0 docs:metrics` (or
 * `npx -y pnpm@12.21.0 --filter @aaisp/exporter docs:metrics`).
 * `src/docs/metrics-reference.test.ts` and `src/docs/readme-tables.test.ts` fail when the committed
 * files differ from what this writes.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderMetricsReference } from '../src/docs/metrics-reference.ts';
import { renderReadmeBlocks, replaceGeneratedBlocks } from '../src/docs/readme-tables.ts';

const reference = new URL('../../../docs/metrics.md', import.meta.url);
const readme = new URL('../README.md', import.meta.url);

// Render everything before writing anything: a README without its markers fails the whole run.
const referenceText = renderMetricsReference();
let readmeText: string;
try {
  readmeText = replaceGeneratedBlocks(await readFile(readme, 'utf8'), renderReadmeBlocks());
} catch (error) {
  console.error(`cannot update ${fileURLToPath(readme)}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

await mkdir(new URL('.', reference), { recursive: true });
await writeFile(reference, referenceText);
console.log(`wrote ${fileURLToPath(reference)}`);
await writeFile(readme, readmeText);
console.log(`wrote ${fileURLToPath(readme)} (generated blocks only)`);
