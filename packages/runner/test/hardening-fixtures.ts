import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { adapterBinPath } from '@procvision/sdk';
import sharp from 'sharp';
import { AlgorithmProcess } from '../src/index.js';
import { PackageStore, type ProcessStarter } from '../src/store/index.js';
import { createRunnerService, type RunnerService, type RunnerServiceOptions } from '../src/http/index.js';
import { fastConfig } from './helpers.js';
import { buildTinyZip, temporaryFolder } from './store-fixtures/store-fixtures.js';

/** Runs an installed package with the workspace SDK adapter (the tiny zips vendor no SDK). */
export const workspaceAdapterStarter: ProcessStarter = async (deployed) => {
  const process = new AlgorithmProcess({
    packageName: deployed.name,
    packageVersion: deployed.version,
    root: deployed.root,
    adapter: { command: globalThis.process.execPath, args: [adapterBinPath] },
    config: fastConfig,
    logger: { log() {} },
  });
  await process.start();
  return { process, stop: () => process.stop() };
};

/** A self-contained algorithm (no imports): its steps go through the frame ring like any other. */
const tinyAlgorithmSource = `export class TinyAlgo {
  getInfo() {
    return { name: 'tiny-algo', version: '1.0.0', supported_pids: ['A01', 'A02'], steps: [{ index: 1, name: 'check', params: [] }] };
  }
  preExecute() { return { status: 'OK', message: 'ready' }; }
  execute(stepIndex, pid, session, userParams, sharedMemId, imageMeta) {
    return { status: 'OK', message: 'checked', data: { result_status: 'OK', width: imageMeta.width, height: imageMeta.height } };
  }
}
`;

/** What {@link call} returns. */
interface CallAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** One HTTP call; JSON in and out. */
export async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallAnswer> {
  const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(15_000) };
  if (body instanceof Uint8Array || typeof body === 'string') init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, text, json: (type.startsWith('application/json') ? JSON.parse(text) : undefined) as any };
}

/** A station: a real store with the tiny package installed and active for A01, served over HTTP. */
export interface Station {
  url: string;
  service: RunnerService;
  store: PackageStore;
  zipPath: string;
  folder: string;
  /** Base64 of a small PNG. */
  image: string;
  close(): Promise<void>;
}

/** Builds the tiny zip, opens a store, serves it on 127.0.0.1, installs and activates the package. */
export async function startStation(options: Partial<RunnerServiceOptions> = {}): Promise<Station> {
  const temp = temporaryFolder('procvision-hardening-');
  const zipPath = await buildTinyZip(temp.path, join(temp.path, 'zips'), { version: '1.0.0', withDependency: false, mainSource: tinyAlgorithmSource });
  const store = await PackageStore.open(join(temp.path, 'store'), { processStarter: workspaceAdapterStarter });
  const service = createRunnerService({ store, port: 0, logger: { log() {} }, ...options });
  const url = await service.listen();
  const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  const installed = await call(url, 'POST', '/packages', { path: zipPath }, headers);
  if (installed.status !== 201) throw new Error(`install failed: ${installed.text}`);
  const activated = await call(url, 'POST', '/packages/tiny-algo/1.0.0/activate', { pids: ['A01'] }, headers);
  if (activated.status !== 200) throw new Error(`activate failed: ${activated.text}`);
  const image = (
    await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
  ).toString('base64');
  return {
    url,
    service,
    store,
    zipPath,
    folder: temp.path,
    image,
    async close() {
      await service.close();
      await store.close();
      temp.cleanup();
    },
  };
}

/** A PNG whose header claims `width` x `height` (a pixel bomb when large): signature, IHDR, a stub IDAT, IEND. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.byteLength);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A station in its own process (test/fixtures/hardened-station.mjs): its RSS and fds are its own.
 * `--max-semi-space-size=2` keeps V8's young generation from growing its reservation under load
 * (heapUsed stays flat either way; without it RSS measures V8's committed pages, not the service).
 */
export interface ChildStation {
  url: string;
  image: string;
  pid: number;
  /** RSS (bytes) and open fds of the station process after a full GC. */
  measure(): Promise<{ rss: number; fds: number }>;
  close(): Promise<void>;
}

/** Starts {@link ChildStation} with the given service limits. */
export async function startChildStation(limits: Record<string, number> = {}): Promise<ChildStation> {
  const temp = temporaryFolder('procvision-hardening-child-');
  const zipPath = await buildTinyZip(temp.path, join(temp.path, 'zips'), { version: '1.0.0', withDependency: false, mainSource: tinyAlgorithmSource });
  const script = fileURLToPath(new URL('./fixtures/hardened-station.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=2', script, temp.path, zipPath, JSON.stringify(limits)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then(() => reject(new Error('the station process exited before listening')));
  });
  const image = (
    await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
  ).toString('base64');
  return {
    url,
    image,
    pid: child.pid!,
    measure: () =>
      new Promise((resolve) => {
        child.once('message', (message) => resolve(message as { rss: number; fds: number }));
        child.send('measure');
      }),
    async close() {
      child.kill('SIGTERM');
      await exited;
      temp.cleanup();
    },
  };
}
