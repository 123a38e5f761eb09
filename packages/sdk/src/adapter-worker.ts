/**
 * The algorithm side of the adapter: runs in a worker thread so that a synchronous loop in the
 * algorithm never stops the main thread from answering pings. Loads the entry class, runs
 * setup, then serves `call` and `teardown` requests from the main thread one at a time.
 */
import { parentPort } from 'node:worker_threads';
import { parseAlgorithmInfo, ProcVisionError } from '@procvision/manifest';
import { createLogger } from './logger.js';
import { redirectConsoleToStderr } from './internal/adapter/stdout-guard.js';
import { loadAlgorithm, describe } from './internal/adapter/algorithm-loader.js';
import type { FromWorker, ToWorker } from './internal/adapter/bridge-messages.js';
import { runCall, type CallRunnerContext } from './internal/adapter/call-runner.js';

const port = parentPort;
if (port === null) throw new Error('adapter-worker.js must run in a worker thread started by procvision-adapter');

process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
redirectConsoleToStderr();

const logger = createLogger({ fields: { component: 'procvision-adapter' } });
let context: CallRunnerContext | undefined;

const send = (message: FromWorker): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'load':
      void load(message.root, message.modulePath, message.exportName, message.maxDefects);
      break;
    case 'call':
      if (context === undefined) {
        send({ kind: 'result', requestId: message.requestId, frame: { type: 'error', request_id: message.requestId, status: 'ERROR', message: 'algorithm not loaded', error_code: '9999' } });
        break;
      }
      void runCall(context, message.requestId, message.data).then((frame) => send({ kind: 'result', requestId: message.requestId, frame }));
      break;
    case 'teardown':
      void teardown();
      break;
  }
});

async function load(root: string, modulePath: string, exportName: string, maxDefects: number): Promise<void> {
  try {
    const algorithm = await loadAlgorithm(root, modulePath, exportName);
    try {
      await algorithm.setup?.();
    } catch (error) {
      const code = ProcVisionError.isInstance(error) ? error.code : '9999';
      throw new ProcVisionError(code, `${exportName}.setup() failed: ${describe(error)}`, { cause: error });
    }
    const { info, warnings } = parseAlgorithmInfo(await algorithm.getInfo(), { source: `${exportName}.getInfo()` });
    for (const warning of warnings) logger.warn(warning);
    context = { algorithm, info, maxDefects, logger };
    send({ kind: 'ready' });
  } catch (error) {
    const code = ProcVisionError.isInstance(error) ? error.code : '9999';
    send({ kind: 'load-failed', code, message: ProcVisionError.isInstance(error) ? error.message : describe(error) });
  }
}

async function teardown(): Promise<void> {
  try {
    await context?.algorithm.teardown?.();
    send({ kind: 'teardown-done' });
  } catch (error) {
    send({ kind: 'teardown-done', error: `teardown() failed: ${describe(error)}` });
  }
}
