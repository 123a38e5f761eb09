/** The stages of {@link buildDeliveryZip}, in order. */
export type PackageStage =
  | 'project-build'
  | 'workspace-pack'
  | 'lockfile-write'
  | 'dependencies-install'
  | 'install-scripts-check'
  | 'tarballs-collect'
  | 'delivery-write'
  | 'delivery-sign'
  | 'zip-write'
  | 'package-done';

/** One progress event for a CLI to show: the stage, a human line, and a count where it helps. */
export interface PackageProgressEvent {
  stage: PackageStage;
  message: string;
  /** Items done so far and in total (tarballs collected), when the stage counts. */
  current?: number;
  total?: number;
}

/** Receives {@link PackageProgressEvent}s. */
export type PackageProgressListener = (event: PackageProgressEvent) => void;
