import type { AlgorithmInfo, ExecuteResult, ImageMeta, PreExecuteResult } from '@procvision/manifest';
import { Diagnostics } from './diagnostics.js';
import { createLogger, type Logger } from './logger.js';
import type { Session } from './session.js';

/** A value, or a promise of it: every algorithm method may be sync or async. */
export type MaybePromise<T> = T | Promise<T>;

/** The call phases that run the step hooks. */
export type StepPhase = 'pre' | 'execute';

/** What `onStepStart` learns about the call that is about to run. */
export interface StepContext {
  /** `pre` (preExecute) or `execute`. */
  phase: StepPhase;
  /** The product id of the call. */
  pid: string;
  /** The user params after validation (defaults filled). */
  userParams: Record<string, unknown>;
  /** Where the frame is (read it with `readImage`). */
  sharedMemId: string;
  /** Size, time and camera of the frame. */
  imageMeta: ImageMeta;
}

/**
 * The arguments of {@link BaseAlgorithm.preExecute} and {@link BaseAlgorithm.execute}, in the
 * Python SDK's order: the step index (from 1), the product id, the session, the user params
 * after validation (defaults filled), where the frame is (read it with `readImage`) and its size,
 * time and camera. An override names them itself: `execute(stepIndex: number, pid: string, ...)`.
 */
export type StepArguments = [stepIndex: number, pid: string, session: Session, userParams: Record<string, unknown>, sharedMemId: string, imageMeta: ImageMeta];

/** The result handed to `onStepFinish`: what leaves the adapter for this call. */
export type StepResult = PreExecuteResult | ExecuteResult;

/**
 * The base class of every ProcVision algorithm. One instance serves every PID in
 * `supported_pids`; the adapter calls its methods in a worker thread of the algorithm process.
 *
 * Any method may be `async`. A thrown error becomes an ERROR result (code 9999, or the code of
 * a typed SDK error such as {@link GPUOutOfMemoryError}); it never crashes the process.
 *
 * @example
 * ```ts
 * export class ScrewCheck extends BaseAlgorithm {
 *   getInfo() { return { name: 'screw-check', version: '1.0.0', supported_pids: ['A01'], steps: [] }; }
 *   preExecute() { return { status: 'OK', message: 'ready' } as const; }
 *   async execute(stepIndex, pid, session, userParams, sharedMemId, imageMeta) {
 *     const image = await readImage(sharedMemId, imageMeta);
 *     return { status: 'OK', data: { result_status: 'OK' } } as const;
 *   }
 * }
 * ```
 */
export abstract class BaseAlgorithm {
  /** JSON-lines logger on stderr, tagged with the class name. */
  readonly logger: Logger;
  /** Named figures the algorithm publishes about itself. */
  readonly diagnostics: Diagnostics;

  constructor() {
    this.logger = createLogger({ fields: { algorithm: new.target.name } });
    this.diagnostics = new Diagnostics();
  }

  /** Name, version, PIDs and steps (with parameter schemas). Must agree with manifest.json. */
  abstract getInfo(): MaybePromise<AlgorithmInfo>;

  /** Prepares or checks the conditions of a step (lighting, calibration); never a pass/fail verdict. */
  abstract preExecute(...args: StepArguments): MaybePromise<PreExecuteResult>;

  /** Runs the step and gives the verdict in `data.result_status` (OK or NG). */
  abstract execute(...args: StepArguments): MaybePromise<ExecuteResult>;

  /** Once at process start: load models and other heavy resources. */
  setup?(): MaybePromise<void>;

  /** Once before exit: release what `setup` took. */
  teardown?(): MaybePromise<void>;

  /** Before each `pre` and `execute` call. */
  onStepStart?(stepIndex: number, session: Session, context: StepContext): MaybePromise<void>;

  /** After each `pre` and `execute` call, with the result that leaves the adapter. */
  onStepFinish?(stepIndex: number, session: Session, result: StepResult): MaybePromise<void>;

  /** When the platform restarts an inspection: drop per-inspection scratch state, keep models. */
  reset?(session: Session): MaybePromise<void>;
}
