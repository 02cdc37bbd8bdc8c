/** One line of the final table: a measurement, what it is compared with, and the target. */
export interface RatioRow {
  readonly area: string;
  readonly comparison: string;
  readonly measured: string;
  readonly reference: string;
  /** measured / reference, or undefined for a row without a ratio. */
  readonly ratio?: number;
  /** Human-readable target, e.g. `>= 0.90x`; absent for informational rows. */
  readonly target?: string;
  /** Whether the target is met; absent for informational rows. */
  readonly pass?: boolean;
}

const HEAD = ['area', 'comparison', 'measured', 'reference', 'ratio', 'target', 'ok'];

/** Renders rows as a Markdown table, so the same text goes to the console and RESULTS.md. */
export function renderTable(rows: readonly RatioRow[]): string {
  const cells = rows.map((row) => [
    row.area,
    row.comparison,
    row.measured,
    row.reference,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
    row.target ?? '',
    row.pass === undefined ? '' : row.pass ? 'yes' : 'NO',
  ]);
  const widths = HEAD.map((head, i) => Math.max(head.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** `45 120 req/s` style: whole numbers with a thin grouping, stable across locales. */
export function reqPerSec(value: number): string {
  return `${Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} req/s`;
}

export function micros(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} µs`;
}
