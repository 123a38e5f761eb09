import type { FleetDesiredOptions } from '../commands/fleet-desired.js';
import type { CommandSpec, OptionSpec } from './command-spec.js';
import { fleetOptions, remoteOptions, runnerCommands } from './runner-commands.js';
import { signatureOptions } from './shared-options.js';

const loadDesired = () => import('../commands/fleet-desired.js');

const desiredOption: OptionSpec = {
  flags: '--desired <file>',
  description: 'desired.json: {"bindings": [{"pid", "name", "version", "zip"?}]}; apply finds the zips beside it',
  required: true,
};
const fleetFileOption: OptionSpec = { ...fleetOptions[0]!, required: true };
/** The token flag of the remote flags (`--url` makes no sense for a fleet). */
const tokenOption = remoteOptions.find((option) => option.flags.startsWith('--token-file'))!;
/** The rollout flags of `runner activate --fleet` (canary step, verify step, readiness wait), the same here. */
const rolloutOptions = runnerCommands
  .find((spec) => spec.parent === 'runner' && spec.name === 'activate')!
  .options.filter((option) => /^--(canary-|verify-step|ready-timeout-ms)/.test(option.flags));

/** `procvision fleet plan` and `fleet apply`: stations brought to a desired.json from a workstation. */
export const fleetCommands: readonly CommandSpec[] = [
  {
    name: 'plan',
    parent: 'fleet',
    description: 'show what each station would change to run desired.json (changes nothing)',
    options: [fleetFileOption, desiredOption, tokenOption, ...fleetOptions.slice(1)],
    examples: [
      'procvision fleet plan --fleet stations.json --desired desired.json --token-file fleet.token',
      'procvision fleet plan --fleet stations.json --desired desired.json --json',
    ],
    run: async (output, _positionals, options) => (await loadDesired()).fleetPlan(options as unknown as FleetDesiredOptions, output),
  },
  {
    name: 'apply',
    parent: 'fleet',
    description: 'install and activate desired.json on every station, one version at a time, canary first',
    options: [fleetFileOption, desiredOption, tokenOption, ...fleetOptions.slice(1), ...rolloutOptions, ...signatureOptions('the zips')],
    examples: [
      'procvision fleet apply --fleet stations.json --desired desired.json --canary-image part.jpg --canary-params \'{"threshold": 60}\' --token-file fleet.token',
      'procvision fleet apply --fleet stations.json --desired desired.json --canary-image part.jpg --verify-step --json',
    ],
    run: async (output, _positionals, options) => (await loadDesired()).fleetApply(options as unknown as FleetDesiredOptions, output),
  },
];
