/**
 * A stage of an install as {@link InstallOptions.onStage} sees it: extraction begins (the
 * staging folder exists, empty), the dependency installer was spawned (`npm ci` or `pip
 * install`, with its pid), the staged package is complete (before the rename into
 * `deployed/`), the package is in place (before registry.json is written).
 */
export type InstallStageEvent =
  | { stage: 'extracting'; stagingDir: string }
  | { stage: 'dependencies'; stagingDir: string; pid: number | undefined }
  | { stage: 'before-rename'; stagingDir: string }
  | { stage: 'before-registry-write'; packageDir: string };

/** Observes an install's stages (progress reporting; tests kill the installer at each stage with it). */
export type InstallStageListener = (event: InstallStageEvent) => void;
