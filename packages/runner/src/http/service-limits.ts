import { callerFileLimits } from '../caller-file/read-caller-file.js';

/** Body size limits of the service, in bytes. */
export interface BodyLimits {
  /** JSON bodies (Base64 images included). Default 64 MiB. */
  jsonBytes: number;
  /** Uploaded delivery zips (`POST /packages`, `POST /validate`). Default 1 GiB. */
  zipBytes: number;
}

/**
 * Every limit of the runner service: what a caller can make it hold, read or wait for. Each is
 * configurable (`limits` of `createRunnerService`); the defaults fit a station with 12-megapixel
 * cameras and a handful of concurrent inspections.
 */
export interface ServiceLimits extends BodyLimits {
  /** Live sessions at once (default 256); one more is 429 with `Retry-After` (3006). */
  maxSessions: number;
  /** A session untouched this long ends by itself (default 600000 ms = 10 min). */
  sessionIdleMs: number;
  /** Deepest nesting of arrays/objects in a JSON body (default 64); deeper is 422 (3007). */
  maxJsonDepth: number;
  /** Largest `context` or `user_params` once serialised (default 65536 bytes); larger is 422 (3007). */
  maxJsonValueBytes: number;
  /**
   * Most pixels (width x height, read from the image header before decoding) of one frame
   * (default 4096 x 3072 = 12,582,912: a 12-megapixel camera); more is 422 (3008).
   */
  maxFramePixels: number;
  /** Time for a client to send the request headers (default 5000 ms; node:http `headersTimeout`). */
  headersTimeoutMs: number;
  /**
   * Time for a client to send the whole request, body included (default 300000 ms;
   * `requestTimeout`). Only authenticated requests get to send a body: any earlier answer
   * (401, 413, 415...) closes the connection at once.
   */
  requestTimeoutMs: number;
  /**
   * TCP connections served at once (default 256). Connections beyond it (or beyond
   * `maxConnectionsPerClient`) are accepted but may only ask `/health` and live at most
   * `restrictedConnectionMs`; beyond 4 x this they are dropped.
   */
  maxConnections: number;
  /** TCP connections served at once from one remote address (default 64). */
  maxConnectionsPerClient: number;
  /** Lifetime of a connection beyond the caps (default 2000 ms). */
  restrictedConnectionMs: number;
  /**
   * Bytes of request bodies held in memory at once, all requests together (default 192 MiB);
   * a body that would pass it is 503 with `Retry-After` (3009) and its connection closed.
   */
  bodyBudgetBytes: number;
  /** Reads of caller-named files in flight at once (default 8); more is 503 with `Retry-After` (3009). */
  maxConcurrentFileReads: number;
  /**
   * How often a service on a package store checks it for changes made by another process (the
   * CLI, another service), in ms (default 1000); on a change it stops the processes of versions
   * no longer bound and starts the newly bound ones.
   */
  storeWatchMs: number;
  /**
   * `/health` (liveness) answers 503 once every active package has been failing (`failed`, or
   * retrying after it, never ready since) for this long, in ms (default 600000 = 10 min), so an
   * orchestrator restarts the station.
   */
  failedLivenessMs: number;
}

/** Default limits of the runner service. */
export const defaultServiceLimits: ServiceLimits = {
  jsonBytes: callerFileLimits.imageBytes,
  zipBytes: callerFileLimits.zipBytes,
  maxSessions: 256,
  sessionIdleMs: 10 * 60 * 1000,
  maxJsonDepth: 64,
  maxJsonValueBytes: 64 * 1024,
  maxFramePixels: 4096 * 3072,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 300_000,
  maxConnections: 256,
  maxConnectionsPerClient: 64,
  restrictedConnectionMs: 2_000,
  maxConcurrentFileReads: 8,
  bodyBudgetBytes: 192 * 1024 * 1024,
  storeWatchMs: 1_000,
  failedLivenessMs: 10 * 60 * 1000,
};

/** The defaults with `overrides` applied; a limit that is not a positive number is a TypeError naming it. */
export function resolveServiceLimits(overrides: Partial<ServiceLimits> = {}): ServiceLimits {
  const limits = { ...defaultServiceLimits, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`limits.${name} must be a positive number, got ${String(value)}`);
  }
  return limits;
}
