import type { ErrorCode, ExecuteResult, ImageMeta, PreExecuteResult } from '@procvision/manifest';
import type { Frame } from '@procvision/shm';

/** Where a step stopped: `validate` (runner checks, nothing sent), `pre`, or `execute`. */
export type StepStage = 'validate' | 'frame' | 'pre' | 'execute';

/** What one step asks for. */
export interface StepRequest {
  /** Step index, 1-based, as in `getInfo().steps`. */
  stepIndex: number;
  /** The camera frame, written into the process's shared-memory ring. */
  frame: Frame;
  /**
   * User params, validated against the step's param schema (defaults filled) before any call.
   * A Python v0.3 algorithm takes none (its `execute` has no params): giving any is 1006.
   */
  userParams?: Record<string, unknown>;
  /**
   * The guide (reference) image of a Python v0.3 step (`guide_image_shm_id`); absent, the
   * current frame is handed over as the guide too. Other generations take none (a warning).
   */
  guideFrame?: Frame;
  /** `guide_info` of a Python v0.3 step: any JSON (default `[]`). Other generations: ignored, a warning. */
  guideInfo?: unknown;
  /** `step_desc` of a Python v0.3 step (default: the manifest step's name, else `""`). Other generations: ignored, a warning. */
  stepDesc?: string;
  /**
   * The trace id of this step (a W3C `traceparent`'s trace-id, or the caller's own id): the
   * algorithm gets it as `session.context.trace_id` of this step's calls, and the runner's and
   * the algorithm's log lines of the step carry it. Absent: the session's own `context.trace_id`.
   */
  traceId?: string;
}

/**
 * The outcome of one step. `status` says whether the step worked; the verdict is
 * `resultStatus` (OK/NG) from execute. On ERROR, `errorCode` and `stage` say what failed where.
 */
export interface StepOutcome {
  sessionId: string;
  stepIndex: number;
  status: 'OK' | 'ERROR';
  message: string;
  errorCode?: ErrorCode;
  /** The stage that ended the step (for ERROR), or `execute` on success. */
  stage: StepStage;
  /** The verdict of execute. */
  resultStatus?: 'OK' | 'NG';
  /** The validated pre_execute result (absent when the step stopped before it). */
  pre?: PreExecuteResult;
  /** The validated execute result (defect rects truncated to `max_defects`). */
  execute?: ExecuteResult;
  /**
   * What the algorithm published through the SDK's `this.diagnostics` (model version, counters...),
   * as of this step: `debug.diagnostics` of the execute result, else of the pre result.
   */
  diagnostics?: Record<string, unknown>;
  /** Non-fatal findings: truncated defects, legacy fields... (also logged as warnings). */
  warnings: string[];
  /** The frame as the algorithm saw it. */
  frame?: { sharedMemId: string; imageMeta: ImageMeta };
  /** The guide frame as a Python v0.3 algorithm saw it (the current frame's id when none was given). */
  guideFrame?: { sharedMemId: string; imageMeta: ImageMeta };
  /** Wall time of the whole step, in ms. */
  latencyMs: number;
}
