// Bench child process (the "runner"): writes raw RGB frames on request, into an mmap slot ring
// or into a temp file, and answers with where the frame is.
import { writeFileSync } from 'node:fs';
import { createFrameWriter } from '../dist/index.js';

const writer = createFrameWriter({ backend: 'mmap', slots: 2, capacityBytes: 1920 * 1200 * 3 });
const frames = new Map();
process.on('message', (request) => {
  const { width, height, mode, index, path } = request;
  const key = `${width}x${height}`;
  if (!frames.has(key))
    frames.set(
      key,
      new Uint8Array(width * height * 3).map((_, offset) => (offset * 7) % 256),
    );
  const pixels = frames.get(key);
  pixels[0] = index % 256;
  if (request.release !== undefined) {
    writer.release(request.release);
    process.send({ released: true });
  } else if (mode === 'file') {
    writeFileSync(path, pixels);
    process.send({ path });
  } else {
    process.send(writer.write({ encoding: 'raw', pixels, width, height, channels: 3, colorSpace: 'RGB' }));
  }
});
process.on('disconnect', () => {
  writer.close();
  process.exit(0);
});
