/**
 * What a YAML syntax error is called and where it is, in our own words. The `yaml` parser's messages
 * quote the file, which may hold a password or a private key, so they are never passed on: only
 * the error's `code` is read, and turned into a reason here. Where the parser reports an error
 * past the real mistake (an unclosed quote or bracket is reported where the file ends), the
 * position is moved back to where the unclosed token starts.
 *
 * @module
 */

import { CST, type Document, type ErrorCode, Parser, visit } from 'yaml';

/** A YAML syntax error: where (1-based line and column, when known) and why, never the file's text. */
export interface YamlSyntaxError {
  readonly kind: 'yaml-syntax';
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly reason: string;
}

/** The parser's codes, in words; each says what to look for, none quotes the file. */
const REASONS: Readonly<Record<ErrorCode, string>> = {
  ALIAS_PROPS: 'an alias (*name) cannot have a tag or an anchor',
  BAD_ALIAS: 'bad anchor or alias name (empty, or ending in ":")',
  BAD_COLLECTION_TYPE: 'tag does not fit the kind of collection it is on',
  BAD_DIRECTIVE: 'bad % directive',
  BAD_DQ_ESCAPE: 'bad escape sequence in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'tag or anchor in the wrong place',
  BAD_SCALAR_START: 'value starts with a reserved character (quote the value)',
  BLOCK_AS_IMPLICIT_KEY: 'list or mapping used as a key',
  BLOCK_IN_FLOW: 'indented list or mapping inside [ ] or { }',
  DUPLICATE_KEY: 'duplicate key',
  IMPOSSIBLE: 'the YAML parser failed here',
  KEY_OVER_1024_CHARS: 'key longer than 1024 characters',
  MISSING_CHAR: 'missing character (a colon after a key, a comma, a space, or a closing bracket)',
  MULTILINE_IMPLICIT_KEY: 'key runs over more than one line (a missing colon?)',
  MULTIPLE_ANCHORS: 'more than one anchor on one value',
  MULTIPLE_DOCS: 'more than one YAML document (---)',
  MULTIPLE_TAGS: 'more than one tag on one value',
  NON_STRING_KEY: 'key that is not a string',
  RESOURCE_EXHAUSTION: 'aliases expand too far',
  TAB_AS_INDENT: 'tab used for indentation',
  TAG_RESOLVE_FAILED: 'unknown tag, or a value that does not fit its tag',
  UNEXPECTED_TOKEN: 'unexpected character',
};

// A Map, so a code from a newer parser that is not in the table falls back instead of reading a
// prototype property.
const REASON_BY_CODE = new Map<string, string>(Object.entries(REASONS));

/** The reason for a parser error code; an unknown code is still named, so it can be looked up. */
export function reasonForCode(code: string): string {
  return REASON_BY_CODE.get(code) ?? `YAML error ${code}`;
}

/** A token that was opened and never closed: where it starts, where it reaches, and what it is. */
interface UnclosedToken {
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

const QUOTE_REASONS: Readonly<Record<string, string>> = {
  'double-quoted-scalar': 'unclosed double-quoted string',
  'single-quoted-scalar': 'unclosed single-quoted string',
};

/** Whether a quoted scalar's source has its closing quote (an escaped `\"` does not close one). */
function isClosedQuote(source: string): boolean {
  const quote = source[0];
  if (source.length < 2 || !source.endsWith(quote ?? '')) return false;
  if (quote === "'") return true;
  const backslashes = /\\*"$/.exec(source)?.[0].length ?? 1;
  return (backslashes - 1) % 2 === 0;
}

/** The unclosed tokens of one CST node (a quote or a `[`/`{` that never ends). */
function unclosedIn(token: CST.Token | undefined): UnclosedToken[] {
  if (token === undefined) return [];
  if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
    if (isClosedQuote(token.source)) return [];
    return [
      {
        start: token.offset,
        end: token.offset + token.source.length,
        reason: QUOTE_REASONS[token.type] ?? reasonForCode('MISSING_CHAR'),
      },
    ];
  }
  if (token.type === 'flow-collection') {
    const closed = token.end.some((end) => end.type === 'flow-map-end' || end.type === 'flow-seq-end');
    if (closed) return [];
    const bracket = token.start.source;
    return [
      {
        start: token.offset,
        end: token.offset + CST.stringify(token).length,
        reason: bracket === '{' ? 'unclosed { mapping' : 'unclosed [ list',
      },
    ];
  }
  return [];
}

/** Every unclosed quote and flow collection in `text`, from its concrete syntax tree. */
function unclosedTokens(text: string): UnclosedToken[] {
  const found: UnclosedToken[] = [];
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      found.push(...unclosedIn(item.key ?? undefined), ...unclosedIn(item.value));
    });
  }
  return found;
}

/** One parser error as the parser gives it: its code and the offset it points at. */
export interface ParserError {
  readonly code: string;
  readonly offset: number;
}

/** The error at `offset` of `text`, with its 1-based line and column. */
function errorAt(text: string, offset: number, reason: string): YamlSyntaxError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { kind: 'yaml-syntax', line, column, reason };
}

/**
 * Where and why, for one of the parser's errors in `text`. An unclosed quote or bracket is reported
 * by the parser where the file (or the enclosing block) ends; then the innermost unclosed token
 * around that point is named instead, at its start.
 */
export function describeYamlError(text: string, error: ParserError): YamlSyntaxError {
  if (error.code === 'MISSING_CHAR' || error.code === 'BAD_INDENT') {
    const around = unclosedTokens(text).filter(
      (token) => token.start <= error.offset && error.offset <= token.end,
    );
    const innermost = around.reduce<UnclosedToken | undefined>(
      (best, token) => (best === undefined || token.start > best.start ? token : best),
      undefined,
    );
    if (innermost !== undefined) return errorAt(text, innermost.start, innermost.reason);
  }
  return errorAt(text, error.offset, reasonForCode(error.code));
}

/**
 * Why a document without syntax errors still cannot be turned into data: an alias whose anchor is
 * not defined before it (named by position), or else aliases that expand too far.
 */
export function describeAliasFailure(text: string, document: Document): YamlSyntaxError {
  let unresolved: number | undefined;
  visit(document, {
    Alias(_key, node) {
      if (node.range === undefined || node.range === null || node.resolve(document) !== undefined) return;
      unresolved = node.range[0];
      return visit.BREAK;
    },
  });
  if (unresolved === undefined) {
    return {
      kind: 'yaml-syntax',
      line: undefined,
      column: undefined,
      reason: reasonForCode('RESOURCE_EXHAUSTION'),
    };
  }
  return errorAt(text, unresolved, 'alias (*name) to an anchor not defined before it');
}
