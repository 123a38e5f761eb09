import { Command, Option } from 'commander';
import type { Output } from './output.js';
import { type CommandSpec, type OptionSpec, commandGroups, commandTable, commonOptions } from './command-table/index.js';
import { cliVersion } from './internal/cli-version.js';
import { fillExample } from './internal/contextual-example.js';

/** Receives each command's exit code and builds the output for a parsed command. */
export interface ProgramContext {
  /** Builds the output from the global `--json` / `--debug` flags. */
  outputFor(flags: { json?: boolean; debug?: boolean }): Output;
  /** Called with the exit code the command returned. */
  setExitCode(code: number): void;
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.parse !== undefined) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  if (spec.choices !== undefined) option.choices(spec.choices);
  if (spec.required === true) option.makeOptionMandatory();
  return option;
}

function examplesHelp(examples: readonly string[]): string {
  return `\nExamples:\n${examples.map((example) => `  $ ${fillExample(example)}`).join('\n')}`;
}

/**
 * Builds the `procvision` commander program from the command table (command-table/): every
 * command with its arguments, options and examples (shown by `--help`). Each command's module is
 * imported only when that command runs, so `procvision --help` loads neither sharp nor the runner.
 */
export function createProgram(context: ProgramContext): Command {
  const program = new Command('procvision')
    .description('Build, check, run and deliver ProcVision inspection algorithms; operate the package store.')
    .version(cliVersion(), '-V, --version', 'print the CLI version')
    .enablePositionalOptions()
    .showSuggestionAfterError();
  for (const option of commonOptions) program.addOption(toOption(option));
  program.addHelpText('after', examplesHelp(['procvision init screw-check --pids A01,A02', 'procvision doctor', 'procvision runner --help']));
  const groups = new Map<string, Command>();
  for (const [name, group] of Object.entries(commandGroups)) {
    groups.set(name, program.command(name).description(group.description).addHelpText('after', examplesHelp(group.examples)));
  }
  for (const spec of commandTable) addCommand(spec.parent === undefined ? program : (groups.get(spec.parent) as Command), spec, context);
  return program;
}

function addCommand(parent: Command, spec: CommandSpec, context: ProgramContext): void {
  const command = parent.command(spec.name).description(spec.description);
  for (const argument of spec.arguments ?? []) command.argument(argument.name, argument.description);
  for (const option of [...spec.options, ...commonOptions]) command.addOption(toOption(option));
  command.addHelpText('after', examplesHelp(spec.examples));
  command.action(async (...args: unknown[]) => {
    const parsed = args[args.length - 1] as Command;
    const output = context.outputFor(parsed.optsWithGlobals<{ json?: boolean; debug?: boolean }>());
    context.setExitCode(await spec.run(output, args.slice(0, -2), parsed.opts()));
  });
}
