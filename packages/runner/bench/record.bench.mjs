// Recording bench: the step p50 of a 1920x1200 JPEG with every step recorded (`all` mode:
// frame copied, queued, appended to a segment file off the step's path) against the same
// steps unrecorded, in interleaved rounds on one process. Prints one JSON line on stdout.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runner } from '../dist/index.js';
import { Recorder } from '../dist/store/index.js';
import { benchConfig, benchPackage, jpegStepRequest, printP50Line, timedSteps } from './jpeg-steps.mjs';

const request = await jpegStepRequest();
const folder = mkdtempSync(join(process.env.RECORD_BENCH_DIR ?? tmpdir(), 'procvision-record-bench-'));
let recorder;
const runner = new Runner({ config: benchConfig, observers: [(step) => recorder?.observe(step)] });
try {
  await runner.startPackage(benchPackage);
  const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
  const steps = (count) => timedSteps(runner, session.id, request, count);
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
  const stats = on.stats().A01;
  process.stderr.write(`record bench: ${stats.recorded} recorded, ${stats.dropped} dropped, ${(stats.bytes / 1024 / 1024).toFixed(1)} MiB written\n`);
  printP50Line('runner.record_overhead', 'runner.step_e2e_unrecorded', recorded, off);
} finally {
  await runner.close();
  rmSync(folder, { recursive: true, force: true });
}
