/**
 * @procvision/manifest's zod checks, loaded on first need. The adapter's start-up path (hello,
 * algorithm import, first result) stays free of zod: hand-written checks accept the plainly
 * valid common cases (quick-*-check.ts) and only the rest loads the schemas (~60 ms once).
 */
import type * as Manifest from '@procvision/manifest';

/** The module that holds the zod checks. */
type ContractChecks = typeof Manifest;

let loading: Promise<ContractChecks> | undefined;

/** Loads @procvision/manifest (and zod) once; later calls get the same module. */
export function loadContractChecks(): Promise<ContractChecks> {
  loading ??= import('@procvision/manifest');
  return loading;
}

/**
 * Settles when a load begun by {@link loadContractChecks} has finished, whether it worked or
 * not (at once when none was begun). The load reads files through the event loop, so the
 * main-thread adapter waits for it before it judges whether the algorithm left work in the loop.
 */
export function contractChecksLoaded(): Promise<void> {
  if (loading === undefined) return Promise.resolve();
  return loading.then(
    () => undefined,
    () => undefined,
  );
}
