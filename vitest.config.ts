// Root config for IDEs and one-shot `pnpm exec vitest` runs across every package; turbo runs each
// package's own config instead. Globs name config files so non-package files in apps/ or packages/
// are never taken for projects.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const config: ViteUserConfig = defineConfig({
  test: { projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'] },
});

export default config;
