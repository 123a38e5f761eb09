import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanupOrphanSegments } from '../src/index.js';
import { exitOf, startFixture } from './helpers/child.js';

type Written = { sharedMemId: string };
const pathOf = (sharedMemId: string): string => `/dev/shm/${sharedMemId.slice('mmap:'.length)}`;

describe('segment lifecycle', () => {
  it("removes a kill -9'd owner's segment at the next owner's start-up", async () => {
    const first = await startFixture<Written>('write-and-hold.mjs', ['16', '16', '1']);
    const orphan = pathOf(first.first.sharedMemId);
    expect(existsSync(orphan)).toBe(true);
    first.child.kill('SIGKILL');
    expect((await exitOf(first.child)).signal).toBe('SIGKILL');
    expect(existsSync(orphan)).toBe(true);
    const next = await startFixture<Written>('write-and-hold.mjs', ['16', '16', '2']);
    try {
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(pathOf(next.first.sharedMemId))).toBe(true);
    } finally {
      next.child.stdin?.end();
      await exitOf(next.child);
    }
    expect(existsSync(pathOf(next.first.sharedMemId))).toBe(false);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('unlinks on %s and still dies of the signal', async (signal) => {
    const { child, first } = await startFixture<Written>('write-and-hold.mjs', ['8', '8', '3']);
    expect(existsSync(pathOf(first.sharedMemId))).toBe(true);
    child.kill(signal);
    expect(await exitOf(child)).toEqual({ code: null, signal });
    expect(existsSync(pathOf(first.sharedMemId))).toBe(false);
  });

  it('leaves SIGTERM to a host that listens itself, and unlinks when the host exits', async () => {
    const { child, first } = await startFixture<Written>('host-sigterm.mjs', []);
    const lines: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(lines.join('').trim())).toEqual({ stillThere: true });
    expect(existsSync(pathOf(first.sharedMemId))).toBe(false);
  });

  it('cleanupOrphanSegments keeps live owners and other files', () => {
    const live = `/dev/shm/pv-${process.pid}-999999`;
    const foreign = `/dev/shm/pvtest-${process.pid}-keep`;
    writeFileSync(live, 'x', { mode: 0o600 });
    writeFileSync(foreign, 'x', { mode: 0o600 });
    try {
      expect(cleanupOrphanSegments()).not.toContain(`pv-${process.pid}-999999`);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(foreign)).toBe(true);
    } finally {
      rmSync(live, { force: true });
      rmSync(foreign, { force: true });
    }
  });
});
