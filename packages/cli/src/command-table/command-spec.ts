import type { Output } from '../output.js';

/** One option of a command, as commander takes it. */
export interface OptionSpec {
  /** Commander flags, e.g. `-o, --output <zip>` or `--target <target...>`. */
  flags: string;
  /** The help line. */
  description: string;
  /** Parses (and validates) the value; throws commander's `InvalidArgumentError`. */
  parse?: (value: string, previous: never) => unknown;
  /** The default value (shown in `--help`). */
  defaultValue?: unknown;
  /** True for an option the command cannot run without. */
  required?: boolean;
  /** The only values accepted. */
  choices?: readonly string[];
}

/** One positional argument: `<name>` required, `[name]` optional. */
export interface ArgumentSpec {
  /** `<project>` or `[project]`. */
  name: string;
  /** The help line. */
  description?: string;
}

/**
 * Every fact of one command in one place: its name, where it hangs, what it takes, the
 * examples `--help` shows and usage errors print, and how it runs.
 *
 * Examples are templates: `<project>`, `<pid>`, `<image>`, `<name>` and `<version>` are filled
 * from the project at hand when there is one (its manifest and samples), see `contextual-example.ts`.
 */
export interface CommandSpec {
  /** The command word (`init`, or `install` under `runner`). */
  name: string;
  /** The parent command word (`runner`, `fleet`), or none for a top-level command. */
  parent?: 'runner' | 'fleet';
  /** The one-line summary. */
  description: string;
  /** Positional arguments in order. */
  arguments?: readonly ArgumentSpec[];
  /** Options in help order. */
  options: readonly OptionSpec[];
  /** Example command lines (templates); the first is printed after a usage error. */
  examples: readonly string[];
  /** Runs the command with commander's parsed positionals and options; resolves to the exit code. */
  run(output: Output, positionals: readonly unknown[], options: Record<string, unknown>): Promise<number>;
}
