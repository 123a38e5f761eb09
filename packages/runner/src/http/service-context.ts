import type { InspectionSessions } from './inspection-sessions.js';
import type { ServiceMetrics } from './service-metrics.js';

/** Body size limits of the service, in bytes. */
export interface BodyLimits {
  /** JSON bodies (Base64 images included). Default 64 MiB. */
  jsonBytes: number;
  /** Uploaded delivery zips (`POST /packages`, `POST /validate`). Default 1 GiB. */
  zipBytes: number;
}

/** What every route works with. */
export interface ServiceContext {
  sessions: InspectionSessions;
  metrics: ServiceMetrics;
  limits: BodyLimits;
  /** Follows (metrics) the processes that serve these pids now, e.g. after a switch. */
  watchPids(pids: readonly string[]): Promise<void>;
  /** Folder for uploaded zips (each removed after its request). */
  readonly uploadDirectory: string;
}
