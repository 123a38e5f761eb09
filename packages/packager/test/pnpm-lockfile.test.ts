import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeliveryZip } from '../src/index.js';
import { temporaryFolder } from './helpers/delivery-fixture.js';
import { startLocalRegistry, type LocalRegistry } from './helpers/local-registry.js';
import { readZipEntries } from './helpers/zip-contents.js';

const folder = temporaryFolder('procvision-pnpm-lock-');
let registry: LocalRegistry;
let workspace: string;
let project: string;
let inheritedRegistry: string | undefined;

function writeProjectPackageJson(padRange: string): void {
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'pnpm-algo',
        version: '1.0.0',
        type: 'module',
        dependencies: { 'pv-pad': padRange, 'pv-deep': '^2.0.0' },
        devDependencies: { 'pv-devtool': '^1.0.0' },
      },
      null,
      2,
    )}\n`,
  );
}

beforeAll(() => {
  return (async () => {
    registry = await startLocalRegistry(folder.path);
    registry.publish('pv-deep', '1.0.0');
    registry.publish('pv-deep', '2.0.0');
    registry.publish('pv-pad', '1.0.0', undefined, { dependencies: { 'pv-deep': '^1.0.0' } });
    registry.publish('pv-devtool', '1.0.0');
    workspace = join(folder.path, 'workspace');
    project = join(workspace, 'algos', 'pnpm-algo');
    mkdirSync(join(project, 'dist'), { recursive: true });
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'factory-algos', private: true }));
    writeFileSync(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - algos/*\n');
    writeFileSync(join(workspace, '.npmrc'), `registry=${registry.url}\n`);
    writeFileSync(
      join(project, 'manifest.json'),
      JSON.stringify({ name: 'pnpm-algo', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
    );
    writeFileSync(join(project, 'dist', 'main.js'), 'export class Algo {}\n');
    writeProjectPackageJson('^1.0.0');
    // The real pnpm writes the workspace lockfile (pnpm itself from the usual registry, the packages
    // from the local one, which this process serves: the child runs asynchronously).
    await promisify(execFile)(
      'npx',
      ['-y', 'pnpm@10', '--dir', workspace, 'install', '--lockfile-only', '--registry', registry.url, '--store-dir', join(folder.path, 'pnpm-store')],
      {
        cwd: folder.path,
        env: { ...process.env, CI: 'true' },
        timeout: 300_000,
      },
    );
    // `pnpm test` sets npm_config_registry, which outranks a project's .npmrc: point it at the local registry.
    inheritedRegistry = process.env.npm_config_registry;
    process.env.npm_config_registry = registry.url;
  })();
}, 300_000);
afterAll(async () => {
  if (inheritedRegistry === undefined) delete process.env.npm_config_registry;
  else process.env.npm_config_registry = inheritedRegistry;
  await registry?.close();
  folder.cleanup();
});

const build = (out: string): ReturnType<typeof buildDeliveryZip> =>
  buildDeliveryZip(project, { target: 'linux-x64', output: join(folder.path, out), npmCacheDir: join(folder.path, 'npm-cache'), skipBuild: true });

describe("a project in a pnpm workspace: its importer in the workspace's pnpm-lock.yaml is the contract", () => {
  it('delivers the locked versions (a newer one in range published since), integrity kept, nested where versions differ, no dev dependencies', async () => {
    registry.publish('pv-pad', '1.0.1', undefined, { dependencies: { 'pv-deep': '^1.0.0' } });
    const pnpmLock = parse(readFileSync(join(workspace, 'pnpm-lock.yaml'), 'utf8')) as { packages: Record<string, { resolution: { integrity: string } }> };
    const messages: string[] = [];
    const built = await buildDeliveryZip(project, {
      target: 'linux-x64',
      output: join(folder.path, 'locked'),
      npmCacheDir: join(folder.path, 'npm-cache'),
      skipBuild: true,
      onProgress: (event) => messages.push(event.message),
    });
    expect(built.lockfile).toEqual({ source: 'project', path: join(workspace, 'pnpm-lock.yaml'), lockedAfresh: [] });
    expect(messages).toContain(`delivering the versions locked in ${join(workspace, 'pnpm-lock.yaml')} (importer algos/pnpm-algo)`);
    expect(built.delivery.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`).sort()).toEqual([
      'pv-deep@1.0.0',
      'pv-deep@2.0.0',
      'pv-pad@1.0.0',
    ]);
    for (const dependency of built.delivery.dependencies)
      expect(dependency.integrity, dependency.name).toBe(pnpmLock.packages[`${dependency.name}@${dependency.version}`]?.resolution.integrity);
    const lock = JSON.parse((await readZipEntries(built.zipPath)).find((entry) => entry.name === 'package-lock.json')?.data.toString('utf8') ?? '{}') as {
      packages: Record<string, { version?: string }>;
    };
    expect(lock.packages['node_modules/pv-deep']?.version).toBe('2.0.0');
    expect(lock.packages['node_modules/pv-pad/node_modules/pv-deep']?.version).toBe('1.0.0');
    expect(lock.packages['node_modules/pv-devtool']).toBeUndefined();
  }, 180_000);

  it('refuses a package.json out of step with the importer, naming the dependency', async () => {
    writeProjectPackageJson('^1.0.1');
    await expect(build('stale')).rejects.toMatchObject({
      code: '2004',
      message: expect.stringMatching(
        /pnpm-lock\.yaml \(importer algos\/pnpm-algo\) is out of step with package\.json: dependency pv-pad is "\^1\.0\.1" in package\.json but the lockfile locked "\^1\.0\.0" \(1\.0\.0\); run pnpm install/,
      ),
    });
    writeProjectPackageJson('^1.0.0');
  }, 120_000);
});
