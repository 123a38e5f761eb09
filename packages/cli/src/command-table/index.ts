import type { CommandSpec } from './command-spec.js';
import { registerCommandExamples } from '../internal/contextual-example.js';
import { projectCommands } from './project-commands.js';
import { runnerCommands } from './runner-commands.js';
import { fleetCommands } from './fleet-commands.js';

export type { CommandSpec, OptionSpec } from './command-spec.js';
export { commonOptions } from './shared-options.js';
export type { GuideOptions, NpmOption, SignatureFlags, StoreOptions } from './shared-options.js';
export type { DoctorOptions } from '../commands/doctor.js';
export type { EvalOptions } from '../commands/eval.js';
export type { InitOptions } from '../commands/init.js';
export type { PackageOptions } from '../commands/package.js';
export type { RunOptions } from '../commands/run.js';
export type { SbomOptions } from '../commands/sbom.js';
export type { SignOptions } from '../commands/sign.js';
export type { ValidateOptions } from '../commands/validate.js';
export type { FleetDesiredOptions } from '../commands/fleet-desired.js';
export type { RunnerActivateOptions, ExecOptions, InstallOptions, RecordsOptions, ServeOptions, UninstallOptions } from '../commands/runner-options.js';

/** The one list of `procvision` commands: program.ts builds commander from it, main.ts and the examples read it. */
export const commandTable: readonly CommandSpec[] = [...projectCommands, ...runnerCommands, ...fleetCommands];
registerCommandExamples(commandTable);

/** The groups of subcommands (`procvision runner ...`) and their summaries. */
export const commandGroups = {
  runner: {
    description: 'operate a package store, locally (--store) or on stations (--url, --fleet)',
    examples: ['procvision runner list --store ./runtime_store', 'procvision runner status --fleet stations.json --token-file fleet.token'],
  },
  fleet: {
    description: 'bring stations to a desired.json: plan what would change, apply it with a canary',
    examples: [
      'procvision fleet plan --fleet stations.json --desired desired.json',
      'procvision fleet apply --fleet stations.json --desired desired.json --canary-image part.jpg',
    ],
  },
} as const;

/** The command the words of `argv` name (`run`, `runner install`), or undefined. */
export function commandFromArgv(argv: readonly string[]): CommandSpec | undefined {
  const words = argv.slice(2).filter((word) => !word.startsWith('-'));
  const [first, second] = words;
  if (first === 'runner' || first === 'fleet') return commandTable.find((spec) => spec.parent === first && spec.name === second);
  return commandTable.find((spec) => spec.parent === undefined && spec.name === first);
}
