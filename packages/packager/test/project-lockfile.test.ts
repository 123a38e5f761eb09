import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeliveryZip, verifyDeliveryZip } from '../src/index.js';
import { temporaryFolder } from './helpers/delivery-fixture.js';
import { startLocalRegistry, type LocalRegistry } from './helpers/local-registry.js';
import { writeRawZip } from './helpers/raw-zip.js';
import { readZipEntries } from './helpers/zip-contents.js';

const folder = temporaryFolder('procvision-lockfile-');
const cacheDir = join(folder.path, 'npm-cache');
let registry: LocalRegistry;
let project: string;
let lockedZip = '';
let inheritedRegistry: string | undefined;

beforeAll(async () => {
  registry = await startLocalRegistry(folder.path);
  registry.publish('pv-pad', '1.0.0');
  registry.publish('pv-devtool', '1.0.0');
  project = join(folder.path, 'algo');
  mkdirSync(join(project, 'dist'), { recursive: true });
  writeFileSync(
    join(project, 'manifest.json'),
    JSON.stringify({ name: 'lock-algo', version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }),
  );
  writeProjectPackageJson('^1.0.0');
  writeFileSync(join(project, 'dist', 'main.js'), 'export class Algo {}\n');
  writeFileSync(join(project, '.npmrc'), `registry=${registry.url}\n`);
  // Run under `pnpm test`, the environment carries pnpm's npm_config_registry, which npm puts
  // above a project's .npmrc (and the packager keeps a user's registry variables): point it at
  // the local registry too.
  inheritedRegistry = process.env.npm_config_registry;
  process.env.npm_config_registry = registry.url;
});
afterAll(async () => {
  if (inheritedRegistry === undefined) delete process.env.npm_config_registry;
  else process.env.npm_config_registry = inheritedRegistry;
  await registry.close();
  folder.cleanup();
});

function writeProjectPackageJson(range: string): void {
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'lock-algo', version: '1.0.0', type: 'module', dependencies: { 'pv-pad': range }, devDependencies: { 'pv-devtool': '^1.0.0' } }, null, 2)}\n`,
  );
}

async function zipLock(zipPath: string): Promise<{ packages: Record<string, { version?: string; integrity?: string }> }> {
  const entry = (await readZipEntries(zipPath)).find((candidate) => candidate.name === 'package-lock.json');
  return JSON.parse(entry?.data.toString('utf8') ?? '{}');
}

function projectLock(): { packages: Record<string, { version?: string; integrity?: string }> } {
  return JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
}

const build = (out: string, refreshLock = false): ReturnType<typeof buildDeliveryZip> =>
  buildDeliveryZip(project, { target: 'linux-x64', output: join(folder.path, out), npmCacheDir: cacheDir, skipBuild: true, refreshLock });

describe('the project lockfile is the contract', () => {
  it('with no lockfile: resolves, writes package-lock.json beside the project, and says so', async () => {
    const messages: string[] = [];
    const built = await buildDeliveryZip(project, {
      target: 'linux-x64',
      output: join(folder.path, 'first'),
      npmCacheDir: cacheDir,
      skipBuild: true,
      onProgress: (event) => messages.push(event.message),
    });
    expect(built.lockfile).toMatchObject({ source: 'written', path: join(project, 'package-lock.json') });
    expect(messages.some((message) => message.startsWith('no lockfile: resolved the ranges and wrote'))).toBe(true);
    expect(projectLock().packages['node_modules/pv-pad']?.version).toBe('1.0.0');
    expect(projectLock().packages['node_modules/pv-devtool']?.version).toBe('1.0.0');
  }, 120_000);

  it('delivers the locked version when a newer one in range is published, and only the production set', async () => {
    registry.publish('pv-pad', '1.0.1');
    const tested = projectLock().packages['node_modules/pv-pad'];
    const built = await build('locked');
    expect(built.lockfile).toEqual({ source: 'project', path: join(project, 'package-lock.json'), lockedAfresh: [] });
    expect(built.delivery.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`)).toEqual(['pv-pad@1.0.0']);
    expect(built.delivery.dependencies[0]?.integrity).toBe(tested?.integrity);
    const { delivery } = await verifyDeliveryZip(built.zipPath);
    expect(Object.keys(delivery.files)).toContain('npm-packages/pv-pad-1.0.0.tgz');
    const lock = await zipLock(built.zipPath);
    expect(lock.packages['node_modules/pv-pad']).toMatchObject({ version: '1.0.0', integrity: tested?.integrity });
    expect(lock.packages['node_modules/pv-devtool']).toBeUndefined();
    lockedZip = built.zipPath;
  }, 120_000);

  it('carries sbom.cdx.json: CycloneDX 1.6 (the library validator), every shipped package with purl, license, sha512; checked on verify', async () => {
    const entries = await readZipEntries(lockedZip);
    const sbomText = entries.find((entry) => entry.name === 'sbom.cdx.json')?.data.toString('utf8') ?? '';
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(sbomText)).toBeNull();
    const sbom = JSON.parse(sbomText);
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { name: 'lock-algo', version: '1.0.0' } } });
    const integrity = projectLock().packages['node_modules/pv-pad']?.integrity ?? '';
    expect(sbom.components).toEqual([
      expect.objectContaining({
        name: 'pv-pad',
        version: '1.0.0',
        purl: 'pkg:npm/pv-pad@1.0.0',
        licenses: [{ license: { id: 'MIT' } }],
        hashes: [{ alg: 'SHA-512', content: Buffer.from(integrity.slice('sha512-'.length), 'base64').toString('hex') }],
      }),
    ]);
    const verified = await verifyDeliveryZip(lockedZip);
    expect(verified.sbom).toEqual({ specVersion: '1.6', components: 1, licenses: { MIT: 1 } });
    // An SBOM that hides a shipped package fails verification even when delivery.json was resealed to match.
    const hidden = Buffer.from(JSON.stringify({ ...sbom, components: [] }));
    const resealed = entries.map((entry) => {
      if (entry.name === 'sbom.cdx.json') return { ...entry, data: hidden };
      if (entry.name !== 'delivery.json') return entry;
      const delivery = JSON.parse(entry.data.toString('utf8'));
      delivery.files['sbom.cdx.json'] = { sha256: createHash('sha256').update(hidden).digest('hex'), size: hidden.length };
      return { ...entry, data: Buffer.from(JSON.stringify(delivery)) };
    });
    const path = join(folder.path, 'hidden-sbom.zip');
    writeFileSync(path, writeRawZip(resealed));
    await expect(verifyDeliveryZip(path)).rejects.toMatchObject({ code: '2008', message: expect.stringContaining('does not list pv-pad@1.0.0') });
  });

  it('refuses a lockfile out of step with package.json, naming the dependency', async () => {
    writeProjectPackageJson('^1.0.1');
    await expect(build('stale')).rejects.toMatchObject({
      code: '2004',
      message: expect.stringMatching(
        /package-lock\.json is out of step with package\.json: dependency pv-pad is "\^1\.0\.1" in package\.json but the lockfile locked "\^1\.0\.0" \(1\.0\.0\)/,
      ),
    });
    expect(existsSync(join(folder.path, 'stale'))).toBe(false);
  }, 120_000);

  it('--refresh-lock resolves again: the newest version in range, written beside the project', async () => {
    writeProjectPackageJson('^1.0.0');
    const built = await build('refreshed', true);
    expect(built.lockfile.source).toBe('refreshed');
    expect(built.delivery.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`)).toEqual(['pv-pad@1.0.1']);
    expect(projectLock().packages['node_modules/pv-pad']?.version).toBe('1.0.1');
    expect((await zipLock(built.zipPath)).packages['node_modules/pv-pad']?.version).toBe('1.0.1');
  }, 120_000);
});
