import { mmapBackendState, type MmapBackendKind } from './internal/native-addon.js';

/**
 * Which implementation serves `mmap:` ids in this process: `native` (the package's Node-API
 * addon: shm_open + mmap, zero-copy) or `file` (pure JS: the segment file read into a reused
 * buffer, one copy per read; used when the addon cannot load or PROCVISION_SHM_BACKEND=file).
 */
export function mmapBackendKind(): MmapBackendKind {
  return mmapBackendState().kind;
}

/** Why {@link mmapBackendKind} is what it is (e.g. the addon's load error). */
export function mmapBackendReason(): string {
  return mmapBackendState().reason;
}
