import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcVisionError } from '@procvision/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore, type ProcessStarter } from '../src/store/index.js';
import { auditRecords, buildTinyZip, storeSnapshot, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-store-activation-');
afterAll(() => folder.cleanup());
const versions = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0'];
const zips = new Map<string, string>();

/** A starter that runs nothing but records starts (with the PID bindings seen at that moment) and stops. */
function recordingStarter(root: () => string): { starter: ProcessStarter; log: string[] } {
  const log: string[] = [];
  const starter: ProcessStarter = async (deployed) => {
    const bindings = JSON.parse(await readFile(join(root(), 'active.json'))) as Record<string, { version: string }>;
    log.push(`start ${deployed.version} (A01 on ${bindings.A01?.version ?? 'nothing'})`);
    return { stop: async () => void log.push(`stop ${deployed.version}`) };
  };
  return { starter, log };
}

async function readFile(path: string): Promise<string> {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '{}';
  }
}

let storeCount = 0;
async function storeWith(installed: readonly string[]): Promise<{ store: PackageStore; log: string[] }> {
  storeCount += 1;
  const root = join(folder.path, `store-${String(storeCount)}`);
  const { starter, log } = recordingStarter(() => root);
  const store = await PackageStore.open(root, { processStarter: starter });
  for (const version of installed) await store.install(zips.get(version) ?? '');
  return { store, log };
}

beforeAll(async () => {
  for (const version of versions)
    zips.set(version, await buildTinyZip(folder.path, join(folder.path, 'zips'), { version, withDependency: false, supportedPids: ['A01', 'A02'] }));
}, 120_000);

describe('activate / switch / rollback', () => {
  it('activates after the process is ready; refuses unsupported or already bound PIDs (2006) without changing the store', async () => {
    const { store, log } = await storeWith(['1.0.0', '1.1.0']);
    const bindings = await store.activate('tiny-algo', '1.0.0', ['A01', 'A02']);
    expect(bindings.A01).toMatchObject({ name: 'tiny-algo', version: '1.0.0', previous: null, activated_at: expect.any(String) });
    expect(log).toEqual(['start 1.0.0 (A01 on nothing)']);
    const before = storeSnapshot(store.paths.root);
    await expect(store.activate('tiny-algo', '1.1.0', ['Z99'])).rejects.toMatchObject({
      code: '2006',
      message: expect.stringMatching(/Z99 is not in the supported_pids/),
    });
    await expect(store.activate('tiny-algo', '1.1.0', ['A01'])).rejects.toMatchObject({
      code: '2006',
      message: expect.stringMatching(/bound to tiny-algo@1.0.0/),
    });
    await expect(store.activate('tiny-algo', '9.9.9', ['A01'])).rejects.toMatchObject({ code: '2009', message: expect.stringMatching(/not installed/) });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
    expect((await store.resolveActive('A02')).root).toBe(join(store.paths.deployed, 'tiny-algo', '1.0.0'));
    await expect(store.resolveActive('A03')).rejects.toMatchObject({ code: '2006' });
    expect((await store.list()).map((item) => [item.version, item.state, item.active_pids])).toEqual([
      ['1.0.0', 'running', ['A01', 'A02']],
      ['1.1.0', 'deployed', []],
    ]);
  }, 30_000);

  it('switch starts the new version before the pointer flips; rollback returns the PID to its previous version', async () => {
    const { store, log } = await storeWith(['1.0.0', '1.1.0']);
    await store.activate('tiny-algo', '1.0.0', ['A01']);
    const switched = await store.switch('tiny-algo', '1.1.0', ['A01']);
    expect(switched.A01).toMatchObject({ version: '1.1.0', previous: { name: 'tiny-algo', version: '1.0.0' } });
    expect(log).toEqual(['start 1.0.0 (A01 on nothing)', 'start 1.1.0 (A01 on 1.0.0)', 'stop 1.0.0']);
    const rolledBack = await store.rollback('tiny-algo', 'A01');
    expect(rolledBack.A01).toMatchObject({ version: '1.0.0', previous: { name: 'tiny-algo', version: '1.1.0' } });
    expect(log.slice(3)).toEqual(['start 1.0.0 (A01 on 1.1.0)', 'stop 1.1.0']);
    await expect(store.rollback('tiny-algo', 'A02')).rejects.toMatchObject({ code: '2006' });
    await expect(store.rollback('other-algo', 'A01')).rejects.toMatchObject({ code: '2006' });
    await store.close();
    expect(log.at(-1)).toBe('stop 1.0.0');
  }, 30_000);

  it('a process that fails to start leaves the bindings as they were', async () => {
    const { store } = await storeWith(['1.0.0', '1.1.0']);
    await store.activate('tiny-algo', '1.0.0', ['A01']);
    const before = storeSnapshot(store.paths.root);
    const failing: ProcessStarter = () => Promise.reject(new ProcVisionError('1003', 'model file missing'));
    await expect(store.switch('tiny-algo', '1.1.0', ['A01'], { processStarter: failing })).rejects.toMatchObject({ code: '1003' });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
  }, 30_000);
});

describe('uninstall and prune', () => {
  it('refuses to uninstall an active version (2007) unless forced', async () => {
    const { store } = await storeWith(['1.0.0', '1.1.0']);
    await store.activate('tiny-algo', '1.0.0', ['A01']);
    await store.switch('tiny-algo', '1.1.0', ['A01']);
    const before = storeSnapshot(store.paths.root);
    await expect(store.uninstall('tiny-algo', '1.1.0')).rejects.toMatchObject({ code: '2007', message: expect.stringMatching(/active for PID A01/) });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
    await store.uninstall('tiny-algo', '1.0.0');
    expect((await store.bindings()).A01).toMatchObject({ version: '1.1.0', previous: null });
    await store.uninstall('tiny-algo', '1.1.0', { force: true });
    expect(await store.bindings()).toEqual({});
    expect(await store.list()).toEqual([]);
    expect(storeSnapshot(store.paths.root)).toMatchObject({ 'algorithms/deployed/': 'dir', 'algorithms/zips/': 'dir' });
    expect(Object.keys(storeSnapshot(store.paths.root)).filter((path) => path.startsWith('algorithms/'))).toEqual([
      'algorithms/',
      'algorithms/deployed/',
      'algorithms/zips/',
    ]);
    const operations = auditRecords(store.paths.root).map((record) => `${String(record.operation)}:${String(record.outcome)}`);
    expect(operations).toEqual(['install:ok', 'install:ok', 'activate:ok', 'switch:ok', 'uninstall:error', 'uninstall:ok', 'uninstall:ok']);
  }, 30_000);

  it('prune keeps the newest N versions and never the active or previous one', async () => {
    const { store } = await storeWith(versions);
    await store.activate('tiny-algo', '1.1.0', ['A01']);
    await store.switch('tiny-algo', '1.2.0', ['A01']);
    const removed = await store.prune({ keep: 2 });
    expect(removed.map((entry) => entry.version)).toEqual(['1.0.0']);
    expect((await store.list()).map((entry) => entry.version)).toEqual(['1.1.0', '1.2.0', '1.3.0', '1.4.0']);
    await store.uninstall('tiny-algo', '1.1.0');
    expect(await store.prune()).toEqual([]);
  }, 60_000);
});
