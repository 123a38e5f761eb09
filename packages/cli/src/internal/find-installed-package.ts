import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The folder of package `name` as an ES module import from `directory` finds it: the first
 * `node_modules/<name>/package.json` walking up. (`require.resolve` would also honour
 * NODE_PATH, which ESM imports ignore.) Undefined when there is none.
 */
export function findInstalledPackage(directory: string, name: string): string | undefined {
  for (let current = resolve(directory); ; current = dirname(current)) {
    const folder = join(current, 'node_modules', ...name.split('/'));
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(current) === current) return undefined;
  }
}
