import type { AlgorithmInfo, ExecuteResult, ImageMeta, PreExecuteResult, ResultCheck, StepSpec } from '@procvision/manifest';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';
import type { Logger } from '../../logger.js';
import { setCallLogFields } from './call-log-fields.js';
import { Session, type SessionInit } from '../../session.js';
import type { MaybePromise, StepContext, StepPhase } from '../../base-algorithm.js';
import type { LoadedAlgorithm } from './algorithm-loader.js';
import { errorResult, type MethodResult } from './method-result.js';
import { quickExecuteResult, quickPreExecuteResult } from './quick-result-check.js';
import { loadContractChecks } from './contract-checks.js';

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
 * Never throws: every failure becomes an ERROR result. Synchronous while the algorithm and its
 * hooks are (no promise, no closure, no microtask per call); a promise as soon as one of them
 * returns one or a check needs the schemas.
 */
export function runCall(context: CallRunnerContext, requestId: string, data: Record<string, unknown>): MaybePromise<Record<string, unknown>> {
  const started = process.hrtime();
  const phase = data.phase;
  const stepIndex = typeof data.step_index === 'number' ? data.step_index : 0;
  const session = new Session(sessionInit(data.session), 'adopt');
  setCallLogFields(callLogFields(data.session));
  let outcome: MaybePromise<MethodResult>;
  try {
    outcome = runPhase(context, phase, stepIndex, session, data);
  } catch (error) {
    outcome = errorResult(error);
  }
  if (!isThenable(outcome)) return resultFrame(context, requestId, phase, stepIndex, session, outcome, started);
  return Promise.resolve(outcome).then(
    (settled) => resultFrame(context, requestId, phase, stepIndex, session, settled, started),
    (error: unknown) => resultFrame(context, requestId, phase, stepIndex, session, errorResult(error), started),
  );
}

/**
 * The `result` frame. One object literal of one shape whatever the outcome (absent optional
 * fields are `undefined`, which JSON leaves out), so building and serialising it stays on
 * V8's fast paths.
 */
function resultFrame(
  context: CallRunnerContext,
  requestId: string,
  phase: unknown,
  stepIndex: number,
  session: Session,
  outcome: MethodResult,
  started: [number, number],
): Record<string, unknown> {
  setCallLogFields(undefined);
  return {
    type: 'result',
    request_id: requestId,
    timestamp_ms: Date.now(),
    status: outcome.status,
    message: outcome.message ?? '',
    error_code: outcome.error_code,
    error_kind: outcome.error_kind,
    data: phase === 'info' && outcome.status === 'OK' ? outcome.data : withStep(outcome.data, phase, stepIndex),
    debug: withDiagnostics(context, phase, outcome.debug),
    session_state: session.toState(),
    latency_ms: latencyMs(started),
  };
}

/**
 * Milliseconds since `started`, to the microsecond. `process.hrtime` rather than
 * `performance.now()`: the first use of the `performance` global loads perf_hooks (~1 ms of
 * the first call).
 */
function latencyMs(started: [number, number]): number {
  const [seconds, nanoseconds] = process.hrtime(started);
  return seconds * 1000 + Math.round(nanoseconds / 1000) / 1000;
}

/**
 * `{ ...data, phase, step_index }`, written with `Object.assign` and two stores: on Node 20's
 * V8 an object spread followed by literal properties takes a slow path (~14 us against
 * ~0.1 us here, a third of a trivial call's CPU time).
 */
function withStep(data: Record<string, unknown> | undefined, phase: unknown, stepIndex: number): Record<string, unknown> {
  const result: Record<string, unknown> = Object.assign({}, data);
  result.phase = phase;
  result.step_index = stepIndex;
  return result;
}

/** `then(value)` now, or once `value` settles. */
function andThen<T, R>(value: MaybePromise<T>, then: (settled: T) => MaybePromise<R>): MaybePromise<R> {
  return isThenable(value) ? Promise.resolve(value).then(then) : then(value);
}

function runPhase(context: CallRunnerContext, phase: unknown, stepIndex: number, session: Session, data: Record<string, unknown>): MaybePromise<MethodResult> {
  const { algorithm } = context;
  switch (phase) {
    case 'info':
      return { status: 'OK', message: 'info', data: context.info as unknown as Record<string, unknown> };
    case 'reset':
      return andThen(algorithm.reset?.(session), (): MethodResult => ({ status: 'OK', message: 'reset', data: {} }));
    case 'pre':
    case 'execute':
      return runStepHooks(context, phase, stepIndex, session, data);
    default:
      throw new ProcVisionError(ErrorCodes.invalidParams, `call.data.phase must be one of pre, execute, info, reset; got ${JSON.stringify(phase)}`);
  }
}

function runStepHooks(
  context: CallRunnerContext,
  phase: StepPhase,
  stepIndex: number,
  session: Session,
  data: Record<string, unknown>,
): MaybePromise<MethodResult> {
  const { info } = context;
  const pid = data.pid;
  if (typeof pid !== 'string' || !info.supported_pids.includes(pid)) {
    throw new ProcVisionError(ErrorCodes.invalidPid, `pid ${JSON.stringify(pid)} is not in supported_pids (${info.supported_pids.join(', ')})`);
  }
  const step = findStep(info.steps, stepIndex);
  if (step === undefined) {
    throw new ProcVisionError(
      ErrorCodes.invalidParams,
      `step_index ${JSON.stringify(data.step_index)} is not a step of ${info.name} (steps 1..${info.steps.length})`,
    );
  }
  const imageMeta = data.image_meta as ImageMeta;
  const sharedMemId = typeof data.shared_mem_id === 'string' ? data.shared_mem_id : '';
  const quick = quickUserParams(step, data.user_params);
  if (quick !== undefined) return runHooked(context, { phase, pid, userParams: quick, sharedMemId, imageMeta }, stepIndex, session);
  return checkUserParams(step, data.user_params, imageMeta).then((params) =>
    runHooked(context, { phase, pid, userParams: params, sharedMemId, imageMeta }, stepIndex, session),
  );
}

function findStep(steps: readonly StepSpec[], stepIndex: number): StepSpec | undefined {
  for (const step of steps) if (step.index === stepIndex) return step;
  return undefined;
}

/** onStepStart, the step method with its result check, onStepFinish. */
function runHooked(context: CallRunnerContext, stepContext: StepContext, stepIndex: number, session: Session): MaybePromise<MethodResult> {
  const { algorithm } = context;
  if (algorithm.onStepStart === undefined) return runBody(context, stepContext, stepIndex, session);
  const startFailure = callHook('onStepStart', () => algorithm.onStepStart?.(stepIndex, session, stepContext));
  if (startFailure === undefined) return runBody(context, stepContext, stepIndex, session);
  if (!isThenable(startFailure)) return startFailure;
  return startFailure.then((failure) => failure ?? runBody(context, stepContext, stepIndex, session));
}

/** The step method with its result check, then onStepFinish. */
function runBody(context: CallRunnerContext, stepContext: StepContext, stepIndex: number, session: Session): MaybePromise<MethodResult> {
  const outcome = runMethod(context, stepContext.phase === 'pre' ? 'preExecute' : 'execute', stepIndex, session, stepContext);
  if (!isThenable(outcome)) return finishStep(context, stepIndex, session, outcome);
  return outcome.then((settled) => finishStep(context, stepIndex, session, settled));
}

function runMethod(
  context: CallRunnerContext,
  method: 'preExecute' | 'execute',
  stepIndex: number,
  session: Session,
  step: StepContext,
): MaybePromise<MethodResult> {
  let returned: unknown;
  try {
    returned = context.algorithm[method](stepIndex, step.pid, session, step.userParams, step.sharedMemId, step.imageMeta);
  } catch (error) {
    return thrownResult(context, method, error);
  }
  if (isThenable(returned))
    return Promise.resolve(returned).then(
      (value) => checkValue(context, method, value),
      (error: unknown) => thrownResult(context, method, error),
    );
  return checkValue(context, method, returned);
}

/**
 * The ERROR outcome of a throw or rejection. An unexpected error (not a `ProcVisionError` the
 * code raised on purpose) also goes to the log with its stack, which the adapter maps through
 * the algorithm's source maps to `src/...ts:line:col` (process.setSourceMapsEnabled in adapter-bin).
 */
function thrownResult(context: CallRunnerContext, method: 'preExecute' | 'execute', error: unknown): MethodResult {
  if (!ProcVisionError.isInstance(error) && error instanceof Error && typeof error.stack === 'string') {
    const ownFrames = /\/(adapter-bin|adapter-worker)\.js:|\(node:internal\//;
    const stack = error.stack
      .split('\n')
      .filter((line) => !ownFrames.test(line))
      .join('\n');
    context.logger.error(`${method}() threw: ${stack}`);
  }
  return errorResult(error);
}

/** The hand-written check when it decides, else the schema check (loads zod the first time). */
function checkValue(context: CallRunnerContext, method: 'preExecute' | 'execute', value: unknown): MaybePromise<MethodResult> {
  const quick = method === 'preExecute' ? quickPreExecuteResult(value) : quickExecuteResult(value);
  if (quick !== undefined) return outcomeOf(context, method, quick);
  return checkReturned(context, method, value).then((checked) => outcomeOf(context, method, checked), errorResult);
}

function finishStep(context: CallRunnerContext, stepIndex: number, session: Session, outcome: MethodResult): MaybePromise<MethodResult> {
  const { algorithm } = context;
  if (algorithm.onStepFinish === undefined) return outcome;
  const finishFailure = callHook('onStepFinish', () => algorithm.onStepFinish?.(stepIndex, session, outcome));
  if (finishFailure === undefined) return outcome;
  if (!isThenable(finishFailure)) return finishFailure;
  return finishFailure.then((failure) => failure ?? outcome);
}

/** A step without params called without params: nothing to check or fill in (no zod needed). */
function quickUserParams(step: StepSpec, given: unknown): Record<string, unknown> | undefined {
  if (step.params.length > 0) return undefined;
  if (given === undefined) return {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return undefined;
  for (const _key in given) return undefined;
  return {};
}

/** Checks user params with @procvision/manifest's `validateUserParams` (defaults filled in). */
async function checkUserParams(step: StepSpec, given: unknown, imageMeta: ImageMeta): Promise<Record<string, unknown>> {
  const validation = (await loadContractChecks()).validateUserParams(step, given ?? {}, imageMeta);
  if (!validation.ok) throw new ProcVisionError(validation.code, validation.message);
  return validation.params;
}

/** The schema check of a result the quick check left undecided. */
async function checkReturned(
  context: CallRunnerContext,
  method: 'preExecute' | 'execute',
  returned: unknown,
): Promise<ResultCheck<ExecuteResult | PreExecuteResult>> {
  const checks = await loadContractChecks();
  return method === 'preExecute' ? checks.checkPreExecuteResult(returned) : checks.checkExecuteResult(returned, { maxDefects: context.maxDefects });
}

function outcomeOf(context: CallRunnerContext, method: 'preExecute' | 'execute', checked: ResultCheck<ExecuteResult | PreExecuteResult>): MethodResult {
  if (!checked.ok) {
    return { status: 'ERROR', message: `${method}() returned an invalid result: ${checked.message}`, error_code: ErrorCodes.unknownError, data: {} };
  }
  for (const warning of checked.warnings) context.logger.warn(`${method}() result: ${warning}`);
  return checked.result as MethodResult;
}

/**
 * Runs a hook; a throw or rejection becomes an ERROR outcome naming the hook (typed error codes
 * kept). `undefined` when it returned without a promise; a promise (of the failure or
 * `undefined`) when it returned one.
 */
function callHook(name: string, hook: () => unknown): MaybePromise<MethodResult | undefined> {
  const failed = (error: unknown): MethodResult => {
    const outcome = errorResult(error);
    outcome.message = `${name} hook failed: ${outcome.message ?? ''}`;
    return outcome;
  };
  let returned: unknown;
  try {
    returned = hook();
  } catch (error) {
    return failed(error);
  }
  if (!isThenable(returned)) return undefined;
  return Promise.resolve(returned).then(() => undefined, failed);
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

/** `{trace_id}` of the call's `session.context` (a bounded string), which the algorithm's log lines carry during the call. */
function callLogFields(value: unknown): { trace_id: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const context = (value as { context?: unknown }).context;
  if (typeof context !== 'object' || context === null) return undefined;
  const traceId = (context as { trace_id?: unknown }).trace_id;
  return typeof traceId === 'string' && traceId.length > 0 && traceId.length <= 128 ? { trace_id: traceId } : undefined;
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

/**
 * The result's `debug`, plus what the algorithm published through `this.diagnostics` under
 * `debug.diagnostics` (pre and execute results, when anything was published), so the values
 * travel to the runner's StepOutcome, the HTTP step response and the CLI report.
 */
function withDiagnostics(context: CallRunnerContext, phase: unknown, debug: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (phase !== 'pre' && phase !== 'execute') return debug;
  const diagnostics = context.algorithm.diagnostics;
  if (typeof diagnostics?.get !== 'function') return debug;
  const published = diagnostics.get();
  for (const _key in published) return Object.assign({}, debug, { diagnostics: published });
  return debug;
}
