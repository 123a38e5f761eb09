import type { LogEntry, LogLevel } from '../../logger.js';

/** A log entry written by the runner itself (`source: "runner"`). */
export function runnerLogEntry(
  level: LogLevel,
  message: string,
  tags: Pick<LogEntry, 'packageName' | 'packageVersion' | 'sessionId'> & { processId?: number; traceId?: string },
  fields?: Record<string, unknown>,
): LogEntry {
  return { level, message, timestamp_ms: Date.now(), source: 'runner', ...tags, ...(fields ? { fields } : {}) };
}
