import { z } from 'zod';
import { relativePathProblem } from './internal/relative-path.js';

const exportNamePattern = /^[A-Za-z_$][\w$]*$/;

/** Why `value` is not a valid `<module path>:<export name>`, or `null`. */
function entryPointProblem(value: string): string | null {
  const colon = value.lastIndexOf(':');
  if (colon <= 0) return `expected "<module path>:<export name>" such as "dist/main.js:ScrewDetector", got ${JSON.stringify(value)}`;
  const exportName = value.slice(colon + 1);
  if (!exportNamePattern.test(exportName)) return `expected an export name (a JS identifier) after ":", got ${JSON.stringify(exportName)}`;
  return relativePathProblem(value.slice(0, colon));
}

const entryPointPattern = /^[^:]+:[A-Za-z_$][\w$]*$/;

/** `<module path>:<export name>`, module path relative to the package root (`dist/main.js:ScrewDetector`). */
export const entryPointSchema = z
  .string()
  .regex(entryPointPattern, { message: 'expected "<module path>:<export name>" such as "dist/main.js:ScrewDetector"' })
  .superRefine((value, ctx) => {
    if (!entryPointPattern.test(value)) return;
    const problem = entryPointProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The two halves of an entry point. */
export interface EntryPoint {
  /** Module path relative to the package root, e.g. `dist/main.js`. */
  modulePath: string;
  /** The exported class, e.g. `ScrewDetector`. */
  exportName: string;
}

/** Splits `dist/main.js:ScrewDetector` into its module path and export name; throws a TypeError naming the problem. */
export function parseEntryPoint(entryPoint: string): EntryPoint {
  const problem = entryPointProblem(entryPoint);
  if (problem !== null) throw new TypeError(`entry_point: ${problem}`);
  const colon = entryPoint.lastIndexOf(':');
  return { modulePath: entryPoint.slice(0, colon), exportName: entryPoint.slice(colon + 1) };
}
