import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import type { DoctorCheck } from '../internal/doctor/doctor-check.js';
import { checkDevShm, checkNode, checkSharp, checkShmBackend } from '../internal/doctor/runtime-checks.js';
import { checkNpm, checkStore } from '../internal/doctor/tool-checks.js';
import { applyNpmOption, type NpmOption } from '../internal/npm-option.js';

/** Options of `procvision doctor`. */
export interface DoctorOptions extends NpmOption {
  store?: string;
}

/**
 * `procvision doctor`: checks what running and installing algorithms need on this machine and
 * prints one line per check. Exit 1 when a check fails (something blocks running or installing),
 * 0 otherwise (warnings included).
 */
export async function doctorCommand(options: DoctorOptions, output: Output): Promise<number> {
  applyNpmOption(options);
  const checks: DoctorCheck[] = [
    checkNode(),
    await checkSharp(),
    await checkShmBackend(),
    await checkDevShm(),
    await checkNpm(),
    await checkStore(options.store),
  ];
  const failed = checks.filter((check) => check.status === 'fail');
  const document = { ok: failed.length === 0, checks };
  output.result(document, () =>
    [
      ...checks.map((check) => `${check.status.padEnd(4)}  ${check.name.padEnd(11)}  ${check.detail}`),
      failed.length === 0
        ? 'Nothing blocks running or installing algorithms here.'
        : `${failed.length} check(s) failed: ${failed.map((check) => check.name).join(', ')}.`,
    ].join('\n'),
  );
  return failed.length === 0 ? ExitCodes.success : ExitCodes.failure;
}
