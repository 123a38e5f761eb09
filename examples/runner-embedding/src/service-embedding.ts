/**
 * Embedding the ProcVision HTTP service: serve a package store over HTTP from your own Node
 * process (`@procvision/runner/http`) and drive it with the typed client
 * (`@procvision/runner/client`), as a fleet tool on another machine would.
 *
 * Run: `pnpm --filter runner-embedding-example service [zip] [pid]`.
 * The service listens on a free loopback port over a fresh temporary store; with a delivery
 * zip it installs and activates it through the client. Service and store are removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@procvision/runner';
import { serveRunner } from '@procvision/runner/http';
import { RunnerClient, RunnerClientError } from '@procvision/runner/client';

const [zipPath, pid = 'p001'] = process.argv.slice(2);
const root = await mkdtemp(join(tmpdir(), 'procvision-service-example-'));

// Loopback and port 0: no token needed, a free port picked. Beyond loopback pass `token`.
const served = await serveRunner({ store: root, port: 0, handleSignals: false, logger: silentLogger });
const client = new RunnerClient({ url: served.url, requestIdPrefix: 'service-example' });
try {
  process.stdout.write(`service listening on ${served.url} over ${served.storeRoot}\n`);
  const health = await client.health();
  process.stdout.write(`health: ${health.status}\n`);
  if (zipPath !== undefined) {
    const { package: entry } = await client.install({ path: zipPath });
    process.stdout.write(`installed ${entry.name}@${entry.version}\n`);
    await client.activate(entry.name, entry.version, [pid]);
  }
  const { packages } = await client.listPackages();
  process.stdout.write(`${packages.length} package(s) installed\n`);
  for (const entry of packages) {
    process.stdout.write(`  ${entry.name}@${entry.version} ${entry.state} active for [${entry.active_pids.join(', ')}]\n`);
  }
} catch (error) {
  // Service errors arrive as RunnerClientError with the HTTP status and the ProcVision code.
  if (!(error instanceof RunnerClientError)) throw error;
  process.stderr.write(`service error ${error.status} ${error.code} ${error.codeName}: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await served.close();
  await rm(root, { recursive: true, force: true });
  process.stdout.write(`service closed and ${root} removed\n`);
}
