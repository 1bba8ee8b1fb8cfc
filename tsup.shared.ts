// Shared tsup options for the published libraries: ESM only, for Node, with declarations and
// source maps. Each package's tsup.config.ts names only its entries (and what stays external).
import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Our sources read only `version` from their own `package.json` (user agents, `--version`): a
 * build gets `{ "version": … }` and not the whole file, whose `workspace:` ranges, scripts and
 * development dependencies have no place in a published bundle. Dependencies' own package.json
 * files (under node_modules) are left as they are.
 */
export const versionOnlyPackageJson: EsbuildPlugin = {
  name: 'version-only-package-json',
  setup(build) {
    build.onLoad({ filter: /[\\/]package\.json$/ }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const parsed: unknown = JSON.parse(readFileSync(args.path, 'utf8'));
      const version =
        typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined;
      if (typeof version !== 'string') throw new Error(`${args.path} has no version`);
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

/** What differs between the libraries' builds. */
export interface LibraryBuild {
  /** Every module to build, library entries and CLIs alike. */
  readonly entry: readonly string[];
  /** The entries that get `.d.ts` files; default: all of `entry`. */
  readonly dtsEntry?: readonly string[];
  /** Imports left to the consumer's copy (peers). */
  readonly external?: readonly string[];
}

/** The tsup options of a library build. */
export function libraryOptions(build: LibraryBuild): Options {
  return {
    entry: [...build.entry],
    format: ['esm'],
    target: 'node22',
    platform: 'node',
    dts: build.dtsEntry === undefined ? true : { entry: [...build.dtsEntry] },
    sourcemap: true,
    clean: true,
    esbuildPlugins: [versionOnlyPackageJson],
    ...(build.external === undefined ? {} : { external: [...build.external] }),
  };
}
