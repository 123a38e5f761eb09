import { createStderrLogger, type LogLevel, type RunnerLogger } from '../logger.js';
import { adapterProcessStarter } from '../store/process-starter.js';
import { PackageStore, type PackageStoreOptions } from '../store/package-store.js';
import { defaultStoreRoot } from '../store/store-paths.js';
import { createRunnerService, type RunnerService, type RunnerServiceOptions } from './create-runner-service.js';
import { serviceLogEntry } from './internal/service-log.js';
import { assertSafeExposure, isLoopbackHost } from './exposure.js';
import { readStoreSignaturePolicy } from '../store/store-signature-policy.js';
import { isAbsolute, join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { readStoreConfig } from '../store/store-config.js';
import { resolveStationConfig, type StationConfig } from '../store/station-config.js';
import { type TokenFile, watchTokenFile } from './service-token.js';

/** A config.json `repository`: a URL as it is, a path relative to the store root. */
function resolveRepository(storeRoot: string, value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || isAbsolute(value) ? value : join(storeRoot, value);
}

/** Options of {@link serveRunner} (what `procvision runner serve` passes). */
export interface ServeRunnerOptions {
  /** Store folder (default `$PROCVISION_STORE` or `./runtime_store`). */
  store?: string;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** TCP port (default 7070; 0 picks a free one). */
  port?: number;
  /** Options of the store (signature policy, runner config of its processes...). */
  storeOptions?: PackageStoreOptions;
  /** Body limits, shutdown timeout, signature checks of `/validate`, metrics registry. */
  service?: Pick<RunnerServiceOptions, 'limits' | 'shutdownTimeoutMs' | 'verify' | 'metrics'>;
  /** Folders callers may name files in (`--allow-path`); default any on loopback, none beyond. */
  allowPaths?: string[];
  /** Where the service logs (default JSON lines on stderr at `logLevel`); the store's algorithm processes log through it too. */
  logger?: RunnerLogger;
  /** Least level logged (default `info`): the service's logger and every algorithm process the store starts (their runner config `log_level`). */
  logLevel?: LogLevel;
  /** Bearer token of every route but `/health`; required beyond loopback (see `RunnerServiceOptions.token`). */
  token?: string;
  /**
   * File of the bearer tokens (one per line; several are accepted during a rotation), re-read
   * when it changes, so a rotated Kubernetes Secret takes effect without a restart. Wins over `token`.
   */
  tokenFile?: string;
  /** How often the token file is polled for changes (default 1000 ms). */
  tokenFilePollMs?: number;
  /** Serve HTTPS with this PEM certificate chain and key (`--tls-cert`, `--tls-key`). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Beyond loopback, installs (`POST /packages`, scans) and `POST /validate` require a signature
   * by a trusted key unless this is true (`--allow-unsigned`). No effect on loopback.
   */
  allowUnsigned?: boolean;
  /**
   * Desired state to reconcile from: a folder or https:// base URL with `desired.json` and the
   * zips (default: the store config.json's `repository`, a path relative to the store).
   */
  repository?: string;
  /** Time between reconciles (default 30000 ms). */
  pollIntervalMs?: number;
  /**
   * The station's runtime settings (runner config, service limits, per-package overrides);
   * default `<store>/config.json`'s. `procvision runner serve` resolves them from its flags,
   * the `PROCVISION_*` environment and the file. `service.limits` win over `station.limits`.
   */
  station?: StationConfig;
  /** Stop gracefully on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
}

/** A running service started by {@link serveRunner}. */
export interface ServedRunner {
  /** The base URL, e.g. `http://127.0.0.1:7070`. */
  url: string;
  /** The store folder in use. */
  storeRoot: string;
  service: RunnerService;
  /** Resolves once the service has shut down (a signal, or `close()`). */
  closed: Promise<void>;
  /** Graceful stop (same as a SIGTERM). */
  close(): Promise<void>;
}

/**
 * Opens the package store, starts the HTTP service on it and its active packages, and stops
 * gracefully on SIGINT/SIGTERM. This is `procvision runner serve`.
 *
 * @example
 * ```ts
 * const served = await serveRunner({ store: './runtime_store', port: 7070 });
 * process.stderr.write(`runner listening on ${served.url}\n`);
 * await served.closed;
 * ```
 */
export async function serveRunner(options: ServeRunnerOptions = {}): Promise<ServedRunner> {
  const storeRoot = options.store ?? defaultStoreRoot();
  const logger = options.logger ?? createStderrLogger(options.logLevel);
  const host = options.host ?? '127.0.0.1';
  const tokenFile: TokenFile | undefined =
    options.tokenFile === undefined
      ? undefined
      : watchTokenFile(options.tokenFile, {
          ...(options.tokenFilePollMs === undefined ? {} : { pollMs: options.tokenFilePollMs }),
          onReloaded: (count) => logger.log(serviceLogEntry('info', `token file ${options.tokenFile ?? ''} changed: ${count} token(s) accepted now`)),
          onRefused: (error) => logger.log(serviceLogEntry('error', `${error.message}; the previous token(s) stay in force`)),
        });
  const token = tokenFile ?? options.token;
  try {
    return await serveWith(options, storeRoot, logger, host, token, tokenFile);
  } catch (error) {
    tokenFile?.close();
    throw error;
  }
}

async function serveWith(
  options: ServeRunnerOptions,
  storeRoot: string,
  logger: RunnerLogger,
  host: string,
  token: RunnerServiceOptions['token'],
  tokenFile: TokenFile | undefined,
): Promise<ServedRunner> {
  assertSafeExposure(host, token === undefined ? undefined : 'set');
  const requireSignature = !isLoopbackHost(host) && options.allowUnsigned !== true;
  const station = options.station ?? (await resolveStationConfig(storeRoot));
  // The station's runner config and per-package overrides (timeouts, env) as PackageStore.open
  // would apply them, plus the service's log level and logger for every algorithm it starts.
  const runnerConfig = {
    ...station.runner,
    ...options.storeOptions?.runnerConfig,
    ...(options.logLevel === undefined ? {} : { log_level: options.logLevel }),
  };
  const storeOptions: PackageStoreOptions = {
    station,
    processStarter: adapterProcessStarter({ config: runnerConfig, packages: station.packages, instances: station.instances, logger }),
    ...options.storeOptions,
    ...(requireSignature ? { requireSignature: true } : {}),
  };
  const verify = { ...options.service?.verify, ...(requireSignature ? { requireSignature: true } : {}) };
  if (requireSignature && (verify.trustedKeys ?? []).length === 0 && (storeOptions.trustedKeys ?? []).length === 0) {
    const policy = await readStoreSignaturePolicy(storeRoot);
    if (policy.trustedKeys.length === 0) {
      throw new ProcVisionError(
        ErrorCodes.exposureRefused,
        `listening on ${host} requires signed packages but no trusted key is configured: pass --trusted-key vendor.pub.pem (or list trusted_keys in the store's config.json), or --allow-unsigned to accept unsigned zips`,
      );
    }
  }
  const store = await PackageStore.open(storeRoot, storeOptions);
  const configured = (await readStoreConfig(store.paths.root))?.repository;
  const repository = options.repository ?? (configured === undefined ? undefined : resolveRepository(store.paths.root, configured));
  const service = createRunnerService({
    ...(repository === undefined
      ? {}
      : { repository: { location: repository, ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }) } }),
    store,
    logger,
    ...options.service,
    limits: { ...station.limits, ...options.service?.limits },
    verify,
    ...(token === undefined ? {} : { token }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(options.allowPaths === undefined ? {} : { allowPaths: options.allowPaths }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const signals: NodeJS.Signals[] = options.handleSignals === false ? [] : ['SIGINT', 'SIGTERM'];
  const close = async (): Promise<void> => {
    tokenFile?.close();
    try {
      await service.close();
    } finally {
      // Only now: see the listener's comment below.
      for (const signal of signals) process.off(signal, onSignal);
    }
    resolveClosed();
  };
  let signalled = false;
  function onSignal(signal: NodeJS.Signals): void {
    if (signalled) {
      // A second signal: stop now (the exit hooks SIGKILL the algorithm processes).
      for (const each of signals) process.off(each, onSignal);
      process.kill(process.pid, signal);
      return;
    }
    signalled = true;
    logger.log(serviceLogEntry('info', `${signal}: finishing in-flight requests and stopping the algorithm processes`));
    void close();
  }
  // `on`, not `once`, and removed only once the stop is done: while the graceful stop runs this
  // listener must stay registered, or the exit hooks (signal-exit, registered later by the
  // processes the store starts) see no other listener and re-raise the signal, killing the
  // service mid-stop.
  for (const signal of signals) process.on(signal, onSignal);
  try {
    const url = await service.listen();
    return { url, storeRoot: store.paths.root, service, closed, close };
  } catch (error) {
    await close();
    throw error;
  }
}
