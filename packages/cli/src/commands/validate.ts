import type { ValidateOptions } from '../command-options.js';
import type { Output } from '../output.js';

/** `procvision validate`: every check of the project (and zip). */
export async function validateCommand(project: string, options: ValidateOptions, output: Output): Promise<number> {
  void project; void options; void output;
  throw new Error('not yet');
}
