import type { RunnerClient } from '@procvision/runner/client';
import { UsageError } from '../../usage-error.js';
import { serveToken } from '../serve-token.js';
import type { Station } from './fleet-file.js';
import { ErrorCodes } from '@procvision/manifest';

/** The remote flags of the `runner` commands. */
export interface RemoteFlags {
  /** `--url URL`: one station's runner service. */
  url?: string;
  /** `--token-file F`: the bearer token (default `$PROCVISION_TOKEN`). */
  tokenFile?: string;
  /** `--fleet stations.json`: many stations. */
  fleet?: string;
  /** `--store DIR`: only for local mode. */
  store?: string;
}

/** True when a command runs against a service (`--url` or `--fleet`) rather than a local store. */
function isRemote(flags: RemoteFlags): boolean {
  return flags.url !== undefined || flags.fleet !== undefined;
}

/** Refuses flag mixes that would be silently ignored: `--url` with `--fleet`, `--store` with either. */
export function checkRemoteFlags(flags: RemoteFlags, example: string): void {
  if (flags.url !== undefined && flags.fleet !== undefined)
    throw new UsageError('--url and --fleet exclude each other: one station, or a stations file', { example });
  if (flags.store !== undefined && isRemote(flags))
    throw new UsageError('--store is the local store; with --url or --fleet the station uses its own store', { example });
}

/** A client of one station, with its token (the station's `token_file`, else the default token) and per-call timeout (default 60000 ms). */
export async function clientFor(station: Station, token: string | undefined, timeoutMs?: number): Promise<RunnerClient> {
  const { RunnerClient } = await import('@procvision/runner/client');
  try {
    return new RunnerClient({
      url: station.url,
      ...(token === undefined ? {} : { token }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      requestIdPrefix: `procvision-cli-${process.pid}`,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { code: ErrorCodes.fleetFileInvalid });
  }
}

/** The default bearer token: `--token-file` or `$PROCVISION_TOKEN`, or none. */
export function defaultToken(flags: RemoteFlags, example: string): Promise<string | undefined> {
  return serveToken(flags.tokenFile, process.env, example);
}

/** The token of each station, read before any station is touched (a bad token file is exit 2). */
export async function stationTokens(stations: readonly Station[], fallback: string | undefined, example: string): Promise<Array<string | undefined>> {
  const tokens: Array<string | undefined> = [];
  for (const station of stations) tokens.push(station.tokenFile === undefined ? fallback : await serveToken(station.tokenFile, {}, example));
  return tokens;
}
