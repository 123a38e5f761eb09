import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// One behaviour for every package's exit work (docs/design.md, "Exits"): shm, packager and
// the runner register it through signal-exit, which proper-lockfile (signal-exit v3) also
// uses. These tests load two or more of them in one process and signal it.

const host = fileURLToPath(new URL('./fixtures/exit-host.mjs', import.meta.url));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

type Ready = { segment?: string; lock?: string; adapterProcessId?: number; buildProcessId?: number };

/** True while the process exists and is not a zombie. */
function running(processId: number): boolean {
  try {
    const stat = readFileSync(`/proc/${processId}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function gone(processId: number): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (running(processId) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !running(processId);
}

/** Starts the host with `parts` and waits for its first line (everything in place). */
async function startHost(parts: string[], mode?: 'host') {
  const folder = mkdtempSync(join(tmpdir(), 'procvision-exit-signals-'));
  folders.push(folder);
  const tmp = join(folder, 'tmp');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(tmp);
  const child = spawn(process.execPath, [host, folder, parts.join(','), ...(mode ? [mode] : [])], {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = () => stdout.split('\n').filter((line) => line.trim() !== '');
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const [first] = lines();
      if (first !== undefined && stdout.includes('\n')) resolve(JSON.parse(first) as Ready);
    });
    void exit.then((result) => reject(new Error(`host exited early (${JSON.stringify(result)}): ${stderr}`)));
  });
  return { child, ready, exit, tmp, lines, stderr: () => stderr };
}

/** What the host's exit work must have undone. */
async function expectCleanedUp(ready: Ready, tmp: string): Promise<void> {
  if (ready.segment !== undefined) expect(existsSync(ready.segment), 'shared-memory segment').toBe(false);
  if (ready.lock !== undefined) expect(existsSync(ready.lock), 'store lock').toBe(false);
  if (ready.adapterProcessId !== undefined) expect(await gone(ready.adapterProcessId), 'algorithm process').toBe(true);
  if (ready.buildProcessId !== undefined) expect(await gone(ready.buildProcessId), 'npm build script').toBe(true);
  expect(
    readdirSync(tmp).filter((name) => name.startsWith('procvision-package-')),
    'staging folders',
  ).toEqual([]);
}

const combinations: Array<[NodeJS.Signals, string[]]> = [
  ['SIGINT', ['shm']],
  ['SIGTERM', ['shm']],
  ['SIGINT', ['process', 'shm']],
  ['SIGTERM', ['process']],
  ['SIGINT', ['packager']],
  ['SIGTERM', ['shm', 'process', 'packager']],
  ['SIGINT', ['shm', 'process', 'packager']],
];

describe('SIGINT/SIGTERM with several ProcVision pieces in one process', () => {
  it.each(combinations)(
    '%s with %j: every exit hook runs and the process dies of the signal',
    async (signal, parts) => {
      const { child, ready, exit, tmp, stderr } = await startHost(parts);
      child.kill(signal);
      expect(await exit, stderr()).toEqual({ code: null, signal });
      await expectCleanedUp(ready, tmp);
    },
    60_000,
  );

  it('leaves SIGTERM to a host that listens itself; the exit hooks run when it exits', async () => {
    const { child, ready, exit, tmp, lines, stderr } = await startHost(['shm', 'process'], 'host');
    child.kill('SIGTERM');
    expect(await exit, stderr()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(lines()[1] ?? '{}')).toEqual({ stillThere: { segment: true, adapterProcessId: true } });
    await expectCleanedUp(ready, tmp);
  }, 60_000);
});
