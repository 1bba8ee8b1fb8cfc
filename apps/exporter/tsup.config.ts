import { defineConfig, type Options } from 'tsup';
import { versionOnlyPackageJson } from '../../tsup.shared.ts';

/**
 * The exporter as plain JavaScript for the image: Node 24 can run the TypeScript source, but type
 * stripping loads a WebAssembly compiler that alone adds ~18 MB of RSS (docs/performance.md).
 * Dependencies, the workspace libraries included, stay imports: the deployed tree has them.
 */
const options: Options = {
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  dts: false,
  sourcemap: true,
  clean: true,
  // The demo mock and `record` stay chunks of their own, loaded only when asked for.
  splitting: true,
  // Keep `node:` specifiers as written: they cannot be shadowed by a package of the same name.
  removeNodeProtocol: false,
  esbuildPlugins: [versionOnlyPackageJson],
};

const config: ReturnType<typeof defineConfig> = defineConfig(options);

export default config;
