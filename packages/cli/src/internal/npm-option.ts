import { resolve } from 'node:path';
import type { NpmOption } from '../command-table/index.js';

/**
 * `--npm PATH`: makes that npm the one @procvision/packager's `locateNpmCli` finds (through
 * PROCVISION_NPM, the single place npm is looked up), for this process.
 */
export function applyNpmOption(options: NpmOption): void {
  if (options.npm !== undefined) process.env.PROCVISION_NPM = resolve(options.npm);
}
