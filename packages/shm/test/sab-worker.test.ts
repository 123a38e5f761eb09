import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createFrameWriter } from '../src/index.js';
import { patternPixels, sha256 } from './helpers/images.js';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
import(workerData.distUrl).then(async (shm) => {
  shm.registerSabPool(workerData.pool);
  const results = [];
  for (const frame of workerData.frames) {
    const image = await shm.readImage(frame.sharedMemId, frame.imageMeta);
    results.push({ sha256: createHash('sha256').update(image.data).digest('hex'), shared: image.data.buffer instanceof SharedArrayBuffer });
  }
  parentPort.postMessage(results);
}, (error) => parentPort.postMessage({ error: String(error) }));
`;

describe('sab: SharedArrayBuffer pools across worker threads', () => {
  const writer = createFrameWriter({ backend: 'sab', slots: 2, capacityBytes: 100 * 50 * 3 });
  afterAll(() => writer.close());

  it('a worker thread reads the frames zero-copy after registering the pool', async () => {
    const rgb = patternPixels(100, 50, 3, 9);
    const gray = patternPixels(100, 50, 1, 4);
    const frames = [
      writer.write({ encoding: 'raw', pixels: rgb, width: 100, height: 50, channels: 3, colorSpace: 'RGB' }),
      writer.write({ encoding: 'raw', pixels: gray, width: 100, height: 50, channels: 1, colorSpace: 'GRAY' }),
    ];
    expect(frames[0]?.sharedMemId).toMatch(/^sab:pv-\d+-\d+\/0$/);
    const distUrl = new URL('../dist/index.js', import.meta.url).href;
    const worker = new Worker(workerSource, { eval: true, workerData: { distUrl, pool: writer.sabPool, frames } });
    const results = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    for (const frame of frames) if (frame) writer.release(frame.slot);
    const expandedGray = new Uint8Array(gray.length * 3).map((_, index) => gray[Math.floor(index / 3)] as number);
    expect(results).toEqual([
      { sha256: sha256(rgb), shared: true },
      { sha256: sha256(expandedGray), shared: false },
    ]);
  });

  it('a frame larger than the pool capacity is refused with the capacity named', () => {
    expect(() => writer.write({ encoding: 'raw', pixels: patternPixels(200, 50, 3), width: 200, height: 50, channels: 3, colorSpace: 'RGB' })).toThrow(
      /capacityBytes/,
    );
  });
});
