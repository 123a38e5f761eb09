import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDeliveryZip } from '../src/index.js';
import { temporaryFolder } from './helpers/delivery-fixture.js';
import { startTokenRegistry, type TokenRegistry } from './helpers/token-registry.js';
import { readZipEntries } from './helpers/zip-contents.js';

const folder = temporaryFolder('procvision-npm-config-');
let registry: TokenRegistry;
const savedUserConfig = process.env.npm_config_userconfig;

beforeAll(async () => {
  registry = await startTokenRegistry(folder.path);
});
afterAll(async () => {
  await registry.close();
  folder.cleanup();
});
afterEach(() => {
  if (savedUserConfig === undefined) delete process.env.npm_config_userconfig;
  else process.env.npm_config_userconfig = savedUserConfig;
});

/** A built project that depends on the private `@acme/widget` only. */
function project(path: string, npmrc?: string): string {
  const root = join(folder.path, path);
  const name = path.split('/').pop() ?? path;
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'manifest.json'), JSON.stringify({ name, version: '1.0.0', entry_point: 'dist/main.js:Algo', supported_pids: ['A01'] }));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', dependencies: { '@acme/widget': '^1.0.0' } }));
  writeFileSync(join(root, 'dist', 'main.js'), 'export class Algo {}\n');
  if (npmrc !== undefined) writeFileSync(join(root, '.npmrc'), npmrc);
  return root;
}

/** A user config file (as ~/.npmrc) for npm to read instead of the real one. */
function userConfig(name: string, text: string): string {
  const file = join(folder.path, `${name}.npmrc`);
  writeFileSync(file, text);
  return file;
}

function scopedLines(withToken: boolean): string {
  const host = registry.url.replace(/^http:/, '');
  return `@acme:registry=${registry.url}\n${withToken ? `${host}:_authToken=${registry.token}\n` : ''}`;
}

async function expectNoToken(zipPath: string): Promise<void> {
  expect(readFileSync(zipPath).includes(registry.token)).toBe(false);
  for (const entry of await readZipEntries(zipPath)) {
    expect(entry.name).not.toMatch(/npmrc/);
    expect(entry.data.includes(registry.token), String(entry.name)).toBe(false);
  }
}

describe('buildDeliveryZip resolves and fetches with the npm configuration the user has', () => {
  it("uses the project's .npmrc: scoped registry and auth token, which stay out of the zip", async () => {
    process.env.npm_config_userconfig = userConfig('empty', '');
    const before = registry.requests.length;
    const built = await buildDeliveryZip(project('with-project-npmrc', scopedLines(true)), {
      target: 'linux-x64',
      output: join(folder.path, 'out1'),
      skipBuild: true,
    });
    expect(built.delivery.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`)).toEqual(['@acme/widget@1.0.0']);
    const seen = registry.requests.slice(before);
    expect(seen.some((request) => request.url.endsWith('.tgz') && request.authorized)).toBe(true);
    await expectNoToken(built.zipPath);
  }, 120_000);

  it("uses the user's ~/.npmrc when the project has none", async () => {
    process.env.npm_config_userconfig = userConfig('user', scopedLines(true));
    const built = await buildDeliveryZip(project('with-user-npmrc'), { target: 'linux-x64', output: join(folder.path, 'out2'), skipBuild: true });
    expect(built.delivery.dependencies.map((dependency) => dependency.name)).toEqual(['@acme/widget']);
    await expectNoToken(built.zipPath);
  }, 120_000);

  it("uses the enclosing folder's .npmrc (where `npm i @procvision/cli` ran and init put the project)", async () => {
    process.env.npm_config_userconfig = userConfig('empty-2', '');
    const enclosing = join(folder.path, 'newcomer-folder');
    mkdirSync(enclosing);
    writeFileSync(join(enclosing, 'package.json'), JSON.stringify({ dependencies: { '@procvision/cli': '^0.1.0' } }));
    writeFileSync(join(enclosing, '.npmrc'), scopedLines(true));
    const built = await buildDeliveryZip(project('newcomer-folder/demo'), { target: 'linux-x64', output: join(folder.path, 'out4'), skipBuild: true });
    expect(built.delivery.dependencies.map((dependency) => dependency.name)).toEqual(['@acme/widget']);
    await expectNoToken(built.zipPath);
  }, 120_000);

  it('fails with 2005 naming npm and the 401 when the registry wants a token nobody configured', async () => {
    process.env.npm_config_userconfig = userConfig('no-token', '');
    await expect(
      buildDeliveryZip(project('without-token', scopedLines(false)), { target: 'linux-x64', output: join(folder.path, 'out3'), skipBuild: true }),
    ).rejects.toMatchObject({
      code: '2005',
      message: expect.stringMatching(/npm install[\s\S]*(401|E401|authentication)/i),
    });
  }, 120_000);
});
