import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, temporaryFolder } from './cli-helpers.js';

describe('procvision runner serve', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>;
  beforeAll(async () => {
    folder = await temporaryFolder('serve');
  });
  afterAll(() => folder.remove());

  it('serves the HTTP API on a free port and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [binPath, 'runner', 'serve', '--port', '0', '--store', join(folder.path, 'store'), '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        try {
          resolve((JSON.parse(stdout) as { url: string }).url);
        } catch {
          // the document is not complete yet
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
