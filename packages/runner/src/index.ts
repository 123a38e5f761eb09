/**
 * @packageDocumentation
 * The ProcVision platform side: algorithm process supervision (handshake, heartbeat,
 * timeouts, retries, restarts), inspections (sessions and steps through shared memory),
 * events and logs.
 */
export { AlgorithmProcess } from './algorithm-process.js';
export type { AlgorithmProcessOptions } from './algorithm-process.js';
export type { CallOutcome, FailureReason } from './call-outcome.js';
export type { FaultReason, ProcessIdentity, ProcessState, RunnerEvents, RunnerEventName } from './events.js';
export { TypedEmitter } from './internal/typed-emitter.js';
export { createStderrLogger, silentLogger, logLevels } from './logger.js';
export type { LogEntry, LogLevel, RunnerLogger } from './logger.js';
export { adapterEnvironment, inheritedEnvironmentKeys } from './spawn-adapter.js';
export type { AdapterCommand } from './spawn-adapter.js';
export { RestartPolicy } from './restart-policy.js';
export type { RestartDecision, RestartPolicyOptions } from './restart-policy.js';
export { terminateProcess, killProcess } from './kill-process.js';
export type { ExitInfo, TerminateOptions } from './kill-process.js';
export { Runner } from './runner.js';
export type { RunnerOptions } from './runner.js';
export { InspectionSession } from './session.js';
export type { InspectionSessionInit } from './session.js';
export { runStep } from './inspection.js';
export type { StepContext } from './inspection.js';
export type { StepOutcome, StepRequest, StepStage } from './step-outcome.js';
export { nodeAdapterCommand, pythonAdapterCommand, resolvePackageSpec } from './package-spec.js';
export type { PackageSpec, ResolvedPackageSpec } from './package-spec.js';
export { createRunnerService, defaultBodyLimits } from './http/create-runner-service.js';
export type { RunnerService, RunnerServiceOptions } from './http/create-runner-service.js';
export type { ServiceStore, ServicePackageRef } from './http/service-store.js';
export type { BodyLimits } from './http/service-context.js';
export type { PackageReadiness } from './http/process-source.js';
export { httpStatusOfErrorCode, HttpError } from './http/http-error.js';
export type { ErrorBody, HttpErrorCode } from './http/http-error.js';
export type { ReadinessReport } from './http/readiness.js';
export type { StepResponseBody } from './http/step-response.js';
export { serveRunner } from './http/serve-runner.js';
export type { ServeRunnerOptions, ServedRunner } from './http/serve-runner.js';
export { PackageStore } from './store/package-store.js';
export type { ActivateOptions, ActivePackage, PackageStoreOptions, StorePackage } from './store/package-store.js';
export { adapterProcessStarter } from './store/process-starter.js';
export type { AdapterStarterOptions, DeployedPackage, ProcessStarter, StartedProcess } from './store/process-starter.js';
export { defaultStoreRoot, storePaths } from './store/store-paths.js';
export type { StorePaths } from './store/store-paths.js';
export type { ActiveBinding, ActiveBindings, PackageRef } from './store/active-bindings.js';
export type { RegistryEntry, RejectedZip } from './store/registry.js';
export type { AuditRecord } from './store/audit-log.js';
export type { ScanOutcome } from './store/scan-zips.js';
export type { UninstallOptions } from './store/uninstall.js';
export type { PruneOptions } from './store/prune.js';
export type { StoreLockOptions } from './store/store-lock.js';
export { readStoreConfig, storeConfigFile, storeConfigSchema } from './store/store-config.js';
export type { StoreConfig, StoreConfigJson } from './store/store-config.js';
export { StoreConfigError } from './store/store-config-error.js';
export type { StoreConfigErrorOptions } from './store/store-config-error.js';
export { readTrustedKeyFile } from './store/trusted-key-file.js';
export { readStoreSignaturePolicy } from './store/store-signature-policy.js';
export type { StoreSignaturePolicy } from './store/store-signature-policy.js';
export { crashStageVariable } from './store/internal/crash-point.js';
export type { InstallCrashStage } from './store/internal/crash-point.js';
