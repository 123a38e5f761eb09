import type { Runner } from '../runner.js';
import type { ServiceMetrics } from './service-metrics.js';
import type { ServiceStore } from './service-store.js';

/** Body size limits of the service, in bytes. */
export interface BodyLimits {
  /** JSON bodies (Base64 images included). Default 64 MiB. */
  jsonBytes: number;
  /** Uploaded delivery zips (`POST /packages`, `POST /validate`). Default 1 GiB. */
  zipBytes: number;
}

/** What every route works with. */
export interface ServiceContext {
  runner: Runner;
  /** The package store; absent when the service only runs the packages it was given. */
  store: ServiceStore | undefined;
  metrics: ServiceMetrics;
  limits: BodyLimits;
  /** Folder for uploaded zips (removed after each request). */
  uploadDirectory: string;
  /**
   * The name of the running package that inspects `pid`.
   * @throws ProcVisionError 1001 when no active package serves the pid
   */
  packageFor(pid: string): Promise<string>;
}
