import { InvalidArgumentError } from 'commander';

/** Commander parser for a positive integer option (`--step 2`, `--timeout-ms 5000`). */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  }
  return parsed;
}

/** Commander parser for a whole number from 0 (`--max-misses 0`). */
export function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) throw new InvalidArgumentError(`expected a whole number from 0, got '${value}'.`);
  return parsed;
}

/** Commander parser for a TCP port (0 picks a free one). */
export function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed > 65_535) throw new InvalidArgumentError(`expected a port 0..65535, got '${value}'.`);
  return parsed;
}

/** Commander parser for a comma-separated list (`--pids A01,A02`); repeated flags accumulate. */
export function commaList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError(`expected a comma-separated list, got '${value}'.`);
  return [...(previous ?? []), ...items];
}

/** Commander parser for a repeatable option (`--trusted-key a.pem --trusted-key b.pem`). */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A duration: `30s`, `500ms`, `2m`, or a plain number of seconds; returned in milliseconds (at least 200). */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError(`expected a duration such as 30s, 500ms or 2m, got '${value}'`);
  const factor = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1_000;
  const ms = Math.round(Number(match[1]) * factor);
  if (ms < 200) throw new InvalidArgumentError(`a poll interval must be at least 200ms, got '${value}'`);
  return ms;
}
