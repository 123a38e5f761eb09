import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, type Manifest, manifestAssetPaths, parseManifest } from '@procvision/manifest';
import type { CheckList } from './check-list.js';
import { pidPlaceholder } from '../scaffold/pid-placeholder.js';

/** Checks manifest fields (schema, warnings, placeholder PIDs); returns the manifest when usable. */
export function checkManifest(checks: CheckList, value: unknown, source: string): Manifest | undefined {
  let parsed: ReturnType<typeof parseManifest>;
  try {
    parsed = parseManifest(value, { source });
  } catch (error) {
    if (!ContractError.isInstance(error)) throw error;
    checks.fail('manifest fields', error.message);
    return undefined;
  }
  const { manifest, warnings } = parsed;
  checks.pass('manifest fields', `${manifest.name} ${manifest.version}, entry ${manifest.entry_point}, ${manifest.supported_pids.length} PID(s)`);
  for (const warning of warnings) checks.warn('manifest fields', warning);
  if (manifest.supported_pids.includes(pidPlaceholder)) {
    checks.fail('supported_pids', `${pidPlaceholder} is a placeholder: put your product ids in manifest.json "supported_pids" and in getInfo() (src/main.ts)`);
  } else {
    checks.pass('supported_pids', manifest.supported_pids.join(', '));
  }
  return manifest;
}

/** Checks that every `required_assets` and `default_config` file exists in the project. */
export function checkAssets(checks: CheckList, root: string, manifest: Manifest): void {
  const assets = manifestAssetPaths(manifest);
  const missing = assets.filter((asset) => !existsSync(join(root, asset.path)));
  if (missing.length > 0) {
    checks.fail('required assets', missing.map((asset) => `${asset.field}: ${asset.path} not found in ${root}`).join('; '));
  } else {
    checks.pass('required assets', assets.length === 0 ? 'none listed' : `${assets.length} file(s) present`);
  }
}
