/**
 * The numbers of an impact report, as small pure functions: rates, the mean paired pre -> post
 * difference with its 95% confidence interval (Student's t), and small-cell suppression.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** The smallest number of people (or of pre/post pairs) a cell may show figures for. */
export const MIN_CELL = 5;

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample standard deviation (n - 1 in the denominator); NaN below two values. */
export function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** t(0.975, df): the multiplier of the standard error for a two-sided 95% interval. */
export function t975(df: number): number {
  return tQuantile(0.975, df);
}

export interface MeanInterval {
  n: number;
  mean: number;
  sd: number;
  /** mean - t(0.975, n-1) * sd / sqrt(n); NaN below two values. */
  lower: number;
  upper: number;
}

/** The mean of paired differences (post - pre) and its 95% confidence interval. */
export function meanWithInterval(differences: readonly number[]): MeanInterval {
  const n = differences.length;
  const m = mean(differences);
  const sd = sampleSd(differences);
  if (n < 2) return { n, mean: m, sd, lower: Number.NaN, upper: Number.NaN };
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, lower: m - half, upper: m + half };
}

/** One person's registration as the report counts it. */
export interface PersonFigures {
  presentSlots: number;
  slots: number;
  completed: boolean;
  /** post mean - pre mean per construct, when she answered both surveys on it. */
  skillsChange: number | null;
  confidenceChange: number | null;
}

export type Paired = { shown: false } | ({ shown: true } & MeanInterval);

export type CellFigures =
  | { shown: false; people: number }
  | {
      shown: true;
      people: number;
      /** Present slots / slots, over everyone in the cell; null when no slot was held. */
      attendanceRate: number | null;
      completionRate: number;
      skills: Paired;
      confidence: Paired;
    };

function pairedOf(changes: readonly (number | null)[]): Paired {
  const values = changes.filter((c): c is number => c !== null);
  return values.length >= MIN_CELL
    ? { shown: true, ...meanWithInterval(values) }
    : { shown: false };
}

/**
 * The figures of one cell before the complementary suppression of its neighbours: hidden when
 * fewer than MIN_CELL people; the paired changes hidden when fewer than MIN_CELL pairs.
 * `people` is kept for the suppression logic only: views never show it for a hidden cell.
 */
export function cellFigures(people: readonly PersonFigures[]): CellFigures {
  const count = people.length;
  if (count < MIN_CELL) return { shown: false, people: count };
  let present = 0;
  let slots = 0;
  let completed = 0;
  for (const p of people) {
    present += p.presentSlots;
    slots += p.slots;
    if (p.completed) completed += 1;
  }
  return {
    shown: true,
    people: count,
    attendanceRate: slots > 0 ? present / slots : null,
    completionRate: completed / count,
    skills: pairedOf(people.map((p) => p.skillsChange)),
    confidence: pairedOf(people.map((p) => p.confidenceChange)),
  };
}

/**
 * Complementary suppression: when exactly one of `sizes` is hidden, the smallest shown one is
 * hidden too, so that the hidden one cannot be recovered by subtracting the others from the
 * total. Returns the indexes to hide (the hidden ones included).
 */
export function complementaryHidden(sizes: readonly number[], hidden: ReadonlySet<number>) {
  const out = new Set(hidden);
  if (hidden.size === 1 && sizes.length > 1) {
    let smallest = -1;
    sizes.forEach((size, i) => {
      if (!out.has(i) && (smallest === -1 || size < sizes[smallest]!)) smallest = i;
    });
    if (smallest !== -1) out.add(smallest);
  }
  return out;
}

/**
 * The figures of each row of a breakdown, with small cells and their complements hidden, for
 * the people and for each construct's pairs alike.
 */
export function breakdownFigures(rows: readonly (readonly PersonFigures[])[]): CellFigures[] {
  const cells = rows.map((people) => cellFigures(people));
  const hiddenRows = complementaryHidden(
    cells.map((c) => c.people),
    new Set(cells.flatMap((c, i) => (c.shown ? [] : [i]))),
  );
  const result: CellFigures[] = cells.map((c, i) =>
    hiddenRows.has(i) ? { shown: false, people: c.people } : c,
  );
  for (const construct of ['skills', 'confidence'] as const) {
    const pairs = rows.map(
      (people) =>
        people.filter(
          (p) => (construct === 'skills' ? p.skillsChange : p.confidenceChange) !== null,
        ).length,
    );
    const hiddenPairs = new Set<number>();
    result.forEach((c, i) => {
      if (!c.shown || !c[construct].shown) hiddenPairs.add(i);
    });
    const hide = complementaryHidden(pairs, hiddenPairs);
    result.forEach((c, i) => {
      if (c.shown && hide.has(i)) result[i] = { ...c, [construct]: { shown: false } };
    });
  }
  return result;
}
