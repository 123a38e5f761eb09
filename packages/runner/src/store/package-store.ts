import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ProcVisionError, type RunnerConfigInput, ErrorCodes } from '@procvision/manifest';
import type { KeyInput } from '@procvision/packager';
import type { AlgorithmProcess } from '../process/algorithm-process.js';
import { type ActiveBinding, type ActiveBindings, readActiveBindings, refersTo } from './active-bindings.js';
import { activatePackage, deactivatePids, ensureProcess, restoreBindings, stopUnboundProcesses } from './activate.js';
import { audited, defaultActor } from './audit-log.js';
import { installPackage } from './install-package.js';
import type { ZipArchiveName } from './commit-staged-package.js';
import type { InstallStageListener } from './install-stage.js';
import { readStoreConfig } from './store-config.js';
import type { RecordingConfig } from '../records/recording-config.js';
import { resolveStationConfig, type StationConfig } from './station-config.js';
import { processKey, type StoreContext } from './internal/store-context.js';
import { adapterProcessStarter, type ProcessStarter, type StartedProcess } from './process-starter.js';
import { prunePackages, type PruneOptions } from './prune.js';
import { journalFolder, StoreJournal, type JournalListener } from './internal/store-journal.js';
import { recoverStore } from './recover-store.js';
import { findEntry, readRegistry, type RegistryEntry } from './registry.js';
import { onDisk } from '../internal/disk-condition.js';
import { LiveServiceRecord, liveServices, type LiveService } from './live-services.js';
import { rollbackPids } from './rollback.js';
import { scanZips, type ScanOutcome } from './scan-zips.js';
import { readStoreSignaturePolicy } from './store-signature-policy.js';
import { storeLockHeld, withStoreLock, type StoreLockOptions } from './store-lock.js';
import { defaultStoreRoot, deployedPath, storePaths, type StorePaths } from './store-paths.js';
import { uninstallPackage, type UninstallOptions } from './uninstall.js';

/** Options of {@link PackageStore.open}. */
export interface PackageStoreOptions {
  /** Refuse unsigned zips (2008). Added to `<store>/config.json`'s `require_signature`: it cannot turn it off. */
  requireSignature?: boolean;
  /** ed25519 public keys (PEM or KeyObject) signatures are checked against, besides `<store>/config.json`'s `trusted_keys`. */
  trustedKeys?: readonly KeyInput[];
  /** npm-cli.js to run installs with (default: next to the node binary). */
  npmCli?: string;
  /** How packages' processes are started (default {@link adapterProcessStarter} with `runnerConfig`). */
  processStarter?: ProcessStarter;
  /** Runner config of the default process starter; wins over the station's (`station.runner`). */
  runnerConfig?: RunnerConfigInput;
  /**
   * The station's runtime settings (runner config, per-package overrides, audit log rotation);
   * default `<store>/config.json`'s (see {@link resolveStationConfig}).
   */
  station?: StationConfig;
  /** Store lock timing. */
  lock?: StoreLockOptions;
  /** Who the audit log names (default `user@host pid N`). */
  actor?: string;
  /** Timeout of an install's entry smoke-load (default 30000 ms). */
  smokeLoadTimeoutMs?: number;
  /**
   * The interpreter Python packages are checked against and get their venv from (command or
   * path); default `<store>/config.json`'s `python`, else `python3`.
   */
  python?: string;
  /** Whether Python packages' venvs see the interpreter's site-packages; default `<store>/config.json`'s `python_system_site_packages`, else false. */
  pythonSystemSitePackages?: boolean;
  /** Per-PID step recording; default `<store>/config.json`'s `recording`, else none. */
  recording?: RecordingConfig;
  /** Observes every install's stages (progress; tests kill the installer at each stage with it). */
  onInstallStage?: InstallStageListener;
  /**
   * Open for reading only (`list`, `bindings`, `resolveActive`): no folder is created, no lock
   * taken, no recovery run, nothing written; the mutating operations refuse (2005). A missing
   * registry.json is rebuilt in memory from the install records.
   */
  readOnly?: boolean;
  /** Observes every journal intent of a mutating operation before it acts on it (tests freeze or kill the operation there). */
  onJournal?: JournalListener;
}

/** An installed version as {@link PackageStore.list} shows it. */
export interface StorePackage extends Omit<RegistryEntry, 'state'> {
  /** `deployed`, or `running` / `failed` while this store runs its process. */
  state: 'deployed' | 'stopped' | 'running' | 'failed';
  /** PIDs bound to this version. */
  active_pids: string[];
}

/** The package a PID runs. */
export interface ActivePackage {
  pid: string;
  name: string;
  version: string;
  /** `deployed/<name>/<version>/`: give it to `Runner.startPackage({root})`. */
  root: string;
  entry: RegistryEntry;
  binding: ActiveBinding;
}

/** What {@link PackageStore.converge} did. */
export interface ConvergeOutcome {
  /** `name@version` of the processes stopped because no PID is bound to their version any more. */
  stopped: string[];
}

/** Options of {@link PackageStore.install}. */
export interface InstallZipOptions {
  /** The file name of the archived copy in `algorithms/zips/` (default the zip's own). */
  archive?: ZipArchiveName;
}

/** Per-call override of the process starter. */
export interface ActivateOptions {
  processStarter?: ProcessStarter;
}

/**
 * The runner's package store (docs/spec/delivery.md): offline installs of delivery zips, a scan of
 * `algorithms/zips/`, activation / switch / rollback of PIDs, uninstall, prune. Every mutating
 * operation holds the inter-process store lock, first removes what a killed operation left
 * behind, and is audited in `logs/audit.jsonl`.
 *
 * @example
 * ```ts
 * const store = await PackageStore.open('/opt/procvision/runtime_store', { requireSignature: true, trustedKeys: [publicKeyPem] });
 * const entry = await store.install('screw-check-v1.2.0-linux-x64-glibc-offline.zip');
 * await store.activate(entry.name, entry.version, ['A01']);
 * const active = await store.resolveActive('A01'); // { root: '.../deployed/screw-check/1.2.0', ... }
 * await store.close();
 * ```
 */
export class PackageStore {
  private readonly context: StoreContext;
  private readonly actor: string;
  /** This process's operations on the store, one at a time (the store lock orders them against other processes). */
  private serial: Promise<unknown> = Promise.resolve();
  /** This process's record as a live service on the store (see {@link PackageStore.announceService}). */
  private serviceRecord: LiveServiceRecord | undefined;

  private constructor(
    readonly paths: StorePaths,
    private readonly options: PackageStoreOptions,
    /** The station's runtime settings in force. */
    readonly station: StationConfig,
  ) {
    this.context = {
      paths,
      running: new Map(),
      starting: new Map(),
      starter:
        options.processStarter ??
        adapterProcessStarter({ config: { ...station.runner, ...options.runnerConfig }, packages: station.packages, instances: station.instances }),
    };
    this.actor = options.actor ?? defaultActor();
  }

  /**
   * Opens (creating its folders) the store at `root` (default `$PROCVISION_STORE` or
   * `./runtime_store`) and removes debris of killed operations, waiting for the store lock.
   * The signature policy of `<root>/config.json` (`{"require_signature": true, "trusted_keys":
   * ["keys/vendor-a.pub.pem"]}`, key paths relative to the store) applies to every install and
   * scan: `options.trustedKeys` are added to its keys, and a signature is required when either
   * asks for it. With `readOnly`, nothing is created or written (see {@link PackageStoreOptions.readOnly}).
   * @throws StoreConfigError (2008) for an invalid config.json or key file, naming the file and field; nothing is created
   */
  static async open(root: string = defaultStoreRoot(), options: PackageStoreOptions = {}): Promise<PackageStore> {
    const paths = storePaths(root);
    const policy = await readStoreSignaturePolicy(paths.root);
    const config = await readStoreConfig(paths.root);
    const station = options.station ?? (await resolveStationConfig(paths.root));
    const store = new PackageStore(
      paths,
      {
        ...options,
        python: options.python ?? config?.python ?? 'python3',
        pythonSystemSitePackages: options.pythonSystemSitePackages ?? config?.pythonSystemSitePackages ?? false,
        recording: options.recording ?? config?.recording ?? {},
        trustedKeys: [...policy.trustedKeys, ...(options.trustedKeys ?? [])],
        requireSignature: policy.requireSignature || options.requireSignature === true,
      },
      station,
    );
    if (options.readOnly === true) {
      await readRegistry(store.paths);
      return store;
    }
    for (const folder of [store.paths.zips, store.paths.deployed, store.paths.logs, journalFolder(store.paths)]) await mkdir(folder, { recursive: true });
    await onDisk('store', store.paths.root, () => withStoreLock(store.paths, options.lock ?? {}, () => store.recoverUnlocked()));
    return store;
  }

  /** Per-PID step recording settings (from config.json), recorded under `paths.records`. */
  get recording(): RecordingConfig {
    return this.options.recording ?? {};
  }

  /** The interpreter this store checks Python packages against and makes their venvs with. */
  get pythonInterpreter(): string {
    return this.options.python ?? 'python3';
  }

  /**
   * Installs a delivery zip offline, ours or a Python SDK zip (see installPackage); returns its
   * registry entry. `options.archive` names the archived copy (an upload's temporary file:
   * `{deliveryName: true}` or the `{fileName}` its client sent).
   */
  install(zipPath: string, options: InstallZipOptions = {}): Promise<RegistryEntry> {
    return this.locked('install', { zip: options.archive !== undefined && 'fileName' in options.archive ? options.archive.fileName : zipPath }, () =>
      this.installUnlocked(zipPath, options.archive),
    );
  }

  /** Installs every new zip dropped into `algorithms/zips/`; failures are recorded as `invalid`. */
  scan(): Promise<ScanOutcome[]> {
    return this.locked('scan', {}, () =>
      scanZips(this.paths, (zipPath) =>
        audited(this.paths, this.actor, 'install', { zip: zipPath, via: 'scan' }, () => this.installUnlocked(zipPath), this.station.auditLog),
      ),
    );
  }

  /** Every installed version with its live state and bound PIDs. */
  async list(): Promise<StorePackage[]> {
    const registry = await readRegistry(this.paths);
    const bindings = await readActiveBindings(this.paths);
    return registry.packages.map((entry) => {
      const running = this.context.running.get(processKey(entry.name, entry.version));
      const processState = running?.process?.state;
      const state = running === undefined ? entry.state : processState === 'failed' ? 'failed' : 'running';
      const activePids = Object.entries(bindings)
        .filter(([, binding]) => refersTo(binding, entry.name, entry.version))
        .map(([pid]) => pid);
      return { ...entry, state, active_pids: activePids };
    });
  }

  /**
   * The CycloneDX SBOM kept with an installed version (the zip's `sbom.cdx.json`, or the one
   * derived at install from a Python zip's wheels), as its text. Reads only.
   * @throws ProcVisionError 2009 when the version is not installed, 2001 when it was installed from a zip made before SBOMs
   */
  async sbom(name: string, version: string): Promise<string> {
    const entry = findEntry(await readRegistry(this.paths), name, version);
    if (entry === undefined) throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${name}@${version} is not installed in ${this.paths.root}`);
    if (entry.sbom_file === undefined)
      throw new ProcVisionError(
        ErrorCodes.invalidZip,
        `${name}@${version} was installed from a zip made before zips carried an SBOM; package it again and reinstall`,
        {
          details: { name, version },
        },
      );
    return readFile(join(deployedPath(this.paths, name, version), entry.sbom_file), 'utf8');
  }

  /** The current pid -> binding map (active.json). */
  bindings(): Promise<ActiveBindings> {
    return readActiveBindings(this.paths);
  }

  /** Binds PIDs to a version (2006 when a PID is unsupported or bound elsewhere); its process is ready before the flip. */
  activate(name: string, version: string, pids: readonly string[], options: ActivateOptions = {}): Promise<ActiveBindings> {
    return this.locked('activate', { name, version, pids }, () => activatePackage(this.contextWith(options), name, version, pids, 'activate'));
  }

  /** Activates over existing bindings: each PID's old version is kept as `previous`. */
  switch(name: string, version: string, pids: readonly string[], options: ActivateOptions = {}): Promise<ActiveBindings> {
    return this.locked('switch', { name, version, pids }, () => activatePackage(this.contextWith(options), name, version, pids, 'switch'));
  }

  /**
   * Re-activates the version each PID ran before (2006 when one has none), in one locked,
   * audited operation: every PID flips or none does.
   */
  rollback(name: string, pids: string | readonly string[], options: ActivateOptions = {}): Promise<ActiveBindings> {
    const list = typeof pids === 'string' ? [pids] : pids;
    return this.locked('rollback', { name, pids: list }, () => rollbackPids(this.contextWith(options), name, list));
  }

  /** Unbinds PIDs bound to `name@version` (the undo of a first activation); 2006 when a PID runs something else. */
  deactivate(name: string, version: string, pids: readonly string[]): Promise<ActiveBindings> {
    return this.locked('deactivate', { name, version, pids }, () => deactivatePids(this.context, name, version, pids));
  }

  /**
   * Undoes an activation of `name@version`: each PID of `earlier` gets back exactly the binding
   * it had (with its `previous`, so a later rollback goes where it went before), or none (`null`).
   * 2006 when a PID is not bound to `name@version` any more.
   */
  restore(name: string, version: string, earlier: Readonly<Record<string, ActiveBinding | null>>, options: ActivateOptions = {}): Promise<ActiveBindings> {
    return this.locked('restore', { name, version, pids: Object.keys(earlier) }, () => restoreBindings(this.contextWith(options), name, version, earlier));
  }

  /** Removes a version (2007 while active, running here or in another live service on the store, unless `force`). */
  uninstall(name: string, version: string, options: UninstallOptions = {}): Promise<RegistryEntry> {
    return this.locked('uninstall', { name, version, force: options.force === true }, () => uninstallPackage(this.context, name, version, options));
  }

  /** Keeps the newest `keep` (default 3) versions per name, never an active or previous one. */
  prune(options: PruneOptions = {}): Promise<RegistryEntry[]> {
    return this.locked('prune', { keep: options.keep ?? 3 }, () => prunePackages(this.context, options));
  }

  /**
   * The package a PID runs: its folder, registry entry and binding (nothing is started).
   * @throws ProcVisionError 2006 when no package is active for the PID
   */
  async resolveActive(pid: string): Promise<ActivePackage> {
    const binding = (await readActiveBindings(this.paths))[pid];
    if (binding === undefined)
      throw new ProcVisionError(ErrorCodes.activationConflict, `no package is active for PID ${pid} in ${this.paths.root}; activate one first`, {
        details: { pid },
      });
    const entry = findEntry(await readRegistry(this.paths), binding.name, binding.version);
    if (entry === undefined)
      throw new ProcVisionError(
        ErrorCodes.activationConflict,
        `PID ${pid} is bound to ${binding.name}@${binding.version}, which is not installed in ${this.paths.root}`,
        {
          details: { pid },
        },
      );
    return { pid, name: entry.name, version: entry.version, root: deployedPath(this.paths, entry.name, entry.version), entry, binding };
  }

  /**
   * The ready process of the package a PID runs, started (and handshaken) when this store has
   * not started it yet.
   * @throws ProcVisionError 2006 when no package is active, or the start-up failure
   */
  async processFor(pid: string): Promise<AlgorithmProcess> {
    const active = await this.resolveActive(pid);
    const started = await ensureProcess(this.context, active.entry);
    await this.noteRunning();
    if (started.process === undefined)
      throw new ProcVisionError(
        ErrorCodes.activationConflict,
        `the process starter of this store runs no AlgorithmProcess for ${active.name}@${active.version}`,
      );
    return started.process;
  }

  /**
   * Restarts the process of an installed version afresh (its restart budget forgotten): a
   * `failed` package heals without restarting the service. Not audited: the store is unchanged.
   * @throws ProcVisionError 2009 when the version is not installed, 2006 when no process of it runs here and no PID is bound to it, or the start-up failure
   */
  async restart(name: string, version: string): Promise<StorePackage> {
    const entry = findEntry(await readRegistry(this.paths), name, version);
    if (entry === undefined) throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${name}@${version} is not installed in ${this.paths.root}`);
    const running = this.context.running.get(processKey(name, version));
    if (running?.process !== undefined) await running.process.restart();
    else if (running === undefined) {
      const bound = Object.values(await readActiveBindings(this.paths)).some((binding) => refersTo(binding, name, version));
      if (!bound)
        throw new ProcVisionError(ErrorCodes.activationConflict, `${name}@${version} is not active for any PID; activate it instead of restarting it`);
      await ensureProcess(this.context, entry);
    }
    await this.noteRunning();
    const listed = (await this.list()).find((item) => item.name === name && item.version === version);
    return listed as StorePackage;
  }

  /**
   * Starts a process of an installed version for the caller alone (replay, shadow runs): the
   * store's starter and station settings, but not among the store's running processes, so no
   * PID's binding, switch or rollback ever reaches it. The caller stops it. Works read-only.
   * @throws ProcVisionError 2009 when the version is not installed, or the start-up failure
   */
  async startDetached(name: string, version: string): Promise<StartedProcess> {
    const entry = findEntry(await readRegistry(this.paths), name, version);
    if (entry === undefined)
      throw new ProcVisionError(ErrorCodes.packageNotInstalled, `${name}@${version} is not installed in ${this.paths.root}; install its zip first`);
    return this.context.starter({ name, version, root: deployedPath(this.paths, name, version), entry });
  }

  /**
   * A stamp of the store's shared state (registry.json and active.json: inode, size, change
   * time): it differs once any process (the CLI, another service) has changed either. Cheap
   * enough to poll every second.
   */
  async changeStamp(): Promise<string> {
    const stampOf = (path: string) =>
      stat(path, { bigint: true }).then(
        (info) => `${String(info.ino)}:${String(info.size)}:${String(info.mtimeNs)}:${String(info.ctimeNs)}`,
        () => 'none',
      );
    return `${await stampOf(this.paths.registry)}|${await stampOf(this.paths.active)}`;
  }

  /**
   * Brings this store's processes in line with active.json as it is on disk now (another
   * process may have changed it): stops the processes of versions no PID is bound to any
   * more. Starting newly bound versions is {@link PackageStore.processFor}'s (per PID, so each
   * failure is kept with its PID). Runs between this process's own operations, never inside one.
   */
  converge(): Promise<ConvergeOutcome> {
    return this.exclusive(async () => {
      const bindings = await readActiveBindings(this.paths);
      const wanted = new Set(Object.values(bindings).map((binding) => processKey(binding.name, binding.version)));
      const stopped = [...this.context.running.keys()].filter((key) => !wanted.has(key));
      await stopUnboundProcesses(this.context, bindings);
      await this.noteRunning();
      return { stopped };
    });
  }

  /** `name@version` of every process this store runs. */
  runningVersions(): string[] {
    return [...this.context.running.keys()].sort();
  }

  /**
   * Records this process as a runner service on the store (`<store>/services/<host>-<pid>.json`:
   * pid, boot id, start time, `url`, the versions it runs, kept current), so that an uninstall
   * by another process of a version it runs is refused without `force` and names it. Records
   * of services that are gone are removed.
   */
  async announceService(url: string): Promise<void> {
    await liveServices(this.paths, { sweep: true });
    this.serviceRecord = new LiveServiceRecord(this.paths, url);
    await this.serviceRecord.update(this.runningVersions(), true);
  }

  /** The other live runner services on this store and the versions they run. */
  services(): Promise<LiveService[]> {
    return liveServices(this.paths);
  }

  /** Stops every process this store started (and removes its service record). */
  async close(): Promise<void> {
    const running = [...this.context.running.values()];
    this.context.running.clear();
    const record = this.serviceRecord;
    this.serviceRecord = undefined;
    try {
      await Promise.all(running.map((started) => started.stop()));
    } finally {
      await record?.remove().catch(() => undefined);
    }
  }

  /** Keeps the service record's versions current (no-op when this process is no service). */
  private async noteRunning(): Promise<void> {
    await this.serviceRecord?.update(this.runningVersions()).catch(() => undefined);
  }

  /** Runs `work` after this process's earlier store operations have ended. */
  private exclusive<Result>(work: () => Promise<Result>): Promise<Result> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private installUnlocked(zipPath: string, archive?: ZipArchiveName): Promise<RegistryEntry> {
    const { trustedKeys, requireSignature, npmCli, smokeLoadTimeoutMs, onInstallStage } = this.options;
    return installPackage(this.paths, zipPath, {
      ...(archive === undefined ? {} : { archive }),
      python: { interpreter: this.pythonInterpreter, systemSitePackages: this.options.pythonSystemSitePackages === true },
      ...(onInstallStage === undefined ? {} : { onStage: onInstallStage }),
      ...(trustedKeys === undefined ? {} : { trustedKeys }),
      ...(requireSignature === undefined ? {} : { requireSignature }),
      ...(npmCli === undefined ? {} : { npmCli }),
      ...(smokeLoadTimeoutMs === undefined ? {} : { smokeLoadTimeoutMs }),
    });
  }

  /** Recovery, audited when it did something (or, `afterFailure` false, replayed a killed operation's journal). */
  private async recoverUnlocked(afterFailure = false): Promise<void> {
    const outcome = await recoverStore(this.paths);
    const replayed = !afterFailure && outcome.journals.length > 0;
    if (outcome.removed.length > 0 || outcome.restored.length > 0 || replayed || outcome.rebuilt) {
      const rootRelative = (path: string): string => `<store>/${relative(this.paths.root, path)}`;
      await audited(
        this.paths,
        this.actor,
        'recover',
        {
          removed: outcome.removed.map(rootRelative),
          restored: outcome.restored.map(rootRelative),
          journals: outcome.journals,
          registry_rebuilt: outcome.rebuilt,
        },
        () => Promise.resolve(),
        this.station.auditLog,
      );
    }
  }

  private contextWith(options: ActivateOptions): StoreContext {
    return options.processStarter === undefined ? this.context : { ...this.context, starter: options.processStarter };
  }

  /**
   * Runs a mutating operation: under the store lock, after recovery, journaled (the journal is
   * deleted when it succeeds; when it fails, recovery replays it at once while the lock is
   * still held, else at the next operation), audited with its true outcome.
   */
  private locked<Result>(operation: string, subject: Record<string, unknown>, work: () => Promise<Result>): Promise<Result> {
    if (this.options.readOnly === true)
      return Promise.reject(
        new ProcVisionError(ErrorCodes.installFailed, `the store ${this.paths.root} was opened read-only; ${operation} needs a store opened for writing`),
      );
    const operate = () =>
      withStoreLock(this.paths, this.options.lock ?? {}, async () => {
        await this.recoverUnlocked();
        return audited(
          this.paths,
          this.actor,
          operation,
          subject,
          async () => {
            const journal = await StoreJournal.begin(this.paths, operation, this.options.onJournal);
            try {
              const result = await work();
              await journal.end();
              return result;
            } catch (error) {
              await journal.detach();
              if (await storeLockHeld(this.paths)) await this.recoverUnlocked(true).catch(() => undefined);
              throw error;
            }
          },
          this.station.auditLog,
        );
      });
    return this.exclusive(async () => {
      try {
        return await onDisk('store', this.paths.root, operate);
      } finally {
        await this.noteRunning();
      }
    });
  }
}
