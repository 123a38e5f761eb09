import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { CallTable } from '../src/process/call-table.js';
import { Heartbeat } from '../src/process/heartbeat.js';
import { RingBuffer } from '../src/process/internal/ring-buffer.js';
import type { LogEntry } from '../src/logger.js';
import { RestartPolicy } from '../src/process/restart-policy.js';
import { StderrLog } from '../src/process/stderr-log.js';

describe('RestartPolicy', () => {
  it('doubles the back-off within the window, gives up past the budget, forgets old restarts', () => {
    const policy = new RestartPolicy({ maxRestarts: 3, windowMs: 1_000, initialDelayMs: 100, maxDelayMs: 250 });
    expect([policy.next(0), policy.next(10), policy.next(20)]).toEqual([
      { restart: true, attempt: 1, delayMs: 100 },
      { restart: true, attempt: 2, delayMs: 200 },
      { restart: true, attempt: 3, delayMs: 250 },
    ]);
    expect(policy.next(30)).toEqual({ restart: false, restartsInWindow: 3 });
    expect(policy.next(1_005)).toMatchObject({ restart: true, attempt: 3 });
    policy.reset();
    expect(policy.next(1_006)).toMatchObject({ restart: true, attempt: 1 });
  });
});

describe('CallTable', () => {
  it('settles each call once: a reply after the timeout is dropped', async () => {
    vi.useFakeTimers();
    try {
      const table = new CallTable<string>();
      const outcome = table.add('r-1', { timeoutMs: 100, onTimeout: () => 'timeout' });
      vi.advanceTimersByTime(100);
      await expect(outcome).resolves.toBe('timeout');
      expect(table.settle('r-1', 'late result')).toBe(false);
      expect(table.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('settleAll fails every call in flight', async () => {
    const table = new CallTable<string>();
    const calls = [table.add('a', { onTimeout: () => 'x' }), table.add('b', { onTimeout: () => 'x' })];
    table.settleAll((requestId) => `crash ${requestId}`);
    await expect(Promise.all(calls)).resolves.toEqual(['crash a', 'crash b']);
  });
});

describe('Heartbeat', () => {
  it('declares the process hung after max consecutive misses; a pong resets the count', () => {
    vi.useFakeTimers();
    try {
      const pings: string[] = [];
      const misses: number[] = [];
      let lost = 0;
      const heartbeat = new Heartbeat({
        intervalMs: 100,
        graceMs: 50,
        maxMissed: 2,
        sendPing: (id) => pings.push(id),
        onMiss: (n) => misses.push(n),
        onLost: () => (lost += 1),
      });
      heartbeat.start();
      vi.advanceTimersByTime(100);
      expect(heartbeat.handlePong(pings[0]!)).toBe(true);
      vi.advanceTimersByTime(150);
      expect(misses).toEqual([1]);
      vi.advanceTimersByTime(60);
      expect(heartbeat.handlePong(pings[2]!)).toBe(true);
      vi.advanceTimersByTime(300);
      expect(misses).toEqual([1, 1, 2]);
      expect(lost).toBe(1);
      expect(heartbeat.handlePong('ping-99')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('StderrLog', () => {
  function capture(maxLines = 3, maxLineLength = 50) {
    const ring = new RingBuffer<LogEntry>(maxLines);
    const forwarded: LogEntry[] = [];
    const log = new StderrLog({
      ring,
      maxLineLength,
      tag: () => ({ packageName: 'p', packageVersion: '1.0.0', sessionId: 's-1', processId: 42 }),
      forward: (entry) => forwarded.push(entry),
    });
    const stream = new PassThrough();
    log.attach(stream);
    return { ring, forwarded, stream };
  }

  it('splits lines across chunks (multi-byte characters too), parses JSON, wraps text, tags, keeps a bounded ring', async () => {
    const { ring, forwarded, stream } = capture();
    const euro = Buffer.from('€');
    stream.write(Buffer.concat([Buffer.from('{"level":"warning","message":"hot","temp":81}\nprice 5'), euro.subarray(0, 1)]));
    stream.write(Buffer.concat([euro.subarray(1), Buffer.from('\r\n\n{"level":"error","message":"a"}\nlast without newline')]));
    stream.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(forwarded.map((entry) => [entry.level, entry.message])).toEqual([
      ['warn', 'hot'],
      ['info', 'price 5€'],
      ['error', 'a'],
      ['info', 'last without newline'],
    ]);
    expect(forwarded[0]).toMatchObject({ fields: { temp: 81 }, packageName: 'p', sessionId: 's-1', processId: 42, source: 'algorithm' });
    expect(ring.toArray().map((entry) => entry.message)).toEqual(['price 5€', 'a', 'last without newline']);
  });

  it('cuts a line that never ends at maxLineLength and marks it truncated', async () => {
    const { forwarded, stream } = capture(3, 10);
    stream.write('x'.repeat(25));
    stream.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(forwarded[0]).toMatchObject({ message: 'x'.repeat(10), fields: { truncated: true } });
  });
});
