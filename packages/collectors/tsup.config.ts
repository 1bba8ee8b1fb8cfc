import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.shared.ts';

const config: ReturnType<typeof defineConfig> = defineConfig(
  libraryOptions({
    // Two library entries: the root, which never loads prom-client, and the prom-client adapter
    // (`./prom-client`).
    entry: ['src/index.ts', 'src/prom-client.ts'],
    // prom-client is an optional peer: the caller's copy must be the one whose registry they serve.
    external: ['prom-client'],
  }),
);

export default config;
