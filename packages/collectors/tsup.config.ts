import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.shared.ts';

const config: ReturnType<typeof defineConfig> = defineConfig(libraryOptions({ entry: ['src/index.ts'] }));

export default config;
