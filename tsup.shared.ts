// Shared tsup options for the published libraries: ESM only, for Node, with declarations and
// source maps. Each package's tsup.config.ts names only its entries (and what stays external).
import type { Options } from 'tsup';

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
    ...(build.external === undefined ? {} : { external: [...build.external] }),
  };
}
