import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import type { RunnerLogger } from '../logger.js';
import type { ObservedStep } from '../process/step-observer.js';
import type { StartedProcess } from '../store/process-starter.js';
import type { Verdict } from '../verdicts/verdict-comparison.js';
import { Recorder } from './recorder.js';
import { ShadowRun, type ShadowStats } from './shadow-run.js';

/** Bytes of disagreeing frames kept per PID (the oldest go first). */
const shadowRecordBytes = 256 * 1024 * 1024;

/** What {@link ShadowRuns} needs around it. */
export interface ShadowRunsOptions {
  /** Starts a version's own process (`PackageStore.startDetached`). */
  startDetached(name: string, version: string): Promise<StartedProcess>;
  /** Where disagreeing frames are recorded (`<store>/shadow-records`); none: not recorded. */
  recordsRoot?: string;
  logger?: RunnerLogger;
  /** Called with each comparison (metrics). */
  onCompared?: (pid: string, active: Verdict, candidate: Verdict) => void;
  /** Called with each dropped frame (metrics). */
  onDropped?: (pid: string) => void;
}

/** What starts a shadow run: the candidate, the PID whose live frames it takes, its queue bound. */
export interface ShadowStart {
  name: string;
  version: string;
  pid: string;
  /** Frames waiting for the candidate at most (default 16). */
  queueLimit?: number;
}

/**
 * The service's shadow runs, one per PID at most: {@link ShadowRuns.observe} is a step
 * observer of the service's engine that hands each PID's steps to its run.
 */
export class ShadowRuns {
  private readonly runs = new Map<string, ShadowRun>();
  /** PIDs whose run is starting (its candidate process is coming up). */
  private readonly starting = new Set<string>();

  constructor(private readonly options: ShadowRunsOptions) {}

  /** The step observer: returns at once. */
  readonly observe = (step: ObservedStep): void => {
    this.runs.get(step.pid)?.observe(step);
  };

  /**
   * Starts the candidate's own process and a shadow run on the PID's live frames.
   * @throws ProcVisionError 2006 when one runs for the PID already, 2009 when the version is not installed, or the start-up failure
   */
  async start(init: ShadowStart): Promise<ShadowStats> {
    const running = this.runs.get(init.pid);
    if (running !== undefined || this.starting.has(init.pid)) {
      const what = running === undefined ? 'is starting' : `of ${running.stats().candidate.name}@${running.stats().candidate.version} runs`;
      throw new ProcVisionError(ErrorCodes.activationConflict, `a shadow run ${what} for PID ${init.pid}; stop it first (DELETE /shadow/${init.pid})`, {
        details: { pid: init.pid },
      });
    }
    this.starting.add(init.pid);
    try {
      const started = await this.options.startDetached(init.name, init.version);
      const { process } = started;
      if (process === undefined) {
        await started.stop();
        throw new ProcVisionError(ErrorCodes.activationConflict, `the store's process starter runs no AlgorithmProcess for ${init.name}@${init.version}`);
      }
      const { recordsRoot, onCompared, onDropped } = this.options;
      const run = new ShadowRun({
        pid: init.pid,
        candidate: { process, stop: () => started.stop() },
        ...(init.queueLimit === undefined ? {} : { queueLimit: init.queueLimit }),
        ...(recordsRoot === undefined
          ? {}
          : { recorder: new Recorder(recordsRoot, { [init.pid]: { mode: 'all', max_bytes: shadowRecordBytes, max_age_hours: 24 * 7 } }) }),
        ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
        ...(onCompared === undefined ? {} : { onCompared: (active, candidate) => onCompared(init.pid, active, candidate) }),
        ...(onDropped === undefined ? {} : { onDropped: () => onDropped(init.pid) }),
      });
      this.runs.set(init.pid, run);
      return run.stats();
    } finally {
      this.starting.delete(init.pid);
    }
  }

  /**
   * Stops the PID's shadow run and its candidate process; resolves with its final counters.
   * @throws ProcVisionError 1006 when none runs for the PID
   */
  async stop(pid: string): Promise<ShadowStats> {
    const run = this.runs.get(pid);
    if (run === undefined) throw new ProcVisionError(ErrorCodes.invalidParams, `no shadow run for PID ${pid}; GET /shadow lists them`, { details: { pid } });
    this.runs.delete(pid);
    return run.stop();
  }

  /** The counters of every shadow run, after the frames queued now are compared when `settle` is true. */
  async list(settle = false): Promise<ShadowStats[]> {
    if (settle) for (const run of this.runs.values()) await run.flush();
    return [...this.runs.values()].map((run) => run.stats());
  }

  /** Stops every shadow run. */
  async close(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((pid) => this.stop(pid)));
  }
}
