import { commaList, duration, nonNegativeInteger, port, positiveInteger, repeatable } from '../internal/option-parsers.js';
import { UsageError } from '../usage-error.js';
import { stationOptions } from '../internal/station-options.js';
import type { CommandSpec, OptionSpec } from './command-spec.js';
import { guideOptions, npmOption, signatureOptions, storeOption } from './shared-options.js';
import type { StoreOptions } from '../internal/store-options.js';
import type { RunnerActivateOptions, ExecOptions, InstallOptions, RecordsOptions, ServeOptions, UninstallOptions } from '../commands/runner-options.js';
import type { ReplayOptions } from '../commands/replay.js';
import type { ShadowOptions } from '../commands/shadow.js';

/** The remote flags (`--url`, `--token-file`, `--fleet`) a runner command may get. */
interface RemoteChoice {
  url?: string;
  fleet?: string;
}

const load = () => import('../commands/runner.js');
const loadRemote = () => import('../commands/remote.js');
const loadFleet = () => import('../commands/fleet.js');
/** `--url` and `--token-file`: one station's runner service. */
export const remoteOptions: readonly OptionSpec[] = [
  { flags: '--url <url>', description: "a station's runner service (procvision runner serve) instead of the local store" },
  { flags: '--token-file <file>', description: "file holding the station's bearer token (default: $PROCVISION_TOKEN)" },
];
/** `--fleet`, `--concurrency`, `--station-timeout-ms`: the flags of every fleet operation. */
export const fleetOptions: readonly OptionSpec[] = [
  { flags: '--fleet <file>', description: 'stations.json: a JSON array of station URLs (or {url, name, token_file} objects)' },
  { flags: '--concurrency <n>', description: 'stations worked on at the same time with --fleet (default 4)', parse: positiveInteger },
  {
    flags: '--station-timeout-ms <ms>',
    description: 'with --fleet: how long one call to a station may take before it counts as failed (default 60000)',
    parse: positiveInteger,
  },
];
const pidsOption = { flags: '--pid <pids>', description: 'product ids, comma-separated', parse: commaList, required: true } as const;

/** The `procvision runner ...` commands that operate a package store. */
export const runnerCommands: readonly CommandSpec[] = [
  {
    name: 'install',
    parent: 'runner',
    description: 'verify, extract, install offline and register a delivery zip',
    arguments: [{ name: '<zip>', description: 'delivery zip' }],
    options: [storeOption, ...signatureOptions('the zip'), npmOption, ...remoteOptions, ...fleetOptions],
    examples: [
      'procvision runner install screw-check-v1.0.0-linux-x64-glibc-offline.zip --store ./runtime_store',
      'procvision runner install screw-check-v1.0.0-linux-x64-glibc-offline.zip --trusted-key vendor-a.pub.pem --require-signature',
      'procvision runner install screw-check-v1.0.0-linux-x64-glibc-offline.zip --fleet stations.json --token-file fleet.token',
    ],
    run: async (output, [zip], options) => {
      const remote = options as InstallOptions & RemoteChoice;
      if (remote.fleet !== undefined) return (await loadFleet()).fleetInstall(zip as string, { ...remote, fleet: remote.fleet }, output);
      if (remote.url !== undefined) return (await loadRemote()).remoteInstall(zip as string, { ...remote, url: remote.url }, output);
      return (await load()).runnerInstall(zip as string, options as InstallOptions, output);
    },
  },
  {
    name: 'list',
    parent: 'runner',
    description: 'packages, versions, states, active PIDs',
    options: [storeOption, ...remoteOptions],
    examples: ['procvision runner list --store <store> --json', 'procvision runner list --url http://station-07:7070 --token-file station.token'],
    run: async (output, _positionals, options) => {
      const remote = options as StoreOptions & RemoteChoice;
      if (remote.url !== undefined) return (await loadRemote()).remoteList({ ...remote, url: remote.url }, output);
      return (await load()).runnerList(options as StoreOptions, output);
    },
  },
  {
    name: 'activate',
    parent: 'runner',
    description: 'bind PIDs to an installed version (with --fleet: a canary station first, then the rest)',
    arguments: [{ name: '<name>' }, { name: '<version>' }],
    options: [
      storeOption,
      pidsOption,
      ...remoteOptions,
      ...fleetOptions,
      { flags: '--canary-image <file>', description: 'with --fleet: image of the step the canary station runs before the others are touched' },
      { flags: '--canary-step <n>', description: 'with --fleet: step index of the canary step (default 1)', parse: positiveInteger },
      { flags: '--canary-params <json>', description: 'with --fleet: user params of the canary step, JSON or @file (\'{"threshold": 60}\')' },
      { flags: '--verify-step', description: 'with --fleet: every station runs the canary step after its switch; a failure restores it and stops the rollout' },
      {
        flags: '--canary-replay <n>',
        description:
          "with --fleet: first replay the canary station's newest N records per PID through the new version (POST /replay); stop above --canary-max-disagreements",
        parse: positiveInteger,
      },
      { flags: '--canary-max-disagreements <n>', description: 'with --canary-replay: changed verdicts allowed (default 0)', parse: nonNegativeInteger },
      {
        flags: '--ready-timeout-ms <ms>',
        description: 'with --fleet: how long a station may take to be ready after activation (default 60000)',
        parse: positiveInteger,
      },
    ],
    examples: [
      'procvision runner activate <name> <version> --pid <pid> --store <store>',
      'procvision runner activate <name> <version> --pid <pid> --fleet stations.json --canary-image <image>',
    ],
    run: async (output, [name, version], options) => {
      const remote = options as unknown as RunnerActivateOptions & RemoteChoice;
      if (remote.fleet !== undefined) return (await loadFleet()).fleetActivate(name as string, version as string, { ...remote, fleet: remote.fleet }, output);
      if (remote.url !== undefined) return (await loadRemote()).remoteActivate(name as string, version as string, { ...remote, url: remote.url }, output);
      return (await load()).runnerActivate(name as string, version as string, remote, output);
    },
  },
  {
    name: 'rollback',
    parent: 'runner',
    description: 're-activate the previous version for PIDs',
    arguments: [{ name: '<name>' }],
    options: [storeOption, pidsOption, ...remoteOptions, ...fleetOptions],
    examples: ['procvision runner rollback <name> --pid <pid> --store <store>', 'procvision runner rollback <name> --pid <pid> --fleet stations.json'],
    run: async (output, [name], options) => {
      const remote = options as unknown as RunnerActivateOptions & RemoteChoice;
      if (remote.fleet !== undefined) return (await loadFleet()).fleetRollback(name as string, { ...remote, fleet: remote.fleet }, output);
      if (remote.url !== undefined) return (await loadRemote()).remoteRollback(name as string, { ...remote, url: remote.url }, output);
      return (await load()).runnerRollback(name as string, remote, output);
    },
  },
  {
    name: 'uninstall',
    parent: 'runner',
    description: 'remove an installed version',
    arguments: [{ name: '<name>' }, { name: '<version>' }],
    options: [storeOption, { flags: '--force', description: 'uninstall even when active' }, ...remoteOptions],
    examples: ['procvision runner uninstall <name> <version> --store <store>'],
    run: async (output, [name, version], options) => {
      const remote = options as UninstallOptions & RemoteChoice;
      if (remote.url !== undefined) return (await loadRemote()).remoteUninstall(name as string, version as string, { ...remote, url: remote.url }, output);
      return (await load()).runnerUninstall(name as string, version as string, remote, output);
    },
  },
  {
    name: 'exec',
    parent: 'runner',
    description: 'one inspection step through the active package for a PID',
    options: [
      storeOption,
      { flags: '--pid <pid>', description: 'product id', required: true },
      { flags: '--image <file>', description: 'image file', required: true },
      { flags: '--step <n>', description: 'step index, from 1', parse: positiveInteger, defaultValue: 1 },
      { flags: '--params <json>', description: 'user params as a JSON object' },
      ...guideOptions,
      ...remoteOptions,
      ...stationOptions,
    ],
    examples: [
      'procvision runner exec --pid <pid> --image part.jpg --store <store> --json',
      'procvision runner exec --pid <pid> --image part.jpg --store <store> --execute-timeout-ms 60000',
    ],
    run: async (output, _positionals, options) => {
      const remote = options as unknown as ExecOptions & RemoteChoice;
      if (remote.url !== undefined) return (await loadRemote()).remoteExec({ ...remote, url: remote.url }, output);
      return (await load()).runnerExec(remote, output);
    },
  },
  {
    name: 'status',
    parent: 'runner',
    description: 'health, readiness and active PIDs of a station (--url) or of every station (--fleet)',
    options: [...remoteOptions, ...fleetOptions],
    examples: [
      'procvision runner status --fleet stations.json --token-file fleet.token',
      'procvision runner status --url http://station-07:7070 --token-file station.token',
    ],
    run: async (output, _positionals, options) => {
      const remote = options as RemoteChoice & { tokenFile?: string; concurrency?: number };
      if (remote.fleet !== undefined) return (await loadFleet()).fleetStatus({ ...remote, fleet: remote.fleet }, output);
      if (remote.url !== undefined) return (await loadRemote()).remoteStatus({ ...remote, url: remote.url }, output);
      throw new UsageError('runner status reads a runner service: give --url URL or --fleet stations.json (the local store: procvision runner list)', {
        example: 'procvision runner status --fleet stations.json --token-file fleet.token',
      });
    },
  },
  {
    name: 'records',
    parent: 'runner',
    description: 'list the steps the station recorded (config.json recording), or export them as a golden set for eval',
    arguments: [
      { name: '[action]', description: 'export: write the records as ok/ and ng/ images (the recorded verdict as label)' },
      { name: '[dir]', description: 'with export: the folder to create' },
    ],
    options: [
      storeOption,
      { flags: '--pid <pid>', description: 'only this product id' },
      { flags: '--since <time>', description: 'only records at or after this ISO 8601 time' },
      { flags: '--last <n>', description: 'only the newest N records', parse: positiveInteger },
      ...remoteOptions,
    ],
    examples: [
      'procvision runner records --store <store> --pid <pid> --json',
      'procvision runner records export golden/ --store <store> --pid <pid>',
      'procvision runner records --url http://station-07:7070 --pid <pid> --last 100',
    ],
    run: async (output, [action, dir], options) =>
      (await import('../commands/records.js')).runnerRecords(action as string | undefined, dir as string | undefined, options as RecordsOptions, output),
  },
  {
    name: 'replay',
    parent: 'runner',
    description: "run the station's recorded frames through an installed version (its own process) and compare with the recorded answers",
    arguments: [{ name: '<name>' }, { name: '<version>' }],
    options: [
      storeOption,
      { flags: '--pid <pid>', description: 'only the records of this product id' },
      { flags: '--last <n>', description: 'the newest N records (default 1000)', parse: positiveInteger },
      { flags: '--since <time>', description: 'only records at or after this ISO 8601 time' },
      { flags: '--report <dir>', description: 'write an HTML report: each changed step with the recorded and the candidate answer side by side' },
      { flags: '--max-disagreements <n>', description: 'exit 1 above this many changed verdicts', parse: nonNegativeInteger, defaultValue: 0 },
      { flags: '--shadow', description: 'replay the frames shadow runs disagreed on (shadow-records) instead of the recording' },
      ...remoteOptions,
    ],
    examples: [
      'procvision runner replay <name> <version> --pid <pid> --last 500 --store <store>',
      'procvision runner replay <name> <version> --pid <pid> --since 2026-12-01T00:00:00Z --report replay-report/',
      'procvision runner replay <name> <version> --pid <pid> --url http://station-07:7070 --token-file station.token',
    ],
    run: async (output, [name, version], options) =>
      (await import('../commands/replay.js')).runnerReplay(name as string, version as string, options as unknown as ReplayOptions, output),
  },
  {
    name: 'shadow',
    parent: 'runner',
    description: "run a candidate version on a station's live frames after the active one answered, and count agreements (start, stop, status)",
    arguments: [
      { name: '[action]', description: 'start <name> <version>, stop, or status (default)' },
      { name: '[name]', description: 'with start: the candidate package' },
      { name: '[version]', description: 'with start: the candidate version' },
    ],
    options: [
      { flags: '--pid <pid>', description: 'the product id whose live frames the candidate takes' },
      {
        flags: '--queue <n>',
        description: 'with start: frames waiting for the candidate at most; more are dropped and counted (default 16)',
        parse: positiveInteger,
      },
      ...remoteOptions,
    ],
    examples: [
      'procvision runner shadow start <name> <version> --pid <pid> --url http://127.0.0.1:7070',
      'procvision runner shadow status --url http://127.0.0.1:7070',
      'procvision runner shadow stop --pid <pid> --url http://127.0.0.1:7070',
    ],
    run: async (output, [action, name, version], options) =>
      (await import('../commands/shadow.js')).runnerShadow(
        action as string | undefined,
        name as string | undefined,
        version as string | undefined,
        options as ShadowOptions,
        output,
      ),
  },
  {
    name: 'serve',
    parent: 'runner',
    description: 'run the runner as an HTTP service',
    options: [
      storeOption,
      ...signatureOptions('installed and validated zips'),
      { flags: '--port <port>', description: 'TCP port (default $PROCVISION_PORT or 7070)', parse: port },
      {
        flags: '--host <host>',
        description: 'address to listen on (default $PROCVISION_HOST or 127.0.0.1); beyond loopback it needs a token and implies --require-signature',
      },
      {
        flags: '--token-file <file>',
        description: 'file holding the bearer token every route but /health requires (default: $PROCVISION_TOKEN_FILE, else the token in $PROCVISION_TOKEN)',
      },
      { flags: '--log-level <level>', description: 'debug, info (access lines), warn or error (default $PROCVISION_LOG_LEVEL or info)' },
      {
        flags: '--allow-path <dir>',
        description:
          'folder whose files callers may name by path (images, zips); repeat for several (default: $PROCVISION_ALLOW_PATHS, path-delimiter separated)',
        parse: repeatable,
      },
      { flags: '--allow-unsigned', description: 'beyond loopback, accept unsigned zips anyway (turns off the implied --require-signature)' },
      {
        flags: '--repository <dir|url>',
        description:
          'reconcile the store with desired.json and the zips of a folder or https:// base URL (default $PROCVISION_REPOSITORY, else the store config.json repository)',
      },
      { flags: '--poll-interval <duration>', description: 'time between reconciles with --repository: 30s, 500ms, 2m (default 30s)', parse: duration },
      { flags: '--tls-cert <pem>', description: 'serve HTTPS with this PEM certificate chain (default $PROCVISION_TLS_CERT); needs --tls-key' },
      { flags: '--tls-key <pem>', description: 'private key of --tls-cert (default $PROCVISION_TLS_KEY)' },
      ...stationOptions,
    ],
    examples: [
      'procvision runner serve --store ./runtime_store --port 7070',
      'procvision runner serve --store ./runtime_store --repository /mnt/procvision-repo --poll-interval 30s',
      'procvision runner serve --store ./runtime_store --trusted-key vendor-a.pub.pem --require-signature',
      'procvision runner serve --store ./runtime_store --host 0.0.0.0 --token-file /etc/procvision/token --trusted-key vendor-a.pub.pem',
    ],
    run: async (output, _positionals, options) => (await load()).runnerServe(options as unknown as ServeOptions, output),
  },
  {
    name: 'config',
    parent: 'runner',
    description: "the station's effective runtime settings and where each comes from (flag, env, file, default)",
    options: [storeOption, ...stationOptions],
    examples: ['procvision runner config --store <store>', 'procvision runner config --store <store> --json --max-frame-pixels 20000000'],
    run: async (output, _positionals, options) => (await load()).runnerConfig(options as StoreOptions, output),
  },
];
