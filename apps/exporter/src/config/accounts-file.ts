/**
 * The accounts file (`AAISP_EXPORTER_CONFIG_FILE`): a YAML list of named CHAOS accounts, for
 * collecting several accounts from one exporter. Each account takes the same credential fields as
 * the `AUTH__…` variables, in snake case, with `*_password_file` for secrets, and optionally its
 * lines' CQM links (`cqm:`) and names (`names:`). Problems are named
 * `…CONFIG_FILE <path>: accounts.<n>.<field>`; the file's text is never quoted (it holds passwords).
 *
 * @module
 */

import * as z from 'zod';
import type { AccountPart } from '../collectors/index.ts';
import type { AccountConfig, CqmLineConfig } from '../model/account.ts';
import { cqmLink } from './cqm-urls.ts';
import { type FieldLabel, toAuth } from './credentials.ts';
import { lineNamesFromRecord } from './line-names.ts';
import type { ConfigProblem } from './problem.ts';
import { isFailedSecret, readSecret } from './secrets.ts';
import { PREFIX } from './settings.ts';
import { cannotRead, notValidYaml, parseYamlText } from './yaml-file.ts';

const VARIABLE = `${PREFIX}CONFIG_FILE`;

/** The name is the `account` label and what sharding hashes: a conservative, DNS-label-like form. */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

// Loose: a data source's part (`DataSource.accountPart`) sits beside these fields, read below.
const YamlAccount = z.looseObject({
  name: z.string().regex(ACCOUNT_NAME, 'must be letters, digits, - or _ (at most 63)'),
  control_login: z.string().optional(),
  control_password: z.string().optional(),
  control_password_file: z.string().optional(),
  account_number: z.string().optional(),
  account_password: z.string().optional(),
  account_password_file: z.string().optional(),
  // Line ID → its CQM link, inline (`url`) or by file (`url_file`), like the passwords.
  cqm: z
    .record(z.string(), z.strictObject({ url: z.string().optional(), url_file: z.string().optional() }))
    .optional(),
  // Line ID → the name shown for it; each entry is checked on its own (line-names.ts).
  names: z.record(z.string(), z.unknown()).optional(),
});
type YamlAccount = z.infer<typeof YamlAccount>;

const YamlConfig = z.object({ accounts: z.array(YamlAccount).min(1, 'must list at least one account') });

/**
 * The accounts listed in the file at `path`. Every problem (unreadable file, bad YAML, a field
 * that does not validate, an account without credentials) is added to `problems`; an account
 * with a problem is left out of the result.
 */
export function accountsFromFile(
  path: string,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
  parts: readonly AccountPart[] = [],
): AccountConfig[] {
  for (const part of parts) {
    if (part.key in YamlAccount.shape)
      throw new Error(`a source's account part may not be called ${part.key}`);
  }
  const entries = readEntries(path, readFile, problems);
  const accounts: AccountConfig[] = [];
  entries.forEach((entry, index) => {
    const where = (field: string): string => `${VARIABLE} ${path}: accounts.${index}.${field.toLowerCase()}`;
    const result = accountFrom(entry, where, readFile, parts);
    problems.push(...result.problems);
    if (result.account !== undefined) accounts.push(result.account);
  });
  return accounts;
}

/** Reads, parses and validates the file; no entries (and the problems) when any step fails. */
function readEntries(
  path: string,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): YamlAccount[] {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    problems.push({ variable: VARIABLE, message: cannotRead(path, error) });
    return [];
  }
  // The YAML parser's message quotes the offending text, which may be a password: only where and
  // what kind of mistake, in our words.
  const yaml = parseYamlText(text);
  if (!yaml.ok) {
    problems.push({ variable: VARIABLE, message: notValidYaml(path, yaml) });
    return [];
  }
  const parsed = YamlConfig.safeParse(yaml.document);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        variable: `${VARIABLE} ${path}: ${issue.path.join('.') || '(document)'}`,
        message: issue.message,
      });
    }
    return [];
  }
  return parsed.data.accounts;
}

/**
 * One validated entry as an account, its secret files read through `readFile`. Its problems come
 * back beside it, named by `where`; an entry with no credential field at all is a problem too,
 * since naming an account promises to collect it.
 */
function accountFrom(
  entry: YamlAccount,
  where: FieldLabel,
  readFile: (path: string) => string,
  parts: readonly AccountPart[],
): { readonly account: AccountConfig | undefined; readonly problems: readonly ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const secret = (value: string | undefined, file: string | undefined, field: string) =>
    readSecret(value, file, { value: where(field), file: where(`${field}_FILE`) }, readFile, problems);
  const auth = toAuth(
    {
      controlLogin: entry.control_login,
      controlPassword: secret(entry.control_password, entry.control_password_file, 'CONTROL_PASSWORD'),
      accountNumber: entry.account_number,
      accountPassword: secret(entry.account_password, entry.account_password_file, 'ACCOUNT_PASSWORD'),
    },
    where,
    problems,
  );
  if (auth === undefined && problems.length === 0) {
    problems.push({ variable: where('name'), message: `account ${entry.name} has no credentials` });
  }
  const cqm = cqmLinksOf(entry, where, readFile, problems);
  // Not through `where`, which lower-cases: a bad line ID is shown as it was typed.
  const lineNames = lineNamesFromRecord(
    entry.names ?? {},
    (lineId) => `${where('names')}.${lineId}`,
    problems,
  );
  const sourceParts = sourcePartsOf(entry, parts, where, problems);
  return {
    account:
      auth === undefined
        ? undefined
        : {
            name: entry.name,
            auth,
            ...(cqm.length > 0 ? { cqm } : {}),
            ...(Object.keys(lineNames).length > 0 ? { lineNames } : {}),
            ...(Object.keys(sourceParts).length > 0 ? { parts: sourceParts } : {}),
          },
    problems,
  };
}

/** The entry's data-source parts that are present, each validated by its source's schema. */
function sourcePartsOf(
  entry: YamlAccount,
  parts: readonly AccountPart[],
  where: FieldLabel,
  problems: ConfigProblem[],
): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const part of parts) {
    const value = entry[part.key];
    if (value === undefined) continue;
    const parsed = part.schema.safeParse(value);
    if (parsed.success) {
      found[part.key] = parsed.data;
      continue;
    }
    for (const issue of parsed.error.issues) {
      problems.push({
        variable: where([part.key, ...issue.path.map(String)].join('.')),
        message: issue.message,
      });
    }
  }
  return found;
}

/** The entry's `cqm:` lines, each URL read inline or from its `url_file`; never quoted in a problem. */
function cqmLinksOf(
  entry: YamlAccount,
  where: FieldLabel,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): CqmLineConfig[] {
  const lines: CqmLineConfig[] = [];
  for (const [lineId, link] of Object.entries(entry.cqm ?? {})) {
    const field = `cqm.${lineId}.url`;
    const url = readSecret(
      link.url,
      link.url_file,
      { value: where(field), file: where(`${field}_FILE`) },
      readFile,
      problems,
    );
    // A link that was given but failed to read is already reported.
    if (isFailedSecret(url)) continue;
    if (url === undefined) {
      problems.push({ variable: where(field), message: "give url_file (or url): the line's CQM CSV link" });
      continue;
    }
    const line = cqmLink(lineId, url, where(field), problems);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}
