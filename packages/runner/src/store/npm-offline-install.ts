import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deadRegistry, npmCliPath, npmEnvironment, runProcess } from '@procvision/packager/process';

/** Options of {@link installOffline}. */
interface OfflineInstallOptions {
  /** npm-cli.js to run (default: `npmCliPath()` of @procvision/packager). */
  npmCli?: string;
  /** The private npm cache (a folder that may not exist yet). */
  cacheDir: string;
  /** Per npm command (default 300000 ms). */
  timeoutMs?: number;
  /** Called with the `npm ci` child once spawned. */
  onNpmCiSpawn?: (child: ChildProcess) => void;
}

/**
 * Installs a staged delivery's dependencies without a network: `npm cache add ./npm-packages/*.tgz`
 * into a private cache, then `npm ci --offline --omit=dev --ignore-scripts` with the registry
 * at a dead loopback address.
 * @throws ProcVisionError 2005 with npm's stderr tail when either command fails
 */
export async function installOffline(stagingDir: string, options: OfflineInstallOptions): Promise<void> {
  const npmCli = options.npmCli ?? npmCliPath();
  const env = npmEnvironment({ cacheDir: options.cacheDir, network: 'offline' });
  const timeoutMs = options.timeoutMs ?? 300_000;
  const packagesDir = join(stagingDir, 'npm-packages');
  const tarballs = existsSync(packagesDir) ? (await readdir(packagesDir)).filter((file) => file.endsWith('.tgz')).sort() : [];
  if (tarballs.length > 0) {
    // "./" matters: npm reads "npm-packages/x.tgz" as a GitHub shorthand
    const args = [npmCli, 'cache', 'add', ...tarballs.map((file) => `./npm-packages/${file}`)];
    await runProcess(process.execPath, args, { cwd: stagingDir, env, timeoutMs, describe: 'npm cache add' });
  }
  await runProcess(process.execPath, [npmCli, 'ci', '--offline', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--registry', deadRegistry], {
    cwd: stagingDir,
    env,
    timeoutMs,
    describe: 'npm ci --offline',
    ...(options.onNpmCiSpawn === undefined ? {} : { onSpawn: options.onNpmCiSpawn }),
  });
}
