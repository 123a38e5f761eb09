// @procvision/shm on Windows: the native backend over named file mappings (the win32-x64
// prebuild), frames across node.exe processes, lifetime of a mapping, sharp for win32.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { closeReaderMappings, createFrameWriter, mmapBackendKind, mmapBackendReason, readFrame, readImage } from '@procvision/shm';
import sharp from 'sharp';
import { nodeScript } from './helpers.mjs';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function pattern(width, height, channels, seed) {
  const pixels = new Uint8Array(width * height * channels);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 31 + seed) & 0xff;
  return pixels;
}

const readInChild = `
  import { createHash } from 'node:crypto';
  import { readFrame, mmapBackendKind } from '@procvision/shm';
  const [id, meta] = process.argv.slice(1);
  try {
    const frame = await readFrame(id, JSON.parse(meta));
    console.log(JSON.stringify({ backend: mmapBackendKind(), sha256: createHash('sha256').update(frame.payload).digest('hex'), length: frame.payload.length }));
  } catch (error) {
    console.log(JSON.stringify({ backend: mmapBackendKind(), error: { code: error.code, reason: error.reason, message: error.message } }));
  }
`;

describe('shared memory on Windows', () => {
  test('the native Windows backend is in use (named file mappings)', () => {
    assert.equal(mmapBackendKind(), 'native', mmapBackendReason());
    assert.equal(mmapBackendReason(), 'native addon loaded');
  });

  test('another node.exe reads byte-identical pixels the writer put in a named mapping', async () => {
    const writer = createFrameWriter({ backend: 'mmap', slots: 2, capacityBytes: 320 * 240 * 3 });
    try {
      const pixels = pattern(320, 240, 3, 11);
      const written = writer.write({ encoding: 'raw', pixels, width: 320, height: 240, channels: 3, colorSpace: 'RGB', cameraId: 'cam-1' });
      assert.match(written.sharedMemId, /^mmap:pv-\d+-\d+$/);
      const result = JSON.parse(await nodeScript(readInChild, [written.sharedMemId, JSON.stringify(written.imageMeta)]));
      assert.deepEqual(result, { backend: 'native', sha256: sha256(pixels), length: pixels.length });
      // The slot is rewritten in place: the next frame in the same segment reads back too.
      writer.release(written.slot);
    } finally {
      writer.close();
    }
  });

  test('a closed writer leaves nothing behind: a new reader gets unknown-id (1002)', async () => {
    const writer = createFrameWriter({ backend: 'mmap', slots: 1, capacityBytes: 64 * 48 * 3 });
    const written = writer.write({ encoding: 'raw', pixels: pattern(64, 48, 3, 3), width: 64, height: 48, channels: 3, colorSpace: 'RGB' });
    writer.close();
    const result = JSON.parse(await nodeScript(readInChild, [written.sharedMemId, JSON.stringify(written.imageMeta)]));
    assert.equal(result.error.code, '1002');
    assert.equal(result.error.reason, 'unknown-id');
  });

  test('a mapping ends with its last handle: a reader holding a view keeps the frame until it closes it', async () => {
    const writer = createFrameWriter({ backend: 'mmap', slots: 1, capacityBytes: 32 * 32 });
    const pixels = pattern(32, 32, 1, 5);
    const written = writer.write({ encoding: 'raw', pixels, width: 32, height: 32, channels: 1, colorSpace: 'GRAY' });
    const first = await readFrame(written.sharedMemId, written.imageMeta);
    first.release();
    writer.close(); // the writer's handle is gone; this process's cached view still maps it
    const again = await readFrame(written.sharedMemId, written.imageMeta);
    assert.equal(sha256(again.payload), sha256(pixels));
    again.release();
    closeReaderMappings();
    await assert.rejects(readFrame(written.sharedMemId, written.imageMeta), (error) => error.reason === 'unknown-id');
  });

  test('a PNG frame is decoded by sharp for win32-x64', async () => {
    const png = await sharp(Buffer.from(pattern(40, 30, 3, 9)), { raw: { width: 40, height: 30, channels: 3 } })
      .png()
      .toBuffer();
    const writer = createFrameWriter({ backend: 'mmap', slots: 1, capacityBytes: 64 * 1024 });
    try {
      const written = writer.write({ encoding: 'png', bytes: png, width: 40, height: 30, colorSpace: 'RGB' });
      const image = await readImage(written.sharedMemId, written.imageMeta);
      assert.equal(image.width, 40);
      assert.equal(image.height, 30);
      assert.equal(sha256(image.data), sha256(pattern(40, 30, 3, 9)));
    } finally {
      writer.close();
    }
  });

  test('the file backend still works on Windows (PROCVISION_SHM_BACKEND=file, writer and reader alike)', async () => {
    const script = `
      import { createFrameWriter, readFrame, mmapBackendKind } from '@procvision/shm';
      const writer = createFrameWriter({ backend: 'mmap', slots: 1, capacityBytes: 16 * 16 * 3 });
      const pixels = new Uint8Array(16 * 16 * 3).fill(7);
      const written = writer.write({ encoding: 'raw', pixels, width: 16, height: 16, channels: 3, colorSpace: 'RGB' });
      const frame = await readFrame(written.sharedMemId, written.imageMeta);
      console.log(JSON.stringify({ backend: mmapBackendKind(), ok: frame.payload.every((byte) => byte === 7) }));
      writer.close();
    `;
    const result = JSON.parse(await nodeScript(script, [], { PROCVISION_SHM_BACKEND: 'file' }));
    assert.deepEqual(result, { backend: 'file', ok: true });
  });
});
