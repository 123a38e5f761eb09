// sdk.call_roundtrip: p50 of a trivial execute call through procvision-adapter (one call in flight),
// against sdk.pipe_echo: the same frames answered by a bare child process (the floor).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FrameDecoder, encodeFrame } from '@procvision/manifest';

const adapterBin = fileURLToPath(new URL('../dist/adapter-bin.js', import.meta.url));
const echoChild = fileURLToPath(new URL('./echo-child.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('./fixture', import.meta.url));
const warmup = 3000;
const calls = Number(process.env.BENCH_CALLS ?? 20000);

const callData = {
  phase: 'execute',
  step_index: 1,
  pid: 'A01',
  session: { id: 'sid-bench', context: { product_code: 'A01' }, state: {} },
  user_params: {},
  shared_mem_id: 'mmap:pv-bench-0',
  image_meta: { width: 1920, height: 1200, timestamp_ms: 1714032000123, camera_id: 'cam-01', color_space: 'RGB' },
};

function connect(args, cwd) {
  const child = spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  const decoder = new FrameDecoder();
  let waiting;
  const queue = [];
  child.stdout.on('data', (chunk) => {
    for (const frame of decoder.push(chunk)) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(frame);
      } else queue.push(frame);
    }
  });
  const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => (waiting = resolve)));
  const send = (message) => child.stdin.write(encodeFrame({ timestamp_ms: Date.now(), ...message }));
  return { child, next, send };
}

async function measure(peer) {
  const samples = new Float64Array(calls);
  let started = 0;
  for (let index = -warmup; index < calls; index += 1) {
    if (index === 0) started = performance.now();
    const sent = performance.now();
    peer.send({ type: 'call', request_id: `b-${index}`, data: callData });
    const frame = await peer.next();
    if (frame.status !== 'OK') throw new Error(`call failed: ${JSON.stringify(frame)}`);
    if (index >= 0) samples[index] = performance.now() - sent;
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort();
  return { p50Us: samples[Math.floor(calls / 2)] * 1000, callsPerSecond: calls / seconds };
}

function print(bench, value, unit, baselineName, baseline) {
  const round = (number) => Math.round(number * 10) / 10;
  process.stdout.write(`${JSON.stringify({ bench, value: round(value), unit, baseline_name: baselineName, baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 })}\n`);
}

const echo = connect([echoChild], process.cwd());
const floor = await measure(echo);
echo.child.stdin.end();

const adapter = connect([adapterBin], fixture);
await adapter.next();
adapter.send({ type: 'hello', protocol: 1, runner_version: 'bench', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
const sdk = await measure(adapter);
adapter.send({ type: 'shutdown' });
await adapter.next();

print('sdk.call_roundtrip', sdk.p50Us, 'us', 'sdk.pipe_echo', floor.p50Us);
print('sdk.calls_per_s', sdk.callsPerSecond, 'calls/s', 'sdk.pipe_echo_calls_per_s', floor.callsPerSecond);
