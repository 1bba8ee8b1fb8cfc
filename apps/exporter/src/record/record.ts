/**
 * `aaisp-exporter record --out DIR`: calls every CHAOS read command once per account and writes
 * each answer, redacted (see `redact.ts`), as one JSON file, then GETs each configured line's CQM
 * CSV (see `cqm-record.ts`), so a user can attach the real shapes of their account to a bug
 * report. Failures are recorded too: their shape is often the bug.
 *
 * @module
 */

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ChaosClient, DEFAULT_TIMEOUT_MS, isChaosError } from '@aaisp/chaos-client';
import { CQM_COMMAND } from '../collectors/index.ts';
import type { CqmLineConfig } from '../config/config.ts';
import { cqmRedactions, recordCqmLine } from './cqm-record.ts';
import { createRedactor } from './redact.ts';

/** One account to record. */
export interface RecordAccount {
  readonly name: string;
  readonly client: ChaosClient;
  /** Its control login, if any: replaced wherever CHAOS echoes it. */
  readonly login?: string | undefined;
  /** Its passwords: cut out of anything written, wherever they appear. */
  readonly secrets: readonly string[];
  /** Its lines' CQM links: each CSV is recorded, and the links are cut out of everything. */
  readonly cqm?: readonly CqmLineConfig[] | undefined;
}

/** What {@link recordAccounts} needs. */
export interface RecordOptions {
  readonly accounts: readonly RecordAccount[];
  /** Created if missing; must be empty, so a report never mixes runs or overwrites a user's files. */
  readonly outDir: string;
  readonly version: string;
  readonly now?: (() => Date) | undefined;
  /** Per CQM fetch, ms. Default the SDK's {@link DEFAULT_TIMEOUT_MS}, as for any fetch it makes. */
  readonly cqmTimeoutMs?: number | undefined;
  /** What GETs the CQM links; defaults to the global `fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** The `User-Agent` of the CQM fetches; defaults to the SDK's. */
  readonly userAgent?: string | undefined;
}

/** One command's result, as written. */
export interface RecordedCommand {
  readonly account: string;
  readonly command: string;
  readonly file: string;
  readonly outcome: 'ok' | 'error' | 'skipped';
}

/** Commands that need no parameter. All are reads (docs/chaos-api.md §1). */
const PLAIN_COMMANDS = [
  'broadband/services',
  'broadband/info',
  'broadband/quota',
  'login/services',
  'telephony/ratecard',
  'telephony/services',
] as const;

/**
 * Commands about one service, asked about the first service its list command returned. Ordering
 * commands (`availability`, `check`) need an address or number to quote for and are left out.
 */
const SERVICE_COMMANDS = [
  { command: 'broadband/usage', list: 'broadband/services' },
  { command: 'login/info', list: 'login/services' },
  { command: 'telephony/info', list: 'telephony/services' },
] as const;

/** The first service ID in a `…/services` answer. Its entries are strings as far as anyone knows [?]; anything else is skipped. */
function firstService(answer: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const services = answer?.services;
  if (!Array.isArray(services)) return undefined;
  return services.find((entry): entry is string => typeof entry === 'string' && entry !== '');
}

/**
 * Records every account. Throws (before any call) only when `outDir` cannot be used; a failing
 * command is written as an error record and the rest go on.
 *
 * @example
 * ```ts
 * const recorded = await recordAccounts({ accounts: [{ name: 'default', client, login, secrets: [password] }], outDir: './chaos-record', version });
 * ```
 */
export async function recordAccounts(options: RecordOptions): Promise<RecordedCommand[]> {
  const now = options.now ?? (() => new Date());
  await mkdir(options.outDir, { recursive: true });
  if ((await readdir(options.outDir)).length > 0) {
    throw new Error(`${options.outDir} is not empty: record into a new or empty directory`);
  }
  const links = options.accounts.flatMap((account) => account.cqm ?? []);
  // Every link is known before the first call, so no file (CHAOS's included) can carry one.
  const cqm = cqmRedactions(links);
  const redactor = createRedactor({
    secrets: [...options.accounts.flatMap((account) => account.secrets), ...cqm.secrets],
    names: cqm.names,
  });
  for (const account of options.accounts) if (account.login) redactor.addLogin(account.login);

  const recorded: RecordedCommand[] = [];
  for (const account of options.accounts) {
    const dir = join(options.outDir, account.name);
    await mkdir(dir, { recursive: true });
    const answers = new Map<string, Readonly<Record<string, unknown>>>();
    const save = async (command: string, content: Record<string, unknown>): Promise<void> => {
      const file = join(dir, `${command.replace('/', '-')}.json`);
      const document = { command, recordedAt: now().toISOString(), ...content };
      await writeFile(file, `${JSON.stringify(redactor.redact(document), null, 2)}\n`);
      const outcome = content.outcome === 'ok' ? 'ok' : content.outcome === 'skipped' ? 'skipped' : 'error';
      recorded.push({ account: account.name, command, file, outcome });
    };
    const call = async (command: string, params: Record<string, string>): Promise<void> => {
      const [subsystem = '', name = ''] = command.split('/');
      try {
        const { body } = await account.client.request(subsystem, name, params);
        answers.set(command, body);
        // login/services lists control logins outside any login key: make them pseudonyms too.
        if (command === 'login/services') {
          for (const entry of Array.isArray(body.services) ? body.services : []) {
            if (typeof entry === 'string') redactor.addLogin(entry);
          }
        }
        await save(command, { params, outcome: 'ok', answer: body });
      } catch (error) {
        const detail = isChaosError(error)
          ? {
              kind: error.kind,
              message: error.message,
              ...(error.status === undefined ? {} : { status: error.status }),
            }
          : { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
        await save(command, { params, outcome: 'error', error: detail });
      }
    };

    for (const command of PLAIN_COMMANDS) await call(command, {});
    for (const { command, list } of SERVICE_COMMANDS) {
      const service = firstService(answers.get(list));
      if (service === undefined) {
        await save(command, { outcome: 'skipped', reason: `${list} named no service to ask about` });
      } else {
        if (list === 'login/services') redactor.addLogin(service);
        await call(command, { service });
      }
    }
    // After CHAOS, so logins and postcodes its answers taught the redactor are masked here too.
    for (const line of account.cqm ?? []) {
      const { file, outcome } = await recordCqmLine(line, {
        dir,
        redactor,
        now,
        timeoutMs: options.cqmTimeoutMs ?? DEFAULT_TIMEOUT_MS,
        fetch: options.fetch,
        userAgent: options.userAgent,
      });
      recorded.push({ account: account.name, command: CQM_COMMAND, file, outcome });
    }
  }

  await writeFile(
    join(options.outDir, 'README.txt'),
    [
      `CHAOS answers recorded by aaisp-exporter ${options.version} on ${now().toISOString()}.`,
      'Passwords are removed, postcodes keep only their pattern (letters X, digits 9) and logins',
      'are replaced by pseudonyms (user1@a, ...). Line IDs, phone numbers and quota figures are',
      'left as CHAOS sent them: read the files before you attach them to a public bug report.',
      ...(links.length === 0
        ? []
        : [
            '',
            "cqm-<line_id>.csv is each configured line's CQM CSV as A&A sent it; a failed fetch is",
            'cqm-<line_id>.error.json instead (kind, HTTP status and the masked link only). Each CQM',
            'link is a password: the link itself and its secret are cut out of every file, and the',
            "link's name (the <name> of .../<name>.csv) is replaced by line<ID> in every file. The",
            'same redactions as above apply to the CSVs.',
          ]),
      '',
    ].join('\n'),
  );
  return recorded;
}
