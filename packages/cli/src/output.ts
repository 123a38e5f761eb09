import type { Writable } from 'node:stream';
import picocolors from 'picocolors';

/** picocolors' colour functions (`green`, `red`, `bold` ...); each returns its input unchanged when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** Colour functions that leave text as it is. */
export const noColour: Colors = picocolors.createColors(false);

/** How a command prints: human text or one JSON document, with or without stack traces. */
export interface OutputOptions {
  /** Print one JSON document on stdout instead of human text. */
  json: boolean;
  /** Print stack traces of errors. */
  debug: boolean;
  /** Where results go (default `process.stdout`). */
  stdout?: Writable & { isTTY?: boolean };
  /** Where notes, progress and errors go (default `process.stderr`). */
  stderr?: Writable & { isTTY?: boolean };
  /** The environment colour is decided from (default `process.env`): NO_COLOR, FORCE_COLOR, TERM. */
  env?: Record<string, string | undefined>;
}

/**
 * Whether text written to `stream` gets colour: `FORCE_COLOR` (set, as Node reads it, to anything but `0`/`false`) forces it,
 * `NO_COLOR` (non-empty) turns it off, else only a terminal whose TERM is not `dumb` gets it.
 * (picocolors' own guess also turns colour on when `CI` is set, which would put escape codes in
 * piped output; the decision is ours, the colours are picocolors'.)
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (force !== undefined) return false;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/**
 * The one place a command writes to the terminal (clig.dev): the result on stdout (human text,
 * or one JSON document with `--json`), notes and progress on stderr, progress only on a TTY.
 */
export class Output {
  /** True with `--json`. */
  readonly json: boolean;
  /** True with `--debug`. */
  readonly debug: boolean;
  private readonly stdout: Writable & { isTTY?: boolean };
  private readonly stderr: Writable & { isTTY?: boolean };
  /** Colours for text on stdout (no-ops when stdout gets none, and always with `--json`). */
  readonly colour: Colors;
  /** Colours for text on stderr. */
  readonly errorColour: Colors;
  private progressShown = false;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.debug = options.debug;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    const env = options.env ?? process.env;
    this.colour = picocolors.createColors(!options.json && colourEnabled(this.stdout, env));
    this.errorColour = picocolors.createColors(colourEnabled(this.stderr, env));
  }

  /** True when progress lines are worth showing: both streams are terminals. */
  get interactive(): boolean {
    return this.stdout.isTTY === true && this.stderr.isTTY === true;
  }

  /** Prints the command's result: `document` as JSON with `--json`, else the human text. */
  result(document: unknown, human: () => string): void {
    this.clearProgress();
    if (this.json) this.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    else this.stdout.write(ensureNewline(human()));
  }

  /** A note for humans on stderr (never on stdout, so `--json` output stays parseable). */
  note(line: string): void {
    this.clearProgress();
    this.stderr.write(ensureNewline(line));
  }

  /** A transient progress line on stderr, shown only on a terminal. */
  progress(line: string): void {
    if (!this.interactive) return;
    this.stderr.write(`\r\u001b[2K${line}`);
    this.progressShown = true;
  }

  /**
   * Shows `label` with the seconds spent so far while `work` runs (on a terminal only, updated
   * every second), for steps that take a while without steps of their own to report.
   */
  async whileWorking<T>(label: string, work: Promise<T>): Promise<T> {
    const started = performance.now();
    this.progress(`${label}...`);
    const timer = setInterval(() => this.progress(`${label}... ${Math.round((performance.now() - started) / 1000)} s`), 1000);
    timer.unref();
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }

  /** Prints an error on stderr, and as `{"error": ...}` on stdout with `--json`. */
  error(error: { message: string; example?: string; code?: string; stack?: string }): void {
    this.clearProgress();
    const { red, bold, dim } = this.errorColour;
    this.stderr.write(`${bold(red('error:'))} ${error.message}\n`);
    if (error.example !== undefined) this.stderr.write(`${dim('example:')} ${error.example}\n`);
    if (this.debug && error.stack !== undefined) this.stderr.write(`${error.stack}\n`);
    if (this.json) {
      const document = { error: { code: error.code ?? null, message: error.message, example: error.example ?? null } };
      this.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    }
  }

  private clearProgress(): void {
    if (!this.progressShown) return;
    this.stderr.write('\r\u001b[2K');
    this.progressShown = false;
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
