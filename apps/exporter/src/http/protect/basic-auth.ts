/**
 * HTTP basic auth against the web-config file's bcrypt hashes, the way exporter-toolkit does it:
 * successful checks are cached (bcrypt is slow on purpose, ~50–100 ms at cost 10, and Prometheus
 * sends the same credentials on every scrape), an unknown user still costs one bcrypt compare so
 * timing does not tell which users exist, and compares run one at a time so a flood of wrong
 * passwords costs one core, not all of them.
 *
 * @module
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { compare as bcryptCompare, truncates } from 'bcryptjs';
import { createSemaphore } from '../../schedule/semaphore.ts';

/** The `WWW-Authenticate` header of every 401. */
export const WWW_AUTHENTICATE = 'Basic realm="aaisp-exporter", charset="UTF-8"';

/** Compares a password with a bcrypt hash. Injected in tests to count calls. */
export type PasswordCompare = (password: string, hash: string) => Promise<boolean>;

/** What {@link createBasicAuth} needs. */
export interface BasicAuthOptions {
  /** User name → bcrypt hash, as validated by the web-config loader. */
  readonly users: ReadonlyMap<string, string>;
  /** Default: bcryptjs `compare`. */
  readonly compare?: PasswordCompare | undefined;
  /** How many successful (user, password) checks to remember. Default 100, like the toolkit. */
  readonly cacheSize?: number | undefined;
  /**
   * How many bcrypt checks may wait for their turn. Beyond that a check is refused as `busy` at
   * once: under a flood of wrong passwords, waiting requests would otherwise pile up without
   * bound. Default 64.
   */
  readonly maxWaiting?: number | undefined;
}

/**
 * Why a request was refused. `missing`: no `Authorization: Basic`; `malformed`: not decodable;
 * `wrong`: unknown user or wrong password (never told apart); `busy`: too many checks waiting.
 */
export type AuthRefusal = 'missing' | 'malformed' | 'wrong' | 'busy';

/** The outcome of {@link BasicAuth.check}. */
export type AuthResult =
  | { readonly ok: true; readonly user: string }
  | { readonly ok: false; readonly kind: AuthRefusal };

/** Checks `Authorization` headers. */
export interface BasicAuth {
  /**
   * Checks one request's `Authorization` header value. Never throws. An aborted `signal` (the
   * client went away) skips a bcrypt check still waiting for its turn.
   */
  check(authorization: string | undefined, signal?: AbortSignal): Promise<AuthResult>;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The cost (`$2b$10$…` → 10) of a validated bcrypt hash. */
const costOf = (hash: string): number => Number(hash.slice(4, 6));

/**
 * A hash no password matches in practice (its checksum is all zero bits), at the given cost, so
 * the compare for an unknown user takes as long as a real one.
 */
const dummyHash = (cost: number): string => `$2b$${String(cost).padStart(2, '0')}$${'.'.repeat(53)}`;

/** Splits `Basic base64(user:password)`; undefined when it is not that. */
function credentials(authorization: string): { user: string; password: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Creates a basic-auth checker for the configured users. */
export function createBasicAuth(options: BasicAuthOptions): BasicAuth {
  const compare = options.compare ?? bcryptCompare;
  const cacheSize = options.cacheSize ?? 100;
  const maxWaiting = options.maxWaiting ?? 64;
  let waiting = 0;
  const users = [...options.users].map(([user, hash]) => ({ user, digest: sha256(user), hash }));
  // The highest configured cost: an unknown user is never the quick case.
  const dummy = dummyHash(users.length === 0 ? 10 : Math.max(...users.map((entry) => costOf(entry.hash))));
  // Keys are SHA-256 digests of (user, hash, password): the plain password is never kept. Map
  // order is insertion order, so the first key is the least recently used.
  const cache = new Map<string, true>();
  const oneAtATime = createSemaphore(1);

  /** The hash for `user`, looked up in time independent of which user (if any) matches. */
  const hashFor = (user: string): { readonly hash: string; readonly known: boolean } => {
    const digest = sha256(user);
    let found: string | undefined;
    for (const entry of users) {
      if (timingSafeEqual(entry.digest, digest)) found = entry.hash;
    }
    return found === undefined ? { hash: dummy, known: false } : { hash: found, known: true };
  };

  return {
    async check(authorization, signal) {
      if (authorization === undefined || authorization === '') return { ok: false, kind: 'missing' };
      const given = credentials(authorization);
      if (given === undefined) return { ok: false, kind: 'malformed' };
      const { hash, known } = hashFor(given.user);
      const key = sha256(JSON.stringify([given.user, hash, given.password])).toString('hex');
      if (known && cache.has(key)) {
        cache.delete(key);
        cache.set(key, true);
        return { ok: true, user: given.user };
      }
      if (waiting >= maxWaiting) return { ok: false, kind: 'busy' };
      waiting++;
      let matches = false;
      try {
        matches = await oneAtATime.run(() => compare(given.password, hash), signal);
      } catch {
        // A compare that throws, or a wait the client abandoned: not authenticated either way.
      } finally {
        waiting--;
      }
      // bcrypt reads only the first 72 bytes; Go's bcrypt (the toolkit's) refuses longer
      // passwords, so a longer one never passes here either, whatever its first 72 bytes.
      if (!known || !matches || truncates(given.password)) return { ok: false, kind: 'wrong' };
      cache.set(key, true);
      if (cache.size > cacheSize) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      return { ok: true, user: given.user };
    },
  };
}
