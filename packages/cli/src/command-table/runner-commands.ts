import { commaList, port, positiveInteger, repeatable } from '../internal/option-parsers.js';
import type { CommandSpec } from './command-spec.js';
import { type GuideOptions, type SignatureFlags, type StoreOptions, guideOptions, signatureOptions, storeOption } from './shared-options.js';

/** Options of `procvision runner install`. */
export interface InstallOptions extends StoreOptions, SignatureFlags {}

/** Options of `procvision runner exec`. */
export interface ExecOptions extends StoreOptions, GuideOptions {
  pid: string;
  image: string;
  step: number;
  params?: string;
}

/** Options of `procvision runner activate` and `rollback`. */
export interface ActivateOptions extends StoreOptions {
  pid: string[];
}

/** Options of `procvision runner uninstall`. */
export interface UninstallOptions extends StoreOptions {
  force?: boolean;
}

/** Options of `procvision runner serve`. */
export interface ServeOptions extends StoreOptions, SignatureFlags {
  port: number;
  host: string;
  /** `--token-file F`: the bearer token (default `$PROCVISION_TOKEN`). */
  tokenFile?: string;
  /** `--allow-path DIR`, repeatable: folders callers may name files in. */
  allowPath?: string[];
  /** `--allow-unsigned`: no implied signature requirement beyond loopback. */
  allowUnsigned?: boolean;
}

const load = () => import('../commands/runner.js');
const pidsOption = { flags: '--pid <pids>', description: 'product ids, comma-separated', parse: commaList, required: true } as const;

/** The `procvision runner ...` commands that operate a package store. */
export const runnerCommands: readonly CommandSpec[] = [
  {
    name: 'install',
    parent: 'runner',
    description: 'verify, extract, install offline and register a delivery zip',
    arguments: [{ name: '<zip>', description: 'delivery zip' }],
    options: [storeOption, ...signatureOptions('the zip')],
    examples: ['procvision runner install screw-check-v1.0.0-linux-x64-offline.zip --store ./runtime_store', 'procvision runner install screw-check-v1.0.0-linux-x64-offline.zip --trusted-key vendor-a.pub.pem --require-signature'],
    run: async (output, [zip], options) => (await load()).runnerInstall(zip as string, options as InstallOptions, output),
  },
  {
    name: 'list',
    parent: 'runner',
    description: 'packages, versions, states, active PIDs',
    options: [storeOption],
    examples: ['procvision runner list --store <store> --json'],
    run: async (output, _positionals, options) => (await load()).runnerList(options as StoreOptions, output),
  },
  {
    name: 'activate',
    parent: 'runner',
    description: 'bind PIDs to an installed version',
    arguments: [{ name: '<name>' }, { name: '<version>' }],
    options: [storeOption, pidsOption],
    examples: ['procvision runner activate <name> <version> --pid <pid> --store <store>'],
    run: async (output, [name, version], options) => (await load()).runnerActivate(name as string, version as string, options as unknown as ActivateOptions, output),
  },
  {
    name: 'rollback',
    parent: 'runner',
    description: 're-activate the previous version for PIDs',
    arguments: [{ name: '<name>' }],
    options: [storeOption, pidsOption],
    examples: ['procvision runner rollback <name> --pid <pid> --store <store>'],
    run: async (output, [name], options) => (await load()).runnerRollback(name as string, options as unknown as ActivateOptions, output),
  },
  {
    name: 'uninstall',
    parent: 'runner',
    description: 'remove an installed version',
    arguments: [{ name: '<name>' }, { name: '<version>' }],
    options: [storeOption, { flags: '--force', description: 'uninstall even when active' }],
    examples: ['procvision runner uninstall <name> <version> --store <store>'],
    run: async (output, [name, version], options) => (await load()).runnerUninstall(name as string, version as string, options as UninstallOptions, output),
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
    ],
    examples: ['procvision runner exec --pid <pid> --image part.jpg --store <store> --json'],
    run: async (output, _positionals, options) => (await load()).runnerExec(options as unknown as ExecOptions, output),
  },
  {
    name: 'serve',
    parent: 'runner',
    description: 'run the runner as an HTTP service',
    options: [
      storeOption,
      ...signatureOptions('installed and validated zips'),
      { flags: '--port <port>', description: 'TCP port', parse: port, defaultValue: 7070 },
      { flags: '--host <host>', description: 'address to listen on; beyond loopback it needs a token and implies --require-signature', defaultValue: '127.0.0.1' },
      { flags: '--token-file <file>', description: 'file holding the bearer token every route but /health requires (default: $PROCVISION_TOKEN)' },
      { flags: '--allow-path <dir>', description: 'folder whose files callers may name by path (images, zips); repeat for several', parse: repeatable },
      { flags: '--allow-unsigned', description: 'beyond loopback, accept unsigned zips anyway (turns off the implied --require-signature)' },
    ],
    examples: [
      'procvision runner serve --store ./runtime_store --port 7070',
      'procvision runner serve --store ./runtime_store --trusted-key vendor-a.pub.pem --require-signature',
      'procvision runner serve --store ./runtime_store --host 0.0.0.0 --token-file /etc/procvision/token --trusted-key vendor-a.pub.pem',
    ],
    run: async (output, _positionals, options) => (await load()).runnerServe(options as unknown as ServeOptions, output),
  },
];
