import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifyOptions } from '@procvision/packager';
import { type RunnerLogger, createStderrLogger } from '../logger.js';
import { serviceLogEntry } from './internal/service-log.js';
import type { PackageSpec } from '../package-spec.js';
import { Runner } from '../runner.js';
import { HttpError, toErrorResponse } from './http-error.js';
import { InflightRequests } from './internal/inflight-requests.js';
import { findRoute, type Route } from './router.js';
import { healthRoutes } from './routes/health-routes.js';
import { packageRoutes } from './routes/package-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { validateRoute } from './routes/validate-route.js';
import { sendResponse } from './send-response.js';
import type { BodyLimits, ServiceContext } from './service-context.js';
import { ServiceMetrics } from './service-metrics.js';
import { ServicePackages } from './service-packages.js';
import type { ServiceStore } from './service-store.js';

/** Options of {@link createRunnerService}. */
export interface RunnerServiceOptions {
  /** The package store (its runner runs the inspections). Without it, only `packages` are served and the store routes answer 404. */
  store?: ServiceStore;
  /** The runner, when there is no store (default: a new one with the default config). */
  runner?: Runner;
  /** Packages to start and serve without a store (each pid goes to the package whose `supported_pids` has it). */
  packages?: PackageSpec[];
  /** Interface to bind (default `127.0.0.1`: the service is not reachable from other machines unless asked). */
  host?: string;
  /** TCP port (default 7070; 0 picks a free port, read it from `url`). */
  port?: number;
  /** Body size limits (default 64 MiB JSON, 1 GiB zip). */
  limits?: Partial<BodyLimits>;
  /** How `POST /validate` checks signatures (trusted keys, required or not). */
  verify?: VerifyOptions;
  /** How long `close()` waits for in-flight requests before cutting connections (default 30000 ms). */
  shutdownTimeoutMs?: number;
  /** Where the service logs 5xx answers and start-up failures (default JSON lines on stderr). */
  logger?: RunnerLogger;
}

/** A running (or ready to run) runner service. */
export interface RunnerService {
  /** Binds the port, opens the store and starts the active packages; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: refuse new requests (503), finish in-flight ones, close connections, stop processes. */
  close(): Promise<void>;
  /** The base URL (`http://127.0.0.1:7070`); throws before `listen()`. */
  readonly url: string;
  /** The runner that runs the inspections. */
  readonly runner: Runner;
  /** The underlying node:http server. */
  readonly server: Server;
}

/** Default body limits. */
export const defaultBodyLimits: BodyLimits = { jsonBytes: 64 * 1024 * 1024, zipBytes: 1024 * 1024 * 1024 };

/**
 * The runner as a long-lived HTTP service (node:http, JSON API): health, readiness and
 * Prometheus metrics; the store operations; validation of zips; sessions, steps and one-shot
 * executions through the real runner. Errors are `{error: {code, name, message}}` with a
 * status mapped from the code (see `httpStatusOfErrorCode`).
 *
 * @example
 * ```ts
 * const service = createRunnerService({ packages: [{ root: '/opt/algorithms/screw-check' }], port: 0 });
 * const url = await service.listen();
 * const response = await fetch(`${url}/execute`, { method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ pid: 'A01', step_index: 1, image: jpegBytes.toString('base64') }) });
 * await service.close();
 * ```
 */
export function createRunnerService(options: RunnerServiceOptions = {}): RunnerService {
  const store = options.store;
  const runner = store?.runner ?? options.runner ?? new Runner();
  const logger = options.logger ?? createStderrLogger();
  const metrics = new ServiceMetrics(runner);
  const packages = new ServicePackages({ runner, store, specs: options.packages ?? [], log: (message) => logger.log(serviceLogEntry('error', message)) });
  const inflight = new InflightRequests();
  const server = createServer({ requestTimeout: 0 });
  let uploadDirectory = '';
  let boundUrl: string | undefined;
  let closing: Promise<void> | undefined;

  const context: ServiceContext = {
    runner,
    store,
    metrics,
    limits: { ...defaultBodyLimits, ...options.limits },
    get uploadDirectory() {
      return uploadDirectory;
    },
    packageFor: (pid) => packages.packageFor(pid),
  };
  const routes: Route[] = [
    ...healthRoutes(context, () => packages.readiness(closing !== undefined)),
    ...sessionRoutes(context),
    validateRoute(context, options.verify ?? {}),
    ...(store ? packageRoutes(context, store) : []),
  ];
  routes.push({ method: 'GET', pattern: '/', handle: () => ({ json: { service: 'procvision-runner', routes: routes.map((route) => `${route.method} ${route.pattern}`) } }) });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const answered = metrics.requestStart();
    const method = request.method ?? 'GET';
    let routeLabel = 'unmatched';
    let status = 500;
    const extraHeaders: Record<string, string> = closing ? { connection: 'close' } : {};
    try {
      if (closing) throw new HttpError('shutting_down', 'the runner service is shutting down; retry against another instance or after the restart');
      const url = new URL(request.url ?? '/', 'http://service.invalid');
      const match = findRoute(routes, method, url.pathname);
      routeLabel = match.route.pattern;
      status = sendResponse(response, await match.route.handle({ request, params: match.params, query: url.searchParams }), extraHeaders);
    } catch (error) {
      const failure = toErrorResponse(error);
      if (failure.status >= 500 && !(error instanceof HttpError)) logger.log(serviceLogEntry('error', `${method} ${request.url}: ${failure.body.error.message}`));
      if (!response.headersSent) status = sendResponse(response, { status: failure.status, json: failure.body }, { ...extraHeaders, ...failure.headers });
      else response.destroy();
    } finally {
      answered(method, routeLabel, status);
    }
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => inflight.track(handle(request, response)));

  return {
    runner,
    server,
    get url() {
      if (boundUrl === undefined) throw new Error('the runner service is not listening; call listen() first');
      return boundUrl;
    },
    async listen() {
      uploadDirectory = await mkdtemp(join(tmpdir(), 'procvision-http-'));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 7070, options.host ?? '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      boundUrl = `http://${host}:${address.port}`;
      try {
        await packages.start();
      } catch (error) {
        await this.close();
        throw error;
      }
      return boundUrl;
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const finished = await inflight.drain(options.shutdownTimeoutMs ?? 30_000);
        if (!finished) logger.log(serviceLogEntry('warn', `in-flight requests still running after ${options.shutdownTimeoutMs ?? 30_000} ms; closing their connections`));
        server.closeAllConnections();
        if (server.listening) await stopped;
        metrics.close();
        await packages.stop();
        if (uploadDirectory !== '') await rm(uploadDirectory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
