import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createFrameWriter, mmapBackendKind, readImage } from '../src/index.js';
import { exitOf, fixture, runFixture, startFixture } from './helpers/child.js';
import { patternPixels, sha256 } from './helpers/images.js';

interface ReadResult {
  sha256?: string;
  length?: number;
  backend?: string;
  error?: { code: string; reason: string; message: string };
}

describe('mmap: across processes', () => {
  const writer = createFrameWriter({ backend: 'mmap', slots: 2, capacityBytes: 320 * 240 * 3 });
  afterAll(() => writer.close());

  it('uses the native addon on Linux', () => {
    expect(mmapBackendKind()).toBe('native');
  });

  it('a child process reads byte-identical pixels the parent wrote (native and file backends)', async () => {
    const pixels = patternPixels(320, 240, 3, 11);
    const written = writer.write({ encoding: 'raw', pixels, width: 320, height: 240, channels: 3, colorSpace: 'RGB', cameraId: 'cam-1' });
    expect(written.sharedMemId).toMatch(/^mmap:pv-\d+-\d+$/);
    expect(written.sharedMemId.length - 'mmap:'.length).toBeLessThanOrEqual(30);
    const meta = JSON.stringify(written.imageMeta);
    const native = await runFixture<ReadResult>('read-image.mjs', [written.sharedMemId, meta]);
    expect(native).toMatchObject({ sha256: sha256(pixels), length: pixels.length, backend: 'native' });
    const file = await runFixture<ReadResult>('read-image.mjs', [written.sharedMemId, meta], { PROCVISION_SHM_BACKEND: 'file' });
    expect(file).toMatchObject({ sha256: sha256(pixels), length: pixels.length, backend: 'file' });
    writer.release(written.slot);
  });

  it('maps segments read-only in reader processes: writing into a view cannot alter the frame', async () => {
    const pixels = patternPixels(16, 16, 3, 21);
    const written = writer.write({ encoding: 'raw', pixels, width: 16, height: 16, channels: 3, colorSpace: 'RGB' });
    // `ulimit -c 0`: the expected crash must not leave a core file behind.
    const script = 'ulimit -c 0; exec "$0" "$@"';
    const child = spawn('/bin/sh', ['-c', script, process.execPath, fixture('write-into-view.mjs'), written.sharedMemId, JSON.stringify(written.imageMeta)], {
      stdio: 'ignore',
    });
    expect((await exitOf(child)).signal).toMatch(/^SIG(SEGV|BUS)$/);
    expect((await readImage(written.sharedMemId, written.imageMeta)).data).toEqual(pixels);
    writer.release(written.slot);
  });

  it('creates segments owner-only (0600)', () => {
    const written = writer.write({ encoding: 'raw', pixels: patternPixels(4, 4, 3), width: 4, height: 4, channels: 3, colorSpace: 'RGB' });
    const name = written.sharedMemId.slice('mmap:'.length);
    expect(statSync(`/dev/shm/${name}`).mode & 0o777).toBe(0o600);
    writer.release(written.slot);
  });

  it('a file-backend writer child and a native reader (this process) agree', async () => {
    const { child, first } = await startFixture<{ sharedMemId: string; imageMeta: object; sha256: string; backend: string }>(
      'write-and-hold.mjs',
      ['64', '48', '5'],
      { PROCVISION_SHM_BACKEND: 'file' },
    );
    try {
      expect(first.backend).toBe('file');
      const fromNative = await runFixture<ReadResult>('read-image.mjs', [first.sharedMemId, JSON.stringify(first.imageMeta)]);
      expect(fromNative.sha256).toBe(first.sha256);
      const fromFile = await runFixture<ReadResult>('read-image.mjs', [first.sharedMemId, JSON.stringify(first.imageMeta)], { PROCVISION_SHM_BACKEND: 'file' });
      expect(fromFile.sha256).toBe(first.sha256);
    } finally {
      child.stdin?.end();
      await exitOf(child);
    }
  });
});
