import { npmCliPath } from './npm-cli-path.js';
import { npmEnvironment, type NpmNetwork } from './npm-environment.js';
import { type ProcessOutput, type RunProcessOptions, runProcess } from './run-process.js';

/** Options of {@link runNpm}. */
export interface RunNpmOptions extends Pick<RunProcessOptions, 'timeoutMs' | 'describe' | 'code' | 'onSpawn'> {
  /** Working folder: npm reads the `.npmrc` of the nearest folder with a package.json. */
  cwd: string;
  /** The private npm cache. */
  cacheDir: string;
  /** See {@link NpmNetwork}. */
  network: NpmNetwork;
  /** npm-cli.js to run (default {@link npmCliPath}). */
  npmCli?: string;
}

/** Runs `npm <args>` through `process.execPath` (no global npm or pnpm, no shell) with {@link npmEnvironment}. */
export function runNpm(args: readonly string[], options: RunNpmOptions): Promise<ProcessOutput> {
  const { cwd, cacheDir, network, npmCli, ...rest } = options;
  return runProcess(process.execPath, [npmCli ?? npmCliPath(), ...args], {
    ...rest,
    cwd,
    env: npmEnvironment({ cacheDir, network }),
    describe: rest.describe ?? `npm ${args.join(' ')}`,
  });
}
