import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Counter, Registry } from 'prom-client';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LogEntry, RunnerMetrics } from '../src/index.js';
import { createRunnerService, type RunnerService } from '../src/http/index.js';
import { fastConfig } from './helpers.js';

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const adapter = { command: process.execPath, args: [adapterBinPath] };
const scripted = { root: fileURLToPath(new URL('../../sdk/test/fixtures/scripted/', import.meta.url)), adapter };

function family(text: string, name: string) {
  const found = parsePrometheusTextFormat(text).find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no metric family ${name} in:\n${text}`);
  return found;
}

describe('GET /metrics (prom-client) and the access log', () => {
  let service: RunnerService;
  let url: string;
  const logs: LogEntry[] = [];
  let jpeg: string;
  beforeAll(async () => {
    jpeg = (
      await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 10, g: 20, b: 30 } } })
        .jpeg()
        .toBuffer()
    ).toString('base64');
    service = createRunnerService({
      packages: [scripted],
      runnerConfig: fastConfig,
      restartBackoff: { initialMs: 20, maxMs: 200 },
      port: 0,
      logger: { log: (entry) => logs.push(entry) },
    });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
  });

  it('passes a Prometheus text-format parser and shows default process metrics, build info and HTTP durations', async () => {
    const step = await fetch(`${url}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pid: 'A01', step_index: 1, image: jpeg }),
    });
    expect(step.status).toBe(200);
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const families = parsePrometheusTextFormat(text);
    expect(families.length).toBeGreaterThan(20);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(family(text, name).metrics.length).toBeGreaterThan(0);
    const build = family(text, 'procvision_build_info');
    expect(build.type).toBe('GAUGE');
    expect(build.metrics[0]).toMatchObject({
      value: '1',
      labels: { version: expect.any(String), node: process.version, shm_backend: expect.stringMatching(/^mmap-(native|file)$/) },
    });
    const durations = family(text, 'procvision_http_request_duration_seconds');
    expect(durations.type).toBe('HISTOGRAM');
    expect(durations.metrics.length).toBeGreaterThan(0);
    expect(text).toMatch(/^procvision_http_request_duration_seconds_count\{method="POST",route="\/execute",status="200"\} 1$/m);
    expect(text).toMatch(/^procvision_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/execute",status="200"\} 1$/m);
    expect(family(text, 'procvision_steps_total').metrics).toContainEqual({
      value: '1',
      labels: { package: expect.any(String), version: expect.any(String), status: 'OK', result_status: 'OK', code: '' },
    });
    expect(family(text, 'procvision_call_duration_seconds').type).toBe('HISTOGRAM');
    for (const entry of families.filter((item) => item.name.startsWith('procvision_'))) {
      if (entry.type === 'COUNTER') expect(entry.name).toMatch(/_total$/);
      if (entry.type === 'HISTOGRAM') expect(entry.name).toMatch(/_seconds$/);
    }
  });

  it('counts a SIGKILLed child as a fault (crash) as well as a restart (issue 13 item 9)', async () => {
    const before = (await (await fetch(`${url}/ready`)).json()) as { packages: Array<{ os_pid: number }> };
    const osPid = before.packages[0]!.os_pid;
    process.kill(osPid, 'SIGKILL');
    await waitFor(async () => {
      const ready = (await (await fetch(`${url}/ready`)).json()) as { ready: boolean; packages: Array<{ os_pid?: number }> };
      return ready.ready && ready.packages[0]!.os_pid !== osPid;
    }, 15_000);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(family(text, 'procvision_process_restarts_total').metrics).toContainEqual({ value: '1', labels: { package: 'scripted', reason: 'crash' } });
    expect(family(text, 'procvision_process_faults_total').metrics).toContainEqual({ value: '1', labels: { package: 'scripted', reason: 'crash' } });
  });

  it('echoes a request id and logs one structured access line per request', async () => {
    const own = await fetch(`${url}/health`, { headers: { 'x-request-id': 'station-7.req-42' } });
    expect(own.headers.get('x-request-id')).toBe('station-7.req-42');
    const minted = await fetch(`${url}/packages/x/1.0.0`, { method: 'DELETE', headers: { 'x-request-id': 'bad id with spaces' } });
    const id = minted.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => logs.some((entry) => entry.fields?.request_id === id), 5_000);
    const health = logs.find((entry) => entry.fields?.request_id === 'station-7.req-42');
    expect(health).toMatchObject({
      level: 'info',
      source: 'runner',
      fields: { kind: 'access', method: 'GET', route: '/health', status: 200, duration_ms: expect.any(Number) },
    });
    expect(logs.find((entry) => entry.fields?.request_id === id)?.fields).toMatchObject({ method: 'DELETE', route: 'unmatched', status: 404 });
  });
});

describe('RunnerMetrics without the HTTP service', () => {
  it('keeps full precision in counters and _sum, and merges into an embedder registry', async () => {
    const metrics = new RunnerMetrics({ defaultMetrics: false });
    metrics.recordStep({
      sessionId: 's',
      stepIndex: 1,
      status: 'OK',
      resultStatus: 'OK',
      stage: 'execute',
      message: '',
      warnings: [],
      latencyMs: 1_234_567_891,
    });
    const text = await metrics.metrics();
    expect(text).toContain('procvision_step_duration_seconds_sum{package="",version=""} 1234567.891');
    expect(text).not.toMatch(/e\+/);
    const own = new Registry();
    new Counter({ name: 'factory_parts_total', help: 'parts', registers: [own] }).inc(1_234_567_891);
    const merged = Registry.merge([own, metrics.registry]);
    const mergedText = await merged.metrics();
    expect(mergedText).toContain('factory_parts_total 1234567891');
    expect(mergedText).toContain('procvision_build_info{');
  });
});
