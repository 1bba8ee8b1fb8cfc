import { defineConfig, type Options } from 'tsup';

const options: Options = {
  // Two library entries: the root, which never loads msw, and the msw handlers (`./msw`).
  entry: ['src/index.ts', 'src/msw.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  dts: { entry: ['src/index.ts', 'src/msw.ts'] },
  sourcemap: true,
  clean: true,
  // msw is an optional peer: the caller's copy must be the one whose handlers they register.
  external: ['msw'],
};

const config: ReturnType<typeof defineConfig> = defineConfig(options);

export default config;
