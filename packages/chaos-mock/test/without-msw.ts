/**
 * A Node `--import` hook that makes msw impossible to load, as in a tree where it is not
 * installed: resolving `msw` or any `msw/*` subpath throws `ERR_MODULE_NOT_FOUND`, the error Node
 * gives for a missing package. Used by `optional-msw.test.ts` in a child process.
 *
 * @module
 */

import { registerHooks } from 'node:module';

/** Whether `specifier` names the msw package or one of its subpaths. */
export function isMsw(specifier: string): boolean {
  return specifier === 'msw' || specifier.startsWith('msw/');
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (isMsw(specifier)) {
      throw Object.assign(new Error(`Cannot find package '${specifier}' (hidden by test/without-msw.ts)`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    }
    return nextResolve(specifier, context);
  },
});
