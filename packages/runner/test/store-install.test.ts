import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractDeliveryZip, generateSigningKey } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRawZip, type RawEntry } from '../../packager/test/helpers/raw-zip.js';
import { PackageStore } from '../src/store/index.js';
import { auditRecords, buildTinyZip, storeSnapshot, temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-store-install-');
afterAll(() => folder.cleanup());
const signer = generateSigningKey();
const zips: { tiny: string; tinyNext: string; signed: string; win32: string; broken: string } = { tiny: '', tinyNext: '', signed: '', win32: '', broken: '' };
/** Every file of the tiny zip (delivery.json included), to craft hostile variants from. */
let tinyFiles = new Map<string, Buffer>();
let storeCount = 0;

async function freshStore(options: Parameters<typeof PackageStore.open>[1] = {}): Promise<PackageStore> {
  storeCount += 1;
  return PackageStore.open(join(folder.path, `store-${String(storeCount)}`), options);
}

function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(path, entry.name));
      else files.set(relative(root, join(path, entry.name)), readFileSync(join(path, entry.name)));
    }
  };
  walk(root);
  return files;
}

let zipCount = 0;
function hostileZip(change: (entries: RawEntry[]) => RawEntry[]): string {
  zipCount += 1;
  const entries = [...tinyFiles].sort(([left], [right]) => (left < right ? -1 : 1)).map(([name, data]) => ({ name, data }));
  const path = join(folder.path, `hostile-${String(zipCount)}.zip`);
  writeFileSync(path, writeRawZip(change(entries)));
  return path;
}

beforeAll(async () => {
  const output = join(folder.path, 'zips');
  zips.tiny = await buildTinyZip(folder.path, output, { version: '1.0.0' });
  zips.tinyNext = await buildTinyZip(folder.path, output, { version: '1.1.0', withDependency: false });
  zips.signed = await buildTinyZip(folder.path, join(output, 'signed'), { version: '1.2.0', withDependency: false, signKey: signer.privateKeyPem });
  zips.win32 = await buildTinyZip(folder.path, output, { version: '1.3.0', target: 'win32-x64' });
  zips.broken = await buildTinyZip(folder.path, output, {
    version: '1.4.0',
    withDependency: false,
    mainSource: "throw new Error('entry point explodes at import');\n",
  });
  const extracted = await extractDeliveryZip(zips.tiny, join(folder.path, 'unpacked'));
  tinyFiles = readTree(extracted.stagingDir);
}, 180_000);

describe('PackageStore.install', () => {
  it('installs a zip offline: deployed folder with node_modules, registry entry, archived zip, audit record', async () => {
    const store = await freshStore();
    const entry = await store.install(zips.tiny);
    expect(entry).toMatchObject({
      name: 'tiny-algo',
      version: '1.0.0',
      supported_pids: ['A01', 'A02'],
      state: 'deployed',
      signer_key_id: null,
      dependency_count: 1,
      target: { os: 'linux', cpu: 'x64' },
      sbom_file: 'sbom.cdx.json',
      licenses: { MIT: 1 },
    });
    const deployed = join(store.paths.deployed, 'tiny-algo', '1.0.0');
    expect(existsSync(join(deployed, 'node_modules', 'is-number', 'package.json'))).toBe(true);
    expect(existsSync(join(deployed, 'manifest.json'))).toBe(true);
    expect(readdirSync(store.paths.deployed)).toEqual(['tiny-algo']);
    expect(readdirSync(store.paths.zips)).toEqual([zips.tiny.split('/').pop()]);
    const registry = JSON.parse(readFileSync(store.paths.registry, 'utf8')) as { packages: unknown[] };
    expect(registry.packages).toHaveLength(1);
    expect(await store.list()).toEqual([expect.objectContaining({ name: 'tiny-algo', version: '1.0.0', state: 'deployed', active_pids: [] })]);
    expect(auditRecords(store.paths.root)).toEqual([expect.objectContaining({ operation: 'install', outcome: 'ok', who: expect.stringMatching(/@/) })]);

    const before = storeSnapshot(store.paths.root);
    await expect(store.install(zips.tiny)).rejects.toMatchObject({ code: '2010', message: expect.stringMatching(/already installed/) });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
  }, 60_000);

  it('scans algorithms/zips/: installs new zips, records invalid ones once', async () => {
    const store = await freshStore();
    copyFileSync(zips.tinyNext, join(store.paths.zips, 'tiny-next.zip'));
    writeFileSync(join(store.paths.zips, 'garbage.zip'), 'not a zip at all');
    const outcomes = await store.scan();
    expect(outcomes).toEqual([
      expect.objectContaining({ zipFile: 'garbage.zip', outcome: 'invalid', code: '2001' }),
      expect.objectContaining({ zipFile: 'tiny-next.zip', outcome: 'installed' }),
    ]);
    const registry = JSON.parse(readFileSync(store.paths.registry, 'utf8')) as { packages: Array<{ zip_file: string }>; rejected: Array<{ state: string }> };
    expect(registry.packages.map((entry) => entry.zip_file)).toEqual(['tiny-next.zip']);
    expect(registry.rejected).toEqual([expect.objectContaining({ zip_file: 'garbage.zip', state: 'invalid', code: '2001' })]);
    expect(await store.scan()).toEqual([]);
    expect(existsSync(join(store.paths.zips, 'garbage.zip'))).toBe(true);
  }, 60_000);

  it('refuses a zip whose entry point fails to load (smoke-load), leaving the store unchanged', async () => {
    const store = await freshStore();
    await store.install(zips.tinyNext);
    const before = storeSnapshot(store.paths.root);
    await expect(store.install(zips.broken)).rejects.toMatchObject({ code: '2005', message: expect.stringMatching(/entry point explodes at import/) });
    expect(storeSnapshot(store.paths.root)).toEqual(before);
  }, 60_000);

  it('requires a trusted signature when configured (2008) and records the signer', async () => {
    const other = generateSigningKey();
    const strict = await freshStore({ requireSignature: true, trustedKeys: [signer.publicKeyPem] });
    const before = storeSnapshot(strict.paths.root);
    await expect(strict.install(zips.tinyNext)).rejects.toMatchObject({ code: '2008' });
    expect(storeSnapshot(strict.paths.root)).toEqual(before);
    expect((await strict.install(zips.signed)).signer_key_id).toBe(signer.keyId);
    const wrongKey = await freshStore({ requireSignature: true, trustedKeys: [other.publicKeyPem] });
    const emptyBefore = storeSnapshot(wrongKey.paths.root);
    await expect(wrongKey.install(zips.signed)).rejects.toMatchObject({ code: '2008' });
    expect(storeSnapshot(wrongKey.paths.root)).toEqual(emptyBefore);
  }, 60_000);
});

describe('hostile zips are refused with the right code and leave the store unchanged', () => {
  const tarballName = (): string => [...tinyFiles.keys()].find((name) => name.startsWith('npm-packages/')) ?? '';
  const cases: Array<[string, () => string, string]> = [
    ['a ../ name', () => hostileZip((entries) => [...entries, { name: 'dist/../../escape.js', data: Buffer.from('x') }]), '2001'],
    ['an absolute name', () => hostileZip((entries) => [...entries, { name: '/etc/cron.d/evil', data: Buffer.from('x') }]), '2001'],
    [
      'a symlink entry',
      () => hostileZip((entries) => [...entries, { name: 'dist/link', data: Buffer.from('/etc/passwd'), method: 0, unixMode: 0o120777 }]),
      '2001',
    ],
    ['a zip bomb (>1000:1)', () => hostileZip((entries) => [...entries, { name: 'assets/bomb.bin', data: Buffer.alloc(20 * 1024 * 1024) }]), '2001'],
    [
      'a duplicate name',
      () => hostileZip((entries) => [...entries, { name: 'manifest.json', data: tinyFiles.get('manifest.json') ?? Buffer.alloc(0) }]),
      '2001',
    ],
    ['a file not listed in delivery.json', () => hostileZip((entries) => [...entries, { name: 'dist/extra.js', data: Buffer.from('export {};\n') }]), '2001'],
    [
      'a tampered tarball',
      () =>
        hostileZip((entries) =>
          entries.map((entry) =>
            entry.name === tarballName() ? { ...entry, data: Buffer.concat([entry.data.subarray(0, -1), Buffer.from([entry.data.at(-1)! ^ 1])]) } : entry,
          ),
        ),
      '2008',
    ],
    ['a zip for another platform (win32-x64)', () => zips.win32, '2003'],
    ['not a zip', () => join(folder.path, 'zips', '..', 'store-install-not-a-zip.zip'), '2001'],
  ];

  it.each(cases)(
    '%s',
    async (_label, zip, code) => {
      const path = zip();
      if (path.endsWith('not-a-zip.zip')) writeFileSync(path, 'PK but not really');
      const store = await freshStore();
      await store.install(zips.tinyNext);
      const before = storeSnapshot(store.paths.root);
      const audit = auditRecords(store.paths.root).length;
      await expect(store.install(path)).rejects.toMatchObject({ code });
      expect(storeSnapshot(store.paths.root)).toEqual(before);
      expect(auditRecords(store.paths.root).slice(audit)).toEqual([expect.objectContaining({ operation: 'install', outcome: 'error', code })]);
    },
    60_000,
  );
});
