// The runner's process supervision on Windows: every algorithm process runs under
// procvision-job.exe in a kill-on-close Job Object; crash, timeout, kill, restart, a grandchild
// that must die with its algorithm, and a runner ended by TerminateProcess.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { AlgorithmProcess } from '@procvision/runner';
import { alive, fakeAdapterPath, fixturesDir, nodeScript, stepCall, waitFor } from './helpers.mjs';

const fastConfig = {
  pre_execute_timeout_ms: 3_000,
  execute_timeout_ms: 3_000,
  startup_timeout_ms: 30_000,
  heartbeat_interval_ms: 500,
  heartbeat_grace_ms: 5_000,
  max_missed_heartbeats: 2,
  kill_grace_ms: 500,
  max_retries: 0,
  max_restarts: 3,
  restart_window_ms: 60_000,
};

const stops = [];
after(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

function fakeProcess(config = {}, env = {}) {
  const events = [];
  const algorithm = new AlgorithmProcess({
    packageName: 'fake-algo',
    packageVersion: '1.0.0',
    root: fixturesDir,
    adapter: { command: process.execPath, args: [fakeAdapterPath] },
    env,
    config: { ...fastConfig, ...config },
    logger: { log: () => {} },
    restartBackoff: { initialMs: 20, maxMs: 200 },
  });
  for (const name of ['process-exit', 'process-fault', 'restart', 'kill-escalate']) algorithm.on(name, (payload) => events.push({ name, payload }));
  stops.push(() => algorithm.stop());
  return { algorithm, events, named: (name) => events.filter((event) => event.name === name).map((event) => event.payload) };
}

function grandchildPid(algorithm) {
  const line = algorithm.recentLogs().find((entry) => entry.message === 'grandchild');
  return line?.fields?.grandchild_pid;
}

describe('algorithm processes on Windows', () => {
  test('start, pre and execute over Windows pipes, graceful stop by the shutdown frame (exit 0, no kill)', async () => {
    const { algorithm, named } = fakeProcess();
    const info = await algorithm.start();
    assert.deepEqual(
      info.steps.map((step) => step.index),
      [1, 2],
    );
    const pre = await algorithm.call(stepCall('pre'));
    assert.equal(pre.status, 'OK');
    const execute = await algorithm.call(stepCall('execute', { defects: 2 }, pre.sessionState));
    assert.equal(execute.data.result_status, 'NG');
    assert.equal(execute.data.defect_rects.length, 2);
    await algorithm.stop();
    assert.equal(algorithm.state, 'stopped');
    assert.deepEqual(
      named('process-exit').map((exit) => ({ code: exit.code, expected: exit.expected })),
      [{ code: 0, expected: true }],
    );
    assert.equal(named('kill-escalate').length, 0);
  });

  test('a crash (exit 7) fails the call with 1005 and the process restarts', async () => {
    const { algorithm, named } = fakeProcess();
    await algorithm.start();
    const outcome = await algorithm.call(stepCall('execute', { fault: 'exit' }));
    assert.equal(outcome.errorCode, '1005');
    assert.equal(outcome.reason, 'crash');
    await waitFor(() => algorithm.state === 'ready', 30_000, 'the restart');
    assert.ok(named('restart').length >= 1);
    assert.equal((await algorithm.call(stepCall('execute'))).status, 'OK');
  });

  test('a busy loop times out, is killed with its job, and the next call runs in a new process', async () => {
    const { algorithm, named } = fakeProcess({ execute_timeout_ms: 1_500 });
    await algorithm.start();
    const outcome = await algorithm.call(stepCall('execute', { fault: 'loop' }));
    assert.equal(outcome.reason, 'timeout');
    await waitFor(() => named('process-exit').length === 1, 15_000, 'the looping process to end');
    // (Wine hands out the lowest free pid again: the new process may reuse the old number.)
    await waitFor(() => named('restart').length >= 1 && algorithm.state === 'ready', 30_000, 'the restart');
    assert.equal((await algorithm.call(stepCall('execute'))).status, 'OK');
  });

  test('a grandchild dies with its algorithm (the Job Object, not taskkill /T)', async () => {
    const { algorithm } = fakeProcess({ max_restarts: 0 });
    await algorithm.start();
    const outcome = await algorithm.call(stepCall('execute', { fault: 'grandchild' }));
    assert.equal(outcome.errorCode, '1005');
    await waitFor(() => grandchildPid(algorithm) !== undefined, 10_000, 'the grandchild line');
    await waitFor(() => !alive(grandchildPid(algorithm)), 10_000, 'the grandchild to be ended');
  });

  test('an adapter ignoring shutdown is ended after kill_grace_ms with its whole tree', async () => {
    const { algorithm, named } = fakeProcess({}, { FAKE_IGNORE_SIGTERM: '1' });
    await algorithm.start();
    const processId = algorithm.processId;
    await algorithm.stop();
    assert.equal(alive(processId), false);
    assert.ok(named('kill-escalate').length >= 1);
  });

  test('an adapter that cannot be started fails start with a message naming it', async () => {
    const algorithm = new AlgorithmProcess({
      packageName: 'missing',
      packageVersion: '1.0.0',
      root: fixturesDir,
      adapter: { command: 'C:\\nonexistent\\adapter.exe' },
      env: {},
      config: { ...fastConfig, max_restarts: 0 },
      logger: { log: () => {} },
    });
    stops.push(() => algorithm.stop());
    await assert.rejects(algorithm.start(), (error) => {
      assert.match(String(error.message), /nonexistent\\adapter\.exe/);
      return true;
    });
  });

  test('TerminateProcess of the runner: no algorithm process (nor its child) survives', async () => {
    // A runner in its own node.exe: starts the fake algorithm, which starts a long-lived child
    // ('spawn-child') and keeps running; the runner prints the three pids and waits.
    const script = `
      import { AlgorithmProcess } from '@procvision/runner';
      const algorithm = new AlgorithmProcess({
        packageName: 'fake-algo', packageVersion: '1.0.0', root: ${JSON.stringify(fixturesDir)},
        adapter: { command: process.execPath, args: [${JSON.stringify(fakeAdapterPath)}] },
        env: {}, config: ${JSON.stringify({ ...fastConfig, max_restarts: 0 })},
        logger: { log: (entry) => {
          if (entry.message === 'spawned-child') {
            process.stdout.write(JSON.stringify({ launcher: algorithm.processId, adapter: entry.fields.adapter_pid, child: entry.fields.child_pid }) + '\\n');
          }
        } },
      });
      await algorithm.start();
      await algorithm.call(${JSON.stringify(stepCall('execute', { fault: 'spawn-child' }))});
      setInterval(() => {}, 1000);
    `;
    const runner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    runner.stdout.on('data', (chunk) => (output += chunk));
    runner.stderr.on('data', (chunk) => (errors += chunk));
    await waitFor(() => output.includes('\n') || runner.exitCode !== null, 60_000, 'the runner to report its algorithm');
    assert.ok(output.includes('\n'), `runner ended early: ${errors}`);
    const pids = JSON.parse(output.split('\n')[0]);
    for (const pid of [pids.launcher, pids.adapter, pids.child]) assert.ok(alive(pid), `pid ${pid} runs before the kill`);
    runner.kill('SIGKILL'); // TerminateProcess: no exit handler of the runner runs
    await waitFor(() => runner.exitCode !== null || runner.signalCode !== null, 10_000, 'the runner to end');
    await waitFor(() => ![pids.launcher, pids.adapter, pids.child].some(alive), 15_000, 'every algorithm process to end');
  });

  test('the launcher is what runs: an algorithm process is a child of procvision-job.exe', async () => {
    const out = await nodeScript(
      "import { existsSync } from 'node:fs'; import { createRequire } from 'node:module'; const r = createRequire(process.cwd() + '/'); const root = r.resolve('@procvision/runner/package.json').replace(/package\\.json$/, ''); console.log(existsSync(root + 'prebuilds/win32-x64/procvision-job.exe'));",
    );
    assert.equal(out.trim(), 'true');
  });
});
