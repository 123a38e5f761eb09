import type { Rect } from '@procvision/manifest';
import type { Verdict } from '@procvision/runner';

/** One image's result in `eval --json`. */
export interface EvalImageResult {
  file: string;
  expected: 'OK' | 'NG';
  got: Verdict;
  /** False when the verdict differs from the expected one, or an expected defect rect was not found (IoU < 0.5). */
  match: boolean;
  error_code: string | null;
  message: string;
  execute_ms: number | null;
  step_ms: number;
  defect_rects: Rect[];
  /** How the defect rects compare with labels.json's (only when it gives some). */
  rects?: { matched: number; moved: number; lost: number; added: number };
  /** This image's report folder (with --report, for a miss). */
  report?: string;
}

/** The `eval --json` document (also `eval.json` of `--report`). */
export interface EvalDocument {
  project: string;
  name: string;
  version: string;
  pid: string;
  step: number;
  folder: string;
  source: 'folders' | 'labels.json';
  images: number;
  matched: number;
  misses: number;
  max_misses: number;
  /** `confusion.expected.NG.OK`: images labelled NG the algorithm passed. */
  confusion: { expected: { OK: Record<Verdict, number>; NG: Record<Verdict, number> } };
  ng: { precision: number | null; recall: number | null };
  execute: { p50_ms: number | null; p99_ms: number | null; count: number };
  slowest: Array<{ file: string; execute_ms: number | null; step_ms: number }>;
  results: EvalImageResult[];
  baseline?: { file: string; changed: Array<{ file: string; before: Verdict; after: Verdict }>; not_in_baseline: string[]; not_in_run: string[] };
  report?: { directory: string; html: string; json: string };
}
