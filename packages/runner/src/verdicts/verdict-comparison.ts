import type { Rect } from '@procvision/manifest';

/** What one step answered, as compared: the verdict of execute, or `ERROR` when the step failed. */
export type Verdict = 'OK' | 'NG' | 'ERROR';

/** The verdicts in table order. */
export const verdicts: readonly Verdict[] = ['OK', 'NG', 'ERROR'];

/**
 * A confusion table: `table[reference][candidate]` counts the items whose reference verdict
 * (the expected label, or what the active version answered) and candidate verdict are those.
 */
export type ConfusionTable = Record<Verdict, Record<Verdict, number>>;

/** An empty {@link ConfusionTable} (every cell 0). */
export function emptyConfusion(): ConfusionTable {
  const row = (): Record<Verdict, number> => ({ OK: 0, NG: 0, ERROR: 0 });
  return { OK: row(), NG: row(), ERROR: row() };
}

/** Counts `pairs` of (reference, candidate) verdicts into a {@link ConfusionTable}. */
export function confusionOf(pairs: Iterable<readonly [Verdict, Verdict]>): ConfusionTable {
  const table = emptyConfusion();
  for (const [reference, candidate] of pairs) table[reference][candidate] += 1;
  return table;
}

/** The pairs of a table whose verdicts differ. */
export function disagreementsOf(table: ConfusionTable): number {
  let count = 0;
  for (const reference of verdicts) for (const candidate of verdicts) if (reference !== candidate) count += table[reference][candidate];
  return count;
}

/**
 * Precision and recall of NG against the reference: precision = NG answered and expected /
 * NG answered, recall = NG answered and expected / NG expected (an ERROR answer is not an NG).
 * `null` when the denominator is 0.
 */
export function ngPrecisionRecall(table: ConfusionTable): { precision: number | null; recall: number | null } {
  const truePositives = table.NG.NG;
  const answeredNg = table.OK.NG + table.NG.NG + table.ERROR.NG;
  const expectedNg = table.NG.OK + table.NG.NG + table.NG.ERROR;
  return {
    precision: answeredNg === 0 ? null : truePositives / answeredNg,
    recall: expectedNg === 0 ? null : truePositives / expectedNg,
  };
}

/** The `p`-th percentile (0-100, nearest rank) of `values`, or `null` when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** p50 and p99 of latencies in ms (null when there are none). */
export function latencySummary(values: readonly number[]): { p50_ms: number | null; p99_ms: number | null; count: number } {
  return { p50_ms: percentile(values, 50), p99_ms: percentile(values, 99), count: values.length };
}

/** Intersection over union of two rects (0 when they do not overlap). */
export function iou(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const union = a.width * a.height + b.width * b.height - intersection;
  return union <= 0 ? 0 : intersection / union;
}

/** How two lists of defect rects compare (see {@link matchRects}). */
export interface RectMatch {
  /** Pairs of a reference and a candidate rect with IoU at or above the threshold. */
  matched: Array<{ reference: Rect; candidate: Rect; iou: number }>;
  /** Pairs that overlap, but below the threshold: the same defect, found elsewhere. */
  moved: Array<{ reference: Rect; candidate: Rect; iou: number }>;
  /** Reference rects with no overlapping candidate. */
  lost: Rect[];
  /** Candidate rects with no overlapping reference. */
  added: Rect[];
}

/**
 * Matches reference rects with candidate rects greedily, best IoU first: pairs at or above
 * `threshold` (default 0.5) are matched, overlapping pairs below it moved; what is left is lost
 * (reference) or added (candidate).
 */
export function matchRects(reference: readonly Rect[], candidate: readonly Rect[], threshold = 0.5): RectMatch {
  const pairs: Array<{ r: number; c: number; iou: number }> = [];
  reference.forEach((a, r) =>
    candidate.forEach((b, c) => {
      const overlap = iou(a, b);
      if (overlap > 0) pairs.push({ r, c, iou: overlap });
    }),
  );
  pairs.sort((a, b) => b.iou - a.iou);
  const usedReference = new Set<number>();
  const usedCandidate = new Set<number>();
  const result: RectMatch = { matched: [], moved: [], lost: [], added: [] };
  for (const pair of pairs) {
    if (usedReference.has(pair.r) || usedCandidate.has(pair.c)) continue;
    usedReference.add(pair.r);
    usedCandidate.add(pair.c);
    const entry = { reference: reference[pair.r] as Rect, candidate: candidate[pair.c] as Rect, iou: Math.round(pair.iou * 1000) / 1000 };
    (pair.iou >= threshold ? result.matched : result.moved).push(entry);
  }
  reference.forEach((rect, index) => usedReference.has(index) || result.lost.push(rect));
  candidate.forEach((rect, index) => usedCandidate.has(index) || result.added.push(rect));
  return result;
}

/** The verdict of a step outcome: execute's result_status, or `ERROR`. */
export function verdictOf(outcome: { status: 'OK' | 'ERROR'; resultStatus?: 'OK' | 'NG' }): Verdict {
  return outcome.status === 'OK' && outcome.resultStatus !== undefined ? outcome.resultStatus : 'ERROR';
}
