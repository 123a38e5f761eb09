import type { Logger } from '../../logger.js';
import type { AlgorithmExecutor, LoadFailure, ProtocolLink } from './adapter-protocol.js';
import { setUpAlgorithm, setupFailure } from './algorithm-setup.js';
import { describe } from './algorithm-loader.js';
import { runCall, warnIfLargeState, type CallRunnerContext } from './call-runner.js';
import type { EntryPoint } from './entry-point.js';
import { encodeResult } from './result-frame.js';
import { tierUpSooner } from './tier-up.js';

/** What the inline executor runs and under which limits. */
interface InlineExecutorOptions {
  /** Finds the entry point (throws a 1003 error when there is none). */
  entry: () => EntryPoint;
  /** Most defect rects kept per execute result. */
  maxDefects: number;
  /** The adapter's logger. */
  logger: Logger;
}

/**
 * Runs the algorithm on the protocol's own thread: a synchronous call is answered before
 * `call` returns (no promise, no microtask), an asynchronous one when it settles.
 */
export class InlineExecutor implements AlgorithmExecutor {
  private readonly options: InlineExecutorOptions;
  private readonly link: ProtocolLink;
  private context: CallRunnerContext | undefined;
  /** Request id of the running call, until its answer is written. */
  private running: string | undefined;
  /** Settles once the running asynchronous call is answered. */
  private answered: Promise<void> | undefined;

  constructor(options: InlineExecutorOptions, link: ProtocolLink) {
    this.options = options;
    this.link = link;
  }

  async load(): Promise<LoadFailure | undefined> {
    try {
      const entry = this.options.entry();
      this.context = await setUpAlgorithm({ ...entry, maxDefects: this.options.maxDefects }, this.options.logger);
      return undefined;
    } catch (error) {
      return setupFailure(error);
    }
  }

  call(requestId: string, data: Record<string, unknown>): Promise<void> | undefined {
    const context = this.context;
    if (context === undefined) throw new Error('InlineExecutor.call before load');
    this.running = requestId;
    const result = runCall(context, requestId, data);
    if (!(result instanceof Promise)) return this.answer(data, result);
    const done = result.then((settled) => this.answer(data, settled));
    this.answered = done;
    return done;
  }

  busy(): boolean {
    return this.running !== undefined;
  }

  idle(): Promise<void> {
    return this.answered ?? Promise.resolve();
  }

  async teardown(): Promise<string | undefined> {
    try {
      await this.context?.algorithm.teardown?.();
      return undefined;
    } catch (error) {
      return `teardown() failed: ${describe(error)}`;
    }
  }

  stop(): undefined {
    return undefined;
  }

  /** Writes the result of the running call (busy ends just before). */
  private answer(data: Record<string, unknown>, result: Record<string, unknown>): undefined {
    const frame = encodeResult(result, this.options.logger);
    warnIfLargeState(this.options.logger, data, result, frame.byteLength);
    this.running = undefined;
    this.answered = undefined;
    this.link.write(frame);
    tierUpSooner();
    return undefined;
  }
}
