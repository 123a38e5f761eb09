import { Command, Option } from 'commander';
import type { Output } from './output.js';
import type {
  ActivateOptions,
  ExecOptions,
  InitOptions,
  InstallOptions,
  PackageOptions,
  RunOptions,
  ServeOptions,
  StoreOptions,
  UninstallOptions,
  ValidateOptions,
} from './command-options.js';
import { commaList, port, positiveInteger, repeatable } from './internal/option-parsers.js';
import { cliVersion } from './internal/cli-version.js';
import { exampleFor } from './internal/examples.js';
import { UsageError } from './usage-error.js';

/** Receives each command's exit code and builds the output for a parsed command. */
export interface ProgramContext {
  /** Builds the output from the global `--json` / `--debug` flags. */
  outputFor(flags: { json?: boolean; debug?: boolean }): Output;
  /** Called with the exit code the command returned. */
  setExitCode(code: number): void;
}

const targets = ['linux-x64', 'linux-arm64', 'win32-x64', 'darwin-arm64'];

/**
 * Builds the `procvision` commander program. Each command's module is imported only when that
 * command runs, so `procvision --help` loads neither sharp nor the runner.
 */
export function createProgram(context: ProgramContext): Command {
  const program = new Command('procvision')
    .description('Build, check, run and deliver ProcVision inspection algorithms; operate the package store.')
    .version(cliVersion(), '-V, --version', 'print the CLI version')
    .option('--json', 'print one JSON document on stdout (logs go to stderr)')
    .option('--debug', 'print stack traces of errors')
    .enablePositionalOptions()
    .showSuggestionAfterError();

  const act =
    <A extends unknown[]>(handler: (output: Output, ...args: A) => Promise<number>) =>
    async (...args: unknown[]): Promise<void> => {
      const command = args[args.length - 1] as Command;
      const output = context.outputFor(command.optsWithGlobals<{ json?: boolean; debug?: boolean }>());
      context.setExitCode(await handler(output, ...(args.slice(0, -1) as A)));
    };

  program
    .command('init')
    .description('scaffold a TypeScript algorithm project that passes validate and run unchanged')
    .argument('<name>', 'package name: lowercase letters, digits, _ and -')
    .option('-d, --dir <dir>', 'parent folder of the new project', '.')
    .option('--pids <pids>', 'supported product ids, comma-separated (default: a PID_TO_FILL placeholder)', commaList)
    .option('-v, --version <version>', 'semantic version of the algorithm', '1.0.0')
    .option('-e, --desc <text>', 'one-line description')
    .action(act(async (output, name: string, options: InitOptions) => (await import('./commands/init.js')).initCommand(name, options, output)));

  const validate = program
    .command('validate')
    .description('check a project (manifest, entry, getInfo, smoke run, assets) or a delivery zip')
    .argument('[project]', 'project folder (default: the current folder)')
    .option('--manifest <path>', 'manifest file (default: <project>/manifest.json)')
    .option('--zip <path>', 'also verify this delivery zip: structure, integrity, signature');
  signatureOptions(validate, 'the --zip')
    .action(act(async (output, project: string | undefined, options: ValidateOptions) => (await import('./commands/validate.js')).validateCommand(project, options, output)));

  program
    .command('run')
    .description('run one step through the adapter in a child process, as the platform does')
    .argument('<project>', 'project folder')
    .requiredOption('--pid <pid>', 'product id, one of supported_pids')
    .requiredOption('--image <file>', 'image file (JPEG, PNG, ...)')
    .option('--step <n>', 'step index, from 1', positiveInteger, 1)
    .option('--params <json>', 'user params as a JSON object')
    .option('--timeout-ms <ms>', 'execute timeout in milliseconds', positiveInteger)
    .option('--guide-image <file>', 'guide (reference) image of a Python v0.3 step')
    .option('--guide-info <json>', 'guide_info of a Python v0.3 step: JSON, or @file.json')
    .option('--step-desc <text>', 'step description of a Python v0.3 step')
    .option('--report <dir>', 'write report.json, report.html and annotated.png to this folder')
    .action(act(async (output, project: string, options: RunOptions) => (await import('./commands/run.js')).runCommand(project, options, output)));

  program
    .command('package')
    .description('build the offline delivery zip: one per target, every npm dependency inside')
    .argument('<project>', 'project folder')
    .option('-o, --output <zip>', 'zip path (default <name>-v<version>-<target>-offline.zip)')
    .addOption(new Option('--target <target...>', 'target platforms (default: this machine)').choices(targets))
    .option('--node-abi <n>', 'Node ABI of the target (default: this Node)', positiveInteger)
    .option('-s, --skip-deps', 'do not vendor npm dependencies')
    .option('--sign-key <pem>', 'ed25519 private key (PEM file) to sign delivery.json')
    .action(act(async (output, project: string, options: PackageOptions) => (await import('./commands/package.js')).packageCommand(project, options, output)));

  addRunnerCommands(program, act);
  addCommonOptions(program);
  return program;
}

type Act = <A extends unknown[]>(
  handler: (output: Output, ...args: A) => Promise<number>,
) => (...args: unknown[]) => Promise<void>;

function addRunnerCommands(program: Command, act: Act): void {
  const runner = program.command('runner').description('operate a package store, locally (--store) or on stations (--url, --fleet)');
  const store = (command: Command): Command =>
    command.option('--store <dir>', 'package store (default $PROCVISION_STORE or ./runtime_store)');
  const remote = (command: Command): Command =>
    command
      .option('--url <url>', "a station's runner service (procvision runner serve) instead of the local store")
      .option('--token-file <file>', "file holding the station's bearer token (default: $PROCVISION_TOKEN)");
  const fleet = (command: Command): Command =>
    command
      .option('--fleet <file>', 'stations.json: a JSON array of station URLs (or {url, name, token_file} objects)')
      .option('--concurrency <n>', 'stations worked on at the same time with --fleet (default 4)', positiveInteger);
  const load = () => import('./commands/runner.js');
  const loadRemote = () => import('./commands/remote.js');
  const loadFleet = () => import('./commands/fleet.js');
  type Remote = { url?: string; fleet?: string };

  fleet(remote(signatureOptions(store(runner.command('install').description('verify, extract, install offline and register a delivery zip').argument('<zip>', 'delivery zip')), 'the zip')))
    .action(act(async (output, zip: string, options: InstallOptions & Remote) => {
      if (options.fleet !== undefined) return (await loadFleet()).fleetInstall(zip, { ...options, fleet: options.fleet }, output);
      if (options.url !== undefined) return (await loadRemote()).remoteInstall(zip, { ...options, url: options.url }, output);
      return (await load()).runnerInstall(zip, options, output);
    }));
  remote(store(runner.command('list').description('packages, versions, states, active PIDs')))
    .action(act(async (output, options: StoreOptions & Remote) => (options.url !== undefined ? (await loadRemote()).remoteList({ ...options, url: options.url }, output) : (await load()).runnerList(options, output))));
  fleet(remote(store(runner.command('activate').description('bind PIDs to an installed version (with --fleet: a canary station first, then the rest)').argument('<name>').argument('<version>'))))
    .requiredOption('--pid <pids>', 'product ids, comma-separated', commaList)
    .option('--canary-image <file>', 'with --fleet: image of the step the canary station runs before the others are touched')
    .option('--canary-step <n>', 'with --fleet: step index of the canary step (default 1)', positiveInteger)
    .option('--ready-timeout-ms <ms>', 'with --fleet: how long a station may take to be ready after activation (default 60000)', positiveInteger)
    .action(act(async (output, name: string, version: string, options: ActivateOptions & Remote) => {
      if (options.fleet !== undefined) return (await loadFleet()).fleetActivate(name, version, { ...options, fleet: options.fleet }, output);
      if (options.url !== undefined) return (await loadRemote()).remoteActivate(name, version, { ...options, url: options.url }, output);
      return (await load()).runnerActivate(name, version, options, output);
    }));
  fleet(remote(store(runner.command('rollback').description('re-activate the previous version for PIDs').argument('<name>'))))
    .requiredOption('--pid <pids>', 'product ids, comma-separated', commaList)
    .action(act(async (output, name: string, options: ActivateOptions & Remote) => {
      if (options.fleet !== undefined) return (await loadFleet()).fleetRollback(name, { ...options, fleet: options.fleet }, output);
      if (options.url !== undefined) return (await loadRemote()).remoteRollback(name, { ...options, url: options.url }, output);
      return (await load()).runnerRollback(name, options, output);
    }));
  remote(store(runner.command('uninstall').description('remove an installed version').argument('<name>').argument('<version>')))
    .option('--force', 'uninstall even when active')
    .action(act(async (output, name: string, version: string, options: UninstallOptions & Remote) =>
      options.url !== undefined ? (await loadRemote()).remoteUninstall(name, version, { ...options, url: options.url }, output) : (await load()).runnerUninstall(name, version, options, output),
    ));
  remote(store(runner.command('exec').description('one inspection step through the active package for a PID')))
    .requiredOption('--pid <pid>', 'product id')
    .requiredOption('--image <file>', 'image file')
    .option('--step <n>', 'step index, from 1', positiveInteger, 1)
    .option('--params <json>', 'user params as a JSON object')
    .option('--guide-image <file>', 'guide (reference) image of a Python v0.3 step')
    .option('--guide-info <json>', 'guide_info of a Python v0.3 step: JSON, or @file.json')
    .option('--step-desc <text>', 'step description of a Python v0.3 step')
    .action(act(async (output, options: ExecOptions & Remote) => (options.url !== undefined ? (await loadRemote()).remoteExec({ ...options, url: options.url }, output) : (await load()).runnerExec(options, output))));
  fleet(remote(runner.command('status').description('health, readiness and active PIDs of a station (--url) or of every station (--fleet)')))
    .action(act(async (output, options: Remote & { tokenFile?: string; concurrency?: number }) => {
      if (options.fleet !== undefined) return (await loadFleet()).fleetStatus({ ...options, fleet: options.fleet }, output);
      if (options.url !== undefined) return (await loadRemote()).remoteStatus({ ...options, url: options.url }, output);
      throw new UsageError('runner status reads a runner service: give --url URL or --fleet stations.json (the local store: procvision runner list)', { example: exampleFor('status') });
    }));
  signatureOptions(store(runner.command('serve').description('run the runner as an HTTP service')), 'installed and validated zips')
    .option('--port <port>', 'TCP port (default $PROCVISION_PORT or 7070)', port)
    .option('--host <host>', 'address to listen on (default $PROCVISION_HOST or 127.0.0.1); beyond loopback it needs a token and implies --require-signature')
    .option('--token-file <file>', 'file holding the bearer token every route but /health requires (default: $PROCVISION_TOKEN_FILE, else the token in $PROCVISION_TOKEN)')
    .option('--log-level <level>', 'debug, info (access lines), warn or error (default $PROCVISION_LOG_LEVEL or info)')
    .option('--allow-path <dir>', 'folder whose files callers may name by path (images, zips); repeat for several (default: $PROCVISION_ALLOW_PATHS, path-delimiter separated)', repeatable)
    .option('--allow-unsigned', 'beyond loopback, accept unsigned zips anyway (turns off the implied --require-signature)')
    .action(act(async (output, options: ServeOptions) => (await load()).runnerServe(options, output)));
}

/** `--trusted-key` (repeatable) and `--require-signature`; `applies` says what they check. */
function signatureOptions(command: Command, applies: string): Command {
  return command
    .option('--trusted-key <pem>', `ed25519 public key (PEM file) that may sign ${applies}; repeat for several`, repeatable)
    .option('--require-signature', `refuse ${applies} without a signature by a trusted key (2008)`);
}

/** `--json` and `--debug` on every leaf command (root options stop at the command name). */
function addCommonOptions(command: Command): void {
  for (const child of command.commands) {
    if (child.commands.length > 0) {
      addCommonOptions(child);
      continue;
    }
    child.option('--json', 'print one JSON document on stdout (logs go to stderr)').option('--debug', 'print stack traces of errors');
  }
}
