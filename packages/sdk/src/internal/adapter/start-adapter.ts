import { readFileSync } from 'node:fs';
import { AdapterServer } from './adapter-server.js';
import { resolvePackageRoot } from './entry-point.js';
import type { FrameSink } from './stdout-guard.js';

const defaultMaxDefects = 20;

/** Starts the adapter in this process: stdout must already be reserved for frames. */
export function startAdapter(writeFrame: FrameSink, argv: readonly string[]): AdapterServer {
  const root = resolvePackageRoot();
  process.chdir(root);
  process.stdout.on('error', () => process.exit(1));
  const server = new AdapterServer({
    root,
    argv,
    writeFrame,
    workerUrl: new URL('./adapter-worker.js', import.meta.url),
    sdkVersion: sdkVersion(),
    maxDefects: maxDefectsFromEnvironment(),
  });
  server.start();
  return server;
}

function sdkVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

function maxDefectsFromEnvironment(): number {
  const value = Number(process.env.PROC_MAX_DEFECTS);
  return Number.isInteger(value) && value > 0 ? value : defaultMaxDefects;
}
