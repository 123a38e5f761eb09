import { checkExecuteResult, checkPreExecuteResult, type ErrorCode, ProcVisionError, type StepCallData, validateUserParams } from '@procvision/manifest';
import type { FrameWriter, WrittenFrame } from '@procvision/shm';
import type { AlgorithmProcess } from './algorithm-process.js';
import type { CallOutcome } from './call-outcome.js';
import type { InspectionSession } from './session.js';
import type { StepOutcome, StepRequest, StepStage } from './step-outcome.js';

/** What {@link runStep} works with. */
export interface StepResources {
  process: AlgorithmProcess;
  writer: FrameWriter;
  /** Receives each warning (truncated defects...), already in the outcome too. */
  warn: (message: string) => void;
}

/**
 * One inspection step, top to bottom: check the pid and step, validate the user params against
 * the step's schema (1006/1007 without calling the algorithm), write the frame into the
 * process's shared-memory ring, call `pre`, skip `execute` when pre returned ERROR, call
 * `execute`, keep the session state each call returns, validate both results (defect rects
 * beyond `max_defects` truncated with a warning), and release the frame slot.
 */
export async function runStep(resources: StepResources, session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
  const startedAt = performance.now();
  const done = (fields: Omit<StepOutcome, 'sessionId' | 'stepIndex' | 'latencyMs' | 'warnings'> & { warnings?: string[] }): StepOutcome => ({
    sessionId: session.id,
    stepIndex: request.stepIndex,
    warnings: [],
    ...fields,
    latencyMs: performance.now() - startedAt,
  });
  const fail = (stage: StepStage, errorCode: ErrorCode, message: string, extra: Partial<StepOutcome> = {}) => done({ status: 'ERROR', stage, errorCode, message, ...extra });

  const info = resources.process.info;
  if (info === undefined) return fail('validate', '1005', `${session.packageName} has not started; start it before running steps`);
  if (!info.supported_pids.includes(session.pid)) return fail('validate', '1001', `pid ${JSON.stringify(session.pid)} is not in ${info.name}'s supported_pids (${info.supported_pids.join(', ')})`);
  const step = info.steps.find((candidate) => candidate.index === request.stepIndex);
  if (!step) return fail('validate', '1006', `step_index ${request.stepIndex} is not a step of ${info.name}; expected one of ${info.steps.map((candidate) => candidate.index).join(', ')}`);
  const params = validateUserParams(step, request.userParams ?? {}, { width: request.frame.width, height: request.frame.height });
  if (!params.ok) return fail('validate', params.code, params.message);

  let written: WrittenFrame;
  try {
    written = resources.writer.write(request.frame);
  } catch (error) {
    return fail('frame', ProcVisionError.isInstance(error) ? error.code : '9999', `cannot write the frame to shared memory: ${(error as Error).message}`);
  }
  const frame = { sharedMemId: written.sharedMemId, imageMeta: written.imageMeta };
  try {
    const call = (phase: 'pre' | 'execute'): StepCallData => ({
      phase,
      step_index: request.stepIndex,
      pid: session.pid,
      session: session.toWire(),
      user_params: params.params,
      shared_mem_id: written.sharedMemId,
      image_meta: written.imageMeta,
    });
    const preOutcome = await resources.process.call(call('pre'), { sessionId: session.id });
    session.applyState(preOutcome.sessionState);
    if (preOutcome.source === 'runner') return fail('pre', preOutcome.errorCode ?? '1005', preOutcome.message, { frame });
    const pre = checkPreExecuteResult(resultOf(preOutcome));
    if (!pre.ok) return fail('pre', '9999', `preExecute returned an invalid result: ${pre.message}`, { frame });
    if (pre.result.status === 'ERROR') return fail('pre', pre.result.error_code ?? '9999', pre.result.message ?? 'preExecute returned ERROR', { frame, pre: pre.result });

    const executeOutcome = await resources.process.call(call('execute'), { sessionId: session.id });
    session.applyState(executeOutcome.sessionState);
    if (executeOutcome.source === 'runner') return fail('execute', executeOutcome.errorCode ?? '1005', executeOutcome.message, { frame, pre: pre.result });
    const execute = checkExecuteResult(resultOf(executeOutcome), { maxDefects: resources.process.config.max_defects });
    if (!execute.ok) return fail('execute', '9999', `execute returned an invalid result: ${execute.message}`, { frame, pre: pre.result });
    const warnings = [...pre.warnings, ...execute.warnings];
    for (const warning of warnings) resources.warn(warning);
    const result = execute.result;
    if (result.status === 'ERROR') {
      return fail('execute', result.error_code ?? '9999', result.message ?? 'execute returned ERROR', { frame, pre: pre.result, execute: result, warnings });
    }
    return done({
      status: 'OK',
      stage: 'execute',
      message: result.message ?? '',
      ...(result.data?.result_status === undefined ? {} : { resultStatus: result.data.result_status }),
      pre: pre.result,
      execute: result,
      warnings,
      frame,
    });
  } finally {
    resources.writer.release(written.slot);
  }
}

/** The method-level result inside a call outcome, without the protocol's `phase`/`step_index` echo. */
function resultOf(outcome: CallOutcome): Record<string, unknown> {
  const { phase: _phase, step_index: _stepIndex, ...data } = outcome.data;
  return {
    status: outcome.status,
    message: outcome.message,
    ...(outcome.errorCode === undefined ? {} : { error_code: outcome.errorCode }),
    data,
    ...(outcome.debug === undefined ? {} : { debug: outcome.debug }),
  };
}
