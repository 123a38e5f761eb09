import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDeliveryZip, verifyDeliveryZip } from '../src/index.js';
import { sharedNpmCache, temporaryFolder } from './helpers/delivery-fixture.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'algorithm-example');
// The example's own dist/ is rebuilt only when missing, so this test does not race its owner's tests.
const skipBuild = (): boolean => existsSync(join(exampleDir, 'dist', 'main.js'));

function tarballs(files: Record<string, unknown>): string[] {
  return Object.keys(files).filter((name) => name.startsWith('npm-packages/'));
}

describe.skipIf(!existsSync(join(exampleDir, 'manifest.json')))('packaging examples/algorithm-example', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  beforeAll(() => {
    folder = temporaryFolder('procvision-example-');
  });
  afterAll(() => folder.cleanup());

  let linuxZip = '';

  it("packages it for linux-x64 with sharp's linux binary and the first-party packages", async () => {
    const built = await buildDeliveryZip(exampleDir, { target: 'linux-x64', output: folder.path, npmCacheDir: sharedNpmCache, skipBuild: skipBuild() });
    linuxZip = built.zipPath;
    const { delivery } = await verifyDeliveryZip(built.zipPath);
    const names = tarballs(delivery.files);
    expect(names.some((name) => /^npm-packages\/procvision-sdk-.*\.tgz$/.test(name))).toBe(true);
    expect(names.some((name) => /^npm-packages\/img-sharp-linux-x64-.*\.tgz$/.test(name))).toBe(true);
    expect(names.some((name) => /win32|darwin/.test(name))).toBe(false);
    expect(delivery.sdk_version).not.toBeNull();
    expect(built.allowedInstallScripts.map((allowed) => allowed.name)).toContain('sharp');
  }, 300_000);

  it('packages it again a day later (clock moved) into the same bytes: same sha256', async () => {
    expect(linuxZip).not.toBe('');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 24 * 3600 * 1000 });
    try {
      const again = await buildDeliveryZip(exampleDir, {
        target: 'linux-x64',
        output: join(folder.path, 'a-day-later'),
        npmCacheDir: sharedNpmCache,
        skipBuild: true,
      });
      const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
      console.log(`example zip sha256: first ${digest(linuxZip)}, a day later ${digest(again.zipPath)}`);
      expect(digest(again.zipPath)).toBe(digest(linuxZip));
    } finally {
      vi.useRealTimers();
    }
  }, 300_000);

  it("cross-packages it for win32-x64: sharp's win32 binary, no linux one", async () => {
    const built = await buildDeliveryZip(exampleDir, { target: 'win32-x64', output: folder.path, npmCacheDir: sharedNpmCache, skipBuild: skipBuild() });
    expect(built.zipPath).toMatch(/-win32-x64-offline\.zip$/);
    const { delivery, target } = await verifyDeliveryZip(built.zipPath);
    expect(target).toMatchObject({ os: 'win32', cpu: 'x64' });
    const names = tarballs(delivery.files);
    expect(names.some((name) => /^npm-packages\/img-sharp-win32-x64-.*\.tgz$/.test(name))).toBe(true);
    expect(names.some((name) => /linux/.test(name))).toBe(false);
  }, 300_000);
});
