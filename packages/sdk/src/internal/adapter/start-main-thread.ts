import { encodeFrame } from '@procvision/manifest/framing';
import { createLogger } from '../../logger.js';
import { capabilities, writeHello } from './adapter-hello.js';
import { resolvePackageRoot } from './package-root.js';
import { createControl, FrameOutput } from './frame-output.js';
import { MainThreadAdapter } from './main-thread-adapter.js';
import { maxDefectsFromEnvironment } from './max-defects.js';
import { reserveStdoutForFrames } from './stdout-guard.js';
import { ErrorCodes } from '@procvision/manifest/errors';

/**
 * Starts the default adapter: the package root becomes the working directory, `hello` goes
 * out, stdout is guarded, then the algorithm is loaded and served on this thread (see
 * {@link MainThreadAdapter}). `thread` carries the error of a bad `--algorithm-thread` value,
 * which is reported as an `error` frame (exit 1).
 */
export function startMainThread(argv: readonly string[], thread: 'main' | { error: string }): void {
  const logger = createLogger({ fields: { component: 'procvision-adapter' } });
  const root = resolvePackageRoot();
  process.chdir(root);
  const output = new FrameOutput(createControl());
  try {
    writeHello(output, capabilities);
    reserveStdoutForFrames();
    if (typeof thread === 'object') {
      logger.error(thread.error);
      output.write(
        encodeFrame({ type: 'error', request_id: null, status: 'ERROR', message: thread.error, error_code: ErrorCodes.unknownError, timestamp_ms: Date.now() }),
      );
      process.exit(1);
    }
  } catch (error) {
    logger.error(`cannot write to stdout, exiting: ${(error as Error).message}`);
    process.exit(1);
  }
  void new MainThreadAdapter({ root, argv, output, maxDefects: maxDefectsFromEnvironment(), logger }).run();
}
