import {
  type AlgorithmInfo,
  type ImageMeta,
  ProcVisionError,
  checkExecuteResult,
  checkPreExecuteResult,
  validateUserParams,
} from '@procvision/manifest';
import type { Logger } from '../../logger.js';
import { Session, type SessionInit } from '../../session.js';
import type { StepContext, StepPhase } from '../../base-algorithm.js';
import type { LoadedAlgorithm } from './algorithm-loader.js';
import { errorResult, type MethodResult } from './method-result.js';
import { quickExecuteResult, quickPreExecuteResult } from './quick-result-check.js';

const sessionStateWarnBytes = 100 * 1024;

/** What a call runner needs besides the call: the algorithm, its info and the limits. */
export interface CallRunnerContext {
  algorithm: LoadedAlgorithm;
  info: AlgorithmInfo;
  maxDefects: number;
  logger: Logger;
}

/**
 * Runs one call (`data` of a `call` frame) against the algorithm and builds the `result` frame:
 * hooks around pre/execute, result contract checks, session state out, latency.
 * Never throws: every failure becomes an ERROR result.
 */
export async function runCall(context: CallRunnerContext, requestId: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const started = performance.now();
  const phase = data.phase;
  const stepIndex = typeof data.step_index === 'number' ? data.step_index : 0;
  const session = new Session(sessionInit(data.session), 'adopt');
  let outcome: MethodResult;
  try {
    outcome = await runPhase(context, phase, stepIndex, session, data);
  } catch (error) {
    outcome = errorResult(error);
  }
  const frame: Record<string, unknown> = {
    type: 'result',
    request_id: requestId,
    timestamp_ms: Date.now(),
    status: outcome.status,
    message: outcome.message ?? '',
  };
  if (outcome.error_code !== undefined) frame.error_code = outcome.error_code;
  if (outcome.error_kind !== undefined) frame.error_kind = outcome.error_kind;
  frame.data = phase === 'info' && outcome.status === 'OK' ? outcome.data : { ...outcome.data, phase, step_index: stepIndex };
  if (outcome.debug !== undefined) frame.debug = outcome.debug;
  frame.session_state = session.toState();
  frame.latency_ms = Math.round((performance.now() - started) * 1000) / 1000;
  return frame;
}

async function runPhase(context: CallRunnerContext, phase: unknown, stepIndex: number, session: Session, data: Record<string, unknown>): Promise<MethodResult> {
  const { algorithm } = context;
  switch (phase) {
    case 'info':
      return { status: 'OK', message: 'info', data: context.info as unknown as Record<string, unknown> };
    case 'reset':
      await algorithm.reset?.(session);
      return { status: 'OK', message: 'reset', data: {} };
    case 'pre':
    case 'execute':
      return runStep(context, phase, stepIndex, session, data);
    default:
      throw new ProcVisionError('1006', `call.data.phase must be one of pre, execute, info, reset; got ${JSON.stringify(phase)}`);
  }
}

async function runStep(context: CallRunnerContext, phase: StepPhase, stepIndex: number, session: Session, data: Record<string, unknown>): Promise<MethodResult> {
  const { algorithm, info } = context;
  const pid = data.pid;
  if (typeof pid !== 'string' || !info.supported_pids.includes(pid)) {
    throw new ProcVisionError('1001', `pid ${JSON.stringify(pid)} is not in supported_pids (${info.supported_pids.join(', ')})`);
  }
  const step = info.steps.find((candidate) => candidate.index === stepIndex);
  if (step === undefined) {
    throw new ProcVisionError('1006', `step_index ${JSON.stringify(data.step_index)} is not a step of ${info.name} (steps 1..${info.steps.length})`);
  }
  const imageMeta = data.image_meta as ImageMeta;
  const validation = validateUserParams(step, data.user_params ?? {}, imageMeta);
  if (!validation.ok) throw new ProcVisionError(validation.code, validation.message);
  const userParams = validation.params;
  const sharedMemId = typeof data.shared_mem_id === 'string' ? data.shared_mem_id : '';
  const stepContext: StepContext = { phase, pid, userParams, sharedMemId, imageMeta };
  if (algorithm.onStepStart !== undefined) {
    const startFailure = await callHook('onStepStart', () => algorithm.onStepStart?.(stepIndex, session, stepContext));
    if (startFailure !== undefined) return startFailure;
  }
  const method = phase === 'pre' ? 'preExecute' : 'execute';
  let outcome: MethodResult;
  try {
    const returned: unknown = algorithm[method](stepIndex, pid, session, userParams, sharedMemId, imageMeta);
    outcome = checkReturned(context, method, isThenable(returned) ? await returned : returned);
  } catch (error) {
    outcome = errorResult(error);
  }
  if (algorithm.onStepFinish === undefined) return outcome;
  const finishFailure = await callHook('onStepFinish', () => algorithm.onStepFinish?.(stepIndex, session, outcome));
  return finishFailure ?? outcome;
}

function checkReturned(context: CallRunnerContext, method: 'preExecute' | 'execute', returned: unknown): MethodResult {
  const checked =
    method === 'preExecute'
      ? (quickPreExecuteResult(returned) ?? checkPreExecuteResult(returned))
      : (quickExecuteResult(returned) ?? checkExecuteResult(returned, { maxDefects: context.maxDefects }));
  if (!checked.ok) {
    return { status: 'ERROR', message: `${method}() returned an invalid result: ${checked.message}`, error_code: '9999', data: {} };
  }
  for (const warning of checked.warnings) context.logger.warn(`${method}() result: ${warning}`);
  return checked.result as MethodResult;
}

/** Runs a hook; a throw becomes an ERROR outcome naming the hook (typed error codes kept). */
async function callHook(name: string, hook: () => unknown): Promise<MethodResult | undefined> {
  try {
    await hook();
    return undefined;
  } catch (error) {
    const outcome = errorResult(error);
    outcome.message = `${name} hook failed: ${outcome.message ?? ''}`;
    return outcome;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function sessionInit(value: unknown): SessionInit {
  if (typeof value !== 'object' || value === null) return { id: '' };
  const session = value as Record<string, unknown>;
  return {
    id: typeof session.id === 'string' ? session.id : '',
    context: isRecord(session.context) ? session.context : {},
    state: isRecord(session.state) ? session.state : {},
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Warns when a result's `session_state` is above the 100 KB guideline. Called with the encoded
 * frame: the state is measured only when the whole frame is that large, so a call with a small
 * state never serialises it twice.
 */
export function warnIfLargeState(logger: Logger, data: Record<string, unknown>, result: Record<string, unknown>, frameBytes: number): void {
  if (frameBytes <= sessionStateWarnBytes) return;
  const state = result.session_state as Record<string, unknown> | undefined;
  const keys = state === undefined ? [] : Object.keys(state);
  if (keys.length === 0) return;
  const bytes = Buffer.byteLength(JSON.stringify(state));
  if (bytes > sessionStateWarnBytes) {
    const sessionId = sessionInit(data.session).id;
    logger.warn('session state is above the 100 KB guideline; keep only small results in it', { session_id: sessionId, bytes, keys });
  }
}
