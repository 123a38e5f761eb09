import {
  checkExecuteResult,
  checkPreExecuteResult,
  type ErrorCode,
  ProcVisionError,
  type StepCallData,
  type StepSpec,
  validateUserParams,
  ErrorCodes,
} from '@procvision/manifest';
import type { Frame, FrameWriter, WrittenFrame } from '@procvision/shm';
import type { AlgorithmProcess } from './algorithm-process.js';
import type { CallOutcome } from './call-outcome.js';
import type { GuidedExecuteCallData } from './guided-call-data.js';
import type { InspectionSession } from './session.js';
import type { StepOutcome, StepRequest, StepStage } from './step-outcome.js';

/** What {@link runInspectionStep} works with. */
interface StepResources {
  process: AlgorithmProcess;
  writer: FrameWriter;
  /** Receives each warning (truncated defects...), already in the outcome too. */
  warn: (message: string) => void;
}

type Done = (fields: Omit<StepOutcome, 'sessionId' | 'stepIndex' | 'latencyMs' | 'warnings'> & { warnings?: string[] }) => StepOutcome;
type Fail = (stage: StepStage, errorCode: ErrorCode, message: string, extra?: Partial<StepOutcome>) => StepOutcome;

/**
 * One inspection step, top to bottom: check the pid and step, validate the user params against
 * the step's schema (1006/1007 without calling the algorithm), write the frame into the
 * process's frame store, then call the algorithm in the shape its adapter speaks (from its
 * hello): `pre`, then `execute` unless pre returned ERROR (protocol 1, Python v0.0), or one
 * guided `execute` with current and guide frame (Python v0.3). Keeps the session state each
 * call returns, validates the results (defect rects beyond `max_defects` truncated with a
 * warning), and releases the frames once the outcome is known.
 *
 * An empty `supported_pids` or `steps` (a Python manifest without them) means any PID or any
 * step index; a v0.0 step without a schema passes its user params as given.
 */
export async function runInspectionStep(resources: StepResources, session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
  const startedAt = performance.now();
  const warnings: string[] = [];
  const done: Done = (fields) => ({
    sessionId: session.id,
    stepIndex: request.stepIndex,
    ...fields,
    ...diagnosticsField(fields),
    warnings: [...warnings, ...(fields.warnings ?? [])],
    latencyMs: performance.now() - startedAt,
  });
  const fail: Fail = (stage, errorCode, message, extra = {}) => done({ status: 'ERROR', stage, errorCode, message, ...extra });

  const info = resources.process.info;
  const profile = resources.process.profile;
  if (info === undefined || profile === undefined)
    return fail('validate', ErrorCodes.timeout, `${session.packageName} has not started; start it before running steps`);
  const python = profile.generation !== 'protocol-1';
  const anyPid = python && info.supported_pids.length === 0;
  if (!anyPid && !info.supported_pids.includes(session.pid))
    return fail(
      'validate',
      ErrorCodes.invalidPid,
      `pid ${JSON.stringify(session.pid)} is not in ${info.name}'s supported_pids (${info.supported_pids.join(', ')})`,
    );
  const anyStep = python && info.steps.length === 0;
  const step = info.steps.find((candidate) => candidate.index === request.stepIndex);
  if (!step && !anyStep)
    return fail(
      'validate',
      ErrorCodes.invalidParams,
      `step_index ${request.stepIndex} is not a step of ${info.name}; expected one of ${info.steps.map((candidate) => candidate.index).join(', ')}`,
    );
  if (!Number.isInteger(request.stepIndex) || request.stepIndex < 1)
    return fail('validate', ErrorCodes.invalidParams, `step_index must be an integer from 1, got ${String(request.stepIndex)}`);

  if (profile.callShape === 'guided-execute') return guidedStep(resources, session, request, step, { done, fail });

  for (const [field, given] of [
    ['guideFrame', request.guideFrame],
    ['guideInfo', request.guideInfo],
    ['stepDesc', request.stepDesc],
  ] as const) {
    if (given === undefined) continue;
    const warning = `${field} ignored: ${info.name}'s adapter (${profile.generation}) takes no ${field === 'guideFrame' ? 'guide image' : field === 'guideInfo' ? 'guide info' : 'step description'}`;
    warnings.push(warning);
    resources.warn(warning);
  }
  let userParams: Record<string, unknown> = request.userParams ?? {};
  if (step) {
    const params = validateUserParams(step, userParams, { width: request.frame.width, height: request.frame.height });
    if (!params.ok) return fail('validate', params.code, params.message);
    userParams = params.params;
  }

  const written = writeFrame(resources.writer, request.frame, fail);
  if ('status' in written) return written;
  const frame = { sharedMemId: written.sharedMemId, imageMeta: written.imageMeta };
  // The step's own trace id reaches the algorithm in the context of its calls only; the session keeps its context.
  const traceContext =
    request.traceId === undefined || request.traceId === session.context.trace_id ? undefined : { ...session.context, trace_id: request.traceId };
  try {
    const call = (phase: 'pre' | 'execute'): StepCallData => ({
      phase,
      step_index: request.stepIndex,
      pid: session.pid,
      session: traceContext === undefined ? session.toWire() : { ...session.toWire(), context: traceContext },
      user_params: userParams,
      shared_mem_id: written.sharedMemId,
      image_meta: written.imageMeta,
    });
    const preOutcome = await resources.process.call(call('pre'), { sessionId: session.id });
    session.applyState(preOutcome.sessionState);
    if (preOutcome.source === 'runner') return fail('pre', preOutcome.errorCode ?? ErrorCodes.timeout, preOutcome.message, { frame });
    const pre = checkPreExecuteResult(resultOf(preOutcome));
    if (!pre.ok) return fail('pre', ErrorCodes.unknownError, `preExecute returned an invalid result: ${pre.message}`, { frame });
    if (pre.result.status === 'ERROR')
      return fail('pre', pre.result.error_code ?? ErrorCodes.unknownError, pre.result.message ?? 'preExecute returned ERROR', { frame, pre: pre.result });

    const executeOutcome = await resources.process.call(call('execute'), { sessionId: session.id });
    session.applyState(executeOutcome.sessionState);
    return finishExecute(resources, executeOutcome, { done, fail }, { frame, pre: pre.result }, pre.warnings);
  } finally {
    resources.writer.release(written.slot);
  }
}

/** A Python v0.3 step: one `execute` with the current and the guide frame. */
async function guidedStep(
  resources: StepResources,
  session: InspectionSession,
  request: StepRequest,
  step: StepSpec | undefined,
  report: { done: Done; fail: Fail },
): Promise<StepOutcome> {
  const { fail } = report;
  if (request.userParams !== undefined && Object.keys(request.userParams).length > 0) {
    return fail(
      'validate',
      ErrorCodes.invalidParams,
      `user_params: ${resources.process.packageName}'s adapter (Python v0.3) takes no user params (got ${Object.keys(request.userParams).join(', ')}); give per-step data as guide_info`,
    );
  }
  let guideInfo: unknown = request.guideInfo ?? [];
  try {
    guideInfo = JSON.parse(JSON.stringify(guideInfo)) as unknown;
  } catch (error) {
    return fail('validate', ErrorCodes.invalidParams, `guide_info: not JSON-serialisable (${(error as Error).message})`);
  }
  const current = writeFrame(resources.writer, request.frame, fail);
  if ('status' in current) return current;
  const guide = request.guideFrame === undefined ? current : writeFrame(resources.writer, request.guideFrame, fail, 'guide ');
  try {
    if ('status' in guide) return guide;
    const frame = { sharedMemId: current.sharedMemId, imageMeta: current.imageMeta };
    const guideFrame = { sharedMemId: guide.sharedMemId, imageMeta: guide.imageMeta };
    const data: GuidedExecuteCallData = {
      phase: 'execute',
      step_index: request.stepIndex,
      step_desc: request.stepDesc ?? step?.name ?? '',
      guide_info: guideInfo,
      cur_image_shm_id: current.sharedMemId,
      cur_image_meta: current.imageMeta,
      guide_image_shm_id: guide.sharedMemId,
      guide_image_meta: guide.imageMeta,
    };
    const outcome = await resources.process.call(data, { sessionId: session.id });
    session.applyState(outcome.sessionState);
    return finishExecute(resources, outcome, report, { frame, guideFrame }, []);
  } finally {
    resources.writer.release(current.slot);
    if (!('status' in guide) && guide !== current) resources.writer.release(guide.slot);
  }
}

function finishExecute(
  resources: StepResources,
  outcome: CallOutcome,
  report: { done: Done; fail: Fail },
  extra: Partial<StepOutcome>,
  earlier: readonly string[],
): StepOutcome {
  const { done, fail } = report;
  if (outcome.source === 'runner') return fail('execute', outcome.errorCode ?? ErrorCodes.timeout, outcome.message, extra);
  const execute = checkExecuteResult(resultOf(outcome), { maxDefects: resources.process.config.max_defects });
  if (!execute.ok) return fail('execute', ErrorCodes.unknownError, `execute returned an invalid result: ${execute.message}`, extra);
  const warnings = [...earlier, ...execute.warnings];
  for (const warning of warnings) resources.warn(warning);
  const result = execute.result;
  if (result.status === 'ERROR') {
    return fail('execute', result.error_code ?? ErrorCodes.unknownError, result.message ?? 'execute returned ERROR', { ...extra, execute: result, warnings });
  }
  return done({
    status: 'OK',
    stage: 'execute',
    message: result.message ?? '',
    ...(result.data?.result_status === undefined ? {} : { resultStatus: result.data.result_status }),
    ...extra,
    execute: result,
    warnings,
  });
}

function writeFrame(writer: FrameWriter, frame: Frame, fail: Fail, which = ''): WrittenFrame | StepOutcome {
  try {
    return writer.write(frame);
  } catch (error) {
    return fail(
      'frame',
      ProcVisionError.isInstance(error) ? error.code : ErrorCodes.unknownError,
      `cannot write the ${which}frame to shared memory: ${(error as Error).message}`,
    );
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

/** `debug.diagnostics` of a result (what the SDK's `this.diagnostics` published), when it is an object. */
function diagnosticsOf(debug: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const diagnostics = debug?.diagnostics;
  return typeof diagnostics === 'object' && diagnostics !== null && !Array.isArray(diagnostics) ? (diagnostics as Record<string, unknown>) : undefined;
}

/** The `diagnostics` field of an outcome: execute's, else pre's (none when neither has any). */
function diagnosticsField(fields: Partial<StepOutcome>): Pick<StepOutcome, 'diagnostics'> {
  const diagnostics = diagnosticsOf(fields.execute?.debug) ?? diagnosticsOf(fields.pre?.debug);
  return diagnostics === undefined ? {} : { diagnostics };
}
