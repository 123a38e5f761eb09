import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertTargetCompatible,
  buildDeliveryZip,
  checkTargetCompatibility,
  extractDeliveryZip,
  generateSigningKey,
  verifyDeliveryZip,
  type BuiltDelivery,
  type PackageProgressEvent,
} from '../src/index.js';
import { sharedNpmCache, temporaryFolder } from './helpers/delivery-fixture.js';
import { writeRawZip } from './helpers/raw-zip.js';
import { createWorkspaceFixture } from './helpers/workspace-fixture.js';
import { readZipEntries } from './helpers/zip-contents.js';

const folder = temporaryFolder('procvision-package-');
const signer = generateSigningKey();
const createdAt = new Date('2025-06-01T12:00:00Z');
let project: string;
let built: BuiltDelivery;
const events: PackageProgressEvent[] = [];

beforeAll(async () => {
  project = createWorkspaceFixture(folder.path);
  built = await buildDeliveryZip(project, {
    target: 'linux-x64',
    output: join(folder.path, 'out'),
    signKey: signer.privateKeyPem,
    npmCacheDir: sharedNpmCache,
    createdAt,
    onProgress: (event) => events.push(event),
  });
}, 180_000);
afterAll(() => folder.cleanup());

describe('buildDeliveryZip on a pnpm workspace project', () => {
  it('writes a signed zip named after the manifest and target, which verifies and extracts', async () => {
    expect(built.zipPath).toBe(join(folder.path, 'out', 'fixture-algo-v1.2.0-linux-x64-glibc-offline.zip'));
    expect(events.map((event) => event.stage)).toEqual(
      expect.arrayContaining([
        'project-build',
        'workspace-pack',
        'lockfile-write',
        'dependencies-install',
        'tarballs-collect',
        'delivery-sign',
        'zip-write',
        'package-done',
      ]),
    );
    const verified = await verifyDeliveryZip(built.zipPath, { trustedKeys: [signer.publicKeyPem], requireSignature: true });
    expect(verified.signerKeyId).toBe(signer.keyId);
    expect(verified.target).toEqual({
      os: 'linux',
      cpu: 'x64',
      libc: 'glibc',
      node_abi: process.versions.modules,
      node_range: '>=20.19',
      native_addons: [],
      napi_addons: [],
    });
    expect(verified.delivery.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`)).toEqual(['@fixture/lib@0.3.0', 'is-number@7.0.0']);
    const extracted = await extractDeliveryZip(built.zipPath, join(folder.path, 'deployed'), { trustedKeys: [signer.publicKeyPem] });
    expect(Object.keys(verified.delivery.files)).toEqual([
      'assets/configs/A01.json',
      'dist/main.js',
      'manifest.json',
      'npm-packages/fixture-lib-0.3.0.tgz',
      'npm-packages/is-number-7.0.0.tgz',
      'package-lock.json',
      'package.json',
      'sbom.cdx.json',
    ]);
    const packageJson = JSON.parse(readFileSync(join(extracted.stagingDir, 'package.json'), 'utf8'));
    expect(packageJson).toEqual({
      name: 'fixture-algo',
      version: '1.2.0',
      type: 'module',
      dependencies: { '@fixture/lib': 'file:npm-packages/fixture-lib-0.3.0.tgz', 'is-number': '^7.0.0' },
      overrides: { '@fixture/lib': 'file:npm-packages/fixture-lib-0.3.0.tgz' },
      engines: { node: '>=20.19' },
    });
    const lockfile = JSON.parse(readFileSync(join(extracted.stagingDir, 'package-lock.json'), 'utf8'));
    for (const [path, entry] of Object.entries<{ resolved?: string; integrity?: string }>(lockfile.packages)) {
      if (path !== '') expect(entry.resolved && entry.integrity, path).toBeTruthy();
    }
    expect(lockfile.packages['node_modules/is-number'].resolved).toMatch(/^https:\/\/registry\.npmjs\.org\//);
  });

  it('is deterministic: the same project gives the same zip bytes', async () => {
    const again = await buildDeliveryZip(project, {
      target: 'linux-x64',
      output: join(folder.path, 'again'),
      signKey: signer.privateKeyPem,
      npmCacheDir: sharedNpmCache,
      createdAt,
    });
    const first = await readZipEntries(built.zipPath);
    const second = await readZipEntries(again.zipPath);
    expect(second.map((entry) => entry.name)).toEqual(first.map((entry) => entry.name));
    expect(first.map((entry) => entry.name)).toEqual([...first.map((entry) => entry.name)].sort());
    second.forEach((entry, index) => expect(entry.data.equals(first[index]!.data), String(entry.name)).toBe(true));
    const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(digest(again.zipPath)).toBe(digest(built.zipPath));
  }, 180_000);

  it('refuses a tampered tarball (2008), even when delivery.json was rewritten to match', async () => {
    const entries = await readZipEntries(built.zipPath);
    const tarballName = 'npm-packages/is-number-7.0.0.tgz';
    const tampered = entries.map((entry) => {
      if (entry.name !== tarballName) return entry;
      const data = Buffer.from(entry.data);
      data[data.length - 10] = (data[data.length - 10]! + 1) % 256;
      return { ...entry, data };
    });
    const plain = join(folder.path, 'tampered.zip');
    writeFileSync(plain, writeRawZip(tampered));
    await expect(verifyDeliveryZip(plain)).rejects.toMatchObject({ code: '2008', message: expect.stringContaining(`"${tarballName}": sha256`) });
    const newData = tampered.find((entry) => entry.name === tarballName)!.data;
    const rewritten = tampered
      .filter((entry) => entry.name !== 'SIGNATURE')
      .map((entry) => {
        if (entry.name !== 'delivery.json') return entry;
        const delivery = JSON.parse(entry.data.toString('utf8'));
        delivery.files[tarballName].sha256 = createHash('sha256').update(newData).digest('hex');
        return { ...entry, data: Buffer.from(JSON.stringify(delivery)) };
      });
    const resealed = join(folder.path, 'resealed.zip');
    writeFileSync(resealed, writeRawZip(rewritten));
    await expect(verifyDeliveryZip(resealed)).rejects.toMatchObject({
      code: '2008',
      message: expect.stringMatching(/sha512 does not match the lockfile integrity of is-number@7\.0\.0/),
    });
    await expect(verifyDeliveryZip(resealed, { trustedKeys: [signer.publicKeyPem], requireSignature: true })).rejects.toMatchObject({
      code: '2008',
      message: expect.stringContaining('"SIGNATURE": is missing'),
    });
  });

  it('cross-packages for win32-x64; the zip reports its target and fails the host check with 2003', async () => {
    const windows = await buildDeliveryZip(project, { target: 'win32-x64', output: join(folder.path, 'win'), npmCacheDir: sharedNpmCache, skipBuild: true });
    expect(windows.zipPath).toMatch(/fixture-algo-v1\.2\.0-win32-x64-offline\.zip$/);
    const verified = await verifyDeliveryZip(windows.zipPath);
    expect(verified.target).toMatchObject({ os: 'win32', cpu: 'x64' });
    expect(verified.target.libc).toBeUndefined();
    const host = { os: 'linux', cpu: 'x64', libc: 'glibc', nodeAbi: process.versions.modules };
    expect(checkTargetCompatibility(verified.target, host)).toEqual({ compatible: false, mismatches: [{ field: 'os', expected: 'win32', actual: 'linux' }] });
    expect(() => assertTargetCompatible(verified.target, host)).toThrow(expect.objectContaining({ code: '2003' }));
  }, 180_000);
});
