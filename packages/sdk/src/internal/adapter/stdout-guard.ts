import { Console } from 'node:console';

/**
 * Reserves stdout for protocol frames: from now on `process.stdout.write` and every `console`
 * method write to stderr. Frames are written to fd 1 directly (see `FrameOutput`).
 * Call it before any algorithm code is loaded (in the main thread and in the worker).
 */
export function reserveStdoutForFrames(): void {
  const stdout = process.stdout;
  const stderr = process.stderr;
  stdout.write = stderr.write.bind(stderr) as typeof stdout.write;
  redirectConsoleToStderr();
}

/** Points every method of the global `console` at stderr. */
function redirectConsoleToStderr(): void {
  const stderrConsole = new Console({ stdout: process.stderr, stderr: process.stderr });
  const target = console as unknown as Record<string, unknown>;
  const source = stderrConsole as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const method = source[key];
    if (typeof method === 'function') target[key] = method.bind(stderrConsole);
  }
}
