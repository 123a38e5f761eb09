import { Console } from 'node:console';

/**
 * Reserves stdout for protocol frames: from now on `process.stdout` is `process.stderr`, so
 * `process.stdout.write` and every `console` method write to stderr. Frames are written to
 * fd 1 directly (see `FrameOutput`). No stream is ever made for fd 1, so no code can reach it
 * through one (and start-up skips building a pipe stream for it, ~2 ms with node:net).
 * Call it before any algorithm code is loaded (in the main thread and in the worker).
 */
export function reserveStdoutForFrames(): void {
  const stderr = process.stderr;
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: () => stderr });
  redirectConsoleToStderr(stderr);
}

/** Points every method of the global `console` at stderr. */
function redirectConsoleToStderr(stderr: NodeJS.WriteStream): void {
  const stderrConsole = new Console({ stdout: stderr, stderr });
  const target = console as unknown as Record<string, unknown>;
  const source = stderrConsole as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const method = source[key];
    if (typeof method === 'function') target[key] = method.bind(stderrConsole);
  }
}
