import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binPath, runCli } from './cli-helpers.js';

/** A `runner serve` child process and how to reach it. */
export interface Served {
  child: ChildProcess;
  url: string;
  token: string;
  store: string;
}

/** One station of a fleet summary. */
export interface StationOutcome {
  station: string;
  result: 'ok' | 'failed' | 'skipped';
  code?: string;
  detail: string;
  canary?: boolean;
}

/** GET /bindings. */
export type Bindings = Record<string, { name: string; version: string; activated_at: string; previous: { name: string; version: string } | null }>;

/** `procvision runner serve` on 127.0.0.1, a free port, its own store and token. */
export async function serveStation(store: string, tokenFile: string, token: string, extra: readonly string[] = []): Promise<Served> {
  const child = spawn(
    process.execPath,
    [binPath, 'runner', 'serve', '--port', '0', '--store', store, '--token-file', tokenFile, '--log-level', 'warn', '--json', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        resolve((JSON.parse(stdout) as { url: string }).url);
      } catch {
        // not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, url, token, store };
}

/**
 * Packages one version of a scaffolded project: the version in manifest.json, package.json and
 * getInfo; `dark_threshold` a required param (a step without params fails with 1006); a
 * `rejected` build throws in execute.
 */
export async function packageVersion(project: string, out: string, version: string, rejected = false): Promise<string> {
  for (const file of ['manifest.json', 'package.json', 'src/main.ts']) {
    const path = join(project, file);
    let text = (await readFile(path, 'utf8')).replace(/"\d+\.\d+\.\d+"/, `"${version}"`);
    if (file === 'src/main.ts') {
      text = text.replace(/required: false,\s*default: 60,/, 'required: true,');
      text = text.replace(/\n\s*if \(stepIndex > 0\) throw new Error\('rejected build'\);/, '');
      if (rejected)
        text = text.replace('const image = await readImage(', "if (stepIndex > 0) throw new Error('rejected build');\n    const image = await readImage(");
    }
    await writeFile(path, text);
  }
  const packaged = await runCli(['package', project, '-o', out, '--json']);
  if (packaged.code !== 0) throw new Error(`package ${version} failed: ${packaged.stderr}`);
  return packaged.json<{ zips: Array<{ path: string }> }>().zips[0]!.path;
}

/** Stops a station (SIGTERM) and waits for its exit. */
export function stopStation(station: Served): Promise<unknown> {
  return new Promise((resolve) => {
    if (station.child.exitCode !== null || station.child.signalCode !== null) return resolve(undefined);
    station.child.once('exit', resolve);
    station.child.kill('SIGTERM');
  });
}
