/**
 * The repository around this package: its root, and its files read as text (deploy/, docs/, the
 * manifests), for the deploy tests and the bench, which reads deploy/Dockerfile.
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** The repository root (`file:` URL, trailing slash), for reading deploy/ and docs/. */
export const REPO_ROOT: URL = new URL('../../../', import.meta.url);

/** Reads a file of the repository as text; `path` is relative to the repository root. */
export function readRepoFile(path: string): string {
  return readFileSync(new URL(path, REPO_ROOT), 'utf8');
}
