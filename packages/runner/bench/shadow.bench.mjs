// Shadow bench: the step p50 of a 1920x1200 JPEG while a shadow run (a second process of the
// same package, fed from the step observer's bounded queue after the answer left) takes every
// frame, against the same steps without it, in interleaved rounds on one process. Prints one
// JSON line on stdout.
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { Runner } from '../dist/index.js';
import { ShadowRun } from '../dist/store/index.js';

const root = fileURLToPath(new URL('../test/fixtures/real-algo/', import.meta.url));
const adapter = { command: process.execPath, args: [adapterBinPath] };
const width = 1920;
const height = 1200;
const pixels = Buffer.alloc(width * height * 3);
for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 7919) % 251;
const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
  .jpeg({ quality: 90 })
  .toBuffer();
const config = { log_level: 'warn', max_frame_bytes: 8 * 1024 * 1024 };
let shadow;
const runner = new Runner({ config, observers: [(step) => shadow?.observe(step)] });
const candidates = new Runner({ config });
try {
  await runner.startPackage({ root, adapter });
  const candidate = await candidates.startPackage({ root, adapter });
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
  const on = new ShadowRun({ pid: 'A01', candidate: { process: candidate, stop: () => candidates.close() } });
  await steps(40);
  const off = [];
  const shadowed = [];
  for (let round = 0; round < 6; round += 1) {
    shadow = undefined;
    await on.flush();
    off.push(...(await steps(50)));
    shadow = on;
    shadowed.push(...(await steps(50)));
  }
  shadow = undefined;
  const stats = await on.stop();
  const p50 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  process.stderr.write(`shadow bench: ${stats.compared} compared, ${stats.disagreements} disagreed, ${stats.dropped} dropped\n`);
  const round = (number) => Math.round(number * 1000) / 1000;
  const [value, baseline] = [p50(shadowed), p50(off)];
  process.stdout.write(
    `${JSON.stringify({ bench: 'runner.shadow_overhead', value: round(value), unit: 'ms', baseline_name: 'runner.step_e2e_unshadowed', baseline: round(baseline), ratio: round(value / baseline) })}\n`,
  );
} finally {
  await runner.close();
  await candidates.close();
}
