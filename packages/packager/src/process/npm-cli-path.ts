import { realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest/errors';

/** Where {@link locateNpmCli} found npm. */
export type NpmCliSource = 'PROCVISION_NPM' | 'npm_execpath' | 'beside node' | 'PATH';

/** The npm CLI script the toolkit runs, and how it was found. */
export interface NpmCliLocation {
  /** Absolute path of `npm-cli.js`, run as `process.execPath npm-cli.js ...`. */
  path: string;
  /** Which rule found it. */
  source: NpmCliSource;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The `npm-cli.js` behind an npm command or script: the file itself when it is JavaScript (a
 * symlink such as `/usr/bin/npm` or `bin/npm` of a Node tarball resolves to it), else the npm
 * module beside that command (`node_modules/npm` next to it, Windows; `../lib/node_modules/npm`, POSIX).
 */
function npmCliBehind(command: string): string | undefined {
  if (!isFile(command)) return undefined;
  const real = realpathSync(command);
  if (/\.c?js$/.test(real)) return real;
  return [
    join(dirname(command), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(command), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ].find(isFile);
}

/**
 * Finds npm, in this order: `$PROCVISION_NPM` (an `npm` command or its `npm-cli.js`; the CLI's
 * `--npm` sets it), `$npm_execpath` when it is npm's, `npm-cli.js` shipped beside
 * `process.execPath` (Node's own distributions), then the first `npm` on `PATH` (Debian's npm
 * package, or a Node from the npm registry's `node` package, which ships no npm). npm always runs
 * through `process.execPath`, never `npm.cmd` (Windows refuses `.cmd` without a shell).
 *
 * @throws ProcVisionError `installFailed` (2005) when `$PROCVISION_NPM` names no npm, or naming
 *   every place looked at when there is no npm at all.
 */
export function locateNpmCli(): NpmCliLocation {
  const explicit = process.env.PROCVISION_NPM;
  if (explicit !== undefined && explicit !== '') {
    const path = npmCliBehind(explicit);
    if (path === undefined) {
      throw new ProcVisionError(
        ErrorCodes.installFailed,
        `PROCVISION_NPM (or --npm) is ${explicit}, which is not an npm command or npm-cli.js; pass the path of npm (e.g. $(command -v npm))`,
      );
    }
    return { path, source: 'PROCVISION_NPM' };
  }
  const fromEnvironment = process.env.npm_execpath;
  if (fromEnvironment !== undefined && /npm-cli\.c?js$/.test(fromEnvironment) && isFile(fromEnvironment))
    return { path: fromEnvironment, source: 'npm_execpath' };
  const beside = [
    join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const besideNode = beside.find(isFile);
  if (besideNode !== undefined) return { path: besideNode, source: 'beside node' };
  const names = process.platform === 'win32' ? ['npm.cmd', 'npm'] : ['npm'];
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '')) {
    for (const name of names) {
      const path = npmCliBehind(join(folder, name));
      if (path !== undefined) return { path, source: 'PATH' };
    }
  }
  throw new ProcVisionError(
    ErrorCodes.installFailed,
    `cannot find npm: not beside ${process.execPath} (${beside.join(', ')}) nor on PATH; install npm (e.g. apt-get install npm), or pass --npm <path of npm> / set PROCVISION_NPM`,
  );
}

/** The npm CLI script {@link locateNpmCli} finds (its `path`). */
export function npmCliPath(): string {
  return locateNpmCli().path;
}
