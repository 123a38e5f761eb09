import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DoctorCheck } from './doctor-check.js';

const mib = 1024 * 1024;

/** `engines.node` of this CLI's package.json (`>=20.19`). */
function requiredNode(): string {
  const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { engines?: { node?: string } };
  return packageJson.engines?.node ?? '>=20.19';
}

/** True when `version` (20.20.2) is at least the `>=major.minor` floor. */
function atLeast(version: string, floor: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [floorMajor = 0, floorMinor = 0] = floor
    .replace(/^>=\s*/, '')
    .split('.')
    .map(Number);
  return major > floorMajor || (major === floorMajor && minor >= floorMinor);
}

/** Node's version against the CLI's `engines.node`. */
export function checkNode(): DoctorCheck {
  const needed = requiredNode();
  const version = process.versions.node;
  const ok = atLeast(version, needed);
  return {
    name: 'node',
    status: ok ? 'ok' : 'fail',
    detail: ok
      ? `Node ${version} (${process.platform}-${process.arch}, ABI ${process.versions.modules}); needs ${needed}`
      : `Node ${version} is too old: the toolkit needs ${needed}; install a newer Node.js`,
    facts: { version, required: needed, abi: process.versions.modules, platform: `${process.platform}-${process.arch}` },
  };
}

/** sharp loads, with its libvips: `run`, `runner exec` and the HTTP service decode images with it. */
export async function checkSharp(): Promise<DoctorCheck> {
  try {
    const { default: sharp } = await import('sharp');
    const versions = sharp.versions as { vips?: string; sharp?: string };
    return {
      name: 'sharp',
      status: 'ok',
      detail: `sharp ${versions.sharp ?? '?'} with libvips ${versions.vips ?? '?'}`,
      facts: { sharp: versions.sharp ?? null, libvips: versions.vips ?? null },
    };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    return {
      name: 'sharp',
      status: 'fail',
      detail: `sharp does not load (${reason}); images cannot be decoded: reinstall with npm so the @img/sharp-${process.platform}-${process.arch} binary comes along`,
      facts: { sharp: null, libvips: null },
    };
  }
}

/** Which backend serves `mmap:` shared memory here (native addon or file), and why. */
export async function checkShmBackend(): Promise<DoctorCheck> {
  const { mmapBackendKind, mmapBackendReason } = await import('@procvision/shm');
  const kind = mmapBackendKind();
  const reason = mmapBackendReason();
  const native = process.platform === 'win32' ? 'native Windows backend, named file mappings' : 'native mmap addon';
  return kind === 'native'
    ? { name: 'shm_backend', status: 'ok', detail: `${native} (${reason})`, facts: { backend: kind, reason } }
    : {
        name: 'shm_backend',
        status: 'warn',
        detail: `file backend: ${reason}; frames still flow, with one copy per read (slower)`,
        facts: { backend: kind, reason },
      };
}

/** Free space on /dev/shm, where shared-memory frames live (Linux). Below 64 MiB fails, below 256 MiB warns. */
export async function checkDevShm(path = '/dev/shm'): Promise<DoctorCheck> {
  if (process.platform !== 'linux')
    return { name: 'dev_shm', status: 'ok', detail: `not Linux (${process.platform}): frames use the OS shared memory`, facts: { path: null } };
  try {
    const stats = await statfs(path);
    const free = stats.bavail * stats.bsize;
    const total = stats.blocks * stats.bsize;
    const facts = { path, free_bytes: free, total_bytes: total };
    const shown = `${(free / mib).toFixed(0)} MiB free of ${(total / mib).toFixed(0)} MiB on ${path}`;
    if (free < 64 * mib)
      return {
        name: 'dev_shm',
        status: 'fail',
        detail: `${shown}: too little for camera frames; enlarge it (e.g. --shm-size for containers) or free space`,
        facts,
      };
    if (free < 256 * mib) return { name: 'dev_shm', status: 'warn', detail: `${shown}: enough for a few 12-megapixel frames only`, facts };
    return { name: 'dev_shm', status: 'ok', detail: shown, facts };
  } catch (error) {
    return { name: 'dev_shm', status: 'fail', detail: `${path} is not usable (${(error as Error).message}); shared-memory frames need it`, facts: { path } };
  }
}
