/** Log levels, lowest first. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;

/** A log level: `debug`, `info`, `warn` or `error`. */
export type LogLevel = (typeof logLevels)[number];

/**
 * One log line, from an algorithm's stderr (`source: "algorithm"`) or from the runner itself
 * (`source: "runner"`), tagged with the package and the session of the call in flight.
 */
export interface LogEntry {
  level: LogLevel;
  message: string;
  timestamp_ms: number;
  source: 'algorithm' | 'runner';
  packageName: string;
  packageVersion: string;
  /** The session of the call in flight when the line was read (else of the last call), or null. */
  sessionId: string | null;
  /**
   * The trace id (32 hex digits of a W3C `traceparent`, or the caller's `context.trace_id`) of
   * the request or call the line belongs to, when it has one.
   */
  traceId?: string;
  /** OS process id of the child process, when the line came from one. */
  processId?: number;
  /** The other fields of a JSON log line; `truncated: true` when a line was cut. */
  fields?: Record<string, unknown>;
}

/** Where the runner forwards log entries. */
export interface RunnerLogger {
  log(entry: LogEntry): void;
}

/** True when `level` is one of {@link logLevels}. */
export function isLogLevel(level: unknown): level is LogLevel {
  return typeof level === 'string' && (logLevels as readonly string[]).includes(level);
}

/**
 * The default logger: one JSON line per entry on the runner's own stderr, entries below
 * `minimumLevel` dropped.
 */
export function createStderrLogger(minimumLevel: LogLevel = 'info'): RunnerLogger {
  const threshold = logLevels.indexOf(minimumLevel);
  return {
    log(entry) {
      if (logLevels.indexOf(entry.level) < threshold) return;
      process.stderr.write(`${JSON.stringify(entry)}\n`);
    },
  };
}

/** A logger that drops everything (for tests and embedders that only read the ring). */
export const silentLogger: RunnerLogger = { log() {} };
