import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli, temporaryFolder } from './cli-helpers.js';

const exec = promisify(execFile);

describe('init in a folder whose path has spaces and non-ASCII letters', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let parent: string;

  beforeAll(async () => {
    folder = await temporaryFolder('next steps');
    parent = join(folder.path, "dír with space's");
    await mkdir(parent);
  });
  afterAll(() => folder.remove());

  it('prints "Next:" commands that work when pasted into a shell', async () => {
    const init = await runCli(['init', 'spaced', '--pids', 'A01', '-d', "dír with space's"], { cwd: folder.path });
    expect(init.code).toBe(0);
    const next = init.stdout
      .split('\n')
      .filter((line) => line.startsWith('  procvision '))
      .map((line) => line.trim());
    expect(next).toHaveLength(3);
    const { NODE_PATH: _nodePath, ...environment } = process.env;
    for (const command of next.slice(0, 2)) {
      const shell = command.replace(/^procvision /, `'${process.execPath}' '${binPath}' `);
      const { stdout } = await exec('/bin/sh', ['-c', shell], { cwd: folder.path, env: environment });
      expect(stdout, command).toMatch(/PASS|verdict/);
    }
  }, 60_000);
});
