// Resources of algorithm processes, scraped from a real service's /metrics: CPU seconds and RSS
// per process (package, version, instance), steps by package and version, counters at zero
// before the first fault, store-style starts, and the per-package memory limit: a leaking
// algorithm's call fails with 1012 (memory_limit_exceeded) and its process is restarted.
import { fileURLToPath } from 'node:url';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunnerService } from '../src/http/index.js';
import { ErrorCodes } from '@procvision/manifest';
import { Runner, silentLogger } from '../src/index.js';
import { fastConfig } from './helpers.js';

const cpuRoot = fileURLToPath(new URL('./fixtures/cpu-algo/', import.meta.url));
const leakyRoot = fileURLToPath(new URL('./fixtures/leaky-algo/', import.meta.url));
const adapter = { command: process.execPath, args: [adapterBinPath] };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** One sample of the exposition text: the value of `name{labels}` (labels in any order), undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value) && Object.keys(found).length === Object.keys(labels).length)
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('algorithm process resources in /metrics', () => {
  it('CPU seconds and RSS per process, steps by package and version, counters at zero, starts counted, a leak restarted with 1012', async () => {
    const service = createRunnerService({
      packages: [
        { root: cpuRoot, adapter },
        { root: leakyRoot, adapter, memoryLimitMb: 160 },
      ],
      runnerConfig: { ...fastConfig, execute_timeout_ms: 30_000, max_retries: 0 },
      restartBackoff: { initialMs: 20, maxMs: 200 },
      port: 0,
      logger: silentLogger,
    });
    const url = await service.listen();
    closers.push(() => service.close());
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .jpeg()
      .toBuffer();
    const execute = async (pid: string, userParams: Record<string, unknown> = {}) => {
      const response = await fetch(`${url}/execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pid, step_index: 1, image: jpeg.toString('base64'), user_params: userParams }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const scrape = async () => (await fetch(`${url}/metrics`)).text();

    // before any step: zero for the first fault and step, a start per process, CPU and RSS per process
    const before = await scrape();
    for (const reason of ['crash', 'timeout', 'memory-limit'])
      expect(sample(before, 'procvision_process_faults_total', { package: 'leaky', reason }), reason).toBe(0);
    expect(sample(before, 'procvision_steps_total', { package: 'pixel-work', version: '1.0.0', status: 'OK', result_status: 'OK', code: '' })).toBe(0);
    expect(sample(before, 'procvision_process_starts_total', { package: 'pixel-work' })).toBe(1);
    const rss = sample(before, 'procvision_algorithm_resident_memory_bytes', { package: 'pixel-work', version: '1.0.0', instance: '0' });
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample(before, 'procvision_algorithm_cpu_seconds_total', { package: 'pixel-work', version: '1.0.0', instance: '0' })).toBeGreaterThan(0);
    expect(before).toMatch(/# TYPE procvision_algorithm_cpu_seconds_total counter/);

    const cpuBefore = sample(before, 'procvision_algorithm_cpu_seconds_total', { package: 'pixel-work', version: '1.0.0', instance: '0' })!;
    for (let index = 0; index < 3; index += 1) expect((await execute('A01', { passes: 100 })).status).toBe(200);
    const after = await scrape();
    expect(sample(after, 'procvision_steps_total', { package: 'pixel-work', version: '1.0.0', status: 'OK', result_status: 'OK', code: '' })).toBe(3);
    expect(sample(after, 'procvision_step_duration_seconds_count', { package: 'pixel-work', version: '1.0.0' })).toBe(3);
    expect(sample(after, 'procvision_algorithm_cpu_seconds_total', { package: 'pixel-work', version: '1.0.0', instance: '0' })).toBeGreaterThanOrEqual(
      cpuBefore,
    );

    // the leak: 400 MiB kept and held 5 s, over the 160 MiB limit -> 1012, fault, restart, ready again
    const leaking = await execute('L01', { leak_mb: 400, hold_ms: 5000 });
    expect(leaking.json, JSON.stringify(leaking.json)).toMatchObject({ error: { code: ErrorCodes.memoryLimitExceeded, name: 'memory_limit_exceeded' } });
    expect(leaking.status).toBe(503);
    expect(JSON.stringify(leaking.json)).toMatch(/over the memory limit of 160 MiB/);
    const healed = await execute('L01', { leak_mb: 0 });
    expect(healed.json, JSON.stringify(healed.json)).toMatchObject({ status: 'OK' });
    const end = await scrape();
    expect(sample(end, 'procvision_process_faults_total', { package: 'leaky', reason: 'memory-limit' })).toBe(1);
    expect(sample(end, 'procvision_process_restarts_total', { package: 'leaky', reason: 'memory-limit' })).toBe(1);
    expect(sample(end, 'procvision_process_starts_total', { package: 'leaky' })).toBe(2);
    expect(
      sample(end, 'procvision_steps_total', { package: 'leaky', version: '1.0.0', status: 'ERROR', result_status: '', code: ErrorCodes.memoryLimitExceeded }),
    ).toBe(1);
    expect(sample(end, 'procvision_algorithm_resident_memory_bytes', { package: 'leaky', version: '1.0.0', instance: '0' })).toBeLessThan(160 * 1024 * 1024);
  }, 90_000);

  it('an embedded Runner: the leaking call fails with 1012, a process-fault and a restart say memory-limit', async () => {
    const runner = new Runner({
      config: { ...fastConfig, execute_timeout_ms: 30_000, max_retries: 0 },
      logger: silentLogger,
      restartBackoff: { initialMs: 20, maxMs: 200 },
    });
    closers.push(() => runner.close());
    const events: Array<{ name: string; reason: string }> = [];
    runner.on('process-fault', (event) => events.push({ name: 'process-fault', reason: event.reason }));
    runner.on('restart', (event) => events.push({ name: 'restart', reason: event.reason }));
    await runner.startPackage({ root: leakyRoot, adapter, memoryLimitMb: 160 });
    const session = runner.createSession({ packageName: 'leaky', pid: 'L01' });
    const frame = { encoding: 'raw' as const, pixels: new Uint8Array(12), width: 2, height: 2, channels: 3 as const, colorSpace: 'RGB' as const };
    const outcome = await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { leak_mb: 400, hold_ms: 5000 } });
    expect(outcome).toMatchObject({ status: 'ERROR', errorCode: ErrorCodes.memoryLimitExceeded });
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events).toEqual([
      { name: 'process-fault', reason: 'memory-limit' },
      { name: 'restart', reason: 'memory-limit' },
    ]);
    expect(await runner.runStep(session.id, { stepIndex: 1, frame, userParams: { leak_mb: 10 } })).toMatchObject({ status: 'OK' });
  }, 60_000);
});
