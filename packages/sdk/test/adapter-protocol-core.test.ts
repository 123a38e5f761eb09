/**
 * The adapter protocol core in-process, with fake streams: a fake endpoint collects the frames
 * written and the exit code; a scripted executor (or the inline executor over a real fixture)
 * plays the algorithm. No child process: every message kind and every protocol error.
 */
import { describe, expect, it } from 'vitest';
import { FrameDecoder, encodeFrame } from '@procvision/manifest';
import { createLogger } from '../src/logger.js';
import { AdapterProtocol, type AlgorithmExecutor, type LoadFailure, type ProtocolLink } from '../src/internal/adapter/adapter-protocol.js';
import { InlineExecutor } from '../src/internal/adapter/inline-executor.js';
import { resolveEntryPoint } from '../src/internal/adapter/entry-point.js';
import { fixtureRoot, stepData } from './adapter-harness.js';

type Frame = Record<string, any>;

/** Collects what the protocol writes, logs and how it exits. */
class FakeEndpoint {
  readonly frames: Frame[] = [];
  readonly logs: Frame[] = [];
  exitCode: number | undefined;
  stoppedReading = false;
  failWrites = false;
  private readonly decoder = new FrameDecoder();
  readonly logger = createLogger({ write: (line) => void this.logs.push(JSON.parse(line) as Frame) });
  write = (frame: Uint8Array): void => {
    if (this.failWrites) throw new Error('EPIPE: broken pipe');
    // Copy: an encoded result may live in a reused buffer.
    this.frames.push(...(this.decoder.push(Buffer.from(frame)) as Frame[]));
  };
  stopReading = (): void => {
    this.stoppedReading = true;
  };
  exit = (code: number): void => {
    this.exitCode ??= code;
  };
  ofType(type: string): Frame[] {
    return this.frames.filter((frame) => frame.type === type);
  }
}

/** An executor whose load, calls and teardown the test scripts. */
class ScriptedExecutor implements AlgorithmExecutor {
  link!: ProtocolLink;
  loads = 0;
  calls: string[] = [];
  tornDown = false;
  stopped = false;
  loadResult: LoadFailure | undefined;
  teardownError: string | undefined;
  /** When set, calls stay running until `finish` is called. */
  hold = false;
  private running: { requestId: string; resolve: () => void } | undefined;
  private loadGate: Promise<void> = Promise.resolve();
  private openLoad: (() => void) | undefined;

  holdLoad(): void {
    this.loadGate = new Promise((resolve) => (this.openLoad = resolve));
  }
  releaseLoad(): void {
    this.openLoad?.();
  }
  async load(): Promise<LoadFailure | undefined> {
    this.loads += 1;
    await this.loadGate;
    return this.loadResult;
  }
  call(requestId: string): Promise<void> | undefined {
    this.calls.push(requestId);
    if (!this.hold) {
      this.link.write(encodeFrame({ type: 'result', request_id: requestId, status: 'OK', data: {} }));
      return undefined;
    }
    return new Promise((resolve) => (this.running = { requestId, resolve }));
  }
  finish(): void {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    this.link.write(encodeFrame({ type: 'result', request_id: running.requestId, status: 'OK', data: {} }));
    running.resolve();
  }
  busy(): boolean {
    return this.running !== undefined;
  }
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const look = (): void => (this.running === undefined ? resolve() : void setTimeout(look, 1));
      look();
    });
  }
  async teardown(): Promise<string | undefined> {
    this.tornDown = true;
    return this.teardownError;
  }
  stop(): undefined {
    this.stopped = true;
    return undefined;
  }
}

function setUp(configure: (executor: ScriptedExecutor) => void = () => undefined): {
  endpoint: FakeEndpoint;
  executor: ScriptedExecutor;
  protocol: AdapterProtocol;
} {
  const endpoint = new FakeEndpoint();
  const executor = new ScriptedExecutor();
  configure(executor);
  const protocol = new AdapterProtocol(endpoint, (link) => {
    executor.link = link;
    return executor;
  });
  return { endpoint, executor, protocol };
}

const frame = (message: Frame): Uint8Array => encodeFrame({ timestamp_ms: 1, ...message });
const hello = frame({ type: 'hello', protocol: 1, runner_version: 'test', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 });
const call = (requestId: string, data: Frame = { phase: 'info' }): Uint8Array => frame({ type: 'call', request_id: requestId, data });
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('AdapterProtocol (in-process, fake streams)', () => {
  it('hello loads the algorithm once; a call is answered by the executor; ping gets pong', async () => {
    const { endpoint, executor, protocol } = setUp();
    await protocol.receive(hello);
    await protocol.receive(hello);
    expect(executor.loads).toBe(1);
    expect(protocol.receive(call('r1'))).toBeUndefined();
    await protocol.receive(frame({ type: 'ping', request_id: 'p1' }));
    expect(endpoint.frames.map((f) => [f.type, f.request_id])).toEqual([
      ['result', 'r1'],
      ['pong', 'p1'],
    ]);
    expect(endpoint.frames[1]).toMatchObject({ status: 'OK' });
  });

  it('warns when the runner speaks another protocol version', async () => {
    const { endpoint, protocol } = setUp();
    await protocol.receive(frame({ type: 'hello', protocol: 99 }));
    expect(endpoint.logs.some((log) => log.level === 'warn' && /protocol 99/.test(log.message))).toBe(true);
  });

  it('a call before hello waits for the load, and a blocking reader waits for its answer', async () => {
    const { endpoint, executor, protocol } = setUp((executor) => executor.holdLoad());
    const pending = protocol.receive(call('early'));
    expect(pending).toBeInstanceOf(Promise);
    await settle();
    expect(endpoint.frames).toEqual([]);
    executor.releaseLoad();
    await pending;
    expect(endpoint.ofType('result').map((f) => f.request_id)).toEqual(['early']);
  });

  it('an event-loop reader answers pings while a call runs, and refuses a second call as busy', async () => {
    const { endpoint, executor, protocol } = setUp((executor) => (executor.hold = true));
    protocol.push(hello);
    await settle();
    protocol.push(Buffer.concat([call('long'), frame({ type: 'ping', request_id: 'p' }), call('second')]));
    expect(endpoint.frames.map((f) => [f.type, f.request_id, f.message])).toEqual([
      ['pong', 'p', undefined],
      ['error', 'second', 'busy'],
    ]);
    executor.finish();
    protocol.push(call('third'));
    executor.finish();
    expect(endpoint.ofType('result').map((f) => f.request_id)).toEqual(['long', 'third']);
  });

  it('a frame split across chunks and several frames in one chunk are each handled once, in order', async () => {
    const { endpoint, protocol } = setUp();
    const bytes = Buffer.concat([hello, call('a'), call('b'), frame({ type: 'ping', request_id: 'c' })]);
    for (let offset = 0; offset < bytes.length; offset += 7) {
      const pending = protocol.receive(bytes.subarray(offset, offset + 7));
      if (pending !== undefined) await pending;
    }
    expect(endpoint.frames.map((f) => f.request_id)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a call with invalid data with 1006 naming the field, and an unknown type with 9999, and keeps serving', async () => {
    const { endpoint, protocol } = setUp();
    await protocol.receive(hello);
    await protocol.receive(frame({ type: 'call', request_id: 'bad', data: { phase: 'execute', step_index: 'one' } }));
    await protocol.receive(frame({ type: 'launch', request_id: 'odd' }));
    await protocol.receive(call('good'));
    const [bad, odd, good] = endpoint.frames;
    expect(bad).toMatchObject({ type: 'error', request_id: 'bad', error_code: '1006' });
    expect(bad!.message).toMatch(/step_index/);
    expect(odd).toMatchObject({ type: 'error', request_id: 'odd', error_code: '9999' });
    expect(good).toMatchObject({ type: 'result', request_id: 'good' });
    expect(endpoint.exitCode).toBeUndefined();
  });

  it('keeps frame order while the schema check loads for an event-loop reader', async () => {
    const { endpoint, protocol } = setUp();
    protocol.push(hello);
    await settle();
    protocol.push(Buffer.concat([frame({ type: 'launch', request_id: 'odd' }), frame({ type: 'ping', request_id: 'after' })]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(endpoint.frames.map((f) => f.request_id)).toEqual(['odd', 'after']);
  });

  it('logs an error frame from the runner and keeps serving', async () => {
    const { endpoint, protocol } = setUp();
    await protocol.receive(frame({ type: 'error', request_id: 'x', status: 'ERROR', message: 'runner side trouble' }));
    expect(endpoint.logs.some((log) => log.level === 'warn' && log.message === 'runner sent an error')).toBe(true);
    expect(endpoint.frames).toEqual([]);
  });

  it('shutdown waits for the running call, runs teardown, acknowledges and exits 0; later calls are refused', async () => {
    const { endpoint, executor, protocol } = setUp((executor) => (executor.hold = true));
    protocol.push(hello);
    await settle();
    protocol.push(Buffer.concat([call('running'), frame({ type: 'shutdown' }), call('late')]));
    expect(endpoint.ofType('error')).toMatchObject([{ request_id: 'late', message: 'adapter is shutting down' }]);
    await settle();
    expect(executor.tornDown).toBe(false);
    executor.finish();
    await settle();
    expect(executor.tornDown).toBe(true);
    expect(endpoint.frames.map((f) => f.type)).toEqual(['error', 'result', 'shutdown']);
    expect(endpoint.exitCode).toBe(0);
    expect(executor.stopped).toBe(true);
    expect(endpoint.stoppedReading).toBe(true);
  });

  it('end of input is a shutdown; a teardown that throws is logged and still acknowledged', async () => {
    const { endpoint, protocol } = setUp((executor) => (executor.teardownError = 'teardown() failed: Error: stuck'));
    await protocol.receive(hello);
    await protocol.end('stdin closed');
    expect(endpoint.logs.some((log) => log.message === 'teardown() failed: Error: stuck')).toBe(true);
    expect(endpoint.ofType('shutdown')).toHaveLength(1);
    expect(endpoint.exitCode).toBe(0);
  });

  it('shutdown during the load answers the waiting call and skips teardown of nothing', async () => {
    const { endpoint, executor, protocol } = setUp((executor) => {
      executor.holdLoad();
      executor.loadResult = { code: '1003', message: 'no entry' };
    });
    protocol.push(Buffer.concat([call('waiting'), frame({ type: 'shutdown' })]));
    expect(endpoint.ofType('error')).toMatchObject([{ request_id: 'waiting', message: 'adapter shut down before the algorithm finished loading' }]);
    executor.releaseLoad();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(executor.tornDown).toBe(false);
    expect(endpoint.exitCode).toBe(1);
  });

  it('a broken frame stream: frames before it are handled, then an error frame, shutdown and exit 1', async () => {
    const { endpoint, protocol } = setUp();
    await protocol.receive(hello);
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7b]);
    await protocol.receive(Buffer.concat([call('before'), garbage]));
    expect(endpoint.frames.map((f) => f.type)).toEqual(['result', 'error', 'shutdown']);
    expect(endpoint.frames[1]).toMatchObject({ request_id: null, status: 'ERROR' });
    expect(endpoint.exitCode).toBe(1);
    expect(endpoint.stoppedReading).toBe(true);
  });

  it('a broken frame stream on an event-loop reader stops reading at once', async () => {
    const { endpoint, protocol } = setUp();
    protocol.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(endpoint.stoppedReading).toBe(true);
    await settle();
    expect(endpoint.ofType('error')).toHaveLength(1);
    expect(endpoint.exitCode).toBe(1);
  });

  it('a failed load is reported without request id, answers the waiting call and calls in the next moments, then exits 1', async () => {
    const { endpoint, protocol } = setUp((executor) => (executor.loadResult = { code: '1003', message: 'entry main.js:Nope not found' }));
    protocol.push(call('first'));
    await settle();
    protocol.push(call('second'));
    expect(endpoint.frames).toMatchObject([
      { type: 'error', request_id: null, error_code: '1003' },
      { type: 'error', request_id: 'first', error_code: '1003' },
      { type: 'error', request_id: 'second', error_code: '1003' },
    ]);
    expect(endpoint.exitCode).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(endpoint.exitCode).toBe(1);
  });

  it('a crash answers the running call (or the load) with an error frame and exits 1', async () => {
    const running = setUp((executor) => (executor.hold = true));
    running.protocol.push(hello);
    await settle();
    running.protocol.push(call('doomed'));
    running.protocol.crash('uncaught Error: in a timer');
    expect(running.endpoint.frames).toMatchObject([{ type: 'error', request_id: 'doomed', message: 'algorithm crashed: uncaught Error: in a timer' }]);
    expect(running.endpoint.exitCode).toBe(1);

    const loading = setUp((executor) => executor.holdLoad());
    loading.protocol.push(hello);
    loading.protocol.crash('uncaught TypeError: x');
    expect(loading.endpoint.frames).toMatchObject([{ type: 'error', request_id: null, message: 'algorithm crashed while loading: uncaught TypeError: x' }]);
  });

  it('a process exit during a call answers it; a write failure ends the adapter with exit 1', async () => {
    const { endpoint, protocol } = setUp((executor) => (executor.hold = true));
    protocol.push(hello);
    await settle();
    protocol.push(call('cut'));
    protocol.processExiting(3);
    expect(endpoint.frames).toMatchObject([{ type: 'error', request_id: 'cut', message: 'algorithm crashed: the process exited with code 3 during the call' }]);

    const broken = setUp();
    await broken.protocol.receive(hello);
    broken.endpoint.failWrites = true;
    await broken.protocol.receive(frame({ type: 'ping', request_id: 'p' }));
    expect(broken.endpoint.exitCode).toBe(1);
    expect(broken.endpoint.logs.some((log) => /cannot write to stdout/.test(log.message))).toBe(true);
    expect(broken.protocol.exiting).toBe(true);
  });

  it('drives a real algorithm inline: info, OK, NG and ERROR results, session state, teardown', async () => {
    const endpoint = new FakeEndpoint();
    const root = fixtureRoot('scripted');
    const protocol = new AdapterProtocol(
      endpoint,
      (link) => new InlineExecutor({ entry: () => resolveEntryPoint(root, []), maxDefects: 20, logger: endpoint.logger }, link),
    );
    await protocol.receive(hello);
    for (const [id, data] of [
      ['info', { phase: 'info' }],
      ['ok', stepData('execute', 1, { behaviour: 'ok' })],
      ['ng', stepData('execute', 1, { behaviour: 'ng' })],
      ['throw', stepData('execute', 1, { behaviour: 'throw' })],
      ['sleep', stepData('execute', 2, { behaviour: 'sleep', duration_ms: 5 })],
    ] as const) {
      const pending = protocol.receive(call(id, data));
      if (pending !== undefined) await pending;
    }
    const byId = Object.fromEntries(endpoint.frames.map((f) => [f.request_id, f]));
    expect(byId.info).toMatchObject({ status: 'OK', data: { name: 'scripted' } });
    expect(byId.ok).toMatchObject({ status: 'OK', data: { result_status: 'OK' } });
    expect(byId.ng).toMatchObject({ status: 'OK', data: { result_status: 'NG', ng_reason: 'screw missing' } });
    expect(byId.throw).toMatchObject({ status: 'ERROR', error_code: '9999' });
    expect(byId.sleep).toMatchObject({ status: 'OK' });
    expect(byId.ok!.session_state).toMatchObject({ step1_mark: { by: 'step 1' } });
    await protocol.end('stdin closed');
    expect(endpoint.frames.at(-1)).toMatchObject({ type: 'shutdown', status: 'OK' });
    expect(endpoint.exitCode).toBe(0);
  });
});
