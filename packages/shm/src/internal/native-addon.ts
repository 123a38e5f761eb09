import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions of native/shm_segment.c. */
export interface NativeShm {
  create(name: string, size: number): ArrayBuffer;
  open(name: string): ArrayBuffer;
  close(buffer: ArrayBuffer): void;
  unlink(name: string): boolean;
}

/** Which implementation serves `mmap:` ids in this process. */
export type MmapBackendKind = 'native' | 'file';

interface LoadState {
  addon: NativeShm | undefined;
  kind: MmapBackendKind;
  reason: string;
}

let state: LoadState | undefined;

function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifestPath = join(directory, 'package.json');
    if (existsSync(manifestPath) && (JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string }).name === '@procvision/shm') {
      return directory;
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error('package.json of @procvision/shm not found above ' + fileURLToPath(import.meta.url));
    directory = parent;
  }
}

function load(): LoadState {
  const forced = process.env['PROCVISION_SHM_BACKEND'];
  if (forced === 'file') return { addon: undefined, kind: 'file', reason: 'PROCVISION_SHM_BACKEND=file' };
  try {
    const require = createRequire(import.meta.url);
    const nodeGypBuild = require('node-gyp-build') as (directory: string) => NativeShm;
    return { addon: nodeGypBuild(packageRoot()), kind: 'native', reason: 'native addon loaded' };
  } catch (error) {
    const reason = `native addon unavailable (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    process.emitWarning(`@procvision/shm: ${reason}; mmap: ids use the file backend (one copy per read)`, {
      code: 'PROCVISION_SHM_FILE_BACKEND',
    });
    return { addon: undefined, kind: 'file', reason };
  }
}

/** The native addon, or undefined when the file backend is active. */
export function nativeAddon(): NativeShm | undefined {
  state ??= load();
  return state.addon;
}

/** Which backend serves `mmap:` ids, and why. */
export function mmapBackendState(): { kind: MmapBackendKind; reason: string } {
  state ??= load();
  return { kind: state.kind, reason: state.reason };
}
