import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObservedStep } from '../process/step-observer.js';
import { verdictOf } from '../verdicts/verdict-comparison.js';
import { encodeRecord, type RecordHeader } from './record-format.js';
import type { PidRecording, RecordingConfig } from './recording-config.js';

/** The folder of a PID's segments under the records root. */
export function pidRecordsFolder(recordsRoot: string, pid: string): string {
  return join(recordsRoot, encodeURIComponent(pid));
}

/** Segment file names: a 10-digit sequence number, `.seg`. */
export const segmentPattern = /^(\d{10})\.seg$/;

/** Counters of one PID's recording (`GET /records` `stats`). */
export interface RecordingStats {
  /** Records written. */
  recorded: number;
  /** Steps the mode left out (OK steps in `ng` mode, the N-1 of `1-in-N`). */
  skipped: number;
  /** Records dropped because the write queue was full (the disk is slower than the line). */
  dropped: number;
  /** Records larger than a quarter of `max_bytes`, never written. */
  too_large: number;
  /** Records lost to a write error (full disk ...). */
  write_errors: number;
  /** Segment files removed by the byte or age bound. */
  segments_removed: number;
}

/** Limits of the recorder's write queue. */
export interface RecorderLimits {
  /** Records waiting to be written at most (default 256). */
  queueRecords: number;
  /** Bytes waiting to be written at most (default 64 MiB). */
  queueBytes: number;
}

interface Segment {
  seq: number;
  size: number;
  mtimeMs: number;
}

interface PidState {
  config: PidRecording;
  every: number;
  folder: string;
  stats: RecordingStats;
  seen: number;
  segments: Segment[];
  active?: { seq: number; handle: FileHandle; size: number; index: number };
  opened?: Promise<void>;
}

/**
 * Records steps per PID, off the step's path: {@link Recorder.observe} filters by mode and
 * queues a copy of the frame (dropping and counting it when the queue is full); one writer
 * appends length-prefixed, checksummed records to the PID's newest segment file and removes
 * the oldest segments to stay within `max_bytes` and `max_age_hours`. A process that starts
 * writes a new segment (never after a torn tail).
 */
export class Recorder {
  private readonly pids = new Map<string, PidState>();
  private readonly queue: Array<{ state: PidState; header: Omit<RecordHeader, 'id'>; frame: Uint8Array }> = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private readonly limits: RecorderLimits;

  constructor(
    /** `<store>/records`. */
    readonly root: string,
    config: RecordingConfig,
    limits: Partial<RecorderLimits> = {},
  ) {
    this.limits = { queueRecords: 256, queueBytes: 64 * 1024 * 1024, ...limits };
    for (const [pid, settings] of Object.entries(config)) {
      if (settings.mode === 'off') continue;
      const every = settings.mode.startsWith('1-in-') ? Number(settings.mode.slice(5)) : 1;
      this.pids.set(pid, {
        config: settings,
        every,
        folder: pidRecordsFolder(root, pid),
        stats: { recorded: 0, skipped: 0, dropped: 0, too_large: 0, write_errors: 0, segments_removed: 0 },
        seen: 0,
        segments: [],
      });
    }
  }

  /** Whether any PID is recorded. */
  get enabled(): boolean {
    return this.pids.size > 0;
  }

  /** The counters and settings of every recorded PID. */
  stats(): Record<string, RecordingStats & { mode: string; max_bytes: number; max_age_hours: number; bytes: number }> {
    return Object.fromEntries(
      [...this.pids].map(([pid, state]) => [
        pid,
        {
          mode: state.config.mode,
          max_bytes: state.config.max_bytes,
          max_age_hours: state.config.max_age_hours,
          bytes: state.segments.reduce((sum, segment) => sum + segment.size, 0) + (state.active?.size ?? 0),
          ...state.stats,
        },
      ]),
    );
  }

  /** The step observer: queues the step when its PID's mode takes it; returns at once. */
  readonly observe = (step: ObservedStep): void => {
    const state = this.pids.get(step.pid);
    if (state === undefined) return;
    const verdict = verdictOf(step.outcome);
    state.seen += 1;
    const taken = state.config.mode === 'ng' ? verdict !== 'OK' : state.seen % state.every === 0 || state.every === 1;
    if (!taken) {
      state.stats.skipped += 1;
      return;
    }
    const { frame } = step.request;
    const bytes = frame.encoding === 'raw' ? frame.pixels : frame.bytes;
    if (this.queue.length >= this.limits.queueRecords || this.queuedBytes + bytes.length > this.limits.queueBytes) {
      state.stats.dropped += 1;
      return;
    }
    const copy = bytes.slice();
    const header: Omit<RecordHeader, 'id'> = {
      at: new Date().toISOString(),
      pid: step.pid,
      package: { name: step.packageName, version: step.packageVersion },
      step_index: step.request.stepIndex,
      session_id: step.session.id,
      context: { ...step.session.context },
      user_params: step.request.userParams ?? {},
      verdict,
      error_code: step.outcome.errorCode ?? null,
      message: step.outcome.message,
      execute: step.outcome.execute ?? null,
      step_ms: Math.round(step.outcome.latencyMs * 100) / 100,
      frame: {
        encoding: frame.encoding,
        width: frame.width,
        height: frame.height,
        ...(frame.encoding === 'raw' ? { channels: frame.channels, color_space: frame.colorSpace } : {}),
        bytes: copy.length,
      },
    };
    this.queue.push({ state, header, frame: copy });
    this.queuedBytes += copy.length;
    // After the caller's continuation (its next frame goes out first), not in this microtask.
    this.writing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain()).finally(() => (this.writing = undefined));
  };

  /** Resolves once every queued record is written. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** Writes what is queued, then closes the segment files. */
  async close(): Promise<void> {
    await this.flush();
    for (const state of this.pids.values()) {
      await state.active?.handle.close();
      delete state.active;
    }
  }

  private async drain(): Promise<void> {
    for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
      this.queuedBytes -= item.frame.length;
      try {
        await this.write(item.state, item.header, item.frame);
      } catch {
        item.state.stats.write_errors += 1;
      }
    }
  }

  private async write(state: PidState, header: Omit<RecordHeader, 'id'>, frame: Uint8Array): Promise<void> {
    await (state.opened ??= this.openPid(state));
    const segmentBytes = Math.max(16 * 1024, Math.min(64 * 1024 * 1024, Math.floor(state.config.max_bytes / 4)));
    let active = state.active;
    if (active !== undefined && active.size >= segmentBytes) {
      await active.handle.close();
      state.segments.push({ seq: active.seq, size: active.size, mtimeMs: Date.now() });
      delete state.active;
      active = undefined;
    }
    if (active === undefined) {
      const seq = (state.segments.at(-1)?.seq ?? 0) + 1;
      active = { seq, handle: await open(join(state.folder, segmentName(seq)), 'a'), size: 0, index: 0 };
      state.active = active;
    }
    const parts = encodeRecord({ id: `${header.pid}/${active.seq}/${active.index}`, ...header } as RecordHeader, frame);
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    if (length > state.config.max_bytes / 4) {
      state.stats.too_large += 1;
      return;
    }
    await this.enforceBounds(state, length);
    await active.handle.writev(parts);
    active.size += length;
    active.index += 1;
    state.stats.recorded += 1;
  }

  /** Removes the oldest closed segments while the PID would exceed `max_bytes`, and those older than `max_age_hours`. */
  private async enforceBounds(state: PidState, incoming: number): Promise<void> {
    const oldest = Date.now() - state.config.max_age_hours * 3_600_000;
    const total = () => state.segments.reduce((sum, segment) => sum + segment.size, 0) + (state.active?.size ?? 0) + incoming;
    while (state.segments.length > 0 && (total() > state.config.max_bytes || (state.segments[0] as Segment).mtimeMs < oldest)) {
      const segment = state.segments.shift() as Segment;
      await unlink(join(state.folder, segmentName(segment.seq))).catch(() => undefined);
      state.stats.segments_removed += 1;
    }
  }

  private async openPid(state: PidState): Promise<void> {
    await mkdir(state.folder, { recursive: true });
    for (const name of await readdir(state.folder)) {
      const match = segmentPattern.exec(name);
      if (!match) continue;
      const info = await stat(join(state.folder, name));
      state.segments.push({ seq: Number(match[1]), size: info.size, mtimeMs: info.mtimeMs });
    }
    state.segments.sort((a, b) => a.seq - b.seq);
  }
}

function segmentName(seq: number): string {
  return `${String(seq).padStart(10, '0')}.seg`;
}
