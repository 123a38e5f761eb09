import type { RunOptions } from '../command-options.js';
import type { Output } from '../output.js';

/** `procvision run`: every check of the project (and zip). */
export async function runCommand(project: string, options: RunOptions, output: Output): Promise<number> {
  void project; void options; void output;
  throw new Error('not yet');
}
