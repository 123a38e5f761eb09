/** How one doctor check came out: `fail` blocks running or installing (exit 1), `warn` does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `procvision doctor` (a wire shape: snake_case in `--json`). */
export interface DoctorCheck {
  /** What was checked: `node`, `sharp`, `shm_backend`, `dev_shm`, `npm`, `store`. */
  name: string;
  status: CheckStatus;
  /** One line: what was found and, for warn/fail, what to do. */
  detail: string;
  /** Machine-readable facts (versions, bytes, paths). */
  facts?: Record<string, string | number | boolean | null>;
}
