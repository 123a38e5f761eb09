import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findWorkspaceRoot } from './workspace-packages.js';

/**
 * The project-level `.npmrc` files npm or pnpm would read for `projectDir`: the pnpm workspace
 * root's (when the project lies in a workspace) and then the project's own; later lines win.
 */
export function projectNpmrcFiles(projectDir: string): string[] {
  const workspaceRoot = findWorkspaceRoot(projectDir);
  const folders = workspaceRoot === null || workspaceRoot === projectDir ? [projectDir] : [workspaceRoot, projectDir];
  return folders.map((folder) => join(folder, '.npmrc')).filter((file) => existsSync(file));
}

/**
 * npm resolves in a staging folder under the OS temp folder, where it would not see the
 * project's `.npmrc` (scoped registries, auth tokens). This writes their lines to
 * `<stagingRoot>/.npmrc` (mode 0600) so npm reads them in its project layer; the user's
 * `~/.npmrc` and `npm_config_*` variables apply as usual. The staging `.npmrc` is never a zip
 * entry (the zip lists its files explicitly) and goes with the staging folder.
 */
export async function writeStagingNpmrc(projectDir: string, stagingRoot: string): Promise<void> {
  const files = projectNpmrcFiles(projectDir);
  if (files.length === 0) return;
  const parts = await Promise.all(files.map(async (file) => `# from ${file}\n${await readFile(file, 'utf8')}\n`));
  await writeFile(join(stagingRoot, '.npmrc'), parts.join(''), { mode: 0o600 });
}
