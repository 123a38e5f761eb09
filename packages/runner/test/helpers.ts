import { fileURLToPath } from 'node:url';
import type { CallData, RunnerConfigInput } from '@procvision/manifest';
import { AlgorithmProcess, type AlgorithmProcessOptions, type LogEntry, type RunnerEvents } from '../src/index.js';

/** The fake adapter (test/fixtures/fake-adapter.mjs) as an adapter command. */
export const fakeAdapter = { command: process.execPath, args: [fileURLToPath(new URL('./fixtures/fake-adapter.mjs', import.meta.url))] };

/** Small timeouts so faults resolve in well under a second or two. */
export const fastConfig: RunnerConfigInput = {
  pre_execute_timeout_ms: 2_000,
  execute_timeout_ms: 2_000,
  startup_timeout_ms: 10_000,
  heartbeat_interval_ms: 250,
  heartbeat_grace_ms: 2_000,
  max_missed_heartbeats: 2,
  kill_grace_ms: 300,
  max_retries: 0,
  max_restarts: 3,
  restart_window_ms: 60_000,
};

/** One recorded event. */
type RecordedEvent = { [Name in keyof RunnerEvents]: { name: Name; payload: RunnerEvents[Name]; at: number } }[keyof RunnerEvents];

const eventNames: (keyof RunnerEvents)[] = [
  'process-start',
  'process-ready',
  'process-exit',
  'process-fault',
  'heartbeat-miss',
  'kill-escalate',
  'restart',
  'state-change',
  'call-start',
  'call-end',
  'call-retry',
  'reply-drop',
];

/** A fake-adapter process with every event and log entry recorded. */
export function fakeProcess(options: { env?: Record<string, string>; config?: RunnerConfigInput; name?: string } & Partial<AlgorithmProcessOptions> = {}) {
  const events: RecordedEvent[] = [];
  const logs: LogEntry[] = [];
  const { env, config, name, ...rest } = options;
  const process = new AlgorithmProcess({
    packageName: name ?? 'fake-algo',
    packageVersion: '1.0.0',
    root: fileURLToPath(new URL('./fixtures/', import.meta.url)),
    adapter: fakeAdapter,
    env: env ?? {},
    config: { ...fastConfig, ...config },
    logger: { log: (entry) => logs.push(entry) },
    restartBackoff: { initialMs: 20, maxMs: 200 },
    ...rest,
  });
  for (const eventName of eventNames) {
    process.on(eventName, (payload) => events.push({ name: eventName, payload, at: performance.now() } as RecordedEvent));
  }
  const named = <Name extends keyof RunnerEvents>(eventName: Name): RunnerEvents[Name][] =>
    events.filter((event) => event.name === eventName).map((event) => event.payload as RunnerEvents[Name]);
  return { process, events, logs, named };
}

/** `call.data` for one step phase of the fake algorithm. */
export function stepCall(phase: 'pre' | 'execute', userParams: Record<string, unknown> = {}, sessionState: Record<string, unknown> = {}): CallData {
  return {
    phase,
    step_index: 1,
    pid: 'A01',
    session: { id: 'session-1', context: { product_code: 'A01' }, state: sessionState },
    user_params: userParams,
    shared_mem_id: 'dev-shm:fake',
    image_meta: { width: 64, height: 48, timestamp_ms: Date.now(), camera_id: 'cam-01', color_space: 'RGB' },
  };
}

/** Waits until `check()` is true (polling), failing after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
