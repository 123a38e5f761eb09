import { type Colors, noColour } from '../../output.js';

/** The outcome of one validate check. */
type CheckOutcome = 'PASS' | 'FAIL' | 'WARN';

/** One line of `procvision validate`. */
interface CheckResult {
  name: string;
  result: CheckOutcome;
  message: string;
}

/** The `--json` document of `procvision validate`. */
interface ValidateReport {
  summary: { status: 'PASS' | 'FAIL'; passed: number; failed: number; warnings: number };
  checks: CheckResult[];
}

/** Collects check results in order and sums them up. */
export class CheckList {
  readonly checks: CheckResult[] = [];

  /** Records a passed check. */
  pass(name: string, message: string): void {
    this.checks.push({ name, result: 'PASS', message });
  }

  /** Records a failed check. */
  fail(name: string, message: string): void {
    this.checks.push({ name, result: 'FAIL', message });
  }

  /** Records a warning. */
  warn(name: string, message: string): void {
    this.checks.push({ name, result: 'WARN', message });
  }

  /** True when a check named `name` failed. */
  failed(name: string): boolean {
    return this.checks.some((check) => check.name === name && check.result === 'FAIL');
  }

  /** The summary and every check. */
  report(): ValidateReport {
    const count = (result: CheckOutcome) => this.checks.filter((check) => check.result === result).length;
    const failed = count('FAIL');
    return { summary: { status: failed === 0 ? 'PASS' : 'FAIL', passed: count('PASS'), failed, warnings: count('WARN') }, checks: this.checks };
  }
}

/** The human form of a validate report: one line per check, then the summary (coloured when `colour` says so). */
export function formatValidateReport(report: ValidateReport, colour: Colors = noColour): string {
  const paint = { PASS: colour.green, FAIL: colour.red, WARN: colour.yellow } as const;
  const lines = report.checks.map((check) => `${paint[check.result](check.result.padEnd(4))}  ${check.name}: ${check.message}`);
  const { status, passed, failed, warnings } = report.summary;
  lines.push('', `${colour.bold(paint[status](status))}: ${passed} passed, ${failed} failed, ${warnings} warning(s)`);
  return lines.join('\n');
}
