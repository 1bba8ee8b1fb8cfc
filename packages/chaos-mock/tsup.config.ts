import { defineConfig, type Options } from 'tsup';

const options: Options = {
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  // msw is a peer: the caller's copy must be the one whose handlers they register.
  external: ['msw'],
};

const config: ReturnType<typeof defineConfig> = defineConfig(options);

export default config;
