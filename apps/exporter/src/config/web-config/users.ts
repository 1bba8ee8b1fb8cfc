/**
 * `basic_auth_users`: user names and their bcrypt hashes, checked at start so a typo stops the
 * exporter there rather than refusing every scrape. Passwords are compared with the hashes by
 * `http/protect/basic-auth.ts`.
 *
 * @module
 */

import type { WebConfigProblem } from './context.ts';

/** `$2a$`, `$2b$` or `$2y$`, a cost of 04–31, then 22 characters of salt and 31 of hash. */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/**
 * Checks each user name and bcrypt hash; the hash is never echoed. Returns user → hash for the
 * good ones; each bad one adds a problem to `problems` and is left out.
 */
export function usersFrom(
  problems: WebConfigProblem[],
  users: Readonly<Record<string, string>>,
): Map<string, string> {
  const result = new Map<string, string>();
  for (const [user, hash] of Object.entries(users)) {
    const field = `basic_auth_users.${user}`;
    if (user === '' || user.includes(':')) {
      // Basic auth splits "user:password" at the first colon: such a user could never log in.
      problems.push({ field, message: 'a user name must not be empty or contain ":"' });
    } else if (!BCRYPT_HASH.test(hash)) {
      problems.push({
        field,
        message: 'must be a bcrypt hash ($2a$, $2b$ or $2y$ and 60 characters, e.g. from htpasswd -nBC 10)',
      });
    } else {
      result.set(user, hash);
    }
  }
  return result;
}
