/**
 * Reading configuration files without leaking them: a file that cannot be read is reported by its
 * path and the system's error code, and a YAML syntax error by its line only. Shared by the
 * accounts file and the web-config file.
 *
 * @module
 */

import { parse as parseYaml } from 'yaml';

/** Why a file could not be read: its path and the system's error code, never its content. */
export function cannotRead(path: string, error: unknown): string {
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
  return `cannot read ${path}${code}`;
}

/** The result of {@link parseYamlText}: the document, or the line the syntax error is near. */
export type YamlText =
  | { readonly ok: true; readonly document: unknown }
  | { readonly ok: false; readonly kind: 'yaml-syntax'; readonly line: number | undefined };

/**
 * Parses YAML text. The parser's own message quotes the offending text, which may be a password
 * or a private key, so only the line number is kept.
 */
export function parseYamlText(text: string): YamlText {
  try {
    return { ok: true, document: parseYaml(text) };
  } catch (error) {
    const where =
      error instanceof Error && 'linePos' in error && Array.isArray(error.linePos)
        ? error.linePos[0]
        : undefined;
    const line =
      where !== null && typeof where === 'object' && 'line' in where && typeof where.line === 'number'
        ? where.line
        : undefined;
    return { ok: false, kind: 'yaml-syntax', line };
  }
}

/** The problem message for a YAML syntax error in `path`. */
export function notValidYaml(path: string, line: number | undefined): string {
  return `${path} is not valid YAML${line === undefined ? '' : ` near line ${line}`}`;
}
