// The table: one row per metric, Shoal against stock (and stock tuned), medians over the
// rounds, the ratio, the goal and, where one applies, the physical limit reached.
import type { Variant } from './drivers.ts';
import { fmt, median } from './stats.ts';
import type { Values } from './scenarios.ts';
import type { Noise } from './quiet.ts';

export interface Sample {
  readonly variant: Variant | 'limit';
  readonly round: number;
  readonly scenario: string;
  readonly values: Values;
  /** Set when the run failed: its figures are missing, the bench exits non-zero. */
  readonly error?: string;
  /** How quiet the machine was meanwhile. */
  readonly noise?: Noise;
}

export interface Goal {
  readonly text: string;
  readonly met: (shoal: number, stock: number) => boolean;
}

export interface RowSpec {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  readonly goal?: Goal;
  /** Metric key of the physical limit for this row (measured in the same run). */
  readonly limitKey?: string;
  /** Not measured, and why. */
  readonly na?: string;
  /** A heading printed above this row. */
  readonly section?: string;
  /** A row computed from other rows' medians, per contender (no samples of its own). */
  readonly derive?: (medianOf: (key: string) => number) => number;
  /** Measured for Shoal only: stock's cell says n/a, for this reason (listed under the table). */
  readonly shoalOnly?: string;
  /** A second metric in the same cell, after the first (`max / mean`); ratio and goal are the first's. */
  readonly alsoKey?: string;
}

export interface RowResult {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  readonly section?: string;
  readonly na?: string;
  readonly shoalOnly?: string;
  readonly samples: Record<Variant, number[]>;
  /** Computed from other rows' medians. */
  readonly derived: boolean;
  readonly medians: Record<Variant, number>;
  /** The medians of `alsoKey`, when the row has one. */
  readonly alsoMedians?: Record<Variant, number>;
  /** Shoal median ÷ stock median. */
  readonly ratio: number;
  readonly goal?: { readonly text: string; readonly met: boolean | null };
  readonly limit?: {
    readonly median: number;
    readonly shoalFraction: number;
    readonly stockFraction: number;
  };
}

const VARIANTS: readonly Variant[] = ['shoal', 'stock', 'tuned'];

const valuesOf = (samples: readonly Sample[], variant: Variant | 'limit', key: string): number[] =>
  samples
    .filter((s) => s.variant === variant || variant === 'limit')
    .map((s) => s.values[key])
    .filter((v): v is number => v !== undefined && Number.isFinite(v));

export function computeRows(specs: readonly RowSpec[], samples: readonly Sample[]): RowResult[] {
  return specs.map((spec) => {
    const bySample = Object.fromEntries(
      VARIANTS.map((v) => [v, spec.na ? [] : valuesOf(samples, v, spec.key)]),
    ) as Record<Variant, number[]>;
    const medianOf = (v: Variant): number => {
      const derive = spec.derive;
      if (!derive) return median(bySample[v]);
      return derive((key) => median(valuesOf(samples, v, key)));
    };
    const medians = Object.fromEntries(VARIANTS.map((v) => [v, medianOf(v)])) as Record<
      Variant,
      number
    >;
    const ratio = medians.shoal / medians.stock;
    const alsoKey = spec.alsoKey;
    const row: RowResult = {
      key: spec.key,
      label: spec.label,
      unit: spec.unit,
      better: spec.better,
      ...(spec.section ? { section: spec.section } : {}),
      ...(spec.na ? { na: spec.na } : {}),
      ...(spec.shoalOnly ? { shoalOnly: spec.shoalOnly } : {}),
      samples: bySample,
      derived: spec.derive !== undefined,
      medians,
      ...(alsoKey === undefined
        ? {}
        : {
            alsoMedians: Object.fromEntries(
              VARIANTS.map((v) => [v, median(valuesOf(samples, v, alsoKey))]),
            ) as Record<Variant, number>,
          }),
      ratio,
      ...(spec.goal
        ? {
            goal: {
              text: spec.goal.text,
              met:
                Number.isFinite(medians.shoal) &&
                (spec.shoalOnly !== undefined || Number.isFinite(medians.stock))
                  ? spec.goal.met(medians.shoal, medians.stock)
                  : null,
            },
          }
        : {}),
    };
    if (spec.limitKey === undefined) return row;
    const limit = median(valuesOf(samples, 'limit', spec.limitKey));
    return {
      ...row,
      limit: {
        median: limit,
        shoalFraction: medians.shoal / limit,
        stockFraction: medians.stock / limit,
      },
    };
  });
}

const pct = (f: number): string => (Number.isFinite(f) ? `${(f * 100).toFixed(0)}%` : '—');

/** `[min–max]` of a contender's samples when it has several: the spread a reader weighs. */
function spread(values: readonly number[]): string {
  if (values.length < 2) return '';
  return ` [${fmt(Math.min(...values))}–${fmt(Math.max(...values))}]`;
}

function cells(row: RowResult, judged: boolean): string[] {
  const value = (v: Variant): string => {
    if (row.shoalOnly !== undefined && v !== 'shoal') return v === 'stock' ? 'n/a' : '';
    const m = row.medians[v];
    const also = row.alsoMedians ? ` / ${fmt(row.alsoMedians[v])}` : '';
    if (Number.isFinite(m))
      return row.unit === '×'
        ? `${fmt(m)}×`
        : `${fmt(m)}${also} ${row.unit}${spread(row.samples[v])}`;
    return row.samples[v].length === 0 ? '' : '—';
  };
  if (row.na) return [row.label, 'n/a', 'n/a', '', '', '', row.na, ''];
  const n = row.derived
    ? ''
    : `${String(row.samples.shoal.length)}/${String(row.samples.stock.length)}`;
  const goal = row.goal
    ? `${row.goal.text}: ${!judged ? 'not judged' : row.goal.met === null ? '?' : row.goal.met ? 'met' : 'NOT met'}`
    : '';
  const limit = row.limit
    ? `${fmt(row.limit.median)} ${row.unit}; Shoal ${pct(row.limit.shoalFraction)}` +
      (row.shoalOnly === undefined ? `, stock ${pct(row.limit.stockFraction)}` : '')
    : '';
  const ratio =
    row.shoalOnly !== undefined ? '' : Number.isFinite(row.ratio) ? `${fmt(row.ratio)}×` : '—';
  return [row.label, value('shoal'), value('stock'), ratio, value('tuned') || '', goal, limit, n];
}

const HEADER = [
  'metric',
  'Shoal',
  'stock',
  'Shoal/stock',
  'stock tuned',
  'goal',
  'physical limit',
  'n',
];

/**
 * A fixed-width table for the terminal; each contender's cell is its median and, with several
 * samples, their `[min–max]`. `judged: false` (a noisy run) prints no goal as met or not.
 */
export function renderTable(
  rows: readonly RowResult[],
  { judged }: { readonly judged: boolean } = { judged: true },
): string {
  const body = rows.map((row) => cells(row, judged));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((row, i) => {
    if (row.section) out.push('', `# ${row.section}`);
    out.push(line(body[i] ?? []));
  });
  const shoalOnly = rows.filter((row) => row.shoalOnly !== undefined && row.na === undefined);
  if (shoalOnly.length > 0) out.push('', 'n/a for stock:');
  for (const row of shoalOnly) out.push(`  ${row.label}: ${row.shoalOnly ?? ''}`);
  return out.join('\n');
}
