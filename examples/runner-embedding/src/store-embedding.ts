/**
 * Embedding the ProcVision package store: open a store, list what it holds, and (given a
 * delivery zip) install it offline, activate it for a PID, find the folder the PID runs.
 *
 * Run: `pnpm --filter runner-embedding-example store [zip] [pid]`.
 * Without a zip the store is a fresh temporary folder and the install/activate calls are only
 * shown; build a zip with `procvision package examples/algorithm-example` to run them.
 * The temporary store is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcVisionError } from '@procvision/manifest';
import { PackageStore, type StorePackage } from '@procvision/runner/store';

const [zipPath, pid = 'p001'] = process.argv.slice(2);
const root = await mkdtemp(join(tmpdir(), 'procvision-store-example-'));

// `requireSignature: true` with `trustedKeys` makes unsigned or foreign zips fail with 2008.
const store = await PackageStore.open(root, { actor: 'runner-embedding-example' });
try {
  process.stdout.write(`store opened at ${store.paths.root}\n`);
  printPackages(await store.list());

  if (zipPath === undefined) {
    process.stdout.write(
      'no zip given; with one, this script would run:\n' +
        '  const entry = await store.install(zipPath);              // verify, npm ci --offline, smoke-load, register\n' +
        `  await store.activate(entry.name, entry.version, ['${pid}']); // process started and ready before the flip\n` +
        `  const active = await store.resolveActive('${pid}');          // active.root -> runner.startPackage({ root })\n`,
    );
  } else {
    const entry = await store.install(zipPath);
    process.stdout.write(`installed ${entry.name}@${entry.version} for pids ${entry.supported_pids.join(',')}\n`);
    await store.activate(entry.name, entry.version, [pid]);
    const active = await store.resolveActive(pid);
    process.stdout.write(`pid ${pid} runs ${active.name}@${active.version} from ${active.root}\n`);
    printPackages(await store.list());
  }
} catch (error) {
  // Store operations throw ProcVisionError with a 2xxx code (2001 invalid zip ... 2008 signature).
  if (!ProcVisionError.isInstance(error)) throw error;
  process.stderr.write(`store error ${error.code} ${error.codeName}: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await store.close();
  await rm(root, { recursive: true, force: true });
  process.stdout.write(`store closed and ${root} removed\n`);
}

function printPackages(packages: StorePackage[]): void {
  process.stdout.write(`${packages.length} package(s) installed\n`);
  for (const entry of packages) {
    process.stdout.write(`  ${entry.name}@${entry.version} ${entry.state} active for [${entry.active_pids.join(', ')}]\n`);
  }
}
