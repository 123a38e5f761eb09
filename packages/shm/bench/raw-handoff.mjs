// shm.raw_handoff.*: reader-side cost to access a raw RGB frame written by another process,
// through the mmap backend (zero-copy view of a persistent mapping) versus the same frame
// written to a temp file by that process and read back (readSync into a reused buffer).
import { fork } from 'node:child_process';
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage } from '../dist/index.js';
import { median, report } from './report.mjs';

const child = fork(new URL('./writer-child.mjs', import.meta.url), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const ask = (request) =>
  new Promise((resolve) => {
    child.once('message', resolve);
    child.send(request);
  });
const iterations = 150;
const tempPath = join(tmpdir(), `pv-bench-${process.pid}.raw`);

async function measure(width, height) {
  const mmapTimes = [];
  const fileTimes = [];
  const buffer = Buffer.allocUnsafeSlow(width * height * 3);
  // Steady state of a long-lived algorithm process: warm the reader code (JIT) on one frame.
  const warm = await ask({ width, height, mode: 'mmap', index: 0 });
  for (let index = 0; index < 2000; index += 1) await readImage(warm.sharedMemId, warm.imageMeta);
  await ask({ release: warm.slot });
  for (let index = 0; index < iterations + 10; index += 1) {
    const written = await ask({ width, height, mode: 'mmap', index });
    let start = process.hrtime.bigint();
    const image = await readImage(written.sharedMemId, written.imageMeta);
    if (image.data[0] !== index % 256) throw new Error('mmap frame content mismatch');
    const mmapTime = Number(process.hrtime.bigint() - start) / 1e6;
    await ask({ release: written.slot });
    const { path } = await ask({ width, height, mode: 'file', index, path: tempPath });
    start = process.hrtime.bigint();
    const fd = openSync(path, 'r');
    let done = 0;
    while (done < buffer.length) done += readSync(fd, buffer, done, buffer.length - done, done);
    closeSync(fd);
    if (buffer[0] !== index % 256) throw new Error('file frame content mismatch');
    const fileTime = Number(process.hrtime.bigint() - start) / 1e6;
    if (index >= 10) {
      mmapTimes.push(mmapTime);
      fileTimes.push(fileTime);
    }
  }
  return { mmap: median(mmapTimes), file: median(fileTimes) };
}

try {
  const full = await measure(1920, 1200);
  report('shm.raw_handoff.mmap', full.mmap, 'ms', 'shm.raw_handoff.file', full.file);
  const small = await measure(640, 480);
  report('shm.raw_handoff.mmap.640x480', small.mmap, 'ms', 'shm.raw_handoff.file.640x480', small.file);
  report('shm.raw_handoff.mmap.size_independence', full.mmap, 'ms', 'shm.raw_handoff.mmap.640x480', small.mmap);
} finally {
  child.disconnect();
  rmSync(tempPath, { force: true });
}
