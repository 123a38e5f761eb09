const defaultMaxDefects = 20;

/** Most defect rects kept per execute result: `PROC_MAX_DEFECTS` when a positive integer, else 20. */
export function maxDefectsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): number {
  const value = Number(environment.PROC_MAX_DEFECTS);
  return Number.isInteger(value) && value > 0 ? value : defaultMaxDefects;
}
