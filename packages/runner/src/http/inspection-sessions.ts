import { ProcVisionError } from '@procvision/manifest';
import type { FrameWriter } from '@procvision/shm';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import type { CallOutcome } from '../process/call-outcome.js';
import { runStep } from '../process/inspection.js';
import { InspectionSession } from '../process/session.js';
import type { StepOutcome, StepRequest } from '../process/step-outcome.js';
import type { ProcessSource } from './process-source.js';

interface ProcessLane {
  writer: FrameWriter;
  /** Steps of one process run one at a time (their frame stays in the ring until released). */
  steps: Promise<unknown>;
}

/** Hooks of {@link InspectionSessions}. */
export interface InspectionHooks {
  /** Called with every process a step is about to use (metrics subscribe to its events). */
  onProcess(process: AlgorithmProcess): void;
  /** Called with every step outcome. */
  onStep(outcome: StepOutcome): void;
  /** Receives warnings (truncated defects...). */
  warn(message: string, session: InspectionSession): void;
}

/**
 * The service's inspection sessions. Each step asks the process source for the process of
 * the session's pid again, so a switch or rollback takes effect at the next step; the frame
 * goes through that process's own shared-memory ring (2 slots), and steps of one process are
 * serialised.
 */
export class InspectionSessions {
  private readonly sessions = new Map<string, InspectionSession>();
  private readonly lanes = new Map<AlgorithmProcess, ProcessLane>();

  constructor(
    private readonly source: ProcessSource,
    private readonly hooks: InspectionHooks,
  ) {}

  /**
   * Creates a session for a pid served by an active package.
   * @throws ProcVisionError 1001 when no package serves the pid
   */
  async create(pid: string, context: Record<string, unknown> | undefined): Promise<InspectionSession> {
    const process = await this.source.processFor(pid);
    const session = new InspectionSession({ packageName: process.packageName, pid, ...(context ? { context } : {}) });
    this.sessions.set(session.id, session);
    return session;
  }

  /** A live session. */
  get(id: string): InspectionSession | undefined {
    return this.sessions.get(id);
  }

  /**
   * Runs one step (validate, frame, pre, execute); never rejects for algorithm failures.
   * A step whose process was stopped under it by a switch or rollback (1005 from a process
   * now stopping) runs again, once, on the process that serves the pid now.
   */
  async step(session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    const process = await this.source.processFor(session.pid);
    let outcome = await this.runOn(process, session, request);
    if (outcome.status === 'ERROR' && outcome.errorCode === '1005' && (process.state === 'stopping' || process.state === 'stopped')) {
      const replacement = await this.source.processFor(session.pid).catch(() => process);
      if (replacement !== process) outcome = await this.runOn(replacement, session, request);
    }
    session.steps += 1;
    this.hooks.onStep(outcome);
    return outcome;
  }

  /** Clears a session's state and calls the algorithm's `reset(session)`. */
  async reset(session: InspectionSession): Promise<CallOutcome> {
    session.clearState();
    const process = await this.source.processFor(session.pid);
    const outcome = await process.call({ phase: 'reset', session: session.toWire() }, { sessionId: session.id });
    session.applyState(outcome.sessionState);
    return outcome;
  }

  /** Ends a session (its state is dropped). */
  end(session: InspectionSession): void {
    session.ended = true;
    this.sessions.delete(session.id);
  }

  /** Ends every session and frees every shared-memory ring. */
  close(): void {
    for (const session of this.sessions.values()) this.end(session);
    for (const lane of this.lanes.values()) lane.writer.close();
    this.lanes.clear();
  }

  private runOn(process: AlgorithmProcess, session: InspectionSession, request: StepRequest): Promise<StepOutcome> {
    const lane = this.lane(process);
    const step = lane.steps.then(() => runStep({ process, writer: lane.writer, warn: (message) => this.hooks.warn(message, session) }, session, request));
    lane.steps = step.catch(() => undefined);
    return step;
  }

  private lane(process: AlgorithmProcess): ProcessLane {
    const existing = this.lanes.get(process);
    if (existing) return existing;
    if (process.state === 'stopped') throw new ProcVisionError('1005', `${process.packageName}@${process.packageVersion} was stopped; retry the step`);
    this.hooks.onProcess(process);
    const lane: ProcessLane = { writer: process.createFrameWriter({ slots: 2 }), steps: Promise.resolve() };
    this.lanes.set(process, lane);
    const detach = process.on('state-change', (event) => {
      if (event.to !== 'stopped') return;
      detach();
      this.lanes.delete(process);
      void lane.steps.then(() => lane.writer.close());
    });
    return lane;
  }
}
