/**
 * The suite's one table: a row per figure, a column per line count, then the target and its
 * verdict. Markdown, so the output can be pasted into `docs/performance.md` as it is.
 *
 * @module
 */

/** One figure across every line count. */
export interface Row {
  readonly figure: string;
  /** One cell per line count, in the order of the columns. */
  readonly cells: readonly string[];
  /** The target in words, where one applies. */
  readonly target?: string | undefined;
  /** The verdict, where a target applies; `undefined` leaves the cell empty. */
  readonly pass?: boolean | undefined;
}

/** Line counts as `1 000`, the way the issue writes them. */
export function spaced(count: number): string {
  return count.toLocaleString('en-GB').replaceAll(',', ' ');
}

/** Milliseconds with as many decimals as make sense for their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1) return value.toFixed(3);
  if (value < 100) return value.toFixed(2);
  return value.toFixed(0);
}

/** Formats the table as Markdown, right-aligning the figures. */
export function formatTable(lineCounts: readonly number[], rows: readonly Row[]): string {
  const header = ['figure', ...lineCounts.map((count) => `N = ${spaced(count)}`), 'target', 'result'];
  const body = rows.map((row) => [
    row.figure,
    ...row.cells,
    row.target ?? '',
    row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((line) => line[column]?.length ?? 0)),
  );
  const textColumn = (column: number): boolean => column === 0 || column >= header.length - 2;
  const format = (line: readonly string[]): string =>
    `| ${line
      .map((cell, column) =>
        textColumn(column) ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join(' | ')} |`;
  const rule = `|${widths
    .map((width, column) => (textColumn(column) ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`))
    .join('|')}|`;
  return [format(header), rule, ...body.map(format)].join('\n');
}
