/** The PID `procvision init` writes when `--pids` is not given; `procvision validate` fails until it is replaced. */
export const pidPlaceholder = 'PID_TO_FILL';
