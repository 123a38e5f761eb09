import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from '../src/store/index.js';
import {
  auditRecords,
  buildTinyZip,
  crashStageVariable,
  type InstallCrashStage,
  runFixtureScript,
  temporaryFolder,
  waitForExit,
} from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-store-crash-');
afterAll(() => folder.cleanup());
const zips = { tiny: '', tinyNext: '' };

beforeAll(async () => {
  zips.tiny = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.0.0' });
  zips.tinyNext = await buildTinyZip(folder.path, join(folder.path, 'zips'), { version: '1.1.0', withDependency: false });
}, 120_000);

/** What a kill at each stage leaves behind, before the next open cleans it. */
const debrisOf: Record<InstallCrashStage, RegExp> = {
  extracting: /^\.staging-/,
  'npm-ci': /^\.staging-/,
  'before-rename': /^\.staging-/,
  'before-registry-write': /^tiny-algo$/,
};

describe('kill -9 of the installer', () => {
  it.each(Object.keys(debrisOf) as InstallCrashStage[])(
    'at "%s" leaves a store from which the same install succeeds, without debris',
    async (stage) => {
      const root = join(folder.path, `store-${stage}`);
      const pidFile = join(folder.path, `npm-${stage}.pid`);
      const crashed = await runFixtureScript('install-zip.mjs', [root, zips.tiny], {
        env: { [crashStageVariable]: stage, PROCVISION_STORE_TEST_CRASH_PIDFILE: pidFile },
      });
      expect(crashed.signal).toBe('SIGKILL');
      if (stage === 'npm-ci') await waitForExit(Number(readFileSync(pidFile, 'utf8')));
      const deployed = join(root, 'algorithms', 'deployed');
      expect(readdirSync(deployed).some((name) => debrisOf[stage].test(name))).toBe(true);
      expect(existsSync(join(root, 'registry.json'))).toBe(false);

      const store = await PackageStore.open(root, { lock: { staleMs: 2000 } });
      expect(readdirSync(deployed)).toEqual([]);
      const recovered = auditRecords(root).filter((record) => record.operation === 'recover');
      expect(recovered).toEqual([
        expect.objectContaining({ outcome: 'ok', subject: expect.objectContaining({ removed: expect.arrayContaining([expect.any(String)]) }) }),
      ]);
      const entry = await store.install(zips.tiny);
      expect(entry).toMatchObject({ name: 'tiny-algo', version: '1.0.0' });
      expect(readdirSync(deployed)).toEqual(['tiny-algo']);
      expect(readdirSync(join(deployed, 'tiny-algo'))).toEqual(['1.0.0']);
      expect(existsSync(join(deployed, 'tiny-algo', '1.0.0', 'node_modules', 'is-number'))).toBe(true);
      expect((await store.list()).map((item) => item.version)).toEqual(['1.0.0']);
    },
    60_000,
  );
});

describe('the store lock', () => {
  it('serialises two installs from two processes', async () => {
    const root = join(folder.path, 'store-concurrent');
    const runs = await Promise.all([runFixtureScript('install-zip.mjs', [root, zips.tiny]), runFixtureScript('install-zip.mjs', [root, zips.tinyNext])]);
    for (const run of runs) expect(JSON.parse(run.stdout.trim())).toMatchObject({ ok: true });
    const installs = auditRecords(root).filter((record) => record.operation === 'install');
    expect(installs).toHaveLength(2);
    const [first, second] = installs
      .map((record) => ({ start: Date.parse(String(record.started_at)), end: Date.parse(String(record.at)) }))
      .sort((left, right) => left.start - right.start);
    expect(second!.start).toBeGreaterThanOrEqual(first!.end);
    const store = await PackageStore.open(root);
    expect((await store.list()).map((item) => item.version)).toEqual(['1.0.0', '1.1.0']);
  }, 60_000);
});
