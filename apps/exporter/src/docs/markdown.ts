/**
 * The Markdown the generated docs are made of: code spans, escaped table cells and tables. Shared by
 * `docs/metrics.md` (`./metrics-reference.ts`) and the exporter README's generated blocks
 * (`./readme-tables.ts`), so both format alike.
 *
 * @module
 */

/** Escapes a table cell: pipes would end it, newlines would end the row. */
export function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

/** `text` as a code span. */
export function code(text: string): string {
  return `\`${text}\``;
}

/** Label names as code spans, or `–` when there are none. */
export function labelList(labels: readonly string[]): string {
  return labels.length === 0 ? '–' : labels.map(code).join(', ');
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * A Markdown table, one string per line: the header, the separator and one row per entry. Cells are
 * taken as they are (Markdown already): escape free text with {@link cell}.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)];
}

/**
 * Markdown as plain text, for the terminal (`--help`): code spans lose their backticks, links
 * keep only their text.
 */
export function plainText(markdown: string): string {
  return markdown.replaceAll(/\[([^\]]*)\]\([^)]*\)/g, '$1').replaceAll('`', '');
}
