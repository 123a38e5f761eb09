import { DEFAULT_MAX_DEFECTS } from '@procvision/manifest/limits';
import { AdapterServer } from './adapter-server.js';
import type { EarlyStart } from './early-start.js';

/**
 * Starts the protocol side of the adapter on what {@link startEarly} set up (hello sent,
 * worker started): reads stdin, answers pings, forwards calls.
 */
export function startAdapter(argv: readonly string[], early: EarlyStart): AdapterServer {
  const server = new AdapterServer({ ...early, argv, maxDefects: maxDefectsFromEnvironment() });
  server.start();
  return server;
}

function maxDefectsFromEnvironment(): number {
  const value = Number(process.env.PROC_MAX_DEFECTS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_DEFECTS;
}
