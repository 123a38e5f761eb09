import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import { describe, expect, it } from 'vitest';
import { Runner } from '../src/index.js';

const root = fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url));
const steps = 20_000;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

function ownSegments(): string[] {
  return readdirSync('/dev/shm').filter((name) => name.startsWith(`pv-${process.pid}-`));
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

describe.runIf(process.platform === 'linux')('soak', () => {
  it(`runs ${steps} steps through one process with stable memory and no leaked segments or fds`, async () => {
    const runner = new Runner({ config: { log_level: 'warn' } });
    const fdsBefore = openFds();
    const process = await runner.startPackage({ root, adapter: { command: globalThis.process.execPath, args: [adapterBinPath] } });
    const processId = process.processId;
    const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
    const jpeg = new Uint8Array(200_000).fill(9);
    jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
    const request = { stepIndex: 1, frame: { encoding: 'jpeg' as const, bytes: jpeg, width: 1920, height: 1200 } };
    const warmup = 500;
    for (let index = 0; index < warmup; index += 1) await runner.runStep(session.id, request);
    collectGarbage();
    const { rss: rssBefore, heapUsed: heapBefore } = globalThis.process.memoryUsage();
    const segmentsDuring = ownSegments().length;
    const startedAt = performance.now();
    let failures = 0;
    const samples: number[] = [];
    for (let index = 0; index < steps; index += 1) {
      const outcome = await runner.runStep(session.id, request);
      if (outcome.status !== 'OK') failures += 1;
      if (index % 5000 === 4999) {
        collectGarbage();
        samples.push(megabytes(globalThis.process.memoryUsage().rss));
      }
    }
    const seconds = (performance.now() - startedAt) / 1000;
    collectGarbage();
    const { rss: rssAfter, heapUsed: heapAfter } = globalThis.process.memoryUsage();
    expect(failures).toBe(0);
    expect(process.processId).toBe(processId);
    expect(session.state).toEqual({ steps: steps + warmup });
    expect(ownSegments().length).toBe(segmentsDuring);
    await runner.close();
    const fdsAfter = openFds();
    console.info(
      `soak: ${steps} steps in ${seconds.toFixed(1)} s (${Math.round(steps / seconds)} steps/s); runner RSS ${megabytes(rssBefore)} MB -> ${megabytes(rssAfter)} MB, heap ${megabytes(heapBefore)} MB -> ${megabytes(heapAfter)} MB; ` +
        `RSS every 5000 steps ${samples.join(', ')} MB (allocator noise, not growth); fds ${fdsBefore} -> ${fdsAfter}; own /dev/shm segments during ${segmentsDuring}, after close ${ownSegments().length}`,
    );
    expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024 * 1024);
    expect(fdsAfter).toBeLessThanOrEqual(fdsBefore);
    expect(ownSegments()).toEqual([]);
  }, 180_000);
});
