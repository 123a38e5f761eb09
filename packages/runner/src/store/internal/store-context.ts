import type { ProcessStarter, StartedProcess } from '../process-starter.js';
import type { StorePaths } from '../store-paths.js';

/** What the store's operations share: the layout and the processes this store started. */
export interface StoreContext {
  paths: StorePaths;
  /** Running processes by `name@version`. */
  running: Map<string, StartedProcess>;
  /** Starts in progress by `name@version`, so two callers wanting the same version share one process. */
  starting: Map<string, Promise<StartedProcess>>;
  starter: ProcessStarter;
}

/** The key of a version in {@link StoreContext.running}. */
export function processKey(name: string, version: string): string {
  return `${name}@${version}`;
}
