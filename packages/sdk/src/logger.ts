import { writeSync } from 'node:fs';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The fields of the call in flight (`trace_id`), which the adapter sets through a global symbol
 * (`internal/adapter/call-log-fields.ts`), so every copy of this module in the thread (the
 * adapter's, the algorithm's own dependency) sees the same.
 */
const callFieldsKey = Symbol.for('procvision.sdk.callLogFields');
type CallFieldsHolder = { [callFieldsKey]?: Record<string, unknown> | undefined };

/** Extra structured fields of one log line. */
export type LogFields = Record<string, unknown>;

/**
 * A structured logger: each call writes one JSON line
 * `{"level","timestamp_ms","message",...fields}` to stderr, which the runner collects. While
 * the adapter runs a call whose `session.context` has a `trace_id`, every line carries it.
 */
export interface Logger {
  /** Writes a `debug` line (hidden unless the level is `debug`). */
  debug(message: string, fields?: LogFields): void;
  /** Writes an `info` line. */
  info(message: string, fields?: LogFields): void;
  /** Writes a `warn` line. */
  warn(message: string, fields?: LogFields): void;
  /** Writes an `error` line. */
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written; default `PROC_LOG_LEVEL` or `info`. */
  level?: LogLevel;
  /** Fields added to every line, e.g. `{ algorithm: 'screw-check' }`. */
  fields?: LogFields;
  /** Where lines go; default `process.stderr` (never stdout: it carries protocol frames). */
  write?: (line: string) => void;
}

/**
 * Creates a JSON-lines logger. Safe in worker threads (it writes through `process.stderr`).
 * Fields that JSON cannot hold (BigInt, cycles) are written as strings instead of throwing.
 *
 * @example
 * ```ts
 * const logger = createLogger({ fields: { component: 'camera' } });
 * logger.info('frame read', { width: 1920, height: 1200 });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const minimum = levelRank[options.level ?? levelFromEnvironment()];
  const write = options.write ?? writeToStderr;
  const build = (baseFields: LogFields): Logger => {
    const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (levelRank[level] < minimum) return;
      const call = (globalThis as CallFieldsHolder)[callFieldsKey];
      const record =
        call === undefined
          ? { level, timestamp_ms: Date.now(), message, ...baseFields, ...fields }
          : { level, timestamp_ms: Date.now(), message, ...call, ...baseFields, ...fields };
      write(`${safeStringify(record)}\n`);
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => build({ ...baseFields, ...fields }),
    };
  };
  return build(options.fields ?? {});
}

/**
 * Writes straight to fd 2, synchronously, so a log line from the algorithm's worker thread
 * reaches stderr before the result of the same call leaves on stdout. Falls back to the
 * stream when the descriptor is non-blocking and full.
 */
function writeToStderr(line: string): void {
  try {
    writeSync(2, line);
  } catch {
    process.stderr.write(line);
  }
}

function levelFromEnvironment(): LogLevel {
  const value = process.env.PROC_LOG_LEVEL?.toLowerCase();
  return value !== undefined && value in levelRank ? (value as LogLevel) : 'info';
}

function safeStringify(record: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[circular]';
      seen.add(value);
    }
    return value;
  });
}
