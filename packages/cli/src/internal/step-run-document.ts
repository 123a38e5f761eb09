import { type Colors, noColour } from '../output.js';
import type { StepOutcome } from '@procvision/runner';

/** The `--json` document of `run` and `runner exec`. */
interface StepRunDocument {
  /** `OK` when the step worked (execute returned OK, whatever the verdict), else `ERROR`. */
  status: 'OK' | 'ERROR';
  /** The verdict, when execute returned OK. */
  result_status: 'OK' | 'NG' | null;
  /** Error code and stage (`validate`, `frame`, `pre`, `execute`) of a failed step. */
  error_code: string | null;
  stage: string;
  pre_execute: Record<string, unknown> | null;
  /** `null` when the step stopped before execute (pre_execute returned ERROR ...). */
  execute: Record<string, unknown> | null;
  timings: Record<string, number>;
  warnings: string[];
  /** What the algorithm published through `this.diagnostics` (null when nothing). */
  diagnostics: Record<string, unknown> | null;
  report?: { directory: string; json: string; html: string; annotated: string };
}

/**
 * The JSON document of a step: the validated results, or, for a stage that failed without a
 * valid result (timeout, crash, invalid result), an ERROR result with the runner's code.
 */
export function stepRunDocument(outcome: StepOutcome, timings: Record<string, number>): StepRunDocument {
  const failure = { status: 'ERROR', error_code: outcome.errorCode ?? null, message: outcome.message };
  return {
    status: outcome.status,
    result_status: outcome.resultStatus ?? null,
    error_code: outcome.errorCode ?? null,
    stage: outcome.stage,
    pre_execute: (outcome.pre as Record<string, unknown> | undefined) ?? (outcome.stage === 'pre' ? failure : null),
    execute: (outcome.execute as Record<string, unknown> | undefined) ?? (outcome.stage === 'execute' ? failure : null),
    timings,
    warnings: outcome.warnings,
    diagnostics: outcome.diagnostics ?? null,
  };
}

/** The human summary of a step run (the statuses and verdict coloured when `colour` says so). */
export function formatStepRun(document: StepRunDocument, imageLabel: string, colour: Colors = noColour): string {
  const paint = (word: string): string => (word === 'OK' ? colour.green(word) : word === 'NG' || word === 'ERROR' ? colour.red(word) : word);
  const describe = (result: Record<string, unknown> | null, phase: string): string => {
    if (result === null) return `${phase}: not called`;
    const data = result['data'] as { result_status?: string; ng_reason?: string; defect_rects?: unknown[] } | undefined;
    const code = typeof result['error_code'] === 'string' ? ` ${result['error_code']}` : '';
    const verdict = data?.result_status === undefined ? '' : `, verdict ${colour.bold(paint(data.result_status))}`;
    const reason = data?.result_status === 'NG' ? ` (${data.ng_reason ?? ''}, ${data.defect_rects?.length ?? 0} defect rect(s))` : '';
    const message = typeof result['message'] === 'string' && result['message'] !== '' ? ` - ${result['message']}` : '';
    return `${phase}: ${paint(String(result['status']))}${code}${verdict}${reason}${message}`;
  };
  const lines = [describe(document.pre_execute, 'pre_execute'), describe(document.execute, 'execute'), `image: ${imageLabel}`];
  lines.push(
    `timings (ms): ${Object.entries(document.timings)
      .map(([key, value]) => `${key.replace(/_ms$/, '')} ${value}`)
      .join(', ')}`,
  );
  for (const warning of document.warnings) lines.push(`${colour.yellow('warning:')} ${warning}`);
  if (document.diagnostics !== null) lines.push(`diagnostics: ${JSON.stringify(document.diagnostics)}`);
  if (document.report) lines.push(`report: ${document.report.html}`);
  return lines.join('\n');
}
