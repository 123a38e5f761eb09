import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyDeliveryZip } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from '../src/store/index.js';
import { buildExampleZip, exampleDir, runFixtureScript, storeSnapshot, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-store-example-');
afterAll(() => folder.cleanup());
const zips = { linux: '', win32: '' };

describe.skipIf(!existsSync(join(exampleDir, 'manifest.json')))('examples/algorithm-example through the store', () => {
  beforeAll(async () => {
    zips.linux = await buildExampleZip(join(folder.path, 'zips'), 'linux-x64');
    zips.win32 = await buildExampleZip(join(folder.path, 'zips'), 'win32-x64');
  }, 300_000);

  it('installs the linux-x64 zip in a fresh store without network; an inspection through the active package gives the expected verdicts', async () => {
    const run = await runFixtureScript('offline-inspection.mjs', [join(folder.path, 'offline-store'), zips.linux, join(exampleDir, 'samples')], {
      noNetwork: true,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim()) as Record<string, unknown>;
    expect(report).toMatchObject({
      networkBlocked: true,
      state: 'running',
      uninstallCode: '2007',
      verdicts: { ok: ['OK', 'OK'], ng: ['NG', 'NG'] },
    });
    expect(report.root).toBe(join(folder.path, 'offline-store', 'algorithms', 'deployed', 'algorithm-example', '1.0.0'));
  }, 120_000);

  it("refuses the win32-x64 zip (sharp's win32 binary, no linux one) with 2003, leaving the store unchanged", async () => {
    const { delivery } = await verifyDeliveryZip(zips.win32);
    const tarballs = Object.keys(delivery.files).filter((name) => name.startsWith('npm-packages/'));
    expect(tarballs.some((name) => /img-sharp-win32-x64/.test(name))).toBe(true);
    expect(tarballs.some((name) => /linux/.test(name))).toBe(false);
    const store = await PackageStore.open(join(folder.path, 'win32-store'));
    const before = storeSnapshot(store.paths.root);
    await expect(store.install(zips.win32)).rejects.toMatchObject({ code: '2003', message: expect.stringMatching(/win32/) });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
  }, 60_000);
});
