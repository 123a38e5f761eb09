import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentProcessOwner, isOwnerGone, isPidOwnerGone, ownerNameTag, sweepLeftoverFolders, writeFolderOwner } from '../src/process-exit.js';
import { ownerFileName, ownerFromNameTag } from '../src/process-owner.js';

const parent = mkdtempSync(join(tmpdir(), 'procvision-owner-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('process owners (pid, boot id, start time)', () => {
  const linux = process.platform === 'linux';

  it('this process is not gone; a dead pid, another boot and a reused pid are', () => {
    const me = currentProcessOwner();
    expect(isOwnerGone(me)).toBe(false);
    expect(isOwnerGone({ ...me, pid: deadPid() })).toBe(true);
    // the parent (vitest's main process) is alive: gone only when its record names another boot or start
    const other = { pid: process.ppid, boot_id: me.boot_id, start_ticks: null };
    expect(isOwnerGone(other)).toBe(false);
    if (linux) {
      expect(isOwnerGone({ ...other, boot_id: '00000000-0000-0000-0000-000000000000' })).toBe(true);
      expect(isOwnerGone({ ...other, start_ticks: '1' })).toBe(true);
    }
  });

  it.runIf(linux)('a pid-only owner (segment) is gone when that pid started after the thing was written', () => {
    expect(isPidOwnerGone(process.ppid, Date.now())).toBe(false);
    expect(isPidOwnerGone(process.ppid, 0)).toBe(true);
    expect(isPidOwnerGone(deadPid(), Date.now())).toBe(true);
  });

  it('the name tag round-trips', () => {
    expect(ownerFromNameTag(`${ownerNameTag()}-abcdef`)).toEqual(currentProcessOwner());
    expect(ownerFromNameTag('6oPhrH')).toBeUndefined();
  });

  it('sweepLeftoverFolders removes only folders of gone owners (record or name) and old ownerless ones', () => {
    const live = mkdtempSync(join(parent, 'pv-test-'));
    writeFolderOwner(live);
    const dead = mkdtempSync(join(parent, 'pv-test-'));
    writeFileSync(join(dead, ownerFileName), JSON.stringify({ ...currentProcessOwner(), pid: deadPid() }));
    const freshOwnerless = mkdtempSync(join(parent, 'pv-test-'));
    const oldOwnerless = mkdtempSync(join(parent, 'pv-test-'));
    utimesSync(oldOwnerless, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    mkdirSync(join(parent, 'other-folder'));
    const removed = sweepLeftoverFolders(parent, 'pv-test-');
    expect(removed.sort()).toEqual([dead, oldOwnerless].map((path) => path.slice(parent.length + 1)).sort());
    expect(readdirSync(parent).sort()).toEqual(['other-folder', live, freshOwnerless].map((path) => path.replace(`${parent}/`, '')).sort());

    const tagged = mkdtempSync(join(parent, `pv-name-${ownerNameTag()}-`));
    const deadTagged = mkdtempSync(join(parent, `pv-name-${String(deadPid())}-x-x-`));
    expect(sweepLeftoverFolders(parent, 'pv-name-', { ownerIn: 'name' })).toEqual([deadTagged.slice(parent.length + 1)]);
    expect(readdirSync(parent)).toContain(tagged.slice(parent.length + 1));
  });
});
