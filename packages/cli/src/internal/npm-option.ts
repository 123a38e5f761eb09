import { resolve } from 'node:path';

/** `--npm PATH` of the commands that run npm (`package`, `runner install`, `doctor`). */
export interface NpmOption {
  /** The npm command (or its npm-cli.js) to run; sets PROCVISION_NPM for this process. */
  npm?: string;
}

/**
 * `--npm PATH`: makes that npm the one @procvision/packager's `locateNpmCli` finds (through
 * PROCVISION_NPM, the single place npm is looked up), for this process.
 */
export function applyNpmOption(options: NpmOption): void {
  if (options.npm !== undefined) process.env.PROCVISION_NPM = resolve(options.npm);
}
