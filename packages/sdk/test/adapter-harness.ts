import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FrameDecoder, encodeFrame } from '@procvision/manifest';
import { afterEach } from 'vitest';

/** The built adapter script under test. */
const adapterBin = fileURLToPath(new URL('../dist/adapter-bin.js', import.meta.url));

/** Absolute path of a fixture algorithm package in test/fixtures. */
export function fixtureRoot(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

type Frame = Record<string, any>;

/**
 * Drives `node dist/adapter-bin.js` as a real child process over real pipes: writes frames to
 * its stdin, decodes frames from its stdout (any non-frame byte fails the decoder), keeps stderr.
 */
export class AdapterHarness {
  readonly child: ChildProcessWithoutNullStreams;
  readonly frames: Frame[] = [];
  stderr = '';
  decodeError: Error | undefined;
  private readonly waiters: Array<() => void> = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private nextRequest = 0;

  constructor(root: string, options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(process.execPath, [adapterBin, ...(options.args ?? [])], { cwd: root, env: { ...process.env, ...options.env }, stdio: 'pipe' });
    const decoder = new FrameDecoder();
    this.child.stdout.on('data', (chunk: Buffer) => {
      try {
        this.frames.push(...decoder.push(chunk));
      } catch (error) {
        this.decodeError = error as Error;
      }
      this.wake();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        this.wake();
        resolve({ code, signal });
      }),
    );
  }

  /** Starts an adapter for a fixture and completes the handshake. */
  static async started(fixture: string, options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<AdapterHarness> {
    const harness = new AdapterHarness(fixtureRoot(fixture), options);
    await harness.next((frame) => frame.type === 'hello');
    harness.send({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
    return harness;
  }

  /** Writes one message as a frame (timestamp added). */
  send(message: Frame): void {
    this.child.stdin.write(encodeFrame({ timestamp_ms: Date.now(), ...message }));
  }

  /** Writes raw bytes to stdin. */
  sendBytes(bytes: Uint8Array): void {
    this.child.stdin.write(bytes);
  }

  /** Sends a call and waits for the frame answering it. */
  async call(data: Frame, timeoutMs = 15_000): Promise<Frame> {
    const requestId = this.sendCall(data);
    return this.next((frame) => frame.request_id === requestId, timeoutMs);
  }

  /** Sends a call without waiting; returns its request id. */
  sendCall(data: Frame): string {
    const requestId = `r-${++this.nextRequest}`;
    this.send({ type: 'call', request_id: requestId, data });
    return requestId;
  }

  /** Removes and returns the first received frame matching `predicate`, waiting for it. */
  async next(predicate: (frame: Frame) => boolean = () => true, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.decodeError) throw new Error(`stdout is not a clean frame stream: ${this.decodeError.message}\nstderr:\n${this.stderr}`);
      const index = this.frames.findIndex(predicate);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      if (this.child.exitCode !== null || this.child.signalCode !== null || Date.now() > deadline) {
        throw new Error(`no matching frame (exit ${this.child.exitCode}); frames: ${JSON.stringify(this.frames)}\nstderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves with the exit code and signal once the child has exited. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** Kills the child if still running (test cleanup). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** `call.data` for a pre/execute call of the scripted fixture. */
export function stepData(phase: 'pre' | 'execute', stepIndex: number, userParams: Frame = {}, session: Frame = {}): Frame {
  return {
    phase,
    step_index: stepIndex,
    pid: 'A01',
    session: { id: 'sid-1', context: { product_code: 'A01', trace_id: 't-1' }, state: {}, ...session },
    user_params: userParams,
    shared_mem_id: 'dev-shm:sid-1',
    image_meta: { width: 640, height: 480, timestamp_ms: 1714032000123, camera_id: 'cam-01', color_space: 'RGB' },
  };
}

/** What {@link adapterHarnesses} gives a test file. */
interface HarnessTracker {
  /** Starts a handshaken harness on a fixture (default `scripted`), killed after the test. */
  start(fixture?: string, options?: ConstructorParameters<typeof AdapterHarness>[1]): Promise<AdapterHarness>;
  /** Kills a harness the test built itself after the test. */
  track(harness: AdapterHarness): AdapterHarness;
}

/** For a test file: starts and tracks harnesses, and kills every one after each test. */
export function adapterHarnesses(): HarnessTracker {
  const harnesses: AdapterHarness[] = [];
  afterEach(() => {
    for (const harness of harnesses.splice(0)) harness.kill();
  });
  const track = (harness: AdapterHarness): AdapterHarness => {
    harnesses.push(harness);
    return harness;
  };
  return { track, start: async (fixture = 'scripted', options = {}) => track(await AdapterHarness.started(fixture, options)) };
}
