import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fakeProcess, stepCall, waitFor } from './helpers.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const report: string[] = [];
afterAll(() => {
  console.info(`fault-injection summary (outcome, recovery, timing):\n${report.join('\n')}`);
});

function started(options: Parameters<typeof fakeProcess>[0] = {}) {
  const fake = fakeProcess(options);
  stops.push(() => fake.process.stop());
  return fake;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAt = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - startedAt) };
}

/** Runs `fault` on a fresh process, then checks that the next call succeeds on a new child. */
async function faultThenRecovery(name: string, params: Record<string, unknown>, options: Parameters<typeof fakeProcess>[0] = {}) {
  const fake = started(options);
  await fake.process.start();
  const firstProcessId = fake.process.processId;
  const failed = await timed(() => fake.process.call(stepCall('execute', params)));
  const recovered = await timed(() => fake.process.call(stepCall('execute')));
  expect(recovered.value).toMatchObject({ status: 'OK', source: 'result' });
  expect(fake.process.processId).not.toBe(firstProcessId);
  report.push(
    `${name.padEnd(22)} -> ${failed.value.errorCode} ${failed.value.reason} in ${failed.ms} ms; next call OK in ${recovered.ms} ms (restart included)`,
  );
  return { ...fake, failed: failed.value, failedMs: failed.ms };
}

describe('fault injection: every fault gives one outcome and the process recovers', () => {
  it('crash during a call (exit)', async () => {
    const { failed, named } = await faultThenRecovery('crash (exit 7)', { fault: 'exit' });
    expect(failed).toMatchObject({ status: 'ERROR', errorCode: '1005', reason: 'crash', source: 'runner', attempts: 1 });
    expect(failed.message).toMatch(/exited with code 7/);
    expect(named('restart')).toHaveLength(1);
  });

  it('crash during a call (SIGSEGV-style kill)', async () => {
    const { failed } = await faultThenRecovery('crash (SIGSEGV)', { fault: 'sigsegv' });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'crash' });
    expect(failed.message).toMatch(/SIGSEGV/);
  });

  it('infinite loop in execute: times out with 1005, restarted, next call succeeds', async () => {
    const { failed, failedMs, named } = await faultThenRecovery('infinite loop', { fault: 'loop' }, { config: { execute_timeout_ms: 400 } });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'timeout' });
    expect(failedMs).toBeGreaterThanOrEqual(390);
    expect(failedMs).toBeLessThan(3_000);
    expect(named('process-fault')[0]).toMatchObject({ reason: 'timeout' });
  });

  it('timeouts are retried up to max_retries, each on a fresh process', async () => {
    const { failed, named } = await faultThenRecovery('loop, 2 retries', { fault: 'loop' }, { config: { execute_timeout_ms: 300, max_retries: 2 } });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'timeout', attempts: 3 });
    expect(named('call-retry').map((event) => event.reason)).toEqual(['timeout', 'timeout']);
    expect(new Set(named('process-start').map((event) => event.processId)).size).toBe(4);
  });

  it('stopped process (SIGSTOP): heartbeat lost, killed, restarted', async () => {
    const config = { heartbeat_interval_ms: 100, heartbeat_grace_ms: 500, max_missed_heartbeats: 2, execute_timeout_ms: 10_000 };
    const { failed, failedMs, named } = await faultThenRecovery('SIGSTOP', { fault: 'sigstop' }, { config });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'heartbeat-lost' });
    expect(failedMs).toBeLessThan(5_000);
    expect(named('heartbeat-miss').map((event) => event.missed)).toEqual([1, 2]);
    expect(named('process-exit')[0]).toMatchObject({ signal: 'SIGKILL', expected: false });
  });

  it('garbage bytes on stdout: protocol error with the hex prefix, restarted', async () => {
    const { failed, named, logs } = await faultThenRecovery('garbage on stdout', { fault: 'garbage' });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'protocol-error' });
    const fault = named('process-fault')[0]!;
    expect(fault.hexPrefix).toBe(Buffer.from('garbage that is not a frame\n').subarray(0, 32).toString('hex'));
    expect(logs.some((entry) => entry.source === 'runner' && entry.fields?.hexPrefix === fault.hexPrefix)).toBe(true);
  });

  it('a frame header announcing 2 GiB is rejected before buffering', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const { failed, named } = await faultThenRecovery('2 GiB frame header', { fault: 'huge-header' });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'protocol-error' });
    expect(named('process-fault')[0]!.message).toMatch(/2147483648 bytes/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('malformed JSON in a frame', async () => {
    const { failed, named } = await faultThenRecovery('malformed JSON', { fault: 'malformed-json' });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'protocol-error' });
    expect(named('process-fault')[0]!.message).toMatch(/not valid JSON/);
  });

  it('a result for an unknown request id is dropped; the real result still counts', async () => {
    const fake = started();
    await fake.process.start();
    const outcome = await fake.process.call(stepCall('execute', { fault: 'unknown-id' }));
    expect(outcome).toMatchObject({ status: 'OK', source: 'result' });
    expect(fake.named('reply-drop')).toEqual([expect.objectContaining({ requestId: 'no-such-request', type: 'result' })]);
    expect(fake.named('restart')).toHaveLength(0);
    report.push(`${'unknown request id'.padEnd(22)} -> dropped (reply-drop event), call OK, no restart`);
  });

  it('a late reply after a timeout is dropped, never a second outcome', async () => {
    const fake = started({ config: { execute_timeout_ms: 200, kill_grace_ms: 1_500 } });
    await fake.process.start();
    const outcome = await fake.process.call(stepCall('execute', { fault: 'late', threshold: 0.5 }));
    expect(outcome).toMatchObject({ errorCode: '1005', reason: 'timeout' });
    await waitFor(() => fake.named('reply-drop').length > 0, 5_000, 'the late reply');
    expect(fake.named('call-end')).toHaveLength(1);
    report.push(`${'late reply'.padEnd(22)} -> 1005 timeout, late result dropped (reply-drop), one call-end`);
  });

  it('exit during setup: the adapter-reported code reaches the caller, then restarts until failed', async () => {
    const fake = started({ env: { FAKE_STARTUP: 'setup-error' }, config: { max_restarts: 2 } });
    const { ms, value } = await timed(() =>
      fake.process.start().then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(value).toMatchObject({ code: '1003', message: expect.stringMatching(/model not found/) });
    await waitFor(() => fake.process.state === 'failed', 5_000, 'state failed');
    expect(fake.named('restart')).toHaveLength(2);
    report.push(`${'exit during setup'.padEnd(22)} -> start() rejects 1003 in ${ms} ms; ${fake.named('restart').length} restarts, then failed`);
  });

  it('a silent exit during setup (no error frame) fails start with 1005 naming the exit code', async () => {
    const fake = started({ env: { FAKE_STARTUP: 'setup-exit', FAKE_SETUP_MS: '5000' }, config: { max_restarts: 0 } });
    const { ms, value } = await timed(() =>
      fake.process.start().then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(value).toMatchObject({ code: '1005', message: expect.stringMatching(/code 5/) });
    expect(fake.process.state).toBe('failed');
    report.push(`${'silent exit in setup'.padEnd(22)} -> start() rejects 1005 in ${ms} ms (exit code 5), failed (budget 0)`);
  });

  it('a process that exits before its hello fails start with 1005', async () => {
    const fake = started({ env: { FAKE_STARTUP: 'exit-before-hello' }, config: { max_restarts: 0 } });
    await expect(fake.process.start()).rejects.toMatchObject({ code: '1005', message: expect.stringMatching(/exit code 3/) });
    expect(fake.process.state).toBe('failed');
  });

  it('crash loop exhausts the restart budget: failed, fast 1005s, recovery after an explicit restart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pv-runner-'));
    const control = join(directory, 'control');
    writeFileSync(control, 'ok');
    try {
      const fake = started({ env: { FAKE_STARTUP: 'control-file', FAKE_CONTROL_FILE: control }, config: { max_restarts: 3 } });
      await fake.process.start();
      writeFileSync(control, 'crash');
      await fake.process.call(stepCall('execute', { fault: 'exit' }));
      await waitFor(() => fake.process.state === 'failed', 10_000, 'state failed');
      expect(fake.named('restart').map((event) => event.delayMs)).toEqual([20, 40, 80]);
      const fast = await timed(() => fake.process.call(stepCall('execute')));
      expect(fast.value).toMatchObject({ status: 'ERROR', errorCode: '1005', reason: 'failed', attempts: 0 });
      expect(fast.ms).toBeLessThan(200);
      writeFileSync(control, 'ok');
      await fake.process.restart();
      expect(await fake.process.call(stepCall('execute'))).toMatchObject({ status: 'OK' });
      report.push(`${'crash loop'.padEnd(22)} -> back-off 20/40/80 ms, failed, fast 1005 in ${fast.ms} ms, OK after restart()`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('shutdown of a process that ignores SIGTERM escalates to SIGKILL', async () => {
    const fake = fakeProcess({ env: { FAKE_IGNORE_SIGTERM: '1' }, config: { kill_grace_ms: 200 } });
    await fake.process.start();
    const { ms } = await timed(() => fake.process.stop());
    expect(fake.named('kill-escalate').map((event) => event.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(fake.named('process-exit')[0]).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(3_000);
    report.push(`${'ignores SIGTERM'.padEnd(22)} -> shutdown, SIGTERM, SIGKILL; stopped in ${ms} ms (2 x kill_grace 200 ms)`);
  });

  it('RecoverableError is retried, FatalError is not (and restarts), deliberate ERROR is final', async () => {
    const fake = started({ config: { max_retries: 2 } });
    await fake.process.start();
    const recovered = await fake.process.call(stepCall('execute', { fault: 'recoverable-once' }));
    expect(recovered).toMatchObject({ status: 'OK', attempts: 2 });
    const deliberate = await fake.process.call(stepCall('execute', { fault: 'error-result' }));
    expect(deliberate).toMatchObject({ status: 'ERROR', errorCode: '9999', attempts: 1, source: 'result' });
    const processId = fake.process.processId;
    const fatal = await fake.process.call(stepCall('execute', { fault: 'fatal' }));
    expect(fatal).toMatchObject({ status: 'ERROR', attempts: 1, source: 'result' });
    await waitFor(() => fake.named('restart').length === 1, 5_000, 'restart after FatalError');
    expect(await fake.process.call(stepCall('execute'))).toMatchObject({ status: 'OK' });
    expect(fake.process.processId).not.toBe(processId);
  });

  it('a child that closes its stdin (EPIPE) is ended and restarted, never a runner crash', async () => {
    const config = { heartbeat_interval_ms: 50, heartbeat_grace_ms: 2_000, execute_timeout_ms: 10_000 };
    const { failed, failedMs } = await faultThenRecovery('stdin closed (EPIPE)', { fault: 'close-stdin' }, { config });
    expect(failed).toMatchObject({ errorCode: '1005', reason: 'crash' });
    expect(failed.message).toMatch(/stdin/);
    expect(failedMs).toBeLessThan(5_000);
  });

  it('a crash takes the processes the algorithm started with it (process group)', async () => {
    const fake = started();
    await fake.process.start();
    const outcome = await fake.process.call(stepCall('execute', { fault: 'grandchild' }));
    expect(outcome).toMatchObject({ errorCode: '1005', reason: 'crash' });
    await waitFor(() => fake.process.recentLogs().some((entry) => entry.message === 'grandchild'), 5_000, 'the grandchild line');
    const line = fake.process.recentLogs().find((entry) => entry.message === 'grandchild');
    const grandchildPid = line?.fields?.grandchild_pid as number;
    expect(grandchildPid).toBeGreaterThan(0);
    const alive = () => {
      try {
        process.kill(grandchildPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => !alive(), 5_000, 'the grandchild to be killed');
  });

  it('an unknown message type is answered with error and the process keeps running', async () => {
    const fake = started();
    await fake.process.start();
    const processId = fake.process.processId;
    expect(await fake.process.call(stepCall('execute', { fault: 'unknown-type' }))).toMatchObject({ status: 'OK' });
    await waitFor(
      () => fake.process.recentLogs().some((entry) => /runner sent error: unknown message type "telemetry"/.test(entry.message)),
      5_000,
      'the error answer',
    );
    expect(fake.process.processId).toBe(processId);
    expect(fake.named('process-fault')).toHaveLength(0);
  });

  it('an unsupported protocol version is refused', async () => {
    const fake = started({ env: { FAKE_STARTUP: 'protocol-2' }, config: { max_restarts: 0 } });
    await expect(fake.process.start()).rejects.toMatchObject({ code: '1005', message: expect.stringMatching(/protocol 2/) });
  });

  it('a command that cannot be spawned fails start with a message naming it', async () => {
    const fake = started({ adapter: { command: '/nonexistent/adapter' }, config: { max_restarts: 0 } });
    await expect(fake.process.start()).rejects.toMatchObject({ message: expect.stringMatching(/nonexistent\/adapter.*ENOENT/) });
  });
});
