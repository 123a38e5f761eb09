import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { RingBuffer } from './internal/ring-buffer.js';
import { isLogLevel, type LogEntry } from '../logger.js';

/** Options for {@link StderrLog}. */
interface StderrLogOptions {
  /** Where entries are kept: a bounded ring, shared by the incarnations of one process. */
  ring: RingBuffer<LogEntry>;
  /** Longest line kept, in characters; longer lines are cut and marked `truncated`. */
  maxLineLength: number;
  /** The tags of a line read now: package, session of the call in flight, OS process id. */
  tag: () => Pick<LogEntry, 'packageName' | 'packageVersion' | 'sessionId' | 'traceId' | 'processId'>;
  /** Receives every entry as it is read. */
  forward: (entry: LogEntry) => void;
}

/**
 * Reads a child's stderr line by line: JSON lines are parsed (`level`, `message`, other
 * fields kept), other lines wrapped as `{level: "info", message}`. Each entry is tagged,
 * kept in a bounded ring and forwarded. Line splitting survives chunk
 * boundaries (multi-byte characters included); a line longer than `maxLineLength` is cut.
 */
export class StderrLog {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly options: StderrLogOptions) {}

  /** Starts reading `stream`; the last unterminated line is flushed at its end. */
  attach(stream: Readable): void {
    stream.on('data', (chunk: Buffer) => this.push(this.decoder.write(chunk)));
    stream.on('end', () => this.flush());
    stream.on('error', () => this.flush());
  }

  private push(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.emit(this.partial + text.slice(start, newline));
      this.partial = '';
      start = newline + 1;
    }
    this.partial += text.slice(start);
    if (this.partial.length > this.options.maxLineLength) {
      this.emit(this.partial);
      this.partial = '';
    }
  }

  private flush(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emit(rest);
  }

  private emit(rawLine: string): void {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim().length === 0) return;
    const truncated = line.length > this.options.maxLineLength;
    const kept = truncated ? line.slice(0, this.options.maxLineLength) : line;
    const entry: LogEntry = { ...parseLine(kept), source: 'algorithm', ...this.options.tag() };
    if (truncated) entry.fields = { ...entry.fields, truncated: true };
    this.options.ring.push(entry);
    this.options.forward(entry);
  }
}

function parseLine(line: string): Pick<LogEntry, 'level' | 'message' | 'timestamp_ms' | 'fields'> {
  if (line.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const { level, message, timestamp_ms: timestamp, ...fields } = value as Record<string, unknown>;
        return {
          level: normaliseLevel(level),
          message: typeof message === 'string' ? message : JSON.stringify(message ?? ''),
          timestamp_ms: typeof timestamp === 'number' ? timestamp : Date.now(),
          ...(Object.keys(fields).length > 0 ? { fields } : {}),
        };
      }
    } catch {
      // not JSON: wrapped as text below
    }
  }
  return { level: 'info', message: line, timestamp_ms: Date.now() };
}

const levelAliases: Record<string, LogEntry['level']> = { warning: 'warn', critical: 'error', fatal: 'error', trace: 'debug' };

function normaliseLevel(level: unknown): LogEntry['level'] {
  if (isLogLevel(level)) return level;
  return (typeof level === 'string' ? levelAliases[level.toLowerCase()] : undefined) ?? 'info';
}
