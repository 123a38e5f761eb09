import type { Writable } from 'node:stream';

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
  private progressShown = false;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.debug = options.debug;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
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

  /** Prints an error on stderr, and as `{"error": ...}` on stdout with `--json`. */
  error(error: { message: string; example?: string; code?: string; stack?: string }): void {
    this.clearProgress();
    this.stderr.write(`error: ${error.message}\n`);
    if (error.example !== undefined) this.stderr.write(`example: ${error.example}\n`);
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
