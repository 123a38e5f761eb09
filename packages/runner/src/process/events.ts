import type { ErrorCode } from '@procvision/manifest';

/** The states of an algorithm process, observable through `state-change`. */
export type ProcessState = 'stopped' | 'starting' | 'ready' | 'restarting' | 'failed' | 'stopping';

/** Why the runner ended or restarted a process. */
export type FaultReason = 'crash' | 'timeout' | 'heartbeat-lost' | 'protocol-error' | 'fatal-error' | 'startup-failed' | 'memory-limit';

/** Identifies the algorithm process an event is about. */
export interface ProcessIdentity {
  /** Package name from the manifest. */
  packageName: string;
  /** Package version from the manifest. */
  packageVersion: string;
}

/**
 * Every event of the runner, by name (`<noun>-<action>`) with its payload.
 * Listeners receive the payload object; a listener that throws is logged, never fatal.
 */
export interface RunnerEvents {
  /** A child process was spawned (`processId` is the OS process id). */
  'process-start': ProcessIdentity & { processId: number; incarnation: number };
  /**
   * The child answered the handshake and its `info` call (or first ping): ready for calls.
   * `coldStartMs` runs from the spawn; `helloMs` is its first part, spawn to the adapter's
   * `hello` (process boot and adapter import); the rest is the algorithm's import, `setup()`
   * and `getInfo()`.
   */
  'process-ready': ProcessIdentity & { processId: number; coldStartMs: number; helloMs: number };
  /** The child exited; `expected` is true for a requested stop. */
  'process-exit': ProcessIdentity & { processId: number; code: number | null; signal: string | null; expected: boolean };
  /** The runner found the child at fault and is ending it. */
  'process-fault': ProcessIdentity & { processId: number; reason: FaultReason; message: string; hexPrefix?: string };
  /** A `pong` did not arrive within `heartbeat_grace_ms`. */
  'heartbeat-miss': ProcessIdentity & { processId: number; missed: number; maxMissed: number };
  /** The stop of a child escalated from SIGTERM (or the shutdown frame) to SIGKILL. */
  'kill-escalate': ProcessIdentity & { processId: number; signal: 'SIGTERM' | 'SIGKILL' };
  /** A restart is scheduled after `delayMs` of back-off. */
  restart: ProcessIdentity & { attempt: number; delayMs: number; reason: FaultReason };
  /** The process moved from one state to another. */
  'state-change': ProcessIdentity & { from: ProcessState; to: ProcessState; reason?: string };
  /** A call was sent to the child (one event per attempt). */
  'call-start': ProcessIdentity & { requestId: string; phase: string; attempt: number; sessionId: string | null };
  /** A call attempt ended; one `call-end` per `call-start`. */
  'call-end': ProcessIdentity & {
    requestId: string;
    phase: string;
    attempt: number;
    status: 'OK' | 'ERROR';
    errorCode?: ErrorCode;
    latencyMs: number;
    /** `result`: the child answered; `runner`: the runner produced the ERROR (timeout, crash...). */
    source: 'result' | 'runner';
  };
  /** A failed call attempt will be retried. */
  'call-retry': ProcessIdentity & { requestId: string; phase: string; attempt: number; reason: string };
  /** A reply for a request that is no longer in flight (late after a timeout, or unknown): dropped. */
  'reply-drop': ProcessIdentity & { processId: number; requestId: string | null; type: string };
  /** A session was created. */
  'session-start': { sessionId: string; packageName: string; pid: string };
  /** A session's state was cleared by `resetSession`. */
  'session-reset': { sessionId: string };
  /** A session ended. */
  'session-end': { sessionId: string; steps: number };
  /** A step began. */
  'step-start': { sessionId: string; stepIndex: number };
  /** A step ended with its outcome. */
  'step-end': {
    sessionId: string;
    stepIndex: number;
    /** The session's package. */
    packageName: string;
    /** The version of the process that ran the step ('' when none did). */
    packageVersion: string;
    status: 'OK' | 'ERROR';
    errorCode?: ErrorCode;
    resultStatus?: 'OK' | 'NG';
    latencyMs: number;
  };
}

/** The name of a runner event. */
export type RunnerEventName = keyof RunnerEvents;
