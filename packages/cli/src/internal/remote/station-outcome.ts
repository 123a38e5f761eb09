import type { Station } from './fleet-file.js';
import { ErrorCodes } from '@procvision/manifest';

/** How one station fared in a fleet operation. */
export interface StationOutcome {
  station: string;
  url: string;
  /** `ok`; `failed` (the operation failed there; nothing half-switched); `skipped` (not touched, e.g. after a failed canary). */
  result: 'ok' | 'failed' | 'skipped';
  /** What happened, one line. */
  detail: string;
  /** The error code when it failed (`3001` unauthorized, `3051` unreachable, `3052` canary...). */
  code?: string;
  /** HTTP status of the failing call (0: no answer). */
  status?: number;
  /** True for the canary station of an activation. */
  canary?: boolean;
}

/** A failure of `station` from anything thrown by the client. */
export function failedOutcome(station: Station, error: unknown, prefix = ''): StationOutcome {
  const known = error as { status?: number; code?: string; message?: string; name?: string };
  const status = typeof known.status === 'number' ? known.status : undefined;
  const code =
    known.name === 'RunnerClientError' ? (status === 0 ? ErrorCodes.stationFailed : (known.code ?? ErrorCodes.stationFailed)) : ErrorCodes.stationFailed;
  const message = known.message ?? String(error);
  return { station: station.name, url: station.url, result: 'failed', detail: `${prefix}${message}`, code, ...(status === undefined ? {} : { status }) };
}

/** The summary table of a fleet operation: one row per station, then a count line. */
export function formatFleetSummary(operation: string, outcomes: readonly StationOutcome[]): string {
  const rows = outcomes.map((outcome) => [
    outcome.station + (outcome.canary === true ? ' (canary)' : ''),
    outcome.result.toUpperCase(),
    outcome.code ?? '',
    outcome.detail.replace(/\s+/g, ' '),
  ]);
  const header = ['STATION', 'RESULT', 'CODE', 'DETAIL'];
  const widths = header.map((title, column) => Math.min(48, Math.max(title.length, ...rows.map((row) => row[column]!.length))));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  const counts = (['ok', 'failed', 'skipped'] as const)
    .map((result) => `${outcomes.filter((outcome) => outcome.result === result).length} ${result}`)
    .join(', ');
  return [line(header), ...rows.map(line), `${operation}: ${counts} of ${outcomes.length} station(s)`].join('\n');
}
