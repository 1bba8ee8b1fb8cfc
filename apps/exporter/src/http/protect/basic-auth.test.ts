import * as bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { createBasicAuth, type PasswordCompare } from './basic-auth.ts';

const PASSWORD = 'Basic-Auth-Pa55';
// Cost 4, the lowest, keeps the real-bcrypt tests quick.
const HASH = bcrypt.hashSync(PASSWORD, 4);
const header = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A compare that records each call's hash and answers like bcrypt would for PASSWORD. */
function countingCompare(): { compare: PasswordCompare; hashes: string[] } {
  const hashes: string[] = [];
  return {
    hashes,
    compare: async (password, hash) => {
      hashes.push(hash);
      return bcrypt.compare(password, hash);
    },
  };
}

describe('createBasicAuth', () => {
  it('accepts the right user and password with the real bcrypt', async () => {
    const auth = createBasicAuth({ users: new Map([['prometheus', HASH]]) });
    expect(await auth.check(header('prometheus', PASSWORD))).toEqual({ ok: true, user: 'prometheus' });
    expect(await auth.check(header('prometheus', 'wrong'))).toEqual({ ok: false, kind: 'wrong' });
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['another scheme', 'Bearer abc', 'malformed'],
    ['no colon', `Basic ${Buffer.from('prometheus').toString('base64')}`, 'malformed'],
    ['not base64', 'Basic ***', 'malformed'],
  ])('refuses %s without running bcrypt', async (_title, value, kind) => {
    const counting = countingCompare();
    const auth = createBasicAuth({ users: new Map([['prometheus', HASH]]), compare: counting.compare });
    expect(await auth.check(value)).toEqual({ ok: false, kind });
    expect(counting.hashes).toEqual([]);
  });

  it('runs bcrypt for an unknown user too, at the configured cost, and refuses', async () => {
    const counting = countingCompare();
    const auth = createBasicAuth({ users: new Map([['prometheus', HASH]]), compare: counting.compare });
    expect(await auth.check(header('mallory', PASSWORD))).toEqual({ ok: false, kind: 'wrong' });
    expect(counting.hashes).toHaveLength(1);
    expect(counting.hashes[0]).toMatch(/^\$2b\$04\$/);
    expect(counting.hashes[0]).not.toBe(HASH);
  });

  it('caches a success: the second check runs no bcrypt; failures are never cached', async () => {
    const counting = countingCompare();
    const auth = createBasicAuth({ users: new Map([['prometheus', HASH]]), compare: counting.compare });
    await auth.check(header('prometheus', PASSWORD));
    expect(await auth.check(header('prometheus', PASSWORD))).toEqual({ ok: true, user: 'prometheus' });
    expect(counting.hashes).toHaveLength(1);
    await auth.check(header('prometheus', 'wrong'));
    await auth.check(header('prometheus', 'wrong'));
    expect(counting.hashes).toHaveLength(3);
  });

  it('keeps at most cacheSize successes, dropping the least recently used', async () => {
    const counting = countingCompare();
    const users = new Map([
      ['a', HASH],
      ['b', HASH],
      ['c', HASH],
    ]);
    const auth = createBasicAuth({ users, compare: counting.compare, cacheSize: 2 });
    for (const user of ['a', 'b', 'a', 'c']) await auth.check(header(user, PASSWORD));
    // a, b and c each needed bcrypt once; a's second check was a hit. c pushed out b, not a.
    expect(counting.hashes).toHaveLength(3);
    await auth.check(header('a', PASSWORD));
    expect(counting.hashes).toHaveLength(3);
    await auth.check(header('b', PASSWORD));
    expect(counting.hashes).toHaveLength(4);
  });

  it('refuses a password longer than bcrypt reads (72 bytes), as Go’s bcrypt does', async () => {
    const long = 'x'.repeat(72);
    const auth = createBasicAuth({ users: new Map([['prometheus', bcrypt.hashSync(long, 4)]]) });
    expect(await auth.check(header('prometheus', long))).toEqual({ ok: true, user: 'prometheus' });
    expect(await auth.check(header('prometheus', `${long}y`))).toEqual({ ok: false, kind: 'wrong' });
  });

  it('treats a compare that throws as a wrong password', async () => {
    const auth = createBasicAuth({
      users: new Map([['prometheus', HASH]]),
      compare: async () => {
        throw new Error('boom');
      },
    });
    expect(await auth.check(header('prometheus', PASSWORD))).toEqual({ ok: false, kind: 'wrong' });
  });

  it('runs one bcrypt compare at a time', async () => {
    let running = 0;
    let most = 0;
    const auth = createBasicAuth({
      users: new Map([['prometheus', HASH]]),
      compare: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return false;
      },
    });
    await Promise.all(Array.from({ length: 5 }, () => auth.check(header('prometheus', 'wrong'))));
    expect(most).toBe(1);
  });

  it('refuses at once as busy when too many checks wait, and skips a check whose client left', async () => {
    const releases: (() => void)[] = [];
    let compares = 0;
    const auth = createBasicAuth({
      users: new Map([['prometheus', HASH]]),
      maxWaiting: 2,
      compare: () => {
        compares++;
        return new Promise<boolean>((resolve) => releases.push(() => resolve(false)));
      },
    });
    const left = new AbortController();
    const first = auth.check(header('prometheus', 'a'), left.signal);
    const gone = auth.check(header('prometheus', 'b'), left.signal);
    expect(await auth.check(header('prometheus', 'c'))).toEqual({ ok: false, kind: 'busy' });
    left.abort();
    expect(await gone).toEqual({ ok: false, kind: 'wrong' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    releases.shift()?.();
    expect(await first).toEqual({ ok: false, kind: 'wrong' });
    // The first check ran; the abandoned one never reached bcrypt.
    expect(compares).toBe(1);
  });
});
