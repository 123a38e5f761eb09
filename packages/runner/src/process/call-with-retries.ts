import type { CallData } from '@procvision/manifest';
import type { GuidedExecuteCallData } from './guided-call-data.js';
import { type AttemptOutcome, type CallOutcome, toCallOutcome } from './call-outcome.js';
import type { ProcessIdentity, RunnerEvents } from './events.js';
import type { ConnectionAttempt } from './internal/connection-gate.js';
import type { TypedEmitter } from './internal/typed-emitter.js';

/** What one call needs from its process. */
interface CallWithRetriesOptions {
  data: CallData | GuidedExecuteCallData;
  timeoutMs: number;
  sessionId: string | null;
  maxRetries: number;
  identity: ProcessIdentity;
  events: TypedEmitter<RunnerEvents>;
  /** Waits for a ready connection (through a restart if one is under way). */
  acquire: () => Promise<ConnectionAttempt>;
}

/**
 * Runs one call to its single outcome, retrying only where docs/spec/protocol.md allows it: timeouts,
 * lost heartbeats and `RecoverableError` results, up to `maxRetries` times. A `FatalError`
 * result fails the call and restarts the process; a crash, a protocol breach or an ERROR the
 * algorithm returned on purpose is final.
 */
export async function callWithRetries(options: CallWithRetriesOptions): Promise<CallOutcome> {
  const { data, identity, events } = options;
  for (let attempt = 1; ; attempt += 1) {
    const readiness = await options.acquire();
    if (!readiness.ok)
      return toCallOutcome({ kind: 'failure', reason: readiness.reason, code: readiness.code, message: readiness.message, latencyMs: 0 }, attempt - 1);
    const { connection } = readiness;
    const { requestId, outcome } = connection.call(data, { timeoutMs: options.timeoutMs, sessionId: options.sessionId });
    events.emit('call-start', { ...identity, requestId, phase: data.phase, attempt, sessionId: options.sessionId });
    const settled = await outcome;
    events.emit('call-end', { ...identity, requestId, phase: data.phase, attempt, ...endFields(settled) });
    if (settled.kind === 'result' && settled.errorKind === 'fatal') connection.endWithFault('fatal-error', `FatalError: ${settled.result.message}`);
    const reason = retryReason(settled);
    if (reason === undefined || attempt > options.maxRetries) return toCallOutcome(settled, attempt);
    events.emit('call-retry', { ...identity, requestId, phase: data.phase, attempt: attempt + 1, reason });
  }
}

function retryReason(outcome: AttemptOutcome): string | undefined {
  if (outcome.kind === 'failure') return outcome.reason === 'timeout' || outcome.reason === 'heartbeat-lost' ? outcome.reason : undefined;
  return outcome.errorKind === 'recoverable' ? 'recoverable-error' : undefined;
}

function endFields(outcome: AttemptOutcome): Pick<RunnerEvents['call-end'], 'status' | 'errorCode' | 'latencyMs' | 'source'> {
  if (outcome.kind === 'failure') return { status: 'ERROR', errorCode: outcome.code, latencyMs: outcome.latencyMs, source: 'runner' };
  const { result } = outcome;
  return {
    status: result.status,
    ...(result.error_code === undefined ? {} : { errorCode: result.error_code }),
    latencyMs: outcome.latencyMs,
    source: 'result',
  };
}
