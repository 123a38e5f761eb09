import { describe, expect, it } from 'vitest';
import { detectAdapterGeneration } from '../src/process/adapter-generation.js';
import { Heartbeat } from '../src/process/heartbeat.js';

describe('adapter generation from the hello', () => {
  it('protocol 1 (ours): info, reset, pre/execute, segments; ping_while_busy as announced', () => {
    const decision = detectAdapterGeneration({
      type: 'hello',
      protocol: 1,
      sdk_version: '0.1.0',
      capabilities: ['ping', 'call', 'info', 'reset', 'ping_while_busy'],
    });
    expect(decision).toMatchObject({
      ok: true,
      profile: { generation: 'protocol-1', protocol: 1, hasInfo: true, callShape: 'pre-execute', frames: 'segments', pingWhileBusy: true },
    });
    expect(detectAdapterGeneration({ type: 'hello', protocol: 1, capabilities: [] })).toMatchObject({ profile: { pingWhileBusy: false } });
  });

  it('Python v0.0.6 hello (no protocol): pre/execute from manifest, files, no info/reset, not ping_while_busy', () => {
    const decision = detectAdapterGeneration({
      type: 'hello',
      sdk_version: 'unknown',
      timestamp_ms: 1,
      capabilities: ['ping', 'call', 'shutdown', 'shared_memory:v1'],
    });
    expect(decision).toMatchObject({
      ok: true,
      profile: {
        generation: 'python-v0.0',
        protocol: undefined,
        hasInfo: false,
        hasReset: false,
        callShape: 'pre-execute',
        frames: 'files',
        pingWhileBusy: false,
      },
    });
  });

  it('Python v0.3.2 hello (capability "execute"): guided execute', () => {
    const decision = detectAdapterGeneration({
      type: 'hello',
      sdk_version: 'unknown',
      capabilities: ['ping', 'call', 'shutdown', 'shared_memory:v1', 'execute'],
    });
    expect(decision).toMatchObject({ ok: true, profile: { generation: 'python-v0.3', callShape: 'guided-execute', frames: 'files' } });
  });

  it('refuses a future major, a non-number protocol, and a hello that names no generation', () => {
    expect(detectAdapterGeneration({ type: 'hello', protocol: 2, capabilities: ['call'] })).toMatchObject({
      ok: false,
      message: expect.stringContaining('protocol 2'),
    });
    expect(detectAdapterGeneration({ type: 'hello', protocol: '1' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('protocol: expected a number'),
    });
    expect(detectAdapterGeneration({ type: 'hello', capabilities: ['ping'] })).toMatchObject({ ok: false, message: expect.stringContaining('capabilities') });
    expect(detectAdapterGeneration({ type: 'hello' })).toMatchObject({ ok: false });
  });
});

describe('heartbeat while a call runs (DECISIONS item 2)', () => {
  it('sends no ping and counts no miss while busy; misses count again between calls', async () => {
    let busy = true;
    const pings: string[] = [];
    let lost = 0;
    const heartbeat = new Heartbeat({
      intervalMs: 20,
      graceMs: 10,
      maxMissed: 2,
      sendPing: (id) => pings.push(id),
      onMiss: () => {},
      onLost: () => (lost += 1),
      isBusy: () => busy,
    });
    heartbeat.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(pings).toEqual([]);
    expect(lost).toBe(0);
    busy = false;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(pings.length).toBeGreaterThan(0);
    expect(lost).toBe(1);
    heartbeat.stop();
  });
});
