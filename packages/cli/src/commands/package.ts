import type { PackageOptions } from '../command-options.js';
import type { Output } from '../output.js';

/** `procvision package`: every check of the project (and zip). */
export async function packageCommand(project: string, options: PackageOptions, output: Output): Promise<number> {
  void project; void options; void output;
  throw new Error('not yet');
}
