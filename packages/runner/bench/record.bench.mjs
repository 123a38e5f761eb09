// Recording bench: the step p50 of a 1920x1200 JPEG with every step recorded (`all` mode:
// frame copied, queued, appended to a segment file off the step's path) against the same
// steps unrecorded, in interleaved rounds on one process. Prints one JSON line on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { Runner } from '../dist/index.js';
import { Recorder } from '../dist/store/index.js';

const root = fileURLToPath(new URL('../test/fixtures/real-algo/', import.meta.url));
const width = 1920;
const height = 1200;
const pixels = Buffer.alloc(width * height * 3);
for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 7919) % 251;
const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
  .jpeg({ quality: 90 })
  .toBuffer();
const folder = mkdtempSync(join(process.env.RECORD_BENCH_DIR ?? tmpdir(), 'procvision-record-bench-'));
let recorder;
const runner = new Runner({ config: { log_level: 'warn', max_frame_bytes: 8 * 1024 * 1024 }, observers: [(step) => recorder?.observe(step)] });
try {
  await runner.startPackage({ root, adapter: { command: process.execPath, args: [adapterBinPath] } });
  const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
  const request = { stepIndex: 1, frame: { encoding: 'jpeg', bytes: jpeg, width, height, cameraId: 'cam-01' } };
  const steps = async (count) => {
    const times = [];
    for (let index = 0; index < count; index += 1) {
      const startedAt = performance.now();
      const outcome = await runner.runStep(session.id, request);
      times.push(performance.now() - startedAt);
      if (outcome.status !== 'OK') throw new Error(`bench step failed: ${outcome.errorCode} ${outcome.message}`);
    }
    return times;
  };
  const on = new Recorder(join(folder, 'records'), { A01: { mode: 'all', max_bytes: 256 * 1024 * 1024, max_age_hours: 1 } });
  await steps(40);
  const off = [];
  const recorded = [];
  for (let round = 0; round < 6; round += 1) {
    recorder = undefined;
    off.push(...(await steps(50)));
    recorder = on;
    recorded.push(...(await steps(50)));
  }
  recorder = undefined;
  await on.close();
  const p50 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const stats = on.stats().A01;
  process.stderr.write(`record bench: ${stats.recorded} recorded, ${stats.dropped} dropped, ${(stats.bytes / 1024 / 1024).toFixed(1)} MiB written\n`);
  const round = (number) => Math.round(number * 1000) / 1000;
  const [value, baseline] = [p50(recorded), p50(off)];
  process.stdout.write(
    `${JSON.stringify({ bench: 'runner.record_overhead', value: round(value), unit: 'ms', baseline_name: 'runner.step_e2e_unrecorded', baseline: round(baseline), ratio: round(value / baseline) })}\n`,
  );
} finally {
  await runner.close();
  rmSync(folder, { recursive: true, force: true });
}
