// What the recording and shadow benches share: a 1920x1200 JPEG, a runner on the real-algo
// fixture, timed steps of one session, and the bench line.
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';

/** The real-algo fixture package, started with the workspace SDK's adapter. */
export const benchPackage = {
  root: fileURLToPath(new URL('../test/fixtures/real-algo/', import.meta.url)),
  adapter: { command: process.execPath, args: [adapterBinPath] },
};
/** Runner config of the benches: quiet, frames up to 8 MiB. */
export const benchConfig = { log_level: 'warn', max_frame_bytes: 8 * 1024 * 1024 };

/** One step request on a 1920x1200 JPEG of noise. */
export async function jpegStepRequest() {
  const width = 1920;
  const height = 1200;
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * 7919) % 251;
  const bytes = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  return { stepIndex: 1, frame: { encoding: 'jpeg', bytes, width, height, cameraId: 'cam-01' } };
}

/** Runs `count` steps of the session in order; resolves with each one's wall time in ms. */
export async function timedSteps(runner, sessionId, request, count) {
  const times = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    const outcome = await runner.runStep(sessionId, request);
    times.push(performance.now() - startedAt);
    if (outcome.status !== 'OK') throw new Error(`bench step failed: ${outcome.errorCode} ${outcome.message}`);
  }
  return times;
}

/** Prints the bench line of two p50s: `value` (the feature on) against `baseline` (off). */
export function printP50Line(bench, baselineName, on, off) {
  const p50 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const round = (number) => Math.round(number * 1000) / 1000;
  const [value, baseline] = [p50(on), p50(off)];
  process.stdout.write(
    `${JSON.stringify({ bench, value: round(value), unit: 'ms', baseline_name: baselineName, baseline: round(baseline), ratio: round(value / baseline) })}\n`,
  );
}
