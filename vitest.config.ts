// Root config for IDEs and one-shot `pnpm vitest` runs across every package; turbo runs each
// package's own config instead.
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { projects: ['packages/*', 'apps/*'] } });
