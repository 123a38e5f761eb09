/**
 * The algorithm side of the adapter: runs in a worker thread so that a synchronous loop in the
 * algorithm never stops the main thread from answering pings. Loads the entry class, runs
 * setup, then serves `call` and `teardown` requests from the main thread one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCode } from '@procvision/manifest';
import { createLogger } from './logger.js';
import { reserveStdoutForFrames } from './internal/adapter/stdout-guard.js';
import { describe } from './internal/adapter/algorithm-loader.js';
import { setUpAlgorithm, setupFailure } from './internal/adapter/algorithm-setup.js';
import { encodeResult } from './internal/adapter/result-frame.js';
import type { FromWorker, ToWorker, WorkerStart } from './internal/adapter/bridge-messages.js';
import { runCall, warnIfLargeState, type CallRunnerContext } from './internal/adapter/call-runner.js';
import { controlSlot, FrameOutput } from './internal/adapter/frame-output.js';
import { CallMailboxReader } from './internal/adapter/call-mailbox.js';
import { tierUpSooner } from './internal/adapter/tier-up.js';

const port = parentPort;
if (port === null) throw new Error('adapter-worker.js must run in a worker thread started by procvision-adapter');
const { control, mailbox } = workerData as WorkerStart;
const output = new FrameOutput(control);
const inbox = new CallMailboxReader(control, mailbox);
/** How long an idle worker blocks for the next call before it returns to its event loop. */
const mailboxWaitMs = 20;

reserveStdoutForFrames();

const logger = createLogger({ fields: { component: 'procvision-adapter' } });
let context: CallRunnerContext | undefined;

const send = (message: FromWorker): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'load':
      void load(message.root, message.modulePath, message.exportName, message.maxDefects);
      break;
    case 'call':
      inbox.messageArrived();
      if (context !== undefined) void call(context, message.requestId, message.data);
      break;
    case 'teardown':
      void teardown();
      break;
  }
});

async function load(root: string, modulePath: string, exportName: string, maxDefects: number): Promise<void> {
  try {
    context = await setUpAlgorithm({ root, modulePath, exportName, maxDefects }, logger);
    send({ kind: 'ready' });
  } catch (error) {
    const { code, message } = setupFailure(error);
    send({ kind: 'load-failed', code: code as ErrorCode, message });
  }
}

/**
 * Runs a call and writes its result straight to stdout: no hop back through the main thread.
 * The busy flag is cleared first, so the runner's next call is never refused as busy.
 */
async function call(callContext: CallRunnerContext, requestId: string, data: Record<string, unknown>): Promise<void> {
  const result = await runCall(callContext, requestId, data);
  const frame = encodeResult(result, logger);
  warnIfLargeState(callContext.logger, data, result, frame.byteLength);
  Atomics.store(control, controlSlot.callBusy, 0);
  try {
    output.write(frame);
  } catch (error) {
    send({ kind: 'write-failed', requestId, error: describe(error) });
    return;
  }
  tierUpSooner();
  setImmediate(awaitNextCall, callContext);
}

/**
 * After a result, when the algorithm left nothing pending (no timer, no I/O: only message
 * ports), blocks briefly for the next call in the shared mailbox, which the main thread fills
 * only while the worker waits there; else, or after the wait, calls arrive as messages.
 */
function awaitNextCall(callContext: CallRunnerContext): void {
  if (!process.getActiveResourcesInfo().every((resource) => resource === 'MessagePort')) return;
  const next = inbox.waitForCall(mailboxWaitMs);
  if (next !== undefined) void call(callContext, next.requestId, next.data);
}

async function teardown(): Promise<void> {
  let error: string | undefined;
  try {
    await context?.algorithm.teardown?.();
  } catch (thrown) {
    error = `teardown() failed: ${describe(thrown)}`;
  }
  await flushStderr();
  send(error === undefined ? { kind: 'teardown-done' } : { kind: 'teardown-done', error });
}

/**
 * Resolves once every line the algorithm wrote to stderr (console, process.stdout) has reached
 * the main thread: a worker's stdio queues writes until the main thread acknowledges the
 * previous chunk, and that acknowledgement waits for this thread's event loop.
 */
function flushStderr(): Promise<void> {
  return new Promise((resolve) => process.stderr.write('', () => resolve()));
}
