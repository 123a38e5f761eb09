import { type Command, CommanderError } from 'commander';
import { ExitCodes } from './exit-codes.js';
import { Output } from './output.js';
import { createProgram } from './program.js';
import { UsageError } from './usage-error.js';
import { commandFromArgv } from './command-table/index.js';
import { exampleOf, projectFromArgv, storeFromArgv } from './internal/contextual-example.js';
import { describeError } from './internal/describe-error.js';

/**
 * Runs the CLI on `argv` (as in `process.argv`) and resolves to the exit code:
 * 0 success, 1 the check or run failed, 2 bad usage or bad input. Never throws.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  const wantsDebug = argv.includes('--debug');
  let output = new Output({ json: wantsJson, debug: wantsDebug });
  let exitCode: number = ExitCodes.success;
  let commanderMessage = '';
  const program = createProgram({
    outputFor: (flags) => {
      output = new Output({ json: flags.json === true, debug: flags.debug === true });
      return output;
    },
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  const captureErrors = (command: Command): void => {
    command.exitOverride();
    command.configureOutput({
      outputError: (text) => {
        commanderMessage = text.trim().replace(/^error: /, '');
      },
    });
    command.commands.forEach(captureErrors);
  };
  captureErrors(program);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCodes.success;
      if (error.code === 'commander.help') return ExitCodes.usage;
      const spec = commandFromArgv(argv);
      const project = projectFromArgv(spec, argv);
      const store = storeFromArgv(spec, argv);
      const context = { ...(project === undefined ? {} : { project }), ...(store === undefined ? {} : { store }) };
      output.error({ message: commanderMessage || error.message, example: exampleOf(spec, context), code: 'usage' });
      return ExitCodes.usage;
    }
    if (UsageError.isInstance(error)) {
      output.error({ message: error.message, example: error.example, code: error.code ?? 'usage', stack: error.stack });
      return ExitCodes.usage;
    }
    output.error(describeError(error));
    return ExitCodes.failure;
  }
}
