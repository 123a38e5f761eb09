import { errorCodes } from '@procvision/manifest';
import type { LogEntry, StepOutcome } from '@procvision/runner';

/** One line per step outcome, on stdout: what a platform would store or show the operator. */
export function printOutcome(sample: string, stepName: string, outcome: StepOutcome): void {
  const verdict = outcome.resultStatus === undefined ? '' : `, verdict ${outcome.resultStatus}`;
  const failure = outcome.errorCode === undefined ? '' : `, error ${outcome.errorCode} ${errorCodes[outcome.errorCode].name} at ${outcome.stage}`;
  const reason = outcome.execute?.data?.ng_reason === undefined ? '' : ` (${outcome.execute.data.ng_reason})`;
  const defects = outcome.execute?.data?.defect_rects?.length ?? 0;
  process.stdout.write(
    `${sample} step ${outcome.stepIndex} "${stepName}": status ${outcome.status}${verdict}${failure}${reason}; ` +
      `${defects} defect rect(s); "${outcome.message}" in ${outcome.latencyMs.toFixed(1)} ms\n`,
  );
}

/** A log entry from the algorithm's stderr or from the runner, one line on stderr. */
export function formatLog(entry: LogEntry): string {
  const fields = entry.fields === undefined ? '' : ` ${JSON.stringify(entry.fields)}`;
  return `[log] ${entry.level} ${entry.source} ${entry.packageName} session=${entry.sessionId ?? '-'}: ${entry.message}${fields}`;
}
