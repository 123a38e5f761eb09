import { randomUUID } from 'node:crypto';
import {
  type AlgorithmInfo,
  type ExecuteResult,
  type PreExecuteResult,
  type StepSpec,
  checkExecuteResult,
  checkPreExecuteResult,
  validateUserParams,
} from '@procvision/manifest';
import type { ImageFile } from './read-image-file.js';
import type { StartedAlgorithm } from './start-algorithm.js';
import { UsageError } from '../usage-error.js';

/** One step to run: PID, step index, user params (unvalidated), the image. */
export interface StepRequest {
  pid: string;
  step: number;
  userParams: Record<string, unknown>;
  image: ImageFile;
  /** Execute timeout override (`--timeout-ms`). */
  timeoutMs?: number;
  /** Example command line for usage errors. */
  example: string;
}

/** A result of one call as the algorithm returned it (the adapter's `phase`/`step_index` removed). */
export interface StepCallResult<T> {
  result: T | Record<string, unknown>;
  /** Problems with the result's shape (domain.md result rules); empty when it conforms. */
  violations: string[];
  warnings: string[];
  latencyMs: number;
  attempts: number;
  /** `result`: the algorithm answered; `runner`: the runner produced an ERROR (timeout, crash ...). */
  source: 'result' | 'runner';
}

/** What {@link runStep} returns. */
export interface StepRun {
  params: Record<string, unknown>;
  preExecute: StepCallResult<PreExecuteResult>;
  /** Absent when pre_execute returned ERROR (the platform does not execute then). */
  execute?: StepCallResult<ExecuteResult>;
  timings: { write_frame_ms: number; pre_execute_ms: number; execute_ms?: number };
}

/** The step of `getInfo().steps` with `index`, or a usage error listing the steps. */
export function findStep(info: AlgorithmInfo, index: number, example: string): StepSpec {
  const step = info.steps.find((candidate) => candidate.index === index);
  if (step !== undefined) return step;
  const known = info.steps.map((candidate) => `${candidate.index} (${candidate.name})`).join(', ') || 'none';
  throw new UsageError(`step ${index} is not in getInfo().steps of ${info.name}; steps: ${known}.`, { example });
}

/**
 * Runs `pre` then `execute` of one step on a started algorithm, exactly as the platform does:
 * params validated against the step schema first (1006/1007 -> usage error), the image written
 * to shared memory by the runner's frame writer, one session for both calls, each result
 * checked against the result rules.
 */
export async function runStep(algorithm: StartedAlgorithm, request: StepRequest): Promise<StepRun> {
  const step = findStep(algorithm.info, request.step, request.example);
  const validation = validateUserParams(step, request.userParams, request.image);
  if (!validation.ok) {
    throw new UsageError(`invalid --params for step ${step.index} (${validation.code}): ${validation.message}`, { code: validation.code, example: request.example });
  }
  let started = performance.now();
  const frame = algorithm.frames.write({
    encoding: request.image.encoding,
    bytes: request.image.bytes,
    width: request.image.width,
    height: request.image.height,
    cameraId: 'procvision-cli',
    timestampMs: Date.now(),
  });
  const writeFrameMs = performance.now() - started;
  try {
    const session = { id: `cli-${randomUUID()}`, context: { product_code: request.pid, trace_id: randomUUID() }, state: {} as Record<string, unknown> };
    const call = { step_index: step.index, pid: request.pid, user_params: validation.params, shared_mem_id: frame.sharedMemId, image_meta: frame.imageMeta };
    started = performance.now();
    const pre = await algorithm.process.call({ phase: 'pre', ...call, session });
    const preExecute = checkedResult(pre, (value) => checkPreExecuteResult(value));
    const timings = { write_frame_ms: round(writeFrameMs), pre_execute_ms: round(performance.now() - started) };
    if (pre.status !== 'OK') return { params: validation.params, preExecute, timings };
    started = performance.now();
    const executeOutcome = await algorithm.process.call(
      { phase: 'execute', ...call, session: { ...session, state: pre.session_state ?? session.state } },
      request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs },
    );
    const execute = checkedResult(executeOutcome, (value) => checkExecuteResult(value, { maxDefects: algorithm.config.max_defects }));
    return { params: validation.params, preExecute, execute, timings: { ...timings, execute_ms: round(performance.now() - started) } };
  } finally {
    algorithm.frames.release(frame.slot);
  }
}

interface Outcome {
  status: string;
  message: string;
  error_code?: string;
  data: Record<string, unknown>;
  debug?: Record<string, unknown>;
  latency_ms: number;
  attempts: number;
  source: 'result' | 'runner';
}

type Check<T> = { ok: true; result: T; warnings: string[] } | { ok: false; message: string };

function checkedResult<T>(outcome: Outcome, check: (value: unknown) => Check<T>): StepCallResult<T> {
  const { phase: _phase, step_index: _stepIndex, ...data } = outcome.data;
  const result: Record<string, unknown> = { status: outcome.status, message: outcome.message };
  if (outcome.error_code !== undefined) result['error_code'] = outcome.error_code;
  if (Object.keys(data).length > 0) result['data'] = data;
  if (outcome.debug !== undefined) result['debug'] = outcome.debug;
  const checked = check(result);
  const base = { latencyMs: round(outcome.latency_ms), attempts: outcome.attempts, source: outcome.source };
  if (checked.ok) return { ...base, result: checked.result, violations: [], warnings: checked.warnings };
  return { ...base, result, violations: [checked.message], warnings: [] };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 10) / 10;
}
