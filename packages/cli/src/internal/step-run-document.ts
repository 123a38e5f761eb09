import type { StepRun } from './step-run.js';

/** The `--json` document of `run` and `runner exec`. */
export interface StepRunDocument {
  pre_execute: Record<string, unknown>;
  /** `null` when pre_execute returned ERROR and execute was not called. */
  execute: (Record<string, unknown> & { status?: unknown }) | null;
  timings: Record<string, number>;
  /** Where the user params ended up after validation (defaults filled). */
  user_params: Record<string, unknown>;
  /** Result-rule violations and warnings found in the results. */
  problems: string[];
  warnings: string[];
  report?: { directory: string; json: string; html: string; annotated: string };
}

/** Builds the JSON document of a step run. */
export function stepRunDocument(run: StepRun, timings: Record<string, number>): StepRunDocument {
  return {
    pre_execute: run.preExecute.result as Record<string, unknown>,
    execute: (run.execute?.result as Record<string, unknown> | undefined) ?? null,
    timings,
    user_params: run.params,
    problems: [...run.preExecute.violations, ...(run.execute?.violations ?? [])],
    warnings: [...run.preExecute.warnings, ...(run.execute?.warnings ?? [])],
  };
}

/** The human summary of a step run. */
export function formatStepRun(document: StepRunDocument, imageLabel: string): string {
  const pre = document.pre_execute as { status?: string; message?: string; error_code?: string };
  const execute = document.execute as { status?: string; message?: string; error_code?: string; data?: { result_status?: string; ng_reason?: string; defect_rects?: unknown[] } } | null;
  const lines = [`pre_execute: ${pre.status}${pre.error_code ? ` ${pre.error_code}` : ''}${pre.message ? ` - ${pre.message}` : ''}`];
  if (execute === null) lines.push('execute: not called (pre_execute failed)');
  else if (execute.status !== 'OK') lines.push(`execute: ${execute.status} ${execute.error_code ?? ''} - ${execute.message ?? ''}`);
  else {
    const verdict = execute.data?.result_status ?? '?';
    const reason = verdict === 'NG' ? ` (${execute.data?.ng_reason ?? ''}, ${execute.data?.defect_rects?.length ?? 0} defect rect(s))` : '';
    lines.push(`execute: OK, verdict ${verdict}${reason}${execute.message ? ` - ${execute.message}` : ''}`);
  }
  lines.push(`image: ${imageLabel}`);
  lines.push(`timings (ms): ${Object.entries(document.timings).map(([key, value]) => `${key.replace(/_ms$/, '')} ${value}`).join(', ')}`);
  for (const problem of document.problems) lines.push(`result rule violated: ${problem}`);
  for (const warning of document.warnings) lines.push(`warning: ${warning}`);
  if (document.report) lines.push(`report: ${document.report.html}`);
  return lines.join('\n');
}
