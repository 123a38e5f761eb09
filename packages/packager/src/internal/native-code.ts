import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The native code of an install set. */
export interface NativeCode {
  /** Packages whose native code is bound to one Node ABI, as `name@version (file)`. */
  abiBound: string[];
  /** Packages whose native code uses N-API only, as `name@version`. */
  napi: string[];
}

/** Files looked at per package at most (a package is a bounded tree; this bounds a hostile one too). */
const maxFilesPerPackage = 20_000;

/** The `.node` files of a package folder (nested node_modules left out), relative, sorted. */
async function addonFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  let seen = 0;
  const walk = async (relative: string): Promise<void> => {
    for (const entry of (await readdir(join(folder, relative), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (++seen > maxFilesPerPackage) return;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules') await walk(path);
      else if (entry.isFile() && entry.name.endsWith('.node')) found.push(path);
    }
  };
  await walk('');
  return found;
}

/**
 * True when an addon binary is bound to the Node ABI it was built for: it registers through
 * `node_module_register` / `node_register_module_v<ABI>` (V8/NAN addons) rather than N-API
 * (`napi_register_module_v1`, `napi_module_register`). Symbol names are plain strings in ELF,
 * PE and Mach-O files alike.
 */
function isAbiBound(bytes: Buffer): boolean {
  const napi = bytes.includes('napi_register_module_v1') || bytes.includes('napi_module_register');
  return !napi && (bytes.includes('node_module_register') || bytes.includes('node_register_module_v'));
}

/**
 * Finds native code in the installed set under `root`: `.node` files (classified as N-API or
 * ABI-bound by the symbols they register with), and `binding.gyp` / `"gypfile": true` without
 * a prebuilt `.node` (built from source for one ABI: ABI-bound).
 */
export async function detectNativeCode(root: string, installSet: ReadonlyArray<{ path: string; name: string; version: string }>): Promise<NativeCode> {
  const abiBound: string[] = [];
  const napi: string[] = [];
  for (const entry of installSet) {
    const folder = join(root, ...entry.path.split('/'));
    if (!existsSync(folder)) continue;
    const id = `${entry.name}@${entry.version}`;
    const files = await addonFiles(folder);
    if (files.length > 0) {
      const bound: string[] = [];
      for (const file of files) if (isAbiBound(await readFile(join(folder, ...file.split('/'))))) bound.push(file);
      if (bound.length > 0) abiBound.push(`${id} (${bound.join(', ')})`);
      else napi.push(id);
      continue;
    }
    const packageJson = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')) as { gypfile?: unknown };
    if (existsSync(join(folder, 'binding.gyp')) || packageJson.gypfile === true) abiBound.push(`${id} (binding.gyp: compiled for one Node ABI)`);
  }
  return { abiBound, napi };
}
