import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.shared.ts';

const config: ReturnType<typeof defineConfig> = defineConfig(
  libraryOptions({
    // Two library entries: the root, which never loads msw, and the msw handlers (`./msw`).
    entry: ['src/index.ts', 'src/msw.ts', 'src/cli.ts'],
    dtsEntry: ['src/index.ts', 'src/msw.ts'],
    // msw is an optional peer: the caller's copy must be the one whose handlers they register.
    external: ['msw'],
  }),
);

export default config;
