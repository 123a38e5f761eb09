import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serveRunner } from '../src/http/index.js';
import { temporaryFolder } from './store-fixtures/store-fixtures.js';

const folder = temporaryFolder('procvision-http-serve-');
afterAll(() => folder.cleanup());
const runnerDist = fileURLToPath(new URL('../dist/http/index.js', import.meta.url));

describe('serveRunner (procvision runner serve)', () => {
  it('opens (creating) the store, is ready with no active package, and closes', async () => {
    const served = await serveRunner({ store: join(folder.path, 'store-a'), port: 0, handleSignals: false, logger: { log() {} } });
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(join(served.storeRoot, 'algorithms', 'deployed'))).toBe(true);
      const ready = await fetch(`${served.url}/ready`);
      expect(ready.status).toBe(200);
      expect(await (await fetch(`${served.url}/packages`)).json()).toEqual({ packages: [] });
    } finally {
      await served.close();
    }
    await served.closed;
  });

  it('stops gracefully on SIGTERM and the process exits 0', async () => {
    const script = `import { serveRunner } from ${JSON.stringify(runnerDist)};
const served = await serveRunner({ store: ${JSON.stringify(join(folder.path, 'store-b'))}, port: 0 });
process.stdout.write(served.url + '\\n');
await served.closed;
process.stderr.write('closed\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`serve exited early with ${String(code)}: ${stderr}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('closed');
    expect(stderr).toContain('SIGTERM');
  });
});
