import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, scaffold, temporaryFolder } from './cli-helpers.js';

/** True while `pid` runs (a zombie waiting for init to reap it has ended). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('Ctrl-C during procvision run', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project: string;

  beforeAll(async () => {
    folder = await temporaryFolder('interrupt');
    project = await scaffold(folder.path, 'busy', 'A01');
    const main = join(project, 'src/main.ts');
    const source = await readFile(main, 'utf8');
    const busy = source.replace(
      '    const image = await readImage(',
      '    this.logger.warn(`busy-started ${process.pid}`);\n    const end = Date.now() + 60_000;\n    while (Date.now() < end) { /* a long synchronous step */ }\n    const image = await readImage(',
    );
    if (busy === source) throw new Error('scaffold changed: nothing to replace in src/main.ts');
    await writeFile(main, busy);
  });
  afterAll(() => folder.remove());

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} stops the step at once: exit ${code}, the algorithm process ended, no shared memory left`, async () => {
      const child = spawn(process.execPath, [binPath, 'run', project, '--pid', 'A01', '--image', join(project, 'samples/ok.png'), '--json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const adapterPid = await new Promise<number>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /busy-started (\d+)/.exec(stderr);
          if (match?.[1] !== undefined) resolve(Number(match[1]));
        });
        child.on('exit', (exitCode) => reject(new Error(`run exited ${exitCode} before the step started:\n${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const sentAt = Date.now();
      child.kill(signal);
      const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const exitCode = await exited;
      clearTimeout(timeout);
      expect(exitCode).toBe(code);
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(stdout).toBe('');
      expect(stderr).toContain(`interrupted by ${signal}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(running(adapterPid)).toBe(false);
      expect(readdirSync('/dev/shm').filter((name) => name.startsWith(`pv-${child.pid}-`))).toEqual([]);
    }, 60_000);
  }

  it('SIGINT during package: exit 130, no staging folder left in the temp folder', async () => {
    const tmp = join(folder.path, 'tmp');
    mkdirSync(tmp);
    const child = spawn(process.execPath, [binPath, 'package', project, '-o', join(folder.path, 'never')], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('delivering')) resolve();
      });
      child.on('exit', (exitCode) => reject(new Error(`package exited ${exitCode} before staging:\n${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Let the packager create its own staging folder and start npm.
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readdirSync(tmp).filter((name) => name.startsWith('procvision-'))).toEqual([]);
  }, 60_000);
});
