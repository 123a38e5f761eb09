import { dirname, resolve } from 'node:path';
import { UsageError } from '../../usage-error.js';
import { readCallerPath } from '../read-caller-path.js';
import { ErrorCodes } from '@procvision/manifest';

/** One station of a fleet: its base URL, a name for the summary, and where its token is. */
export interface Station {
  /** Shown in the summary (default: the URL's host:port). */
  name: string;
  url: string;
  /** Token file of this station (relative paths are relative to the stations file). */
  tokenFile?: string;
}

/** Largest stations file read, and most stations in one. */
const fleetLimits = { fileBytes: 1024 * 1024, stations: 2_000 };

const example = `echo '["http://station-01:7070", {"url": "http://station-02:7070", "name": "line-2", "token_file": "tokens/station-02"}]' > stations.json`;

function fail(file: string, reason: string): never {
  throw new UsageError(`--fleet ${file}: ${reason}`, { code: ErrorCodes.fleetFileInvalid, example });
}

function checkUrl(file: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(file, `${where} must be a station URL string`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    fail(file, `${where} is not a URL: ${JSON.stringify(value).slice(0, 120)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail(file, `${where} must be an http: or https: URL, got ${parsed.protocol}`);
  return value.replace(/\/+$/, '');
}

/**
 * Reads a stations file: a JSON array (or `{"stations": [...]}`) of URLs or of objects
 * `{"url", "name"?, "token_file"?}`. Bounded in size and count; URLs must be http(s) and
 * distinct. Any problem is a usage error (3050) naming the file and the entry.
 */
export async function readFleetFile(file: string): Promise<Station[]> {
  const bytes = await readCallerPath(file, { field: '--fleet', maxBytes: fleetLimits.fileBytes, hint: 'pass a JSON file listing the station URLs', example });
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    fail(file, `not valid JSON (${(error as Error).message})`);
  }
  const list = Array.isArray(document)
    ? document
    : typeof document === 'object' && document !== null && Array.isArray((document as { stations?: unknown }).stations)
      ? (document as { stations: unknown[] }).stations
      : undefined;
  if (list === undefined) fail(file, 'expected a JSON array of station URLs (or {"stations": [...]})');
  if (list.length === 0) fail(file, 'lists no station');
  if (list.length > fleetLimits.stations) fail(file, `lists ${list.length} stations; at most ${fleetLimits.stations} per file`);
  const base = dirname(resolve(file));
  const stations = list.map((entry, index): Station => {
    const where = `stations[${index}]`;
    if (typeof entry === 'string') {
      const url = checkUrl(file, where, entry);
      return { url, name: new URL(url).host };
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(file, `${where} must be a URL or {"url": ...}`);
    const record = entry as Record<string, unknown>;
    const unknownKeys = Object.keys(record).filter((key) => !['url', 'name', 'token_file'].includes(key));
    if (unknownKeys.length > 0) fail(file, `${where} has unknown field(s) ${unknownKeys.join(', ')}; allowed: url, name, token_file`);
    const url = checkUrl(file, `${where}.url`, record.url);
    if (record.name !== undefined && (typeof record.name !== 'string' || record.name.trim() === '' || record.name.length > 200))
      fail(file, `${where}.name must be a non-empty string of at most 200 characters`);
    if (record.token_file !== undefined && (typeof record.token_file !== 'string' || record.token_file === ''))
      fail(file, `${where}.token_file must be a path string`);
    return {
      url,
      name: typeof record.name === 'string' ? record.name : new URL(url).host,
      ...(typeof record.token_file === 'string' ? { tokenFile: resolve(base, record.token_file) } : {}),
    };
  });
  const seen = new Set<string>();
  for (const station of stations) {
    if (seen.has(station.url)) fail(file, `lists ${station.url} twice`);
    seen.add(station.url);
  }
  return stations;
}
