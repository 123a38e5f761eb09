// Runner bench: one inspection step (pre + execute) of a 1920x1200 JPEG through shared memory,
// against the same step with the image as Base64 inside the JSON frames (the path the spec
// forbids, measured to show what shm buys); steps per second; cold start (spawn to ready, with
// its spawn -> hello and hello -> ready parts on stderr); the engine's import in a fresh Node
// process, against the import of @procvision/manifest (zod and the schemas, its floor).
// With the Python SDK (PROCVISION_PY_SDK, PROCVISION_PYTHON), the same step through a trivial
// v0.0.6 Python algorithm (frames as $PROC_SHM_DIR files), against the step through our adapter.
// Prints one JSON line per figure on stdout; details go to stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { pythonAdapterLaunch, Runner } from '../dist/index.js';

const root = fileURLToPath(new URL('../test/fixtures/real-algo/', import.meta.url));
const adapter = { command: process.execPath, args: [adapterBinPath] };
const width = 1920;
const height = 1200;

async function cameraJpeg() {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let index = 0; index < pixels.length; index += 3) {
    const x = (index / 3) % width;
    const y = Math.floor(index / 3 / width);
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const noise = (seed >> 16) & 15;
    pixels[index] = (x >> 3) + noise;
    pixels[index + 1] = (y >> 3) + noise;
    pixels[index + 2] = ((x + y) >> 4) + noise;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function print(bench, value, unit, baselineName, baseline) {
  const round = (number) => Math.round(number * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({ bench, value: round(value), unit, baseline_name: baselineName, baseline: round(baseline), ratio: round(value / baseline) })}\n`,
  );
}

async function timeSteps(runner, sessionId, request, count) {
  const times = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    const outcome = await runner.runStep(sessionId, request);
    times.push(performance.now() - startedAt);
    if (outcome.status !== 'OK') throw new Error(`bench step failed: ${outcome.errorCode} ${outcome.message}`);
  }
  return times;
}

const jpeg = await cameraJpeg();
process.stderr.write(`bench image: ${width}x${height} JPEG, ${jpeg.byteLength} bytes (Base64 ${Math.ceil(jpeg.byteLength / 3) * 4} bytes)\n`);
const runner = new Runner({ config: { log_level: 'warn', max_frame_bytes: 8 * 1024 * 1024 } });

/** CPU ms the child has used so far, all its threads (Linux /proc; undefined elsewhere). */
function childCpuMs(processId) {
  try {
    const tasks = readdirSync(`/proc/${processId}/task`);
    return tasks.reduce((sum, task) => sum + Number(readFileSync(`/proc/${processId}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6, 0);
  } catch {
    return undefined;
  }
}

// Cold start, and its parts: spawn -> hello (process boot, adapter import), hello -> ready
// (the algorithm's import, setup(), getInfo() and their checks), and the adapter's CPU time to
// ready, which swings far less with the machine's load than the wall time.
const coldStarts = [];
const helloTimes = [];
const readyTimes = [];
const childCpu = [];
const offReady = runner.on('process-ready', (event) => {
  helloTimes.push(event.helloMs);
  readyTimes.push(event.coldStartMs - event.helloMs);
  const cpu = childCpuMs(event.processId);
  if (cpu !== undefined) childCpu.push(cpu);
});
for (let run = 0; run < 7; run += 1) {
  const startedAt = performance.now();
  await runner.startPackage({ root, adapter });
  coldStarts.push(performance.now() - startedAt);
  await runner.stopPackage('frame-bytes');
}
offReady();

/** Median ms of `import(specifier)` for each specifier, in fresh Node processes taking turns (cwd here, so workspace packages resolve). */
function importTimes(specifiers, runs = 7) {
  const times = specifiers.map(() => []);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, specifier] of specifiers.entries()) {
      const script = `const startedAt = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - startedAt));`;
      times[index].push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('.', import.meta.url)) })));
    }
  }
  return times.map((list) => percentile(list, 0.5));
}
const [engineImport, manifestImport] = importTimes([new URL('../dist/index.js', import.meta.url).href, '@procvision/manifest']);

await runner.startPackage({ root, adapter });
const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
const shmRequest = { stepIndex: 1, frame: { encoding: 'jpeg', bytes: jpeg, width, height, cameraId: 'cam-01' } };
const placeholder = { encoding: 'jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), width, height, cameraId: 'cam-01' };
const base64Request = { stepIndex: 1, frame: placeholder, userParams: { image_base64: jpeg.toString('base64') } };

await timeSteps(runner, session.id, shmRequest, 50);
await timeSteps(runner, session.id, base64Request, 50);
const rounds = 5;
const shmTimes = [];
const base64Times = [];
for (let round = 0; round < rounds; round += 1) {
  shmTimes.push(...(await timeSteps(runner, session.id, shmRequest, 60)));
  base64Times.push(...(await timeSteps(runner, session.id, base64Request, 60)));
}
// The Python path: interleaved rounds of the same step through our adapter and through Python.
const pythonSdk = process.env.PROCVISION_PY_SDK;
const python = process.env.PROCVISION_PYTHON || 'python3';
let pythonFigure;
if (!pythonSdk || !existsSync(join(pythonSdk, 'v0.0.6', 'procvision_algorithm_sdk'))) {
  process.stderr.write('runner.step_e2e_python skipped: PROCVISION_PY_SDK is not set (a folder holding v0.0.6/ of the Python SDK)\n');
} else if (spawnSync(python, ['-c', 'import numpy, PIL'], { timeout: 30_000 }).status !== 0) {
  process.stderr.write(`runner.step_e2e_python skipped: ${python} cannot import numpy and PIL (set PROCVISION_PYTHON)\n`);
} else {
  const pythonRoot = fileURLToPath(new URL('../test/fixtures/python-trivial/', import.meta.url));
  await runner.startPackage({ root: pythonRoot, ...pythonAdapterLaunch({ root: pythonRoot, python, pythonPath: [join(pythonSdk, 'v0.0.6')] }) });
  const pythonSession = runner.createSession({ packageName: 'python-trivial', pid: 'A01' });
  await timeSteps(runner, pythonSession.id, shmRequest, 30);
  const ours = [];
  const theirs = [];
  for (let round = 0; round < rounds; round += 1) {
    ours.push(...(await timeSteps(runner, session.id, shmRequest, 40)));
    theirs.push(...(await timeSteps(runner, pythonSession.id, shmRequest, 40)));
  }
  await runner.stopPackage('python-trivial');
  pythonFigure = { python: percentile(theirs, 0.5), ours: percentile(ours, 0.5) };
  process.stderr.write(
    `python step p50/p99: ${pythonFigure.python.toFixed(3)}/${percentile(theirs, 0.99).toFixed(3)} ms; ours in the same rounds ${pythonFigure.ours.toFixed(3)}/${percentile(ours, 0.99).toFixed(3)} ms\n`,
  );
}
const throughputStart = performance.now();
const throughputSteps = 1000;
await timeSteps(runner, session.id, shmRequest, throughputSteps);
const stepsPerSecond = throughputSteps / ((performance.now() - throughputStart) / 1000);
await runner.close();

const shmP50 = percentile(shmTimes, 0.5);
const base64P50 = percentile(base64Times, 0.5);
process.stderr.write(
  `step p50/p99: shm ${shmP50.toFixed(3)}/${percentile(shmTimes, 0.99).toFixed(3)} ms, base64 ${base64P50.toFixed(3)}/${percentile(base64Times, 0.99).toFixed(3)} ms; cold starts ${coldStarts.map((ms) => ms.toFixed(0)).join(', ')} ms (p50 spawn -> hello ${percentile(helloTimes, 0.5).toFixed(0)} ms, hello -> ready ${percentile(readyTimes, 0.5).toFixed(0)} ms${childCpu.length > 0 ? `, adapter CPU to ready ${percentile(childCpu, 0.5).toFixed(0)} ms` : ''})\n`,
);
print('runner.step_e2e', shmP50, 'ms', 'runner.step_e2e_base64', base64P50);
print('runner.steps_per_s', stepsPerSecond, 'steps/s', 'runner.steps_per_s_base64', 1000 / base64P50);
if (pythonFigure) print('runner.step_e2e_python', pythonFigure.python, 'ms', 'runner.step_e2e', pythonFigure.ours);
print('runner.cold_start_ms', percentile(coldStarts, 0.5), 'ms', 'target.cold_start_ms', 150);
print('runner.import_ms', engineImport, 'ms', 'manifest.import_ms', manifestImport);
