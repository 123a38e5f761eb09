import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-store-lock-');
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended
    }
  }
  folder.cleanup();
});
const zips: Record<string, string> = {};
const storeOp = fileURLToPath(new URL('./store-fixtures/store-op.mjs', import.meta.url));
const freezeMs = 15_000;

beforeAll(async () => {
  for (const version of ['1.0.0', '1.1.0', '1.2.0'])
    zips[version] = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version, withDependency: false, supportedPids: ['A01', 'A02', 'B01'] });
}, 120_000);

interface OpRun {
  pid: number;
  done: Promise<{ ok: boolean; paused?: boolean; code?: string; message?: string }>;
  finished: () => boolean;
}

function runOp(root: string, args: string[], pauseAt?: string): OpRun {
  const child = spawn(process.execPath, [storeOp, root, ...args], {
    env: { ...process.env, ...(pauseAt === undefined ? {} : { PROCVISION_STORE_TEST_PAUSE_AT: pauseAt }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child.pid!);
  let stdout = '';
  let finished = false;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<{ ok: boolean }>((resolve) =>
    child.on('close', () => {
      finished = true;
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean });
    }),
  );
  return { pid: child.pid!, done, finished: () => finished };
}

/** Waits until the process is stopped (state T in /proc/<pid>/stat). */
async function waitStopped(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`process ${String(pid)} never stopped at its pause point`);
}

const registryOf = (root: string): { generation: number; packages: Array<{ name: string; version: string }> } =>
  JSON.parse(readFileSync(join(root, 'registry.json'), 'utf8')) as { generation: number; packages: Array<{ name: string; version: string }> };
const versions = (root: string): string[] => registryOf(root).packages.map((entry) => entry.version);
const activeOf = (root: string): Record<string, { version: string; previous: { version: string } | null }> =>
  JSON.parse(readFileSync(join(root, 'active.json'), 'utf8')) as Record<string, { version: string; previous: { version: string } | null }>;
const deployedFolder = (root: string, version: string): string => join(root, 'algorithms', 'deployed', 'tiny-algo', version);

/**
 * Freezes the first operation (SIGSTOP at its pause point, holding the lock) for 15 s while a
 * second process runs its own; the second waits for the live holder, both then finish.
 */
async function frozenHolder(root: string, first: string[], pauseAt: string, second: string[]): Promise<void> {
  const holder = runOp(root, first, pauseAt);
  await waitStopped(holder.pid);
  const other = runOp(root, second);
  await new Promise((resolve) => setTimeout(resolve, freezeMs));
  expect(other.finished()).toBe(false);
  expect(JSON.parse(readFileSync(join(root, '.lock', 'owner.json'), 'utf8'))).toMatchObject({ pid: holder.pid });
  process.kill(holder.pid, 'SIGCONT');
  const [holderOutcome, otherOutcome] = await Promise.all([holder.done, other.done]);
  expect(holderOutcome).toMatchObject({ ok: true, paused: true });
  expect(otherOutcome).toMatchObject({ ok: true });
}

describe('a frozen lock holder keeps the lock (SIGSTOP for 15 s at each stage)', () => {
  const root = join(folder.path, 'store-frozen');
  it('install: frozen before its registry write; a second install waits, both versions are installed', async () => {
    await frozenHolder(root, ['install', zips['1.0.0']!], 'write:registry.json', ['install', zips['1.1.0']!]);
    expect(versions(root)).toEqual(['1.0.0', '1.1.0']);
    for (const version of ['1.0.0', '1.1.0']) expect(existsSync(deployedFolder(root, version))).toBe(true);
  }, 120_000);

  it('install: frozen before its rename; a second activate waits', async () => {
    await frozenHolder(root, ['install', zips['1.2.0']!], 'create:package', ['activate', 'tiny-algo', '1.0.0', 'B01']);
    expect(versions(root)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(activeOf(root).B01).toMatchObject({ version: '1.0.0' });
  }, 120_000);

  it('activate: frozen before its active.json write; a second switch of another PID waits', async () => {
    await frozenHolder(root, ['activate', 'tiny-algo', '1.1.0', 'A01'], 'write:active.json', ['switch', 'tiny-algo', '1.2.0', 'B01']);
    expect(activeOf(root)).toMatchObject({ A01: { version: '1.1.0' }, B01: { version: '1.2.0', previous: { version: '1.0.0' } } });
  }, 120_000);

  it('rollback: frozen before its active.json write; a second activate waits', async () => {
    await frozenHolder(root, ['rollback', 'tiny-algo', 'B01'], 'write:active.json', ['activate', 'tiny-algo', '1.1.0', 'A02']);
    expect(activeOf(root)).toMatchObject({ A01: { version: '1.1.0' }, A02: { version: '1.1.0' }, B01: { version: '1.0.0', previous: { version: '1.2.0' } } });
  }, 120_000);

  it('uninstall: frozen after journaling the removal; a second switch waits', async () => {
    await frozenHolder(root, ['uninstall', 'tiny-algo', '1.2.0'], 'remove:tiny-algo', ['switch', 'tiny-algo', '1.0.0', 'A02']);
    expect(versions(root)).toEqual(['1.0.0', '1.1.0']);
    expect(existsSync(deployedFolder(root, '1.2.0'))).toBe(false);
    expect(activeOf(root).A02).toMatchObject({ version: '1.0.0', previous: { version: '1.1.0' } });
    // Every operation is in the audit log once, ok; no recovery removed anything.
    const records = auditRecords(root);
    const outcomes = records.filter((record) => record.operation !== 'recover').map((record) => `${String(record.operation)} ${String(record.outcome)}`);
    expect(outcomes.sort()).toEqual([
      'activate ok',
      'activate ok',
      'activate ok',
      'install ok',
      'install ok',
      'install ok',
      'rollback ok',
      'switch ok',
      'switch ok',
      'uninstall ok',
    ]);
    expect(records.filter((record) => record.operation === 'recover')).toEqual([]);
    expect(existsSync(join(root, 'journal')) ? readdirSync(join(root, 'journal')) : []).toEqual([]);
  }, 120_000);
});

describe('a holder that lost its lock writes nothing', () => {
  it('fails 2005 (registry generation / lock token), its audit record says so, and the next operation removes its folder', async () => {
    const root = join(folder.path, 'store-stolen');
    const holder = runOp(root, ['install', zips['1.0.0']!], 'write:registry.json');
    await waitStopped(holder.pid);
    // An operator removes the lock of the frozen process by hand: the second process takes it.
    rmSync(join(root, '.lock'), { recursive: true, force: true });
    const other = runOp(root, ['install', zips['1.1.0']!]);
    expect(await other.done).toMatchObject({ ok: true });
    process.kill(holder.pid, 'SIGCONT');
    expect(await holder.done).toMatchObject({ ok: false, code: '2005' });
    expect(versions(root)).toEqual(['1.1.0']);
    const installs = auditRecords(root).filter((record) => record.operation === 'install');
    expect(installs.map((record) => record.outcome).sort()).toEqual(['error', 'ok']);
    // The loser's folder is named by its journal: the next operation's recovery removes it, nothing else.
    expect(await runOp(root, ['activate', 'tiny-algo', '1.1.0', 'A01']).done).toMatchObject({ ok: true });
    expect(existsSync(deployedFolder(root, '1.0.0'))).toBe(false);
    expect(existsSync(deployedFolder(root, '1.1.0'))).toBe(true);
    expect(versions(root)).toEqual(['1.1.0']);
  }, 120_000);
});
