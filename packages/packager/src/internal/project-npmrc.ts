import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder above `projectDir` that is an npm or pnpm project (package.json or pnpm-workspace.yaml), if any. */
function enclosingProject(projectDir: string): string | undefined {
  for (let current = dirname(projectDir); current !== dirname(current); current = dirname(current)) {
    if (existsSync(join(current, 'package.json')) || existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
  }
  return undefined;
}

/**
 * The project-level `.npmrc` files that apply to `projectDir`, outermost first (later lines win):
 * the enclosing project's (a pnpm workspace root, or the folder where `npm i @procvision/cli`
 * ran and `procvision init` put the project), then the project's own.
 */
function projectNpmrcFiles(projectDir: string): string[] {
  const project = resolve(projectDir);
  const enclosing = enclosingProject(project);
  return [...(enclosing === undefined ? [] : [enclosing]), project].map((folder) => join(folder, '.npmrc')).filter((file) => existsSync(file));
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
