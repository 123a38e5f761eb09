// Our runner driving the REAL Python SDK adapters (v0.0.6 and v0.3.2) through the whole
// inspection path. Needs PROCVISION_PY_SDK and a python with numpy + Pillow (PROCVISION_PYTHON);
// skips with one line otherwise.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunnerService } from '../src/http/index.js';
import { type LogEntry, pythonAdapterLaunch, Runner, type RunnerEvents, silentLogger } from '../src/index.js';
import { findPythonSdk, reportSkip } from './python-sdk.js';

const found = findPythonSdk();
const skip = reportSkip('python-interop', found);
const slowRoot = fileURLToPath(new URL('./fixtures/python-slow/', import.meta.url));

describe.skipIf(skip)('runner drives the real Python SDK adapters', () => {
  const sdk = found.ok ? found.sdk : { python: '', v006: '', v032: '', root: '' };
  const runners: Runner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.close()));
  });

  function start(root: string, sdkFolder: string, config: Record<string, unknown> = {}) {
    const logs: LogEntry[] = [];
    const events: Array<{ name: string; payload: unknown }> = [];
    const runner = new Runner({
      config: { heartbeat_interval_ms: 200, heartbeat_grace_ms: 150, max_missed_heartbeats: 2, kill_grace_ms: 500, max_retries: 0, ...config },
      logger: { log: (entry) => logs.push(entry) },
      restartBackoff: { initialMs: 20, maxMs: 200 },
    });
    runners.push(runner);
    for (const name of ['process-fault', 'restart', 'heartbeat-miss', 'process-ready'] as const)
      runner.on(name, (payload: RunnerEvents[typeof name]) => events.push({ name, payload }));
    const launch = pythonAdapterLaunch({ root, python: sdk.python, pythonPath: [sdkFolder] });
    return { runner, logs, events, started: runner.startPackage({ root, ...launch }) };
  }

  async function exampleJpeg() {
    const bytes = readFileSync(join(sdk.v006, 'algorithm-example', 'images', 'example.jpg'));
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    return { encoding: 'jpeg' as const, bytes: new Uint8Array(bytes), width, height };
  }

  const shmDirOf = (logs: LogEntry[]) =>
    String(logs.find((entry) => entry.message === 'setup' && entry.fields?.['shm_dir'] !== undefined)?.fields?.['shm_dir'] ?? '');

  it('v0.0.6: starts (hello without protocol), ready without get_info, steps and PIDs from manifest.json', async () => {
    const { started, logs } = start(join(sdk.v006, 'algorithm-example'), sdk.v006);
    const process = await started;
    expect(process.state).toBe('ready');
    expect(process.profile).toMatchObject({ generation: 'python-v0.0', protocol: undefined, pingWhileBusy: false, hasInfo: false });
    expect(process.info?.supported_pids).toEqual(['p001', 'p002']);
    expect(process.info?.steps.map((step) => step.name)).toEqual(['定位主板', '检测左上角螺丝']);
    // stderr: the StructuredLogger's JSON lines, tagged like ours
    await expect
      .poll(() => logs.some((entry) => entry.source === 'algorithm' && entry.message === 'setup' && entry.fields?.['model_version'] === 'example_v1'))
      .toBe(true);
  });

  it.each(['jpeg', 'raw-bgr'] as const)('v0.0.6 example: steps 1 and 2 (p001) with a %s frame; params validated from the manifest', async (kind) => {
    const { runner, started, logs } = start(join(sdk.v006, 'algorithm-example'), sdk.v006);
    await started;
    const jpeg = await exampleJpeg();
    const frame =
      kind === 'jpeg'
        ? jpeg
        : {
            encoding: 'raw' as const,
            pixels: new Uint8Array(await sharp(jpeg.bytes).removeAlpha().raw().toBuffer()),
            width: jpeg.width,
            height: jpeg.height,
            channels: 3 as const,
            colorSpace: 'BGR' as const,
          };
    const session = runner.createSession({ packageName: 'algorithm-example', pid: 'p001', context: { trace_id: 't-1' } });
    const missing = await runner.runStep(session.id, { stepIndex: 1, frame });
    expect(missing).toMatchObject({ status: 'ERROR', errorCode: '1006', stage: 'validate' });
    expect(missing.message).toContain('roi');
    const one = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { roi: { x: 0, y: 0, width: 50, height: 50 } } });
    expect(one, one.message).toMatchObject({ status: 'OK', resultStatus: 'NG', stage: 'execute' });
    expect(one.frame?.sharedMemId).toMatch(/^dev-shm:/);
    expect(one.pre?.data?.calibration_rects?.length).toBeGreaterThan(0);
    const two = await runner.runStep(session.id, { stepIndex: 2, frame, userParams: { threshold: 0.8 } });
    expect(two, two.message).toMatchObject({ status: 'OK', resultStatus: 'OK' });
    const outOfRange = await runner.runStep(session.id, { stepIndex: 2, frame, userParams: { threshold: 2 } });
    expect(outOfRange).toMatchObject({ status: 'ERROR', errorCode: '1006' });
    const wrongPid = runner.createSession({ packageName: 'algorithm-example', pid: 'zzz' });
    expect(await runner.runStep(wrongPid.id, { stepIndex: 2, frame })).toMatchObject({ status: 'ERROR', errorCode: '1001' });
    // the algorithm's log lines come over stderr, apart from the results: wait for the fourth
    await vi.waitFor(() => expect(logs.filter((entry) => entry.source === 'algorithm' && entry.message === 'on_step_start').length).toBeGreaterThanOrEqual(4), {
      timeout: 5000,
    });
    // no reset call: the adapter does not announce one
    expect(await runner.resetSession(session.id)).toMatchObject({ status: 'OK', attempts: 0 });
  });

  it('v0.3.2 example: one execute with cur + guide image, guide_info and step_desc; user params refused', async () => {
    const { runner, started } = start(join(sdk.v032, 'algorithm-example'), sdk.v032);
    const process = await started;
    expect(process.profile).toMatchObject({ generation: 'python-v0.3', callShape: 'guided-execute' });
    const frame = await exampleJpeg();
    const guide = { ...frame, bytes: new Uint8Array(await sharp(frame.bytes).resize(200, 100).jpeg().toBuffer()), width: 200, height: 100 };
    const session = runner.createSession({ packageName: 'algorithm-example', pid: 'any-pid' });
    const guideInfo = [{ label: 'screw', x: 1, y: 2 }, { label: 'board' }];
    const one = await runner.runStep(session.id, { stepIndex: 1, frame, guideFrame: guide, guideInfo, stepDesc: '检查螺丝' });
    expect(one, one.message).toMatchObject({ status: 'OK', resultStatus: 'NG' });
    const data = one.execute?.data as Record<string, unknown>;
    expect(data['ng_reason']).toContain('检查螺丝');
    expect((data['debug'] as Record<string, unknown>)['guide_info_count']).toBe(2);
    // the algorithm sized its rects from the guide image (200x100)
    for (const rect of one.execute?.data?.defect_rects ?? []) expect(rect.x + rect.width).toBeLessThanOrEqual(200);
    expect(one.guideFrame?.imageMeta).toMatchObject({ width: 200, height: 100 });
    const two = await runner.runStep(session.id, { stepIndex: 2, frame });
    expect(two).toMatchObject({ status: 'OK', resultStatus: 'OK' });
    expect(await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { threshold: 1 } })).toMatchObject({
      status: 'ERROR',
      errorCode: '1006',
      stage: 'validate',
    });
  });

  it('a call longer than two heartbeat intervals completes and is not killed', async () => {
    const { runner, started, events } = start(slowRoot, sdk.v006);
    await started;
    const session = runner.createSession({ packageName: 'python-slow', pid: 'A01' });
    const frame = await exampleJpeg();
    const outcome = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { sleep_ms: 1500 } });
    expect(outcome, outcome.message).toMatchObject({ status: 'OK' });
    expect(outcome.latencyMs).toBeGreaterThan(1400);
    expect(events.filter((event) => event.name === 'process-fault')).toEqual([]);
    expect((outcome.execute?.data as Record<string, unknown>)['shape']).toEqual([frame.height, frame.width, 3]);
  });

  it('a hang in execute: timeout 1005, restarted, next step OK; between calls a hung process is still found', async () => {
    const { runner, started, events } = start(slowRoot, sdk.v006, { execute_timeout_ms: 1200 });
    await started;
    const session = runner.createSession({ packageName: 'python-slow', pid: 'A01' });
    const frame = await exampleJpeg();
    const hung = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { hang: true } });
    expect(hung).toMatchObject({ status: 'ERROR', errorCode: '1005', stage: 'execute' });
    expect(events.find((event) => event.name === 'process-fault')?.payload).toMatchObject({ reason: 'timeout' });
    const next = await runner.runStep(session.id, { stepIndex: 1, frame });
    expect(next, next.message).toMatchObject({ status: 'OK' });
    expect(events.some((event) => event.name === 'restart')).toBe(true);
    // SIGSTOP between calls: missed pongs kill it (heartbeat-lost), then it restarts
    const pid = runner.process('python-slow')?.processId ?? 0;
    globalThis.process.kill(pid, 'SIGSTOP');
    await expect
      .poll(() => events.some((event) => event.name === 'process-fault' && (event.payload as { reason: string }).reason === 'heartbeat-lost'), {
        timeout: 5000,
      })
      .toBe(true);
    await expect.poll(() => runner.process('python-slow')?.state, { timeout: 10_000 }).toBe('ready');
  });

  it('the Python process killed mid-call: crash 1005, restarted, next step OK', async () => {
    const { runner, started, events } = start(slowRoot, sdk.v006);
    await started;
    const session = runner.createSession({ packageName: 'python-slow', pid: 'A01' });
    const frame = await exampleJpeg();
    const pid = runner.process('python-slow')?.processId ?? 0;
    const pending = runner.runStep(session.id, { stepIndex: 1, frame, userParams: { sleep_ms: 5000 } });
    await new Promise((resolve) => setTimeout(resolve, 700));
    globalThis.process.kill(pid, 'SIGKILL');
    const crashed = await pending;
    expect(crashed).toMatchObject({ status: 'ERROR', errorCode: '1005' });
    expect(crashed.message).toMatch(/SIGKILL/);
    const next = await runner.runStep(session.id, { stepIndex: 1, frame });
    expect(next, next.message).toMatchObject({ status: 'OK' });
    expect(runner.process('python-slow')?.processId).not.toBe(pid);
    expect(events.some((event) => event.name === 'restart')).toBe(true);
  });

  it('frames: files in a private 0700 dir on tmpfs, one per step, gone after the step; the dir gone after close', async () => {
    const { runner, started, logs } = start(slowRoot, sdk.v006);
    await started;
    await expect.poll(() => shmDirOf(logs)).not.toBe('');
    const dir = shmDirOf(logs);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    if (existsSync('/dev/shm')) expect(dir.startsWith('/dev/shm/')).toBe(true);
    const session = runner.createSession({ packageName: 'python-slow', pid: 'A01' });
    const jpeg = await exampleJpeg();
    const raw = { encoding: 'raw' as const, pixels: new Uint8Array(4 * 2 * 3).fill(9), width: 4, height: 2, channels: 3 as const, colorSpace: 'RGB' as const };
    const first = await runner.runStep(session.id, { stepIndex: 1, frame: jpeg });
    const second = await runner.runStep(session.id, { stepIndex: 1, frame: raw });
    expect(second, second.message).toMatchObject({ status: 'OK' });
    expect((second.execute?.data as Record<string, unknown>)['pixel']).toEqual([9, 9, 9]);
    const seen = logs.filter((entry) => entry.message === 'pre').map((entry) => entry.fields?.['files']);
    expect(seen).toEqual([
      [`${first.frame?.sharedMemId.replace(/[^A-Za-z0-9._-]/g, '_')}.bin`],
      [`${second.frame?.sharedMemId.replace(/[^A-Za-z0-9._-]/g, '_')}.npy`],
    ]);
    expect(readdirSync(dir)).toEqual([]);
    await runner.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('over HTTP: POST /execute with guide_image, guide_info and step_desc reaches the v0.3.2 execute', async () => {
    const root = join(sdk.v032, 'algorithm-example');
    const service = createRunnerService({
      packages: [{ root, ...pythonAdapterLaunch({ root, python: sdk.python, pythonPath: [sdk.v032] }) }],
      port: 0,
      logger: silentLogger,
    });
    const url = await service.listen();
    try {
      const frame = await exampleJpeg();
      const guide = await sharp(frame.bytes).resize(120, 90).jpeg().toBuffer();
      const body = {
        pid: 'P-77',
        step_index: 1,
        image: Buffer.from(frame.bytes).toString('base64'),
        guide_image: guide.toString('base64'),
        guide_info: [{ label: 'a' }, { label: 'b' }, { label: 'c' }],
        step_desc: 'HTTP步骤',
      };
      const response = await fetch(`${url}/execute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await response.json()) as {
        status: string;
        result_status: string;
        execute: { data: { ng_reason: string; debug: { guide_info_count: number } } };
      };
      expect(response.status, JSON.stringify(json)).toBe(200);
      expect(json).toMatchObject({ status: 'OK', result_status: 'NG' });
      expect(json.execute.data.ng_reason).toContain('HTTP步骤');
      expect(json.execute.data.debug.guide_info_count).toBe(3);
      const badDesc = await fetch(`${url}/execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, step_desc: 5 }),
      });
      expect(badDesc.status).toBe(400);
      expect(await badDesc.text()).toContain('step_desc');
    } finally {
      await service.close();
    }
  });

  it('over HTTP: reset of a v0.0.6 session behaves as through the engine (no reset call, state cleared, next step OK)', async () => {
    const root = join(sdk.v006, 'algorithm-example');
    const service = createRunnerService({
      packages: [{ root, ...pythonAdapterLaunch({ root, python: sdk.python, pythonPath: [sdk.v006] }) }],
      port: 0,
      logger: silentLogger,
    });
    const url = await service.listen();
    try {
      const frame = await exampleJpeg();
      const post = (path: string, body?: unknown) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
      const created = (await (await post('/sessions', { pid: 'p001' })).json()) as { session_id: string };
      const step = { step_index: 2, image: Buffer.from(frame.bytes).toString('base64'), user_params: { threshold: 0.8 } };
      expect((await post(`/sessions/${created.session_id}/steps`, step)).status).toBe(200);
      const metricsBefore = await (await fetch(`${url}/metrics`)).text();
      const reset = await post(`/sessions/${created.session_id}/reset`);
      const json = (await reset.json()) as { status: string; message: string };
      expect(reset.status, JSON.stringify(json)).toBe(200);
      expect(json).toMatchObject({ status: 'OK' });
      expect(json.message).toContain('has no reset');
      // no call reached the adapter (the engine's answer), so no reset call was counted
      const metricsAfter = await (await fetch(`${url}/metrics`)).text();
      expect(metricsAfter).not.toMatch(/procvision_calls_total\{[^}]*phase="reset"/);
      expect(metricsBefore).toMatch(/procvision_calls_total\{[^}]*phase="execute"/);
      const session = (await (await fetch(`${url}/sessions/${created.session_id}`)).json()) as { state: Record<string, unknown> };
      expect(session.state).toEqual({});
      expect((await post(`/sessions/${created.session_id}/steps`, step)).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it("an entry point that does not import fails start-up with the adapter's own code (1000); no SDK at all is 1005", async () => {
    const root = join(sdk.v006, 'algorithm-example');
    const launch = pythonAdapterLaunch({ root, python: sdk.python, pythonPath: [sdk.v006] });
    const runner = new Runner({ config: { max_restarts: 0 }, logger: silentLogger });
    runners.push(runner);
    await expect(
      runner.startPackage({ root, adapter: launch.adapter, env: { ...launch.env, PROC_ENTRY_POINT: 'no_such_module.main:Nope' } }),
    ).rejects.toMatchObject({ code: '1000', message: expect.stringContaining('no_such_module') });
    const { started } = start(root, join(sdk.root, 'no-such-folder'), { max_restarts: 0 });
    await expect(started).rejects.toMatchObject({ code: '1005' });
    // no entry point anywhere: the adapter's 1004 ("entry_point not found") is 1011 here
    const empty = mkdtempSync(join(tmpdir(), 'pv-py-empty-'));
    try {
      const bare = pythonAdapterLaunch({ root: empty, python: sdk.python, pythonPath: [sdk.v006] });
      await expect(runner.startPackage({ root: empty, name: 'bare', version: '1.0.0', ...bare })).rejects.toMatchObject({
        code: '1011',
        message: expect.stringContaining('entry_point not found'),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
