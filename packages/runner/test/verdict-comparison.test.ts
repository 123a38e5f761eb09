import { describe, expect, it } from 'vitest';
import { confusionOf, disagreementsOf, iou, latencySummary, matchRects, ngPrecisionRecall, percentile, verdictOf } from '../src/verdicts/verdict-comparison.js';

describe('verdict comparison', () => {
  it('counts a confusion table, its disagreements and NG precision/recall', () => {
    const table = confusionOf([
      ['OK', 'OK'],
      ['OK', 'NG'],
      ['NG', 'NG'],
      ['NG', 'NG'],
      ['NG', 'ERROR'],
    ]);
    expect(table.OK).toEqual({ OK: 1, NG: 1, ERROR: 0 });
    expect(table.NG).toEqual({ OK: 0, NG: 2, ERROR: 1 });
    expect(disagreementsOf(table)).toBe(2);
    expect(ngPrecisionRecall(table)).toEqual({ precision: 2 / 3, recall: 2 / 3 });
    expect(ngPrecisionRecall(confusionOf([]))).toEqual({ precision: null, recall: null });
  });

  it('percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBeNull();
    expect(latencySummary([3])).toEqual({ p50_ms: 3, p99_ms: 3, count: 1 });
  });

  it('matches rects by IoU: matched, moved, lost, added', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x: 20, y: 0, width: 5, height: 5 })).toBe(0);
    expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
    const match = matchRects(
      [a, { x: 100, y: 100, width: 10, height: 10 }, { x: 200, y: 200, width: 10, height: 10 }],
      [
        { x: 1, y: 1, width: 10, height: 10 },
        { x: 106, y: 100, width: 10, height: 10 },
        { x: 300, y: 0, width: 5, height: 5 },
      ],
    );
    expect(match.matched.map((pair) => pair.reference)).toEqual([a]);
    expect(match.moved.map((pair) => pair.reference.x)).toEqual([100]);
    expect(match.lost.map((rect) => rect.x)).toEqual([200]);
    expect(match.added.map((rect) => rect.x)).toEqual([300]);
  });

  it('the verdict of an outcome: result_status, else ERROR', () => {
    expect(verdictOf({ status: 'OK', resultStatus: 'NG' })).toBe('NG');
    expect(verdictOf({ status: 'ERROR' })).toBe('ERROR');
  });
});
