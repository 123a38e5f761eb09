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

/** Times `count` sequential calls (one in flight, as the protocol wants) into `samples` from `offset`. */
async function timeCalls(peer, samples, offset, count) {
  for (let index = 0; index < count; index += 1) {
    const sent = performance.now();
    peer.send({ type: 'call', request_id: `b-${offset + index}`, data: callData });
    const frame = await peer.next();
    if (frame.status !== 'OK') throw new Error(`call failed: ${JSON.stringify(frame)}`);
    samples[offset + index] = performance.now() - sent;
  }
}

/**
 * Measures both peers in alternating rounds, so a burst of load on this shared machine hits
 * the adapter and its floor alike. Returns p50 (us) and calls/s (from the mean) per peer.
 */
async function measureInterleaved(peers, rounds = 8) {
  const perRound = Math.ceil(calls / rounds);
  const samples = peers.map(() => new Float64Array(perRound * rounds));
  for (const peer of peers) await timeCalls(peer, new Float64Array(warmup), 0, warmup);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, peer] of peers.entries()) await timeCalls(peer, samples[index], round * perRound, perRound);
  }
  return samples.map((values) => {
    const total = values.reduce((sum, value) => sum + value, 0);
    values.sort();
    return { p50Us: values[values.length >> 1] * 1000, callsPerSecond: values.length / (total / 1000) };
  });
}

function print(bench, value, unit, baselineName, baseline) {
  const round = (number) => Math.round(number * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({ bench, value: round(value), unit, baseline_name: baselineName, baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 })}\n`,
  );
}

const echo = connect([echoChild], process.cwd());
const adapter = connect([adapterBin], fixture);
await adapter.next();
adapter.send({ type: 'hello', protocol: 1, runner_version: 'bench', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
const [floor, sdk] = await measureInterleaved([echo, adapter]);
echo.child.stdin.end();
adapter.send({ type: 'shutdown' });
await adapter.next();

print('sdk.call_roundtrip', sdk.p50Us, 'us', 'sdk.pipe_echo', floor.p50Us);
print('sdk.calls_per_s', sdk.callsPerSecond, 'calls/s', 'sdk.pipe_echo_calls_per_s', floor.callsPerSecond);
