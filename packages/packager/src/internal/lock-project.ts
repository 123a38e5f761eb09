import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runNpm } from '../process/run-npm.js';
import { writeStagingNpmrc } from './project-npmrc.js';
import { readProjectLockfile, type ProjectLockfile } from './project-lockfile.js';

/** Where and how to lock a project afresh. */
interface LockProjectOptions {
  /** The project's package.json (copied as it is, dev dependencies included). */
  packageJsonPath: string;
  /** Where the lockfile is written. */
  lockfileDir: string;
  /** `package-lock.json`, or `npm-shrinkwrap.json` when the project keeps that one. */
  fileName: string;
  /** An empty folder to resolve in. */
  workDir: string;
  /** The folder whose `.npmrc` files npm reads. */
  npmConfigDir: string;
  cacheDir: string;
}

/**
 * Resolves the project's ranges again (newest versions they allow, dev dependencies included,
 * scripts off) in `workDir` with the project's npm configuration, and writes the lockfile
 * beside the project (atomically). Returns it as read back.
 */
export async function lockProject(options: LockProjectOptions): Promise<ProjectLockfile> {
  await mkdir(options.workDir, { recursive: true });
  await copyFile(options.packageJsonPath, join(options.workDir, 'package.json'));
  await writeStagingNpmrc(options.npmConfigDir, options.workDir);
  await runNpm(['install', '--package-lock-only', '--ignore-scripts', '--no-omit-lockfile-registry-resolved', '--no-audit', '--no-fund'], {
    cwd: options.workDir,
    cacheDir: options.cacheDir,
    network: 'user',
    describe: `npm install --package-lock-only (locking ${options.packageJsonPath})`,
  });
  const destination = join(options.lockfileDir, options.fileName);
  const temporary = `${destination}.partial-${String(process.pid)}`;
  await writeFile(temporary, await readFile(join(options.workDir, 'package-lock.json')));
  await rename(temporary, destination);
  const written = await readProjectLockfile(options.lockfileDir);
  if (written === null) throw new Error(`${destination} vanished after it was written`);
  return written;
}
