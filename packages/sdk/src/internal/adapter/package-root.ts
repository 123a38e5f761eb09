import { resolve } from 'node:path';

/** The package root: `PROC_ALGO_ROOT` when set, else the working directory. */
export function resolvePackageRoot(environment: NodeJS.ProcessEnv = process.env): string {
  const root = environment.PROC_ALGO_ROOT;
  return root !== undefined && root !== '' ? resolve(root) : process.cwd();
}
