// Shadow bench: the step p50 of a 1920x1200 JPEG while a shadow run (a second process of the
// same package, fed from the step observer's bounded queue after the answer left) takes every
// frame, against the same steps without it, in interleaved rounds on one process. Prints one
// JSON line on stdout.
import { Runner } from '../dist/index.js';
import { ShadowRun } from '../dist/store/index.js';
import { benchConfig, benchPackage, jpegStepRequest, printP50Line, timedSteps } from './jpeg-steps.mjs';

const request = await jpegStepRequest();
let shadow;
const runner = new Runner({ config: benchConfig, observers: [(step) => shadow?.observe(step)] });
const candidates = new Runner({ config: benchConfig });
try {
  await runner.startPackage(benchPackage);
  const candidate = await candidates.startPackage(benchPackage);
  const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
  const steps = (count) => timedSteps(runner, session.id, request, count);
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
  process.stderr.write(`shadow bench: ${stats.compared} compared, ${stats.disagreements} disagreed, ${stats.dropped} dropped\n`);
  printP50Line('runner.shadow_overhead', 'runner.step_e2e_unshadowed', shadowed, off);
} finally {
  await runner.close();
  await candidates.close();
}
