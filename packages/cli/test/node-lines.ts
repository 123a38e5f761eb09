import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { npmCliPath } from '@procvision/packager';

/** A Node line fetched for a test: its binary, or why the test is skipped. */
export type NodeLine = { major: number; node: string; version: string; binDir: string } | { major: number; skipped: string };

/** Errors npm prints when the registry cannot be reached (the only reason to skip). */
const unreachable = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|socket hang up/i;

/** The version a node binary reports, or undefined when it does not run. */
function versionOf(binary: string): string | undefined {
  if (!existsSync(binary)) return undefined;
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/**
 * Node `major` the way `.ci/node-versions` fetches it: the npm registry's `node` package
 * installed with PATH's npm into `$PROCVISION_NODE_CACHE/<major>` (default
 * `~/.cache/procvision-node/<major>`, shared with that script and outside the repository), reused
 * when it is already there. Installed into a side folder and renamed into place, so a concurrent
 * run never sees half a Node. Skipped (with the reason) only when the registry is unreachable.
 */
export function nodeLine(major: number): NodeLine {
  const cache = process.env.PROCVISION_NODE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'procvision-node');
  const dir = join(cache, String(major));
  const binary = join(dir, 'node_modules', 'node', 'bin', 'node');
  const found = versionOf(binary);
  if (found?.startsWith(`v${major}.`) === true) return { major, node: binary, version: found, binDir: dirname(binary) };
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const install = spawnSync(
    process.execPath,
    [npmCliPath(), 'install', '--prefix', partial, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${major}`],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (install.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const output = `${install.stderr}${install.stdout}`;
    if (unreachable.test(output))
      return { major, skipped: `Node ${major} not fetched: the npm registry is unreachable (${output.trim().split('\n')[0] ?? ''})` };
    throw new Error(`npm install node@${major} failed (${String(install.status)}): ${output}`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  const version = versionOf(binary);
  if (version?.startsWith(`v${major}.`) !== true) throw new Error(`npm install node@${major} gave ${binary} reporting ${String(version)}`);
  return { major, node: binary, version, binDir: dirname(binary) };
}
