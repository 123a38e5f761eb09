import { Console } from 'node:console';

/** Writes one encoded frame to the real stdout. */
export type FrameSink = (frame: Uint8Array) => void;

/**
 * Reserves stdout for protocol frames: from now on `process.stdout.write` and every `console`
 * method write to stderr. Returns the only remaining way to write to the real stdout.
 * Call it before any algorithm code is loaded (in the main thread and in the worker).
 */
export function reserveStdoutForFrames(): FrameSink {
  const stdout = process.stdout;
  const writeToStdout = stdout.write.bind(stdout);
  const stderr = process.stderr;
  stdout.write = stderr.write.bind(stderr) as typeof stdout.write;
  redirectConsoleToStderr();
  return (frame) => {
    writeToStdout(frame);
  };
}

/** Points every method of the global `console` at stderr. */
export function redirectConsoleToStderr(): void {
  const stderrConsole = new Console({ stdout: process.stderr, stderr: process.stderr });
  const target = console as unknown as Record<string, unknown>;
  const source = stderrConsole as unknown as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const method = source[key];
    if (typeof method === 'function') target[key] = method.bind(stderrConsole);
  }
}
