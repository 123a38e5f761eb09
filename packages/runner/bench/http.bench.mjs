// HTTP step bench: the same 1920x1200 JPEG and the same trivial algorithm (test/fixtures/real-algo,
// reads the frame bytes without decoding) through the HTTP service and through the embedded
// engine (`Runner.runStep`) in this same process, in interleaved rounds: the image as the body,
// as {path}, as Base64 JSON; steps per second of 4 concurrent HTTP clients (one session each, one
// instance) against the engine back to back; and the pool speed-up of a CPU-bound algorithm
// (test/fixtures/cpu-algo, ~20 ms of pixel work per step), 4 sessions, 2 instances against 1.
// The client is node:http with a keep-alive agent. One JSON line per figure on stdout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { Runner, silentLogger } from '../dist/index.js';
import { createRunnerService } from '../dist/http/index.js';

const adapter = { command: process.execPath, args: [adapterBinPath] };
const root = fileURLToPath(new URL('../test/fixtures/real-algo/', import.meta.url));
const cpuRoot = fileURLToPath(new URL('../test/fixtures/cpu-algo/', import.meta.url));
const width = 1920;
const height = 1200;
const config = { log_level: 'warn', max_frame_bytes: 16 * 1024 * 1024 };

function cameraPixels() {
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
  return pixels;
}
const percentile = (values, fraction) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * fraction))];
function print(bench, value, unit, baselineName, baseline) {
  const round = (number) => Math.round(number * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({ bench, value: round(value), unit, baseline_name: baselineName, baseline: round(baseline), ratio: round(value / baseline) })}\n`,
  );
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });
function post(url, path, body, headers) {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': body.byteLength },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200 && response.statusCode !== 201) reject(new Error(`${path}: ${response.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
async function timed(count, step) {
  const times = [];
  for (let index = 0; index < count; index += 1) {
    const startedAt = performance.now();
    const outcome = await step();
    times.push(performance.now() - startedAt);
    if (outcome.status !== 'OK') throw new Error(`bench step failed: ${JSON.stringify(outcome).slice(0, 300)}`);
  }
  return times;
}

const pixels = cameraPixels();
const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
  .jpeg({ quality: 90 })
  .toBuffer();
const folder = mkdtempSync(join(tmpdir(), 'procvision-http-bench-'));
const jpegPath = join(folder, 'frame.jpg');
writeFileSync(jpegPath, jpeg);
process.stderr.write(`http bench image: ${width}x${height} JPEG, ${jpeg.byteLength} bytes\n`);

try {
  const runner = new Runner({ config, logger: silentLogger });
  await runner.startPackage({ root, adapter });
  const engineSession = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
  const frame = { encoding: 'jpeg', bytes: jpeg, width, height };
  const service = createRunnerService({
    packages: [{ root, adapter }],
    runnerConfig: config,
    port: 0,
    logger: silentLogger,
    metrics: { defaultMetrics: false },
  });
  const url = await service.listen();
  const json = { 'content-type': 'application/json' };
  const { session_id: id } = await post(url, '/sessions', Buffer.from(JSON.stringify({ pid: 'A01' })), json);
  const forms = {
    engine: () => runner.runStep(engineSession.id, { stepIndex: 1, frame }),
    binary: () => post(url, `/sessions/${id}/steps?step_index=1`, jpeg, { 'content-type': 'image/jpeg' }),
    path: () => post(url, `/sessions/${id}/steps`, Buffer.from(JSON.stringify({ step_index: 1, image: { path: jpegPath } })), json),
    base64: () => post(url, `/sessions/${id}/steps`, Buffer.from(JSON.stringify({ step_index: 1, image: jpeg.toString('base64') })), json),
  };
  const times = Object.fromEntries(Object.keys(forms).map((name) => [name, []]));
  for (const step of Object.values(forms)) await timed(20, step);
  for (let round = 0; round < 5; round += 1) for (const [name, step] of Object.entries(forms)) times[name].push(...(await timed(40, step)));
  const p50 = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, percentile(list, 0.5)]));
  process.stderr.write(
    `http step p50/p99 ms: ${Object.entries(times)
      .map(([name, list]) => `${name} ${p50[name].toFixed(3)}/${percentile(list, 0.99).toFixed(3)}`)
      .join(', ')}\n`,
  );

  // Throughput: the engine back to back (one client) vs 4 HTTP clients, each its own session.
  const engineCount = 300;
  let startedAt = performance.now();
  await timed(engineCount, forms.engine);
  const engineRate = engineCount / ((performance.now() - startedAt) / 1000);
  const sessions = [];
  for (let client = 0; client < 4; client += 1) sessions.push((await post(url, '/sessions', Buffer.from(JSON.stringify({ pid: 'A01' })), json)).session_id);
  startedAt = performance.now();
  await Promise.all(
    sessions.map((session) => timed(engineCount / 4, () => post(url, `/sessions/${session}/steps?step_index=1`, jpeg, { 'content-type': 'image/jpeg' }))),
  );
  const httpRate = engineCount / ((performance.now() - startedAt) / 1000);
  await service.close();
  await runner.close();

  print('http.step_p50_binary', p50.binary, 'ms', 'engine.step_p50', p50.engine);
  print('http.step_p50_path', p50.path, 'ms', 'engine.step_p50', p50.engine);
  print('http.step_p50_base64', p50.base64, 'ms', 'engine.step_p50', p50.engine);
  print('http.steps_per_s_4clients', httpRate, 'steps/s', 'engine.steps_per_s', engineRate);

  // Pool: a CPU-bound step on a raw frame, 4 concurrent sessions, 2 instances against 1.
  const raw = { encoding: 'raw', pixels, width, height, channels: 3, colorSpace: 'RGB' };
  const poolRate = async (instances) => {
    const pool = new Runner({ config, logger: silentLogger });
    await pool.startPackage({ root: cpuRoot, adapter }, { instances });
    const poolSessions = Array.from({ length: 4 }, () => pool.createSession({ packageName: 'pixel-work', pid: 'A01' }));
    const step = (session) => () => pool.runStep(session.id, { stepIndex: 1, frame: raw });
    await Promise.all(poolSessions.map((session) => timed(2, step(session))));
    const perSession = 12;
    const begin = performance.now();
    await Promise.all(poolSessions.map((session) => timed(perSession, step(session))));
    const rate = (perSession * 4) / ((performance.now() - begin) / 1000);
    await pool.close();
    return rate;
  };
  const one = await poolRate(1);
  const two = await poolRate(2);
  process.stderr.write(`pool steps/s: 1 instance ${one.toFixed(1)}, 2 instances ${two.toFixed(1)}\n`);
  print('runner.pool_speedup', two / one, 'x', 'target.pool_speedup', 1.6);
} finally {
  agent.destroy();
  rmSync(folder, { recursive: true, force: true });
}
