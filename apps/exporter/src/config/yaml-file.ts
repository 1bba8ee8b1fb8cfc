/**
 * Reading configuration files without leaking them: a file that cannot be read is reported by its
 * path and the system's error code, and a YAML syntax error by its line, column and a reason in our
 * own words (`yaml-syntax-error.ts`), never the parser's message, which quotes the file. Shared by
 * the accounts file and the web-config file.
 *
 * @module
 */

import { isScalar, type ParsedNode, parseDocument } from 'yaml';
import { errorCode } from '../error-code.ts';
import { describeAliasFailure, describeYamlError, type YamlSyntaxError } from './yaml-syntax-error.ts';

export type { YamlSyntaxError } from './yaml-syntax-error.ts';

/** Why a file could not be read: its path and the system's error code, never its content. */
export function cannotRead(path: string, error: unknown): string {
  const code = errorCode(error);
  return `cannot read ${path}${code === undefined ? '' : ` (${code})`}`;
}

/** The result of {@link parseYamlText}: the document, or where and why it is not valid YAML. */
export type YamlText =
  | { readonly ok: true; readonly document: unknown }
  | ({ readonly ok: false } & YamlSyntaxError);

/**
 * Parses YAML text. Only the first syntax error is reported: the parser's later ones are mostly
 * consequences of it. The parser is kept quiet (`logLevel: 'error'`): its warnings quote the text.
 */
export function parseYamlText(text: string): YamlText {
  const document = parseDocument(text, { prettyErrors: false, logLevel: 'error', uniqueKeys: sameKey });
  const [first] = document.errors;
  if (first !== undefined)
    return { ok: false, ...describeYamlError(text, { code: first.code, offset: first.pos[0] }) };
  try {
    return { ok: true, document: document.toJS() };
  } catch {
    // Only aliases fail here (unresolved, or expanding too far); the thrown message names the anchor.
    return { ok: false, ...describeAliasFailure(text, document) };
  }
}

/**
 * Two keys of one mapping are the same when they read the same as text: the documents become
 * objects, whose keys are text, so `32001:` and `"32001":` under `names:` would otherwise be one
 * key and the first silently lost.
 */
function sameKey(a: ParsedNode, b: ParsedNode): boolean {
  if (isScalar(a) && isScalar(b)) return a.value === b.value || String(a.value) === String(b.value);
  return a === b;
}

/**
 * The problem message for a YAML syntax error in `path`, e.g. `/etc/aaisp/accounts.yml line 4,
 * column 23: unclosed double-quoted string`.
 */
export function notValidYaml(path: string, error: YamlSyntaxError): string {
  const where = error.line === undefined ? '' : ` line ${error.line}, column ${error.column ?? 1}`;
  return `${path}${where}: ${error.reason}`;
}
