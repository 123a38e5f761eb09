import type { ActivateOptions, ExecOptions, ServeOptions, StoreOptions, UninstallOptions } from '../command-options.js';
import type { Output } from '../output.js';

const todo = (): never => { throw new Error('not yet'); };
/** `procvision runner install`. */
export async function runnerInstall(zip: string, options: StoreOptions, output: Output): Promise<number> { void zip; void options; void output; return todo(); }
/** `procvision runner list`. */
export async function runnerList(options: StoreOptions, output: Output): Promise<number> { void options; void output; return todo(); }
/** `procvision runner activate`. */
export async function runnerActivate(name: string, version: string, options: ActivateOptions, output: Output): Promise<number> { void name; void version; void options; void output; return todo(); }
/** `procvision runner rollback`. */
export async function runnerRollback(name: string, options: ActivateOptions, output: Output): Promise<number> { void name; void options; void output; return todo(); }
/** `procvision runner uninstall`. */
export async function runnerUninstall(name: string, version: string, options: UninstallOptions, output: Output): Promise<number> { void name; void version; void options; void output; return todo(); }
/** `procvision runner exec`. */
export async function runnerExec(options: ExecOptions, output: Output): Promise<number> { void options; void output; return todo(); }
/** `procvision runner serve`. */
export async function runnerServe(options: ServeOptions, output: Output): Promise<number> { void options; void output; return todo(); }
