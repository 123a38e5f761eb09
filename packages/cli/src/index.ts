/** @packageDocumentation The procvision command line: init, validate, run, package, and runner operations. */
export { main } from './main.js';
export { createProgram, type ProgramContext } from './program.js';
export { Output, type OutputOptions, type Colors } from './output.js';
export { UsageError, type UsageErrorOptions } from './usage-error.js';
export { ExitCodes, type ExitCode } from './exit-codes.js';
export type {
  RunnerActivateOptions,
  DoctorOptions,
  ExecOptions,
  InitOptions,
  InstallOptions,
  PackageOptions,
  RunOptions,
  ServeOptions,
  SignatureFlags,
  StoreOptions,
  UninstallOptions,
  ValidateOptions,
} from './command-table/index.js';
