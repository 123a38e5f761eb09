import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scaffold, temporaryFolder } from './cli-helpers.js';

interface ErrorDocument {
  error: { code: string | null; message: string; example: string | null };
}

describe('paths named on the command line: regular files only, named by kind, never blocking', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  let project: string;
  let fifo: string;

  beforeAll(async () => {
    folder = await temporaryFolder('paths');
    project = await scaffold(folder.path, 'paths');
    fifo = join(folder.path, 'camera.fifo');
    execFileSync('mkfifo', [fifo]);
  });
  afterAll(() => folder.remove());

  it('--image naming a FIFO or /dev/zero: exit 2 naming the kind, not "a folder", at once', async () => {
    for (const [path, kind] of [
      [fifo, 'a FIFO'],
      ['/dev/zero', 'a character device'],
    ] as const) {
      const started = Date.now();
      const run = await runCli(['run', project, '--pid', 'A01', '--image', path, '--json']);
      expect(run.code, path).toBe(2);
      const message = run.json<ErrorDocument>().error.message;
      expect(message).toContain(`--image ${path} is ${kind}, not a regular file`);
      expect(message).not.toMatch(/folder/);
      expect(Date.now() - started).toBeLessThan(20_000);
    }
  }, 60_000);

  it('runner exec --image /dev/zero: exit 2 naming the kind', async () => {
    const run = await runCli(['runner', 'exec', '--pid', 'A01', '--image', '/dev/zero', '--store', join(folder.path, 'store'), '--json']);
    expect(run.code).toBe(2);
    expect(run.json<ErrorDocument>().error.message).toMatch(/--image \/dev\/zero is a character device/);
  });

  it('validate --zip and runner install naming a FIFO: exit 2 naming the kind', async () => {
    const validate = await runCli(['validate', '--zip', fifo, '--json'], { cwd: folder.path });
    expect(validate.code).toBe(2);
    expect(validate.json<ErrorDocument>().error.message).toMatch(/--zip .*camera\.fifo is a FIFO, not a regular file/);
    const install = await runCli(['runner', 'install', fifo, '--store', join(folder.path, 'store'), '--json']);
    expect(install.code).toBe(2);
    expect(install.json<ErrorDocument>().error.message).toMatch(/camera\.fifo is a FIFO, not a regular file/);
  });

  it('package --sign-key naming a FIFO: exit 2 naming the kind', async () => {
    const run = await runCli(['package', project, '--sign-key', fifo, '--json']);
    expect(run.code).toBe(2);
    expect(run.json<ErrorDocument>().error.message).toMatch(/--sign-key .*camera\.fifo is a FIFO, not a regular file/);
  });

  it('runner serve --allow-path naming a file: exit 2', async () => {
    const run = await runCli(['runner', 'serve', '--port', '0', '--allow-path', fifo, '--store', join(folder.path, 'store')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--allow-path .* is not a folder/);
  });

  it('runner serve --allow-path DIR: image paths outside it are 403, inside are read', async () => {
    const { spawn } = await import('node:child_process');
    const { binPath } = await import('./cli-helpers.js');
    const { mkdir, copyFile } = await import('node:fs/promises');
    const allowed = join(folder.path, 'allowed');
    await mkdir(allowed, { recursive: true });
    await copyFile(join(project, 'samples/ok.png'), join(allowed, 'ok.png'));
    const { NODE_PATH: _nodePath, PROCVISION_TOKEN: _token, ...environment } = process.env;
    const child = spawn(
      process.execPath,
      [binPath, 'runner', 'serve', '--port', '0', '--json', '--allow-path', allowed, '--store', join(folder.path, 'serve-store')],
      { env: environment, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          try {
            resolve((JSON.parse(stdout) as { url: string }).url);
          } catch {
            // not complete yet
          }
        });
        void exited.then((code) => reject(new Error(`serve exited ${code}`)));
      });
      const step = async (path: string) => {
        const response = await fetch(`${url}/execute`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ pid: 'A01', step_index: 1, image: { path } }),
        });
        return { status: response.status, body: (await response.json()) as { error: { code: string } } };
      };
      const outside = await step(join(project, 'samples/ok.png'));
      expect(outside.status).toBe(403);
      expect(outside.body.error.code).toBe('3003');
      const inside = await step(join(allowed, 'ok.png'));
      expect(inside.body.error.code).not.toBe('3003');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
