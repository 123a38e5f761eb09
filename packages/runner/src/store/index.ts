/**
 * @packageDocumentation
 * The ProcVision package store: offline installs of delivery zips, activation per PID,
 * rollback, uninstall, audit log and signature policy.
 */
export { PackageStore } from './package-store.js';
export type { ActivateOptions, ActivePackage, ConvergeOutcome, InstallZipOptions, PackageStoreOptions, StorePackage } from './package-store.js';
export type { ZipArchiveName } from './commit-staged-package.js';
export type { LiveService } from './live-services.js';
export { adapterProcessStarter } from './process-starter.js';
export { packageLaunch } from './package-launch.js';
export type { PackageLaunch } from './package-launch.js';
export type { AdapterStarterOptions, DeployedPackage, ProcessStarter, StartedProcess } from './process-starter.js';
export { defaultStoreRoot, storePaths } from './store-paths.js';
export type { StorePaths } from './store-paths.js';
export type { ActiveBinding, ActiveBindings, PackageRef } from './active-bindings.js';
export type { PythonInstall, RegistryEntry, RejectedZip } from './registry.js';
export type { AuditRecord } from './audit-log.js';
export type { ScanOutcome } from './scan-zips.js';
export type { UninstallOptions } from './uninstall.js';
export type { InstallStageEvent, InstallStageListener } from './install-stage.js';
export type { PythonStoreSettings } from './install-python-package.js';
export type { PruneOptions } from './prune.js';
export type { StoreLockOptions } from './store-lock.js';
export { readStoreConfig, storeConfigFile, storeConfigSchema } from './store-config.js';
export type { StoreConfig, StoreConfigJson } from './store-config.js';
export { StoreConfigError } from './store-config-error.js';
export type { StoreConfigErrorOptions } from './store-config-error.js';
export { readTrustedKeyFile } from './trusted-key-file.js';
export { readStoreSignaturePolicy } from './store-signature-policy.js';
export type { StoreSignaturePolicy } from './store-signature-policy.js';
export { Reconciler } from './reconciler.js';
export type { PidState, ReconcileState, ReconcileStore, ReconcilerOptions } from './reconciler.js';
export { desiredBindingSchema, desiredStateSchema, parseDesiredState, readDesiredStateFile, desiredStateLimits } from './desired-state.js';
export type { DesiredBinding, DesiredState } from './desired-state.js';
export { openPackageRepository } from './package-repository.js';
export type { PackageRepository, RepositoryZip } from './package-repository.js';
export { Recorder, pidRecordsFolder } from '../records/recorder.js';
export type { RecorderLimits, RecordingStats } from '../records/recorder.js';
export { listRecords, exportRecords } from '../records/record-reader.js';
export type { ExportOptions, RecordExport, RecordFilter, RecordListing } from '../records/record-reader.js';
export { recordHeaderSchema, readRecordFrame, readSegment } from '../records/record-format.js';
export type { RecordHeader, SegmentRecord } from '../records/record-format.js';
export { pidRecordingSchema, recordingConfigSchema } from '../records/recording-config.js';
export type { PidRecording, RecordingConfig } from '../records/recording-config.js';
export {
  packageEnvironment,
  packageOverrideSchema,
  packageRunnerConfig,
  resolveStationConfig,
  stationEnvName,
  stationFlagName,
  stationKeys,
  stationRuntimeSchema,
} from './station-config.js';
export type { PackageOverride, ServiceLimitKey, StationConfig, StationKey, StationLayers, StationRuntimeInput, StationSource } from './station-config.js';
