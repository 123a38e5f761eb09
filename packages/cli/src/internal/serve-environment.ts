import { delimiter } from 'node:path';
import { type LogLevel, logLevels } from '@procvision/runner';
import type { ServeOptions } from '../commands/runner-options.js';
import { UsageError } from '../usage-error.js';
import { stationFlagKeys } from './station-options.js';

/**
 * The environment variables `procvision runner serve` reads (a container needs no wrapper
 * script), the station's runtime settings included. Flags win over them. `PROCVISION_STORE` and `PROCVISION_TOKEN` are read where the
 * store root and the token are resolved; they are listed here so deploy/ can be checked.
 */
export const serveEnvironmentNames: readonly string[] = [
  'PROCVISION_HOST',
  'PROCVISION_PORT',
  'PROCVISION_STORE',
  'PROCVISION_TOKEN_FILE',
  'PROCVISION_TOKEN',
  'PROCVISION_LOG_LEVEL',
  'PROCVISION_ALLOW_PATHS',
  'PROCVISION_REPOSITORY',
  'PROCVISION_TLS_CERT',
  'PROCVISION_TLS_KEY',
  // The station's runtime settings (read by the runner's resolveStationConfig).
  ...stationFlagKeys.map((key) => `PROCVISION_${key.toUpperCase()}`),
];

/** Default address and port of `runner serve`. */
const serveDefaults = { host: '127.0.0.1', port: 7070, logLevel: 'info' as LogLevel };

/** `runner serve` options with the environment applied: host, port and log level always set. */
interface ResolvedServeOptions extends ServeOptions {
  logLevel: LogLevel;
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * Fills the options the flags left out from the environment (`PROCVISION_HOST`,
 * `PROCVISION_PORT`, `PROCVISION_TOKEN_FILE`, `PROCVISION_LOG_LEVEL`, `PROCVISION_ALLOW_PATHS`
 * separated by the path delimiter), then the defaults. A variable holding a bad value is a
 * usage error naming it; an empty one counts as unset.
 */
export function applyServeEnvironment(flags: Partial<ServeOptions> & { logLevel?: string }, env: NodeJS.ProcessEnv, example: string): ResolvedServeOptions {
  const host = flags.host ?? (blank(env.PROCVISION_HOST) ? serveDefaults.host : env.PROCVISION_HOST!.trim());
  let port = flags.port;
  if (port === undefined && !blank(env.PROCVISION_PORT)) {
    const text = env.PROCVISION_PORT!.trim();
    port = Number(text);
    if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`PROCVISION_PORT must be a port 0..65535, got '${text}'`, { example });
  }
  const levelText = flags.logLevel ?? (blank(env.PROCVISION_LOG_LEVEL) ? serveDefaults.logLevel : env.PROCVISION_LOG_LEVEL!.trim().toLowerCase());
  if (!(logLevels as readonly string[]).includes(levelText))
    throw new UsageError(`${flags.logLevel === undefined ? 'PROCVISION_LOG_LEVEL' : '--log-level'} must be debug, info, warn or error, got '${levelText}'`, {
      example,
    });
  const tokenFile = flags.tokenFile ?? (blank(env.PROCVISION_TOKEN_FILE) ? undefined : env.PROCVISION_TOKEN_FILE!.trim());
  const allowPath =
    flags.allowPath ??
    (blank(env.PROCVISION_ALLOW_PATHS)
      ? undefined
      : env
          .PROCVISION_ALLOW_PATHS!.split(delimiter)
          .map((item) => item.trim())
          .filter((item) => item !== ''));
  const repository = flags.repository ?? (blank(env.PROCVISION_REPOSITORY) ? undefined : env.PROCVISION_REPOSITORY!.trim());
  return {
    ...flags,
    host,
    port: port ?? serveDefaults.port,
    logLevel: levelText as LogLevel,
    ...(tokenFile === undefined ? {} : { tokenFile }),
    ...(allowPath === undefined ? {} : { allowPath }),
    ...(repository === undefined ? {} : { repository }),
  };
}
