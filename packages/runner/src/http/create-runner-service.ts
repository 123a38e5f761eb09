import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { checkServiceToken, type TokenSet } from './service-token.js';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, ProcVisionError, type RunnerConfigInput } from '@procvision/manifest';
import type { VerifyOptions } from '@procvision/packager';
import { createStderrLogger, type RunnerLogger } from '../logger.js';
import type { RunnerMetrics, RunnerMetricsOptions } from '../process/runner-metrics.js';
import type { PackageSpec } from '../process/package-spec.js';
import { cleanupOrphanFrameFolders, cleanupOrphanSegments } from '@procvision/shm';
import { withAccessLog } from './access-log.js';
import { bearerAuthorizer } from './auth.js';
import { FileReadGate } from './file-read-gate.js';
import { assertSafeExposure, isLoopbackHost } from './exposure.js';
import { pathRedactor } from './internal/redact-paths.js';
import { createUploadDirectory, sweepUploadLeftovers } from './internal/upload-directory.js';
import { resolveServiceLimits, type ServiceLimits, defaultServiceLimits } from './service-limits.js';
import { Runner } from '../process/runner.js';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import { InflightRequests } from './internal/inflight-requests.js';
import { runnerVersion } from '../internal/runner-version.js';
import { openApiDocument } from './openapi/openapi-document.js';
import { serviceLogEntry } from './internal/service-log.js';
import { type ProcessSource, storeProcessSource } from './process-source.js';
import { BodyBudget } from './body-budget.js';
import { guardConnections } from './connection-guard.js';
import { createRequestHandler } from './request-handler.js';
import type { Route } from './router.js';
import { checkLiveness, checkReadiness } from './ready-check.js';
import { healthRoutes } from './routes/health-routes.js';
import { packageRoutes } from './routes/package-routes.js';
import { desiredStateRoutes } from './routes/state-routes.js';
import { Reconciler } from '../store/reconciler.js';
import { sessionRoutes } from './routes/session-routes.js';
import { validateRoute } from './routes/validate-route.js';
import { recordRoutes } from './routes/record-routes.js';
import { Recorder } from '../records/recorder.js';
import { ShadowRuns } from '../records/shadow-runs.js';
import { replayRoutes } from './routes/replay-routes.js';
import { shadowRoutes } from './routes/shadow-routes.js';
import type { ServiceContext } from './service-context.js';
import type { BodyLimits } from './service-limits.js';
import { ServiceMetrics } from './service-metrics.js';
import type { ServiceStore } from './service-store.js';
import { specProcessSource } from './spec-process-source.js';

/** Options of {@link createRunnerService}. */
export interface RunnerServiceOptions {
  /** The package store (`PackageStore`): its active packages serve the inspections, its operations get routes. */
  store?: ServiceStore;
  /** Without a store: package folders to start and serve (a pid goes to the package whose `supported_pids` has it). */
  packages?: PackageSpec[];
  /** Runner config of the `packages` processes (the store's processes use the store's config). */
  runnerConfig?: RunnerConfigInput;
  /** Restart back-off of the `packages` processes. */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Interface to bind (default `127.0.0.1`: not reachable from other machines unless asked). */
  host?: string;
  /** TCP port (default 7070; 0 picks a free port, read it from `url`). */
  port?: number;
  /**
   * Limits (see `ServiceLimits`): body sizes (default 64 MiB JSON, 1 GiB zip), sessions (256,
   * 10 min idle), JSON depth (64) and value size, pixels per frame (12.6 MP), header and request
   * timeouts, connections, concurrent file reads.
   */
  limits?: Partial<ServiceLimits>;
  /**
   * Folders whose files callers may name by path (`image.path`, zip `path`), symbolic links
   * resolved. Default: any path on loopback, none beyond loopback (send bytes instead).
   */
  allowPaths?: string[];
  /** How `POST /validate` checks signatures (trusted keys, required or not). */
  verify?: VerifyOptions;
  /** How long `close()` waits for in-flight requests before cutting their connections (default 30000 ms). */
  shutdownTimeoutMs?: number;
  /**
   * Bearer token every request but `/health` must carry (`Authorization: Bearer <token>`).
   * Required to listen beyond loopback: `listen()` refuses (3002) a non-loopback `host` without one.
   * At least 16 characters and not a known placeholder (3002 otherwise). A {@link TokenSet}
   * (e.g. `watchTokenFile`) accepts each of its current tokens, several during a rotation.
   */
  token?: string | TokenSet;
  /**
   * Serve HTTPS (node:https) with this PEM certificate chain and private key: beyond loopback
   * the token then never crosses the network in clear. The URL becomes `https://...`.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Where the service logs access lines, 5xx answers, warnings and start-up failures (default JSON lines on stderr). */
  logger?: RunnerLogger;
  /** Where the metrics go: an embedder's prom-client registry, default process metrics on or off. */
  metrics?: RunnerMetricsOptions;
  /**
   * Desired state: a folder or https:// base URL holding `desired.json` and delivery zips. The
   * service reconciles its store to it after `listen()`, every `pollIntervalMs` (default 30000)
   * and on `POST /reconcile`; `GET /state` reports desired vs actual. Needs `store`.
   */
  repository?: { location: string; pollIntervalMs?: number };
}

/** A runner service: create it, `listen()`, `close()`. */
export interface RunnerService {
  /** Binds the port, then starts the active packages; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: refuse new requests (503), finish in-flight ones, close connections, stop processes. */
  close(): Promise<void>;
  /** The base URL (`http://127.0.0.1:7070`); throws before `listen()`. */
  readonly url: string;
  /** The underlying node:http server. */
  readonly server: Server;
  /** The service's metrics (`metrics.registry` is what `GET /metrics` serves). */
  readonly metrics: RunnerMetrics;
}

/** Default body limits. */
export const defaultBodyLimits: BodyLimits = { jsonBytes: defaultServiceLimits.jsonBytes, zipBytes: defaultServiceLimits.zipBytes };

/**
 * The runner as a long-lived HTTP service (node:http, JSON API): health, readiness and
 * Prometheus metrics; the store operations; validation of zips; sessions, steps and one-shot
 * executions through real algorithm processes and shared memory. Errors are
 * `{error: {code, name, message}}` with a status mapped from the code (`httpStatusOfErrorCode`).
 *
 * @example
 * ```ts
 * const store = await PackageStore.open('./runtime_store');
 * const service = createRunnerService({ store, port: 0 });
 * const url = await service.listen();
 * const response = await fetch(`${url}/execute`, { method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ pid: 'A01', step_index: 1, image: jpegBytes.toString('base64') }) });
 * await service.close();
 * ```
 */
export function createRunnerService(options: RunnerServiceOptions = {}): RunnerService {
  if (typeof options.token === 'string') checkServiceToken(options.token, 'the runner token');
  const { store } = options;
  const logger = options.logger ?? createStderrLogger();
  const limits = resolveServiceLimits(options.limits);
  const host = options.host ?? '127.0.0.1';
  const metrics = new ServiceMetrics(options.metrics ?? {});
  const recorder = store?.paths === undefined ? undefined : new Recorder(store.paths.records, store.recording ?? {});
  if (recorder !== undefined) metrics.watchRecorder(recorder);
  const startDetached = store?.startDetached?.bind(store);
  const shadowRecords = store?.paths === undefined ? undefined : (store.paths.shadowRecords ?? join(store.paths.root, 'shadow-records'));
  const shadows =
    startDetached === undefined
      ? undefined
      : new ShadowRuns({
          startDetached,
          logger,
          ...(shadowRecords === undefined ? {} : { recordsRoot: shadowRecords }),
          onCompared: (pid, active, candidate) => metrics.shadowCompared(pid, active, candidate),
          onDropped: (pid) => metrics.shadowDropped(pid),
        });
  const observers = [...(recorder?.enabled === true ? [recorder.observe] : []), ...(shadows === undefined ? [] : [shadows.observe])];
  const storeSource = store ? storeProcessSource(store) : undefined;
  // One step engine: the store's processes come from its source, package folders are started in it.
  const runner = new Runner({
    ...(store ? {} : options.runnerConfig ? { config: options.runnerConfig } : {}),
    logger,
    ...(options.restartBackoff ? { restartBackoff: options.restartBackoff } : {}),
    maxSessions: limits.maxSessions,
    sessionIdleMs: limits.sessionIdleMs,
    ...(storeSource ? { source: storeSource } : {}),
    onProcess: (process) => watchProcess(process),
    ...(observers.length === 0 ? {} : { observers }),
  });
  const source: ProcessSource = storeSource ?? specProcessSource(options.packages ?? [], runner);
  // The runner's own processes emit on its emitter (watched once); a store's have their own.
  const watchProcess = (process: AlgorithmProcess): void => {
    if (process.events !== runner.events) metrics.watch(process);
    metrics.track(process);
  };
  metrics.runner.watch(runner);
  if (store) metrics.runner.bindings(() => store.bindings());
  const inflight = new InflightRequests();
  // connectionsCheckingInterval: how often node:http enforces the two timeouts (default 30 s, too coarse for a 10 s limit).
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, limits.headersTimeoutMs / 2)),
  };
  const server: Server =
    options.tls === undefined ? createServer(serverOptions) : createTlsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key });
  const connectionGuard = guardConnections(server, limits);
  let uploadDirectory = '';
  let boundUrl: string | undefined;
  let phase: 'idle' | 'starting' | 'started' = 'idle';
  let closing: Promise<void> | undefined;
  let storeWatch: NodeJS.Timeout | undefined;
  /** The store change being followed now (close waits for it before stopping the processes). */
  let following: Promise<void> | undefined;

  const watchPids = async (pids: readonly string[]): Promise<void> => {
    for (const pid of pids)
      await source.processFor(pid).then(
        (process) => watchProcess(process),
        () => undefined,
      );
  };
  const context: ServiceContext = {
    runner,
    metrics,
    watchPids,
    limits,
    allowedRoots: options.allowPaths ?? (isLoopbackHost(host) ? undefined : []),
    fileReads: new FileReadGate(limits.maxConcurrentFileReads),
    get uploadDirectory() {
      return uploadDirectory;
    },
  };
  if (options.repository !== undefined && store === undefined)
    throw new ProcVisionError(ErrorCodes.invalidParams, 'a repository needs a store to reconcile: give `store`');
  const reconciler =
    options.repository === undefined || store === undefined
      ? undefined
      : new Reconciler(store, {
          repository: options.repository.location,
          ...(options.repository.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.repository.pollIntervalMs }),
          onActivated: watchPids,
          onReconciled(state, error) {
            metrics.recordReconcile(error === undefined, state.pids.filter((pid) => pid.status !== 'in_sync').length);
            if (state.last_reconcile !== null && state.last_reconcile.changes.length > 0)
              logger.log(serviceLogEntry('info', `reconciled from ${state.repository}: ${state.last_reconcile.changes.join('; ')}`));
            if (error !== undefined) logger.log(serviceLogEntry('warn', `reconcile from ${state.repository} failed (${error.code}): ${error.message}`));
          },
        });
  const readiness = async () => {
    const report = await checkReadiness(source, { started: phase === 'started', closing: closing !== undefined });
    if (reconciler === undefined) return report;
    const state = await reconciler.state();
    return { ...report, desired_state: { in_sync: state.in_sync, last_error: state.last_error } };
  };
  const liveness = () => checkLiveness(source, { started: phase === 'started', failedLivenessMs: limits.failedLivenessMs });
  const routes: Route[] = [
    ...healthRoutes(context, readiness, liveness),
    ...sessionRoutes(context),
    validateRoute(context, { ...(store?.pythonInterpreter === undefined ? {} : { python: store.pythonInterpreter }), ...options.verify }),
    ...(store ? packageRoutes(context, store) : []),
    ...desiredStateRoutes(reconciler),
    ...(store?.paths === undefined ? [] : recordRoutes(store.paths.records, recorder)),
    ...(store?.paths === undefined || startDetached === undefined || shadowRecords === undefined
      ? []
      : replayRoutes(context, { records: store.paths.records, shadowRecords, recorder, startDetached })),
    ...(shadows === undefined ? [] : shadowRoutes(context, shadows)),
  ];
  routes.push({
    method: 'GET',
    pattern: '/',
    handle: () => ({ json: { service: 'procvision-runner', routes: routes.map((route) => `${route.method} ${route.pattern}`) } }),
  });
  let document: unknown;
  routes.push({ method: 'GET', pattern: '/openapi.json', handle: () => ({ json: (document ??= openApiDocument(routes, runnerVersion)) }) });

  const storeRoot = store?.paths?.root;
  const redact = pathRedactor(() => [
    ...(uploadDirectory === '' ? [] : [[uploadDirectory, '<upload>'] as const]),
    ...(storeRoot === undefined ? [] : [[storeRoot, '<store>'] as const]),
  ]);
  const handle = withAccessLog(
    createRequestHandler({
      routes,
      metrics,
      logger,
      isClosing: () => closing !== undefined,
      authorize: bearerAuthorizer(options.token),
      redact,
      connectionGuard,
      bodyBudget: new BodyBudget(limits.bodyBudgetBytes),
    }),
    { routes, logger },
  );
  server.on('request', (request: IncomingMessage, response: ServerResponse) => inflight.track(handle(request, response)));

  /** Start-up sweep: shared-memory segments, private frame folders and upload folders of a predecessor killed with SIGKILL. */
  function sweepPredecessor(): void {
    const segments = cleanupOrphanSegments();
    const frameFolders = cleanupOrphanFrameFolders();
    const uploads = sweepUploadLeftovers(tmpdir());
    if (segments.length + frameFolders.length + uploads.length > 0)
      logger.log(
        serviceLogEntry(
          'info',
          `removed ${segments.length} orphan shared-memory segment(s), ${frameFolders.length} frame folder(s) and ${uploads.length} upload folder(s) of a runner that was killed`,
        ),
      );
  }

  async function startPackages(): Promise<void> {
    phase = 'starting';
    const stamp = await store?.changeStamp?.();
    await source.start();
    for (const entry of await source.packages()) {
      if (entry.error !== undefined) logger.log(serviceLogEntry('error', `package ${entry.name}@${entry.version} did not start: ${entry.error}`));
      await watchPids(entry.pids);
    }
    phase = 'started';
    if (store !== undefined && boundUrl !== undefined) await store.announceService?.(boundUrl);
    if (stamp !== undefined) storeWatch = watchStore(stamp);
  }

  /**
   * Polls the store's change stamp every `storeWatchMs`; when another process (the CLI, another
   * service) changed the registry or the bindings, the processes follow: versions no longer
   * bound stop, newly bound ones start, readiness is refreshed.
   */
  function watchStore(initial: string): NodeJS.Timeout | undefined {
    const stampOf = store?.changeStamp?.bind(store);
    const refresh = source.refresh?.bind(source);
    if (stampOf === undefined || refresh === undefined) return undefined;
    let stamp = initial;
    let busy = false;
    const timer = setInterval(() => {
      if (busy || closing !== undefined) return;
      busy = true;
      following = (async () => {
        const now = await stampOf();
        if (now === stamp) return;
        stamp = now;
        const pids = await refresh();
        await watchPids(pids);
        for (const entry of await source.packages())
          if (entry.error !== undefined) logger.log(serviceLogEntry('error', `package ${entry.name}@${entry.version} did not start: ${entry.error}`));
      })()
        .catch((error: unknown) => logger.log(serviceLogEntry('warn', `following a change of the store failed: ${(error as Error).message}; retrying`)))
        .finally(() => {
          busy = false;
          following = undefined;
        });
    }, limits.storeWatchMs);
    timer.unref();
    return timer;
  }

  return {
    server,
    metrics: metrics.runner,
    get url() {
      if (boundUrl === undefined) throw new Error('the runner service is not listening; call listen() first');
      return boundUrl;
    },
    async listen() {
      assertSafeExposure(host, options.token === undefined ? undefined : 'set');
      sweepPredecessor();
      uploadDirectory = await createUploadDirectory(tmpdir());
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 7070, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      boundUrl = `${options.tls === undefined ? 'http' : 'https'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      try {
        await startPackages();
      } catch (error) {
        await this.close();
        throw error;
      }
      reconciler?.start();
      return boundUrl;
    },
    close() {
      closing ??= (async () => {
        clearInterval(storeWatch);
        const timeoutMs = options.shutdownTimeoutMs ?? 30_000;
        // A change being followed may be starting processes: let it finish (within the shutdown
        // timeout), or the stop below races it and the processes it starts outlive the service.
        if (following !== undefined) await Promise.race([following, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (!(await inflight.drain(timeoutMs)))
          logger.log(serviceLogEntry('warn', `requests still in flight after ${timeoutMs} ms; closing their connections`));
        server.closeAllConnections();
        await stopped;
        await reconciler?.stop();
        metrics.close();
        await runner.close();
        await shadows?.close();
        await recorder?.close();
        await source.stop();
        if (uploadDirectory !== '') await rm(uploadDirectory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
