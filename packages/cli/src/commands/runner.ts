import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { packageLaunch, type PackageStore } from '@procvision/runner/store';
import type { RunnerActivateOptions, ExecOptions, InstallOptions, ServeOptions, UninstallOptions } from './runner-options.js';
import type { StoreOptions } from '../internal/store-options.js';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { assertStoreExists } from '../internal/assert-store-exists.js';
import { activationHint, commandExample, fillExample } from '../internal/contextual-example.js';
import { shellQuote } from '../internal/shell-quote.js';
import { parseParamsOption } from '../internal/parse-params.js';
import { readGuideOptions } from '../internal/guide-options.js';
import { readImageFile } from '../internal/read-image-file.js';
import { asUsageError, resolveStoreSignaturePolicy, type SignaturePolicy } from '../internal/signature/signature-policy.js';
import { checkCallerPath, readCallerPath } from '../internal/read-caller-path.js';
import { serveToken } from '../internal/serve-token.js';
import { applyServeEnvironment } from '../internal/serve-environment.js';
import { startAlgorithm } from '../internal/start-algorithm.js';
import { runProjectStep } from '../internal/step-run.js';
import { applyNpmOption } from '../internal/npm-option.js';
import { formatStepRun, stepRunDocument } from '../internal/step-run-document.js';
import { formatPackageList, supportedPidsText } from '../internal/store-format.js';
import { stationFlags } from '../internal/station-options.js';

/** What {@link withStore} may do: create the store (install), or only open an existing one. */
interface StoreAccess {
  create: boolean;
  /** Read-only commands (list, exec): no lock, no recovery, nothing written. */
  readOnly?: boolean;
  /** The flags' policy; the store adds its own `config.json`. */
  policy?: SignaturePolicy;
}

const storeConfigExample = 'echo \'{"require_signature": true, "trusted_keys": ["keys/vendor-a.pub.pem"]}\' > runtime_store/config.json';

/**
 * Opens the store of `--store` (default `$PROCVISION_STORE` or `./runtime_store`), runs `work`,
 * closes it. `list` and `exec` open it read-only (nothing is written, not even recovery). Only `install` creates a missing store; the other commands exit 2 instead of
 * leaving an empty store behind a mistyped path. An invalid `<store>/config.json` is a
 * UsageError (exit 2). The processes it starts log warnings and errors only, every line with `--debug`.
 */
export async function withStore<Result>(
  options: StoreOptions,
  output: Output,
  work: (store: PackageStore) => Promise<Result>,
  access: StoreAccess = { create: false },
): Promise<Result> {
  const { PackageStore } = await import('@procvision/runner/store');
  const root = await storeRoot(options);
  if (!access.create) assertStoreExists(root);
  const policy = access.policy === undefined ? {} : { trustedKeys: access.policy.trustedKeys, requireSignature: access.policy.requireSignature };
  const station = await resolveStation(root, options, storeConfigExample);
  const store = await asUsageError(storeConfigExample, () =>
    PackageStore.open(root, {
      ...policy,
      station,
      runnerConfig: { log_level: output.debug ? 'debug' : 'warn' },
      ...(access.readOnly === true ? { readOnly: true } : {}),
    }),
  );
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The station's runtime settings: the command's flags over `PROCVISION_*` over `<store>/config.json` (a bad one is a usage error naming it). */
async function resolveStation(root: string, options: object, example: string) {
  const { resolveStationConfig } = await import('@procvision/runner/store');
  return asUsageError(example, () => resolveStationConfig(root, { env: process.env, flags: stationFlags(options) }));
}

/** `procvision runner config [--json]`: every runtime setting in force and where it comes from. */
export async function runnerConfig(options: StoreOptions, output: Output): Promise<number> {
  const root = await storeRoot(options);
  const station = await resolveStation(root, options, commandExample('config', 0));
  const width = Math.max(...station.entries.map((entry) => entry.key.length));
  output.result({ store: root, settings: station.entries }, () =>
    [`runtime settings of ${root} (flag > env > ${resolve(root, 'config.json')} > default)`]
      .concat(station.entries.map((entry) => `${entry.key.padEnd(width)}  ${JSON.stringify(entry.value)}  (${entry.source})`))
      .join('\n'),
  );
  return ExitCodes.success;
}

async function storeRoot(options: StoreOptions): Promise<string> {
  const { defaultStoreRoot } = await import('@procvision/runner/store');
  return resolve(options.store ?? defaultStoreRoot());
}

/** `runner install <zip>`: verify (signature policy of the flags and `<store>/config.json`), extract, install offline, register. */
export async function runnerInstall(zip: string, options: InstallOptions, output: Output): Promise<number> {
  applyNpmOption(options);
  const root = await storeRoot(options);
  const policy = await resolveStoreSignaturePolicy(options, commandExample('install', 1), root);
  const { callerFileLimits } = await import('@procvision/runner');
  if (existsSync(zip))
    await checkCallerPath(zip, {
      field: '<zip>',
      maxBytes: callerFileLimits.zipBytes,
      hint: 'pass a delivery zip file',
      example: commandExample('install', 0),
    });
  const entry = await output.whileWorking(
    `installing ${zip}`,
    withStore({ store: root }, output, (store) => store.install(zip), { create: true, policy: policy.flags }),
  );
  const pidExample = entry.supported_pids.length === 0 ? '<PID>' : entry.supported_pids.join(',');
  const kind = entry.python === undefined ? '' : ` for Python ${entry.python.python_version} in ${entry.python.venv}`;
  output.result(
    entry,
    () =>
      `installed ${entry.name} ${entry.version}${kind} (PIDs ${supportedPidsText(entry)}); activate it with: procvision runner activate ${entry.name} ${entry.version} --pid ${pidExample}`,
  );
  return ExitCodes.success;
}

/** `procvision runner list`: packages, versions, states, active PIDs. */
export async function runnerList(options: StoreOptions, output: Output): Promise<number> {
  const document = await withStore(
    options,
    output,
    async (store) => ({
      store: store.paths.root,
      packages: await store.list(),
      active: await store.bindings(),
    }),
    { create: false, readOnly: true },
  );
  output.result(document, () => formatPackageList(document));
  return ExitCodes.success;
}

/** The SBOM kept with an installed version (read-only: the store is opened without its lock). */
export function readStoreSbom(name: string, version: string, options: StoreOptions, output: Output): Promise<string> {
  return withStore(options, output, (store) => store.sbom(name, version), { create: false, readOnly: true });
}

/**
 * `procvision runner activate <name> <version> --pid A01,A02`: the process is ready before the
 * PIDs flip. Over PIDs bound to another version of the same package it switches (the old one
 * becomes `previous`, for rollback); a PID bound to another package is still 2006.
 */
export async function runnerActivate(name: string, version: string, options: RunnerActivateOptions, output: Output): Promise<number> {
  output.progress(`activating ${name} ${version}...`);
  const bindings = await withStore(options, output, async (store) => {
    const current = await store.bindings();
    const bound = options.pid.map((pid) => current[pid]).filter((binding) => binding !== undefined);
    const upgrade = bound.length > 0 && bound.every((binding) => binding.name === name);
    return upgrade ? store.switch(name, version, options.pid) : store.activate(name, version, options.pid);
  });
  output.result({ name, version, pids: options.pid, active: bindings }, () => `${options.pid.join(', ')} -> ${name} ${version}`);
  return ExitCodes.success;
}

/** `procvision runner rollback <name> --pid A01`: re-activates each PID's previous version. */
export async function runnerRollback(name: string, options: RunnerActivateOptions, output: Output): Promise<number> {
  const bindings = await withStore(options, output, (store) => store.rollback(name, options.pid));
  output.result({ name, pids: options.pid, active: bindings }, () =>
    options.pid.map((pid) => `${pid} -> ${bindings[pid]?.name ?? '?'} ${bindings[pid]?.version ?? '?'}`).join('\n'),
  );
  return ExitCodes.success;
}

/** `procvision runner uninstall <name> <version> [--force]`. */
export async function runnerUninstall(name: string, version: string, options: UninstallOptions, output: Output): Promise<number> {
  const entry = await withStore(options, output, (store) => store.uninstall(name, version, { force: options.force === true }));
  output.result(entry, () => `uninstalled ${entry.name} ${entry.version}`);
  return ExitCodes.success;
}

/** `procvision runner exec --pid --image`: one step through the package active for the PID, via the runner. */
export async function runnerExec(options: ExecOptions, output: Output): Promise<number> {
  const storeFolder = options.store ?? (process.env.PROCVISION_STORE || './runtime_store');
  const example = fillExample(`procvision runner exec --pid ${shellQuote(options.pid)} --image part.jpg --store <store>`, { store: storeFolder });
  const userParams = parseParamsOption(options.params, example);
  const image = await readImageFile(options.image, example);
  const guide = await readGuideOptions(options, example);
  const active = await withStore(
    options,
    output,
    (store) =>
      store.resolveActive(options.pid).catch((error: unknown) => {
        if (ProcVisionError.isInstance(error) && error.code === ErrorCodes.activationConflict) {
          const hint = activationHint(storeFolder, options.pid);
          throw new UsageError(`${error.message} (${hint.reason})`, { code: ErrorCodes.activationConflict, example: hint.example });
        }
        throw error;
      }),
    { create: false, readOnly: true },
  );
  output.progress(`starting ${active.name} ${active.version}...`);
  const launch = active.entry.kind === 'python' ? packageLaunch(active.root, active.entry) : undefined;
  const { packageEnvironment, packageRunnerConfig } = await import('@procvision/runner/store');
  const station = await resolveStation(resolve(storeFolder), options, example);
  const algorithm = await startAlgorithm({
    root: active.root,
    name: active.name,
    version: active.version,
    output,
    config: packageRunnerConfig(station, active.name),
    env: { ...packageEnvironment(station.packages[active.name]), ...launch?.env },
    ...(launch === undefined ? {} : { adapter: launch.adapter }),
  });
  let run: Awaited<ReturnType<typeof runProjectStep>>;
  try {
    run = await runProjectStep(algorithm, { pid: options.pid, step: options.step, userParams, image, guide, example });
  } finally {
    await algorithm.close();
  }
  const document = {
    package: { name: active.name, version: active.version },
    ...stepRunDocument(run.outcome, { startup_ms: algorithm.startupMs, ...run.timings }),
  };
  output.result(document, () => `${active.name} ${active.version}\n${formatStepRun(document, relative(process.cwd(), image.path), output.colour)}`);
  return document.status === 'OK' ? ExitCodes.success : ExitCodes.failure;
}

/** `procvision runner serve`: the HTTP service until SIGINT/SIGTERM (then a graceful stop); creates the store. */
export async function runnerServe(flags: ServeOptions, output: Output): Promise<number> {
  const { serveRunner } = await import('@procvision/runner/http');
  const { createStderrLogger } = await import('@procvision/runner');
  const example = commandExample('serve', 1);
  const options = applyServeEnvironment(flags, process.env, example);
  const root = await storeRoot(options);
  const policy = await resolveStoreSignaturePolicy(options, example, root);
  for (const path of options.allowPath ?? []) {
    if (!existsSync(path) || !statSync(path).isDirectory())
      throw new UsageError(`--allow-path ${resolve(path)} is not a folder; pass folders whose files callers may name`, {
        example: `${commandExample('serve', 0)} --allow-path /srv/images`,
      });
  }
  const exposedExample = commandExample('serve', 2);
  // A token file goes to the service as a path: it reads its tokens (one per line) and re-reads it when it changes.
  const tokenFile =
    options.tokenFile === undefined
      ? undefined
      : await checkCallerPath(options.tokenFile, {
          field: '--token-file',
          maxBytes: 64 * 1024,
          hint: 'pass a file holding the token(s), one per line',
          example: exposedExample,
        });
  const token = tokenFile === undefined ? await serveToken(undefined, process.env, exposedExample) : undefined;
  const tls = await tlsFiles(options, example);
  const station = await resolveStation(root, flags, example);
  const served = await asServeUsageError(example, exposedExample, () =>
    serveRunner({
      store: root,
      host: options.host,
      port: options.port,
      logger: createStderrLogger(options.logLevel),
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
      station,
      storeOptions: { ...policy.flags },
      service: { verify: { ...policy.merged } },
      ...(token === undefined ? {} : { token }),
      ...(tokenFile === undefined ? {} : { tokenFile }),
      ...tls,
      ...(options.allowUnsigned === true ? { allowUnsigned: true } : {}),
      ...(options.repository === undefined ? {} : { repository: options.repository }),
      ...(options.pollInterval === undefined ? {} : { pollIntervalMs: options.pollInterval }),
      ...(options.allowPath === undefined ? {} : { allowPaths: options.allowPath.map((path) => resolve(path)) }),
    }),
  );
  output.result(
    { url: served.url, store: served.storeRoot },
    () => `procvision runner listening on ${served.url} (store ${served.storeRoot}); Ctrl-C stops it`,
  );
  await served.closed;
  return ExitCodes.success;
}

/** `--tls-cert`/`--tls-key` (or `$PROCVISION_TLS_CERT`/`$PROCVISION_TLS_KEY`) read; both or neither. */
async function tlsFiles(options: ServeOptions, example: string): Promise<{ tls?: { cert: Buffer; key: Buffer } }> {
  const cert = options.tlsCert ?? (process.env.PROCVISION_TLS_CERT?.trim() || undefined);
  const key = options.tlsKey ?? (process.env.PROCVISION_TLS_KEY?.trim() || undefined);
  if (cert === undefined && key === undefined) return {};
  if (cert === undefined || key === undefined)
    throw new UsageError(`HTTPS needs both --tls-cert and --tls-key (got only ${cert === undefined ? '--tls-key' : '--tls-cert'})`, {
      example: `${commandExample('serve', 0)} --tls-cert /etc/procvision/tls.crt --tls-key /etc/procvision/tls.key`,
    });
  const read = (path: string, field: string) => readCallerPath(path, { field, maxBytes: 1024 * 1024, hint: 'pass a PEM file', example });
  return { tls: { cert: await read(cert, '--tls-cert'), key: await read(key, '--tls-key') } };
}

/** The store-config errors of {@link asUsageError}, plus the service's refusals to start as configured (3002). */
async function asServeUsageError<Result>(example: string, exposedExample: string, start: () => Promise<Result>): Promise<Result> {
  try {
    return await asUsageError(example, start);
  } catch (error) {
    if (ProcVisionError.isInstance(error) && error.code === ErrorCodes.exposureRefused)
      throw new UsageError(error.message, { example: exposedExample, code: error.code, cause: error });
    throw error;
  }
}
