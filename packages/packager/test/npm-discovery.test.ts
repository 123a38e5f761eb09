import { execFile } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { locateNpmCli } from '../src/process/index.js';
import { temporaryFolder } from './helpers/delivery-fixture.js';

const exec = promisify(execFile);
const folder = temporaryFolder('procvision-npm-discovery-');
afterAll(() => folder.cleanup());

// The npm of this test's Node (a real npm-cli.js) and a Node with no npm beside it, as the npm
// registry's `node` package installs it: a hard link (or copy) of this node in a bare bin/ folder.
const realNpmCli = realpathSync(locateNpmCli().path);
const bareNode = join(folder.path, 'node-only', 'bin', 'node');
mkdirSync(join(folder.path, 'node-only', 'bin'), { recursive: true });
try {
  linkSync(realpathSync(process.execPath), bareNode);
} catch {
  copyFileSync(realpathSync(process.execPath), bareNode);
}
// An npm on PATH the way Debian's npm package and Node tarballs put it: bin/npm -> npm-cli.js.
const pathBin = join(folder.path, 'path-bin');
mkdirSync(pathBin);
symlinkSync(realNpmCli, join(pathBin, 'npm'));
const processEntry = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'process', 'index.js');

async function locateWith(env: Record<string, string>): Promise<{ path?: string; source?: string; error?: string }> {
  const script = `const { locateNpmCli } = await import(${JSON.stringify(processEntry)}); try { console.log(JSON.stringify(locateNpmCli())); } catch (error) { console.log(JSON.stringify({ error: error.message })); }`;
  const { stdout } = await exec(bareNode, ['--input-type=module', '-e', script], { env });
  return JSON.parse(stdout) as { path?: string; source?: string; error?: string };
}

describe('npm discovery (a Node without npm beside it)', () => {
  it('finds npm on PATH through its bin symlink', async () => {
    expect(await locateWith({ PATH: pathBin })).toEqual({ path: realNpmCli, source: 'PATH' });
  });

  it('PROCVISION_NPM wins, as an npm command or its npm-cli.js', async () => {
    expect(await locateWith({ PATH: '/nonexistent', PROCVISION_NPM: join(pathBin, 'npm') })).toEqual({ path: realNpmCli, source: 'PROCVISION_NPM' });
    expect(await locateWith({ PATH: '/nonexistent', PROCVISION_NPM: realNpmCli })).toEqual({ path: realNpmCli, source: 'PROCVISION_NPM' });
  });

  it('a PROCVISION_NPM that is no npm is an error naming it (no silent fallback)', async () => {
    const result = await locateWith({ PATH: pathBin, PROCVISION_NPM: join(folder.path, 'missing-npm') });
    expect(result.error).toMatch(/PROCVISION_NPM \(or --npm\) is .*missing-npm, which is not an npm command/);
  });

  it('no npm anywhere: the error names where it looked and how to pass one', async () => {
    const result = await locateWith({ PATH: join(folder.path, 'node-only', 'bin') });
    expect(result.error).toMatch(/cannot find npm: not beside .*node-only\/bin\/node .* nor on PATH; .*--npm <path of npm> \/ set PROCVISION_NPM/);
  });

  it('this machine: npm beside node or from npm_execpath', () => {
    expect(['beside node', 'npm_execpath', 'PATH']).toContain(locateNpmCli().source);
  });
});
