import type { LogEntry, LogLevel } from '../../logger.js';

/** A log entry of the HTTP service itself (`source: "runner"`, no package or session). */
export function serviceLogEntry(level: LogLevel, message: string): LogEntry {
  return { level, message, timestamp_ms: Date.now(), source: 'runner', packageName: '', packageVersion: '', sessionId: null };
}
