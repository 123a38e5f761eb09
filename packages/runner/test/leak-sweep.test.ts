// Nothing leaks after a SIGKILL: a runner service killed mid-step of a REAL Python SDK package
// leaves its private frame folder (with the step's frame file) in /dev/shm; the next service
// removes it (and any segment of the dead one) at start-up, and the orphaned adapter ends.
// Needs PROCVISION_PY_SDK and a python with numpy + Pillow (PROCVISION_PYTHON); skips otherwise.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createRunnerService } from '../src/http/index.js';
import { isProcessAlive } from '@procvision/manifest/process-exit';
import { silentLogger } from '../src/index.js';
import { findPythonSdk, reportSkip } from './python-sdk.js';

const found = findPythonSdk();
const skip = reportSkip('leak-sweep', found) || !existsSync('/dev/shm');
const slowRoot = fileURLToPath(new URL('./fixtures/python-slow/', import.meta.url));

/** Children of `parent` now (from /proc). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) pids.push(Number(name));
    } catch {
      // ended meanwhile
    }
  }
  return pids;
}

describe.skipIf(skip)('a runner service SIGKILLed mid-step of a Python package', () => {
  const sdk = found.ok ? found.sdk : { python: '', v006: '' };

  it('leaves its frame folder and segments only until the next service starts; the orphaned adapter ends', async () => {
    const httpDist = new URL('../dist/http/index.js', import.meta.url).href;
    const runnerDist = new URL('../dist/index.js', import.meta.url).href;
    const shmDist = import.meta.resolve('@procvision/shm');
    const script = `
      const { createRunnerService } = await import(${JSON.stringify(httpDist)});
      const { pythonAdapterLaunch } = await import(${JSON.stringify(runnerDist)});
      const { createFrameWriter } = await import(${JSON.stringify(shmDist)});
      const root = ${JSON.stringify(slowRoot)};
      const launch = pythonAdapterLaunch({ root, python: ${JSON.stringify(sdk.python)}, pythonPath: [${JSON.stringify(sdk.v006)}] });
      const service = createRunnerService({ packages: [{ root, ...launch }], runnerConfig: { execute_timeout_ms: 60000 }, port: 0, logger: { log() {} } });
      const url = await service.listen();
      // a segment of this service as well (TypeScript packages' frames)
      const writer = createFrameWriter({ slots: 1, backend: 'mmap' });
      writer.write({ encoding: 'raw', pixels: new Uint8Array(12), channels: 3, width: 2, height: 2, colorSpace: 'RGB', timestampMs: 0, cameraId: 'x' });
      process.stdout.write(url + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const line = /^(http:\S+)\n/m.exec(text);
        if (line?.[1] !== undefined) resolve(line[1]);
      });
      child.on('exit', (code) => reject(new Error(`service exited ${String(code)}`)));
    });
    const servicePid = child.pid!;
    const ours = () => readdirSync('/dev/shm').filter((name) => name.startsWith(`procvision-shm-${servicePid}-`) || name.startsWith(`pv-${servicePid}-`));
    const [adapterPid] = childrenOf(servicePid);
    expect(adapterPid, 'the Python adapter runs').toBeDefined();

    // a step that sleeps 4 s in execute, its frame file in the private folder meanwhile
    const step = fetch(`${url}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pid: 'A01',
        step_index: 1,
        image: readFileSync(join(sdk.v006, 'algorithm-example', 'images', 'example.jpg')).toString('base64'),
        user_params: { sleep_ms: 4000 },
      }),
    }).catch((error: unknown) => error);
    const folder = await vi.waitFor(
      () => {
        const name = ours().find((entry) => entry.startsWith('procvision-shm-'));
        expect(name).toBeDefined();
        expect(readdirSync(join('/dev/shm', name!)).some((file) => file.endsWith('.bin'))).toBe(true);
        return name!;
      },
      { timeout: 15_000, interval: 50 },
    );
    child.kill('SIGKILL');
    await exited;
    expect(await step).toBeInstanceOf(Error); // the connection died with the service
    // the dead service's folder (frame file inside) and segment are still there
    expect(ours()).toContain(folder);
    expect(ours().some((name) => name.startsWith('pv-'))).toBe(true);

    const next = createRunnerService({ packages: [], port: 0, logger: silentLogger });
    await next.listen();
    try {
      expect(ours()).toEqual([]);
    } finally {
      await next.close();
    }
    // the orphaned adapter got EOF on stdin: it ends after its step
    await vi.waitFor(() => expect(isProcessAlive(adapterPid!)).toBe(false), { timeout: 20_000, interval: 100 });
  }, 60_000);
});
