// sdk.adapter_vs_python.*: procvision-adapter against the Python SDK v0.0.6 adapter, side by side in
// one run, one client driving both with a trivial algorithm: spawn to first result (median of
// alternating starts), call round trip p50 and p99 (one call in flight, 1,000 warm-up calls each,
// then 20,000 each in alternating rounds: enough for a stable p99), and the CPU time each adapter
// spends per call (from /proc/<pid>/task/*/schedstat, less noisy on a shared machine).
// ratio = ours / Python (lower is better). Needs PROCVISION_PY_SDK (a folder holding v0.0.6/) and
// PROCVISION_PYTHON (default python3, with numpy and Pillow); prints one skip line otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameDecoder, encodeFrame } from '@procvision/manifest/framing';

const sdkRoot = fileURLToPath(new URL('..', import.meta.url));
const adapterBin = join(sdkRoot, 'dist/adapter-bin.js');
const python = process.env.PROCVISION_PYTHON || 'python3';
const peerRoot = process.env.PROCVISION_PY_SDK;
const starts = Number(process.env.BENCH_STARTS ?? 9);
const calls = Number(process.env.BENCH_CALLS ?? 20000);
const rounds = 10;
const warmup = 1000;

function skip(reason) {
  process.stdout.write(`sdk.adapter_vs_python: skipped (${reason})\n`);
  process.exit(0);
}

if (!peerRoot) skip('PROCVISION_PY_SDK is not set; point it at a folder holding v0.0.6/ of the Python SDK');
const peer = join(resolve(peerRoot), 'v0.0.6');
if (!existsSync(join(peer, 'procvision_algorithm_sdk'))) skip(`${peer} holds no procvision_algorithm_sdk`);
const probe = spawnSync(python, ['-c', 'import numpy, PIL'], { encoding: 'utf8' });
if (probe.status !== 0) skip(`${python} cannot import numpy and Pillow (PROCVISION_PYTHON)`);

// The same trivial algorithm on both sides.
const work = mkdtempSync(join(tmpdir(), 'pv-adapter-vs-python-'));
const tsRoot = join(work, 'ts');
mkdirSync(join(tsRoot, 'node_modules/@procvision'), { recursive: true });
symlinkSync(sdkRoot, join(tsRoot, 'node_modules/@procvision/sdk'));
writeFileSync(join(tsRoot, 'package.json'), JSON.stringify({ name: 'trivial', version: '1.0.0', type: 'module' }));
writeFileSync(
  join(tsRoot, 'main.js'),
  `import { BaseAlgorithm } from '@procvision/sdk';
export class Trivial extends BaseAlgorithm {
  getInfo() { return { name: 'trivial', version: '1.0.0', supported_pids: ['P'], steps: [{ index: 1, name: 'only', params: [] }] }; }
  preExecute() { return { status: 'OK', message: 'ok' }; }
  execute() { return { status: 'OK', data: { result_status: 'OK' } }; }
}
`,
);
writeFileSync(join(tsRoot, 'manifest.json'), JSON.stringify({ name: 'trivial', version: '1.0.0', entry_point: 'main.js:Trivial', supported_pids: ['P'] }));
const pyRoot = join(work, 'py');
mkdirSync(join(pyRoot, 'trivial'), { recursive: true });
writeFileSync(join(pyRoot, 'trivial/__init__.py'), '');
writeFileSync(
  join(pyRoot, 'trivial/main.py'),
  `from procvision_algorithm_sdk import BaseAlgorithm
class Trivial(BaseAlgorithm):
    def get_info(self): return {'name': 'trivial', 'version': '1.0.0', 'supported_pids': ['P'], 'steps': []}
    def pre_execute(self, *a): return {'status': 'OK', 'message': 'ok'}
    def execute(self, *a): return {'status': 'OK', 'data': {'result_status': 'OK'}}
`,
);
writeFileSync(join(pyRoot, 'manifest.json'), JSON.stringify({ name: 'trivial', version: '1.0.0', entry_point: 'trivial.main:Trivial', supported_pids: ['P'] }));

const adapters = {
  ours: () => spawn(process.execPath, [adapterBin], { cwd: tsRoot, env: { ...process.env, PROC_ALGO_ROOT: tsRoot }, stdio: ['pipe', 'pipe', 'ignore'] }),
  python: () =>
    spawn(python, ['-m', 'procvision_algorithm_sdk.adapter'], {
      cwd: pyRoot,
      env: { ...process.env, PYTHONPATH: `${peer}:${pyRoot}`, PROC_ALGO_ROOT: pyRoot },
      stdio: ['pipe', 'pipe', 'ignore'],
    }),
};
const kinds = Object.keys(adapters);

function connect(child) {
  const decoder = new FrameDecoder();
  const queue = [];
  let waiting;
  child.stdout.on('data', (chunk) => {
    for (const frame of decoder.push(chunk)) {
      if (waiting === undefined) queue.push(frame);
      else {
        const resolveFrame = waiting;
        waiting = undefined;
        resolveFrame(frame);
      }
    }
  });
  const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolveFrame) => (waiting = resolveFrame)));
  const send = (message) => child.stdin.write(encodeFrame({ timestamp_ms: Date.now(), ...message }));
  return { child, next, send };
}

const callData = {
  phase: 'execute',
  step_index: 1,
  pid: 'P',
  session: { id: 's', context: {} },
  user_params: {},
  shared_mem_id: 'dev-shm:x',
  image_meta: { width: 640, height: 480, timestamp_ms: 0, camera_id: 'c' },
};

/** CPU time (ms) of every thread of a process so far. */
function cpuMs(pid) {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  return total / 1e6;
}

/** Spawns an adapter and completes hello + first call; returns the peer and the time it took. */
async function start(kind) {
  const startedAt = performance.now();
  const peer = connect(adapters[kind]());
  await peer.next();
  peer.send({ type: 'hello', protocol: 1, runner_version: 'bench', heartbeat_interval_ms: 60000, heartbeat_grace_ms: 60000 });
  peer.send({ type: 'call', request_id: 'first', data: callData });
  for (;;) {
    const frame = await peer.next();
    if (frame.request_id !== 'first' && frame.type !== 'result') continue;
    if (frame.status !== 'OK') throw new Error(`${kind} first call failed: ${JSON.stringify(frame)}`);
    return { peer, ms: performance.now() - startedAt, cpuMs: cpuMs(peer.child.pid) };
  }
}

async function timeCalls(kind, peer, samples, count) {
  for (let index = 0; index < count; index += 1) {
    const sentAt = performance.now();
    peer.send({ type: 'call', request_id: `c-${index}`, data: callData });
    const frame = await peer.next();
    if (frame.status !== 'OK') throw new Error(`${kind} call failed: ${JSON.stringify(frame)}`);
    samples.push((performance.now() - sentAt) * 1000);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const percentile = (values, fraction) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * fraction))];

function print(bench, value, unit, baseline) {
  const round = (number) => Math.round(number * 100) / 100;
  const baselineName = bench.replace('sdk.adapter_vs_python', 'python_sdk_v0.0.6.adapter');
  process.stdout.write(
    `${JSON.stringify({ bench, value: round(value), unit, baseline_name: baselineName, baseline: round(baseline), ratio: Math.round((value / baseline) * 1000) / 1000 })}\n`,
  );
}

try {
  const startTimes = { ours: [], python: [] };
  const startCpu = { ours: [], python: [] };
  for (let run = 0; run < starts; run += 1) {
    for (const kind of run % 2 === 0 ? kinds : [...kinds].reverse()) {
      const { peer, ms, cpuMs: cpu } = await start(kind);
      startTimes[kind].push(ms);
      startCpu[kind].push(cpu);
      peer.child.kill('SIGKILL');
    }
  }
  const live = {};
  const cpuAtStart = {};
  for (const kind of kinds) {
    live[kind] = (await start(kind)).peer;
    await timeCalls(kind, live[kind], [], warmup);
    cpuAtStart[kind] = cpuMs(live[kind].child.pid);
  }
  const samples = { ours: [], python: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) await timeCalls(kind, live[kind], samples[kind], calls / rounds);
  }
  const cpuPerCall = Object.fromEntries(kinds.map((kind) => [kind, ((cpuMs(live[kind].child.pid) - cpuAtStart[kind]) * 1000) / calls]));
  for (const kind of kinds) live[kind].child.kill('SIGKILL');

  print('sdk.adapter_vs_python.start', median(startTimes.ours), 'ms', median(startTimes.python));
  print('sdk.adapter_vs_python.p50', median(samples.ours), 'us', median(samples.python));
  print('sdk.adapter_vs_python.p99', percentile(samples.ours, 0.99), 'us', percentile(samples.python, 0.99));
  print('sdk.adapter_vs_python.start_cpu', median(startCpu.ours), 'ms', median(startCpu.python));
  print('sdk.adapter_vs_python.call_cpu', cpuPerCall.ours, 'us', cpuPerCall.python);
  const ours = { p50: median(samples.ours), p99: percentile(samples.ours, 0.99) };
  process.stderr.write(`adapter_vs_python: our p99 is ${(ours.p99 / ours.p50).toFixed(2)}x our p50 (${calls} calls each, ${starts} starts each)\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
