/**
 * @procvision/manifest's zod checks, loaded on first need. The adapter's start-up path (hello,
 * algorithm import, first result) stays free of zod: hand-written checks accept the plainly
 * valid common cases (quick-*-check.ts) and only the rest loads the schemas (~60 ms once).
 */
import type * as Manifest from '@procvision/manifest';

/** The module that holds the zod checks. */
export type ContractChecks = typeof Manifest;

let loading: Promise<ContractChecks> | undefined;

/** Loads @procvision/manifest (and zod) once; later calls get the same module. */
export function loadContractChecks(): Promise<ContractChecks> {
  loading ??= import('@procvision/manifest');
  return loading;
}
