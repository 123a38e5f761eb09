/**
 * @packageDocumentation
 * A typed, fetch-based client of the ProcVision runner HTTP service (`procvision runner
 * serve`). Free of server code: it runs wherever fetch does.
 */
export { RunnerClient } from './runner-client.js';
export type {
  HealthBody,
  RunnerClientOptions,
  SessionBody,
  ValidateBody,
  ZipSource,
  PackageReadiness,
  ReadinessReport,
  StepResponseBody,
} from './runner-client.js';
export { RunnerClientError } from './runner-client-error.js';
export type { ClientErrorInfo } from './runner-client-error.js';
export type { ClientExecuteRequest, ClientStepRequest } from './request-types.js';
export type { ErrorBody } from '../http/http-error.js';
export type { ActiveBindings, ActiveBinding } from '../store/active-bindings.js';
export type { StorePackage } from '../store/package-store.js';
export type { RegistryEntry } from '../store/registry.js';
export type { ScanOutcome } from '../store/scan-zips.js';
export type { ReconcileState, PidState } from '../store/reconciler.js';
