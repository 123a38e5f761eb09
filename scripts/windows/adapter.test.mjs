// The real SDK adapter (procvision-adapter) driven by the Runner over Windows pipes: hello,
// info, pre/execute calls whose frames travel through a named file mapping, stdout guard,
// restart after a timeout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Runner } from '@procvision/runner';
import { adapterBinPath } from '@procvision/sdk';
import { waitFor } from './helpers.mjs';

const root = fileURLToPath(new URL('./fixtures/real-algo/', import.meta.url));
const adapter = { command: process.execPath, args: [adapterBinPath] };
const jpeg = new Uint8Array(4096).fill(7);
jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
const frame = { encoding: 'jpeg', bytes: jpeg, width: 1920, height: 1200 };
const config = {
  pre_execute_timeout_ms: 5_000,
  execute_timeout_ms: 5_000,
  startup_timeout_ms: 60_000,
  heartbeat_interval_ms: 500,
  heartbeat_grace_ms: 5_000,
  max_missed_heartbeats: 2,
  kill_grace_ms: 500,
  max_retries: 0,
  max_restarts: 3,
  restart_window_ms: 60_000,
};

const runners = [];
after(async () => {
  await Promise.all(runners.map((runner) => runner.close()));
});

describe('the SDK adapter on Windows', () => {
  test('hello and an info call by hand: the adapter speaks the protocol over Windows pipes', async () => {
    const child = spawn(process.execPath, [adapterBinPath], { cwd: root, env: { ...process.env, PROC_ALGO_ROOT: root }, stdio: ['pipe', 'pipe', 'pipe'] });
    let buffered = Buffer.alloc(0);
    const frames = [];
    child.stdout.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const length = buffered.readUInt32BE(0);
        frames.push(JSON.parse(buffered.subarray(4, 4 + length).toString('utf8')));
        buffered = buffered.subarray(4 + length);
      }
    });
    const send = (message) => {
      const body = Buffer.from(JSON.stringify({ timestamp_ms: Date.now(), ...message }));
      const header = Buffer.alloc(4);
      header.writeUInt32BE(body.length, 0);
      child.stdin.write(Buffer.concat([header, body]));
    };
    await waitFor(() => frames.some((message) => message.type === 'hello'), 60_000, 'hello');
    assert.equal(frames[0].type, 'hello');
    assert.equal(frames[0].protocol, 1);
    send({ type: 'hello', protocol: 1, runner_version: 'windows-test', heartbeat_interval_ms: 5_000, heartbeat_grace_ms: 5_000 });
    send({ type: 'call', request_id: 'info-1', data: { phase: 'info' } });
    await waitFor(() => frames.some((message) => message.request_id === 'info-1'), 30_000, 'the info answer');
    const info = frames.find((message) => message.request_id === 'info-1');
    assert.equal(info.data.name, 'frame-bytes');
    send({ type: 'shutdown' });
    child.stdin.end();
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
  });

  test('the Runner starts the package and runs steps reading the frame from a named mapping', async () => {
    const runner = new Runner({ config, logger: { log: () => {} }, restartBackoff: { initialMs: 20, maxMs: 200 } });
    runners.push(runner);
    const algorithm = await runner.startPackage({ root, adapter });
    assert.equal(algorithm.info.name, 'frame-bytes');
    const session = runner.createSession({ packageName: 'frame-bytes', pid: 'A01' });
    for (let step = 0; step < 3; step += 1) {
      const outcome = await runner.runStep(session.id, { stepIndex: 1, frame });
      assert.equal(outcome.status, 'OK', JSON.stringify(outcome));
      assert.equal(outcome.resultStatus, 'OK');
      assert.equal(outcome.execute.debug.bytes, jpeg.byteLength);
    }
    assert.deepEqual(session.state, { steps: 3 });
  });
});
