import { DEFAULT_MAX_DEFECTS } from '@procvision/manifest/limits';

/** Most defect rects kept per execute result: `PROC_MAX_DEFECTS` when a positive integer, else `DEFAULT_MAX_DEFECTS`. */
export function maxDefectsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): number {
  const value = Number(environment.PROC_MAX_DEFECTS);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_DEFECTS;
}
