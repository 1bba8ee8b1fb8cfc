import { defineConfig, type Options } from 'tsup';

const options: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
};

const config: ReturnType<typeof defineConfig> = defineConfig(options);

export default config;
