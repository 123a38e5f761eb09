import { AdapterServer } from './adapter-server.js';
import type { EarlyStart } from './early-start.js';
import { maxDefectsFromEnvironment } from './max-defects.js';

/**
 * Starts the protocol side of the worker-thread adapter on what {@link startEarly} set up
 * (hello sent, worker started): reads stdin, answers pings, forwards calls.
 */
export function startAdapter(argv: readonly string[], early: EarlyStart): AdapterServer {
  const server = new AdapterServer({ ...early, argv, maxDefects: maxDefectsFromEnvironment() });
  server.start();
  return server;
}
