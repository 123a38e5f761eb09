import type { ActivateOptions, ExecOptions, ServeOptions, StoreOptions, UninstallOptions } from '../command-options.js';
import type { Output } from '../output.js';

/**
 * The package store of @procvision/runner (install, activate, rollback, uninstall, exec) is not
 * in this build yet; every `runner` command says so instead of pretending.
 */
function storeUnavailable(command: string): never {
  throw new Error(`procvision runner ${command}: the package store is not available in this build of @procvision/runner; install a newer @procvision/cli`);
}

/** `procvision runner install <zip>`. */
export async function runnerInstall(_zip: string, _options: StoreOptions, _output: Output): Promise<number> {
  return storeUnavailable('install');
}
/** `procvision runner list`. */
export async function runnerList(_options: StoreOptions, _output: Output): Promise<number> {
  return storeUnavailable('list');
}
/** `procvision runner activate <name> <version> --pid`. */
export async function runnerActivate(_name: string, _version: string, _options: ActivateOptions, _output: Output): Promise<number> {
  return storeUnavailable('activate');
}
/** `procvision runner rollback <name> --pid`. */
export async function runnerRollback(_name: string, _options: ActivateOptions, _output: Output): Promise<number> {
  return storeUnavailable('rollback');
}
/** `procvision runner uninstall <name> <version>`. */
export async function runnerUninstall(_name: string, _version: string, _options: UninstallOptions, _output: Output): Promise<number> {
  return storeUnavailable('uninstall');
}
/** `procvision runner exec --pid --image`. */
export async function runnerExec(_options: ExecOptions, _output: Output): Promise<number> {
  return storeUnavailable('exec');
}
/** `procvision runner serve`. */
export async function runnerServe(_options: ServeOptions, _output: Output): Promise<number> {
  return storeUnavailable('serve');
}
