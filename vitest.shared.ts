// Shared test options for every package. It must not declare `projects`: a config listed in the
// root `projects` that itself has `projects` becomes a container in Vitest 5.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const shared: ViteUserConfig = defineConfig({
  resolve: { conditions: ['@aaisp/source'] },
  ssr: { resolve: { conditions: ['@aaisp/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    testTimeout: 20_000,
  },
});

export default shared;
