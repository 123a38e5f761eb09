import type { ErrorCode, ErrorKind, ResultMessage } from '@procvision/manifest';

/** Why the runner, not the algorithm, produced an ERROR outcome. */
export type FailureReason =
  'timeout' | 'heartbeat-lost' | 'crash' | 'protocol-error' | 'adapter-error' | 'startup-failed' | 'failed' | 'stopped' | 'memory-limit';

/**
 * Reads the `error_kind` of a raw result frame (`"recoverable"` | `"fatal"`, set by the SDK for
 * RecoverableError / FatalError); the older `debug.recoverable` / `debug.fatal` flags count too.
 */
export function readErrorKind(frame: Record<string, unknown>): ErrorKind | undefined {
  if (frame.status !== 'ERROR') return undefined;
  if (frame.error_kind === 'recoverable' || frame.error_kind === 'fatal') return frame.error_kind;
  const debug = frame.debug;
  if (typeof debug === 'object' && debug !== null) {
    if ((debug as Record<string, unknown>).fatal === true) return 'fatal';
    if ((debug as Record<string, unknown>).recoverable === true) return 'recoverable';
  }
  return undefined;
}

/** The outcome of one attempt of a call on one process. */
export type AttemptOutcome =
  | { kind: 'result'; result: ResultMessage; errorKind: ErrorKind | undefined; latencyMs: number }
  | { kind: 'failure'; reason: FailureReason; code: ErrorCode; message: string; latencyMs: number };

/**
 * The one outcome of a call, the fields of a `result` frame in camelCase: what the algorithm returned,
 * or an ERROR the runner produced (`source: "runner"`, with `reason`) because the process
 * timed out, crashed, hung, broke the protocol, failed to start or is `failed`.
 */
export interface CallOutcome {
  status: 'OK' | 'ERROR';
  message: string;
  errorCode?: ErrorCode;
  data: Record<string, unknown>;
  debug?: Record<string, unknown>;
  /** The session state after the call (absent when the call failed or the adapter sent none). */
  sessionState?: Record<string, unknown>;
  /** Wall time of the last attempt seen by the runner, in ms. */
  latencyMs: number;
  /** Attempts made (1 + retries). */
  attempts: number;
  /** `result`: the algorithm answered; `runner`: the runner produced this ERROR (or an OK without a call, e.g. a reset the adapter lacks). */
  source: 'result' | 'runner';
  /** For `source: "runner"`: what went wrong. */
  reason?: FailureReason;
}

/** Turns the last attempt into the call's outcome. */
export function toCallOutcome(attempt: AttemptOutcome, attempts: number): CallOutcome {
  if (attempt.kind === 'failure') {
    return {
      status: 'ERROR',
      message: attempt.message,
      errorCode: attempt.code,
      data: {},
      latencyMs: attempt.latencyMs,
      attempts,
      source: 'runner',
      reason: attempt.reason,
    };
  }
  const { result } = attempt;
  return {
    status: result.status,
    message: result.message,
    ...(result.error_code === undefined ? {} : { errorCode: result.error_code }),
    data: result.data,
    ...(result.debug === undefined ? {} : { debug: result.debug }),
    ...(result.session_state === undefined ? {} : { sessionState: result.session_state }),
    latencyMs: attempt.latencyMs,
    attempts,
    source: 'result',
  };
}
