import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../usage-error.js';

/**
 * Throws a UsageError (exit 2) unless `root` holds a package store (its `registry.json` or
 * `algorithms/`): `list`, `activate`, `rollback`, `uninstall` and `exec` never create one, so a
 * mistyped `--store` or a missing `$PROCVISION_STORE` leaves no empty store behind.
 */
export function assertStoreExists(root: string): void {
  if (existsSync(join(root, 'registry.json')) || existsSync(join(root, 'algorithms'))) return;
  const why = existsSync(root) ? ' (the folder has no registry.json or algorithms/)' : '';
  throw new UsageError(`no package store at ${root}${why}; install a package first (procvision runner install <zip> --store ${root}) or pass --store`);
}
