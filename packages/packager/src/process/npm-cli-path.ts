import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';

/**
 * The npm CLI script shipped with this Node: `$npm_execpath` when it is npm's, else
 * `npm-cli.js` beside `process.execPath` (Windows layout) or in `../lib/node_modules` (POSIX).
 * Spawn it through `process.execPath`, never `npm.cmd` (Windows refuses `.cmd` without a shell).
 *
 * @throws ProcVisionError 2005 naming every place looked at when there is no npm.
 */
export function npmCliPath(): string {
  const fromEnvironment = process.env.npm_execpath;
  const candidates = [
    ...(fromEnvironment !== undefined && /npm-cli\.c?js$/.test(fromEnvironment) ? [fromEnvironment] : []),
    join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new ProcVisionError(
      ErrorCodes.installFailed,
      `cannot find npm-cli.js next to ${process.execPath} (looked in ${candidates.join(', ')}); install a Node.js distribution that ships npm`,
    );
  }
  return found;
}
