import type { Rect } from '@procvision/manifest';
import type { ColorSpace, Frame } from '@procvision/shm';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import { Runner } from '../process/runner.js';
import type { StepOutcome } from '../process/step-outcome.js';
import type { RunnerLogger } from '../logger.js';
import { confusionOf, disagreementsOf, latencySummary, matchRects, verdictOf, type ConfusionTable, type Verdict } from '../verdicts/verdict-comparison.js';
import { readRecordFrame, type RecordHeader, type SegmentRecord } from './record-format.js';

/** One side of a replayed step: what the recorded (active) or the candidate version answered. */
export interface ReplayAnswer {
  verdict: Verdict;
  error_code: string | null;
  message: string;
  /** Wall time of the step, in ms. */
  step_ms: number;
  defect_rects: Rect[];
}

/** A replayed step whose verdict or defect rects changed. */
export interface ReplayedStep {
  /** The record id (`<pid>/<segment>/<index>`). */
  id: string;
  /** When the step was recorded. */
  at: string;
  pid: string;
  step_index: number;
  context: Record<string, unknown>;
  user_params: Record<string, unknown>;
  recorded: ReplayAnswer;
  candidate: ReplayAnswer & { execute: unknown };
  /** Defect rects matched by IoU (recorded as reference). */
  rects: { matched: number; moved: number; lost: number; added: number };
  /** Whether the verdicts are the same. */
  agree: boolean;
}

/** What {@link replayRecords} found. */
export interface ReplayReport {
  /** The version the records were replayed through. */
  candidate: { name: string; version: string };
  /** The versions that answered the records on the station, with their record counts. */
  recorded: Array<{ name: string; version: string; records: number }>;
  /** Records replayed. */
  records: number;
  /** `confusion.recorded[recordedVerdict][candidateVerdict]`. */
  confusion: { recorded: ConfusionTable };
  /** Records whose candidate verdict differs from the recorded one. */
  disagreements: number;
  /** Defect rects over every record, matched by IoU (recorded as reference). */
  rects: { matched: number; moved: number; lost: number; added: number };
  /** Step time of the recorded answers and of the candidate's, in ms. */
  step_ms: { recorded: ReturnType<typeof latencySummary>; candidate: ReturnType<typeof latencySummary> };
  /** The steps whose verdict or defect rects changed, oldest first. */
  changed: ReplayedStep[];
}

/** Options of {@link replayRecords}. */
export interface ReplayOptions {
  /** IoU from which a candidate rect is the same defect as a recorded one (default 0.5). */
  iouThreshold?: number;
  /** Where the runner's own warnings go (default: nowhere). */
  logger?: RunnerLogger;
  /** Called after each record. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs recorded frames through a candidate's process (its own, never the one serving the
 * station) and compares its answers with the recorded ones. Each record is a session of its
 * own with the recorded context, step index and user params (a station records single steps,
 * so a session's earlier steps are not replayed). Never throws for an algorithm failure: the
 * candidate's ERROR is a verdict like the others.
 */
export async function replayRecords(records: readonly SegmentRecord[], candidate: AlgorithmProcess, options: ReplayOptions = {}): Promise<ReplayReport> {
  const runner = new Runner({ source: { processFor: () => Promise.resolve(candidate) }, logger: options.logger ?? { log() {} } });
  const pairs: Array<readonly [Verdict, Verdict]> = [];
  const recordedMs: number[] = [];
  const candidateMs: number[] = [];
  const totals = { matched: 0, moved: 0, lost: 0, added: 0 };
  const changed: ReplayedStep[] = [];
  const versions = new Map<string, { name: string; version: string; records: number }>();
  try {
    for (const [index, record] of records.entries()) {
      const { header } = record;
      const key = `${header.package.name}@${header.package.version}`;
      const seen = versions.get(key) ?? { ...header.package, records: 0 };
      seen.records += 1;
      versions.set(key, seen);
      const frame = frameOf(header, await readRecordFrame(record));
      const outcome = await runner.runOnce(
        { pid: header.pid, context: header.context },
        { stepIndex: header.step_index, frame, userParams: header.user_params },
      );
      const step = compareStep(header, outcome, options.iouThreshold);
      pairs.push([step.recorded.verdict, step.candidate.verdict]);
      recordedMs.push(header.step_ms);
      candidateMs.push(step.candidate.step_ms);
      for (const kind of ['matched', 'moved', 'lost', 'added'] as const) totals[kind] += step.rects[kind];
      if (!step.agree || step.rects.moved + step.rects.lost + step.rects.added > 0) changed.push(step);
      options.onProgress?.(index + 1, records.length);
    }
  } finally {
    await runner.close();
  }
  const table = confusionOf(pairs);
  return {
    candidate: { name: candidate.packageName, version: candidate.packageVersion },
    recorded: [...versions.values()],
    records: records.length,
    confusion: { recorded: table },
    disagreements: disagreementsOf(table),
    rects: totals,
    step_ms: { recorded: latencySummary(recordedMs), candidate: latencySummary(candidateMs) },
    changed,
  };
}

/** The frame of a record as the step engine takes it. */
export function frameOf(header: RecordHeader, bytes: Uint8Array): Frame {
  const { encoding, width, height } = header.frame;
  if (encoding !== 'raw') return { encoding, bytes, width, height };
  const channels = header.frame.channels === 1 ? 1 : 3;
  const colorSpace = (header.frame.color_space ?? (channels === 1 ? 'GRAY' : 'RGB')) as ColorSpace;
  return { encoding: 'raw', pixels: bytes, width, height, channels, colorSpace };
}

function compareStep(header: RecordHeader, outcome: StepOutcome, iouThreshold: number | undefined): ReplayedStep {
  const recordedRects = defectRectsOf(header.execute);
  const candidateRects = outcome.execute?.data?.defect_rects ?? [];
  const match = matchRects(recordedRects, candidateRects, iouThreshold);
  const verdict = verdictOf(outcome);
  return {
    id: header.id,
    at: header.at,
    pid: header.pid,
    step_index: header.step_index,
    context: header.context,
    user_params: header.user_params,
    recorded: { verdict: header.verdict, error_code: header.error_code, message: header.message, step_ms: header.step_ms, defect_rects: recordedRects },
    candidate: {
      verdict,
      error_code: outcome.errorCode ?? null,
      message: outcome.execute?.data?.ng_reason ?? outcome.message,
      step_ms: Math.round(outcome.latencyMs * 100) / 100,
      defect_rects: [...candidateRects],
      execute: outcome.execute ?? null,
    },
    rects: { matched: match.matched.length, moved: match.moved.length, lost: match.lost.length, added: match.added.length },
    agree: verdict === header.verdict,
  };
}

/** The defect rects of a recorded execute result (none when it has none). */
function defectRectsOf(execute: unknown): Rect[] {
  const rects = (execute as { data?: { defect_rects?: unknown } } | null)?.data?.defect_rects;
  return Array.isArray(rects) ? (rects as Rect[]) : [];
}
