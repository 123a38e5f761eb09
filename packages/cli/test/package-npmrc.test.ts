import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenRegistry, type TokenRegistry } from '../../packager/test/helpers/token-registry.js';
import { readZipEntries } from '../../packager/test/helpers/zip-contents.js';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;
let registry: TokenRegistry;
beforeAll(async () => {
  folder = await temporaryFolder('procvision-package-npmrc-');
  registry = await startTokenRegistry(folder.path);
});
afterAll(async () => {
  await registry.close();
  await folder.remove();
});

describe('procvision package from a plain shell (no pnpm on PATH), outside the repo', () => {
  it("packs the linked SDK with npm and fetches a private dependency with the project's .npmrc; no token in the zip", async () => {
    const project = await scaffold(folder.path, 'private-dep', 'A01');
    const packageJsonPath = join(project, 'package.json');
    const packageJson = JSON.parse(await readFile(packageJsonPath, 'utf8')) as { dependencies: Record<string, string> };
    packageJson.dependencies['@acme/widget'] = '^1.0.0';
    await writeFile(packageJsonPath, JSON.stringify(packageJson, null, 2));
    await writeFile(join(project, '.npmrc'), `@acme:registry=${registry.url}\n${registry.url.replace(/^http:/, '')}:_authToken=${registry.token}\n`);
    const userConfig = join(folder.path, 'empty-user.npmrc');
    await writeFile(userConfig, '');
    const path = (process.env.PATH ?? '')
      .split(':')
      .filter((entry) => !/pnpm|node_modules/.test(entry))
      .join(':');
    const run = await runCli(['package', project, '-o', join(folder.path, 'out'), '--json'], {
      cwd: folder.path,
      env: { PATH: path, npm_config_userconfig: userConfig },
    });
    expect(run.code, run.stderr).toBe(0);
    const zip = run.json<{ zips: Array<{ path: string; dependencies: string[] }> }>().zips[0];
    expect(zip?.dependencies).toEqual(expect.arrayContaining(['@acme/widget@1.0.0', expect.stringMatching(/^@procvision\/sdk@/)]));
    const bytes = await readFile(zip?.path ?? '');
    expect(bytes.includes(registry.token)).toBe(false);
    for (const entry of await readZipEntries(zip?.path ?? '')) {
      expect(entry.name).not.toMatch(/npmrc/);
      expect(entry.data.includes(registry.token), String(entry.name)).toBe(false);
    }
    expect(registry.requests.some((request) => request.authorized && request.url.endsWith('.tgz'))).toBe(true);
  }, 240_000);
});
