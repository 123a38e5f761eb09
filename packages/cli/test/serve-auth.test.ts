import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli, temporaryFolder } from './cli-helpers.js';

const token = 'cli-token-0123456789abcdef';

/** Starts `runner serve --json` and resolves with its URL and a stop function. */
function startServe(args: string[], env: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<number | null> }> {
  const { NODE_PATH: _nodePath, PROCVISION_TOKEN: _token, ...environment } = process.env;
  const child = spawn(process.execPath, [binPath, 'runner', 'serve', '--port', '0', '--json', ...args], {
    env: { ...environment, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        const { url } = JSON.parse(stdout) as { url: string };
        resolve({ url, stop: () => (child.kill('SIGTERM'), exited) });
      } catch {
        // not complete yet
      }
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

describe('runner serve: token and exposure', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  beforeAll(async () => {
    folder = await temporaryFolder('serve-auth');
  });
  afterAll(() => folder.remove());

  it('--host 0.0.0.0 without a token refuses to start: exit 2, one-line reason', async () => {
    const run = await runCli(['runner', 'serve', '--host', '0.0.0.0', '--port', '0', '--store', join(folder.path, 'store')], { env: { PROCVISION_TOKEN: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(/empty|refusing to listen on 0\.0\.0\.0 without a token/);
    const unset = await runCli(['runner', 'serve', '--host', '0.0.0.0', '--port', '0', '--store', join(folder.path, 'store')]);
    if (process.env.PROCVISION_TOKEN === undefined) {
      expect(unset.code).toBe(2);
      expect(unset.stderr.split('\n')[0]).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
    }
  });

  it('--host beyond loopback with a token but no trusted key: exit 2 naming --trusted-key and --allow-unsigned', async () => {
    const tokenFile = join(folder.path, 'token');
    await writeFile(tokenFile, `${token}\n`);
    const run = await runCli(['runner', 'serve', '--host', '0.0.0.0', '--port', '0', '--token-file', tokenFile, '--store', join(folder.path, 'store')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/requires signed packages.*--trusted-key.*--allow-unsigned/);
  });

  it('--token-file naming a FIFO or a folder is refused by kind (exit 2), never opened in a way that blocks', async () => {
    const run = await runCli(['runner', 'serve', '--port', '0', '--token-file', folder.path, '--store', join(folder.path, 'store')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--token-file .* is a folder, not a regular file/);
    const device = await runCli(['runner', 'serve', '--port', '0', '--token-file', '/dev/zero', '--store', join(folder.path, 'store')]);
    expect(device.code).toBe(2);
    expect(device.stderr).toMatch(/is a character device, not a regular file/);
    const fifo = join(folder.path, 'token.fifo');
    execFileSync('mkfifo', [fifo]);
    const piped = await runCli(['runner', 'serve', '--port', '0', '--token-file', fifo, '--store', join(folder.path, 'store')]);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/is a FIFO, not a regular file/);
  });

  it('--token-file: every route but /health needs the token', async () => {
    const tokenFile = join(folder.path, 'token');
    await writeFile(tokenFile, `${token}\n`);
    const served = await startServe(['--token-file', tokenFile, '--store', join(folder.path, 'store')]);
    try {
      expect((await fetch(`${served.url}/health`)).status).toBe(200);
      expect((await fetch(`${served.url}/packages`)).status).toBe(401);
      expect((await fetch(`${served.url}/packages`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it('PROCVISION_TOKEN holds the token when there is no --token-file', async () => {
    const served = await startServe(['--store', join(folder.path, 'store')], { PROCVISION_TOKEN: token });
    try {
      expect((await fetch(`${served.url}/ready`)).status).toBe(401);
      expect((await fetch(`${served.url}/ready`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});
