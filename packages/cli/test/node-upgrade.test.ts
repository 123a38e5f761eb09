import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeliveryZip } from '@procvision/packager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from '../../packager/test/helpers/local-registry.js';
import { runCli, temporaryFolder } from './cli-helpers.js';
import { nodeLine } from './node-lines.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'algorithm-example');
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64';
// Node 22 and 24 as a station upgraded off Node 20 runs them (fetched like .ci/node-versions).
const lines = onLinuxX64 ? [nodeLine(22), nodeLine(24)] : [];
for (const line of lines) if ('skipped' in line) console.warn(`node-upgrade: ${line.skipped}`);
const hasCompiler = spawnSync('cc', ['--version']).status === 0;
if (!hasCompiler) console.warn('node-upgrade: no C compiler (cc): the ABI-bound addon case is skipped');

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let registry: LocalRegistry;
let inheritedRegistry: string | undefined;
let exampleZip = '';
let nativeZip = '';
let nativeAddons: string[] | undefined;
const params = JSON.stringify({ roi: { x: 100, y: 100, width: 440, height: 280 }, exposure: 12.5 });

/**
 * A real addon bound to this Node's ABI: it registers through `node_register_module_v<ABI>`
 * (the V8 way, no N-API), so Node 20 loads it and Node 22/24 cannot. Published to a local
 * registry as `pv-legacy-addon` with its binary prebuilt in `build/Release`.
 */
function publishLegacyAddon(): void {
  const source = join(folder.path, 'addon-source');
  mkdirSync(source, { recursive: true });
  writeFileSync(
    join(source, 'legacy.c'),
    `void node_register_module_v${process.versions.modules}(void *exports, void *module, void *context) { (void)exports; (void)module; (void)context; }\n`,
  );
  execFileSync('cc', ['-shared', '-fPIC', '-o', join(source, 'legacy.node'), join(source, 'legacy.c')]);
  // It loads here: the binary is a working addon for this Node.
  execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(source, 'legacy.node'))})`]);
  registry.publish('pv-legacy-addon', '1.0.0', {
    'index.js': "module.exports = require('./build/Release/legacy.node');\n",
    'build/Release/legacy.node': readFileSync(join(source, 'legacy.node')),
  });
}

beforeAll(async () => {
  folder = await temporaryFolder('procvision-node-upgrade-');
  if (!lines.some((line) => 'node' in line)) return;
  const built = await buildDeliveryZip(exampleDir, {
    target: 'linux-x64',
    output: join(folder.path, 'release'),
    npmCacheDir: join(tmpdir(), 'procvision-packager-test-npm-cache'),
    skipBuild: existsSync(join(exampleDir, 'dist', 'main.js')),
  });
  exampleZip = built.zipPath;
  expect(built.delivery.target).toMatchObject({ node_abi: process.versions.modules, native_addons: [] });
  if (!hasCompiler) return;
  registry = await startLocalRegistry(folder.path);
  publishLegacyAddon();
  const project = join(folder.path, 'native-algo');
  mkdirSync(join(project, 'dist'), { recursive: true });
  writeFileSync(
    join(project, 'manifest.json'),
    JSON.stringify({ name: 'native-algo', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'native-algo', version: '1.0.0', type: 'module', dependencies: { 'pv-legacy-addon': '^1.0.0' } }),
  );
  writeFileSync(join(project, 'dist', 'main.js'), 'export class Algo {}\n');
  writeFileSync(join(project, '.npmrc'), `registry=${registry.url}\n`);
  // `pnpm test` sets npm_config_registry, which outranks a project's .npmrc.
  inheritedRegistry = process.env.npm_config_registry;
  process.env.npm_config_registry = registry.url;
  const native = await buildDeliveryZip(project, {
    target: 'linux-x64',
    output: join(folder.path, 'native-release'),
    npmCacheDir: join(folder.path, 'npm-cache'),
    skipBuild: true,
  });
  nativeZip = native.zipPath;
  nativeAddons = native.delivery.target.native_addons;
}, 600_000);
afterAll(async () => {
  if (registry !== undefined) {
    if (inheritedRegistry === undefined) delete process.env.npm_config_registry;
    else process.env.npm_config_registry = inheritedRegistry;
    await registry.close();
  }
  await folder.remove();
});

describe.skipIf(!onLinuxX64)('a station upgraded off Node 20', () => {
  it('the packager records the ABI-bound addon it found in the installed set (and none in the example)', () => {
    if (!hasCompiler || nativeZip === '') return;
    expect(nativeAddons).toEqual(['pv-legacy-addon@1.0.0 (build/Release/legacy.node)']);
  });

  for (const line of lines) {
    describe.skipIf('skipped' in line)(`Node ${line.major}`, () => {
      // The station's own Node first on PATH; npm is PATH's (the `node` package ships none), found by locateNpmCli.
      const station = (): { node: string; env: Record<string, string> } =>
        'node' in line ? { node: line.node, env: { PATH: `${line.binDir}:${process.env.PATH ?? ''}`, npm_execpath: '' } } : { node: '', env: {} };

      it('installs, activates and runs a Node 20 zip whose native code is N-API only (sharp, shm)', async () => {
        const { node, env } = station();
        expect(execFileSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim()).not.toBe(process.versions.modules);
        const store = join(folder.path, `store-${line.major}`);
        const install = await runCli(['runner', 'install', exampleZip, '--store', store, '--json'], { node, env });
        expect(install.code, install.stderr).toBe(0);
        const activate = await runCli(['runner', 'activate', 'algorithm-example', '1.0.0', '--pid', 'p001', '--store', store], { node, env });
        expect(activate.code, activate.stderr).toBe(0);
        const exec = await runCli(
          ['runner', 'exec', '--pid', 'p001', '--image', join(exampleDir, 'samples', 'ok.png'), '--params', params, '--store', store, '--json'],
          { node, env },
        );
        expect(exec.code, exec.stdout + exec.stderr).toBe(0);
        expect(exec.json()).toMatchObject({ package: { name: 'algorithm-example', version: '1.0.0' }, status: 'OK' });
      }, 600_000);

      it.skipIf(!hasCompiler)(
        'refuses the zip with an ABI-bound addon with 2003 naming the addon, and installs nothing',
        async () => {
          const { node, env } = station();
          const store = join(folder.path, `store-native-${line.major}`);
          const install = await runCli(['runner', 'install', nativeZip, '--store', store, '--json'], { node, env });
          expect(install.code).toBe(1);
          expect(install.json<{ error: { code: string } }>().error.code).toBe('2003');
          expect(install.stderr).toContain(`native addon pv-legacy-addon@1.0.0 (build/Release/legacy.node) only loads on Node ABI ${process.versions.modules}`);
          const listed = await runCli(['runner', 'list', '--store', store, '--json'], { node, env });
          expect(listed.json<{ packages: unknown[] }>().packages).toEqual([]);
        },
        300_000,
      );
    });
  }
});
