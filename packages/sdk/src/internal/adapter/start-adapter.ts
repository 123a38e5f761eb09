import { readFileSync } from 'node:fs';
import { AdapterServer } from './adapter-server.js';
import { resolvePackageRoot } from './entry-point.js';
import { createControl, FrameOutput } from './frame-output.js';
import { createMailbox } from './call-mailbox.js';

const defaultMaxDefects = 20;

/** Starts the adapter in this process: stdout must already be reserved for frames. */
export function startAdapter(argv: readonly string[]): AdapterServer {
  const root = resolvePackageRoot();
  process.chdir(root);
  const control = createControl();
  const server = new AdapterServer({
    root,
    argv,
    output: new FrameOutput(control),
    control,
    mailbox: createMailbox(),
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
