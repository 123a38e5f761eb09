import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorCheck } from './doctor-check.js';

/** npm, which `package` and `runner install` run through this Node, and where it was found (`--npm`, PROCVISION_NPM, beside node, PATH). */
export async function checkNpm(): Promise<DoctorCheck> {
  const { locateNpmCli, runNpm } = await import('@procvision/packager/process');
  let cli: string;
  let source: string;
  try {
    ({ path: cli, source } = locateNpmCli());
  } catch (error) {
    return { name: 'npm', status: 'fail', detail: `${(error as Error).message}; package and runner install need npm`, facts: { npm_cli: null } };
  }
  try {
    const { stdout } = await runNpm(['--version'], {
      cwd: tmpdir(),
      cacheDir: join(tmpdir(), 'procvision-doctor-npm-cache'),
      network: 'user',
      timeoutMs: 30_000,
      npmCli: cli,
    });
    return {
      name: 'npm',
      status: 'ok',
      detail: `npm ${stdout.trim()} (${cli}, found ${source === 'PATH' ? 'on PATH' : source === 'PROCVISION_NPM' ? 'from --npm/PROCVISION_NPM' : source}), run with node ${process.version}`,
      facts: { npm_cli: cli, source, version: stdout.trim() },
    };
  } catch (error) {
    return {
      name: 'npm',
      status: 'fail',
      detail: `npm at ${cli} does not run: ${(error as Error).message.split('\n')[0] ?? ''}`,
      facts: { npm_cli: cli, source },
    };
  }
}

/** The package store: there (or creatable), writable, and its signature policy (config.json). */
export async function checkStore(storeOption: string | undefined): Promise<DoctorCheck> {
  const { defaultStoreRoot, readStoreSignaturePolicy } = await import('@procvision/runner/store');
  const { resolve } = await import('node:path');
  const root = storeOption === undefined ? defaultStoreRoot() : resolve(storeOption);
  if (!existsSync(root)) {
    return {
      name: 'store',
      status: 'warn',
      detail: `no store at ${root} yet: runner install creates it; unsigned zips will be accepted unless its config.json requires signatures`,
      facts: { root, exists: false },
    };
  }
  try {
    await access(root, constants.W_OK);
  } catch {
    return {
      name: 'store',
      status: 'fail',
      detail: `${root} is not writable by this user: installs and activations would fail`,
      facts: { root, exists: true, writable: false },
    };
  }
  try {
    const policy = await readStoreSignaturePolicy(root);
    const facts = {
      root,
      exists: true,
      writable: true,
      require_signature: policy.requireSignature,
      trusted_keys: policy.trustedKeys.length,
      config: policy.configPath ?? null,
    };
    if (policy.requireSignature)
      return {
        name: 'store',
        status: 'ok',
        detail: `${root}: signatures required, ${policy.trustedKeys.length} trusted key(s) (${policy.configPath ?? 'config.json'})`,
        facts,
      };
    return {
      name: 'store',
      status: 'warn',
      detail: `${root}: signatures not required, any zip installs (set "require_signature": true and "trusted_keys" in config.json)`,
      facts,
    };
  } catch (error) {
    return { name: 'store', status: 'fail', detail: (error as Error).message, facts: { root, exists: true, writable: true } };
  }
}
