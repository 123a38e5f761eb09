import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunnerConfigInput, runnerConfigSchema } from '@procvision/manifest';
import { z } from 'zod';
import { defaultServiceLimits, type ServiceLimits } from '../http/service-limits.js';
import { StoreConfigError } from './store-config-error.js';

/** `maxFramePixels` -> `max_frame_pixels`. */
type SnakeCase<Text extends string> = Text extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : Text;

/** A service limit as `<store>/config.json` spells it: `max_frame_pixels`. */
export type ServiceLimitKey = SnakeCase<keyof ServiceLimits & string>;

function snakeCase<Text extends string>(text: Text): SnakeCase<Text> {
  return text.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) as SnakeCase<Text>;
}

type RunnerShape = Omit<typeof runnerConfigSchema.shape, 'log_level'>;

/** The runner config keys a station sets (every key of the runner config but the per-process `log_level`), without their defaults. */
const runnerKeys = Object.fromEntries(
  Object.entries(runnerConfigSchema.shape)
    .filter(([key]) => key !== 'log_level')
    .map(([key, schema]) => [key, schema.unwrap().optional()]),
) as { [Key in keyof RunnerShape]: z.ZodOptional<ReturnType<RunnerShape[Key]['unwrap']>> };

/** The service limits a station sets, each a positive integer (`max_frame_pixels`, `max_sessions`...). */
const limitKeys = Object.fromEntries(
  (Object.keys(defaultServiceLimits) as Array<keyof ServiceLimits>).map((name) => [snakeCase(name), z.number().int().positive().optional()]),
) as Record<ServiceLimitKey, z.ZodOptional<z.ZodNumber>>;

/** An environment variable name a package process may get. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as OMP_NUM_THREADS');

/** Settings of one package (by name) that win over the station's. */
export const packageOverrideSchema = z.strictObject({
  pre_execute_timeout_ms: runnerKeys.pre_execute_timeout_ms,
  execute_timeout_ms: runnerKeys.execute_timeout_ms,
  startup_timeout_ms: runnerKeys.startup_timeout_ms,
  kill_grace_ms: runnerKeys.kill_grace_ms,
  max_retries: runnerKeys.max_retries,
  max_restarts: runnerKeys.max_restarts,
  /** Processes of this package serving its PIDs. */
  instances: z.number().int().min(1).optional(),
  /** Variables (name -> value) the package's processes get, e.g. `{"OMP_NUM_THREADS": "4"}`. */
  env: z.record(envName, z.string()).optional(),
  /** Variables copied from the runner's own environment when set, e.g. `["CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH"]`. */
  pass_env: z.array(envName).optional(),
  /** Resident memory (MiB) a process of this package may hold; over it, it is restarted and its call fails (1012 `memory_limit_exceeded`). */
  memory_limit_mb: z.number().int().positive().optional(),
});

/** One package's overrides as config.json holds them. */
export type PackageOverride = z.infer<typeof packageOverrideSchema>;

/** The runtime keys of a station: settable in config.json, by `PROCVISION_*` environment and by flags. */
export const stationRuntimeSchema = z.strictObject({
  ...runnerKeys,
  ...limitKeys,
  /** Processes per package serving its PIDs (default 1). */
  instances: z.number().int().min(1).optional(),
  /** Size at which `logs/audit.jsonl` is rotated (default 10 MiB). */
  audit_log_max_bytes: z.number().int().min(4096).optional(),
  /** Rotated audit logs kept (`audit.jsonl.1` ... `.N`, default 5). */
  audit_log_keep: z.number().int().min(1).optional(),
  /** Per-package overrides by package name. */
  packages: z.record(z.string().min(1), packageOverrideSchema).optional(),
});

/** The runtime settings of a station as written (every key optional). */
export type StationRuntimeInput = z.input<typeof stationRuntimeSchema>;

/** A runtime key: `execute_timeout_ms`, `max_frame_pixels`, `instances`, `packages`... */
export type StationKey = keyof z.infer<typeof stationRuntimeSchema>;

/** Every runtime key, in the order `runner config` prints them. */
export const stationKeys = Object.keys(stationRuntimeSchema.shape) as StationKey[];

/** Station defaults of the keys that are not runner config or service limits. */
const stationDefaults = { instances: 1, audit_log_max_bytes: 10 * 1024 * 1024, audit_log_keep: 5, packages: {} } as const;

/** Where an effective value came from, weakest first. */
export type StationSource = 'default' | 'file' | 'env' | 'flag';

/** Every runtime setting of a station in force, with where each came from. */
export interface StationConfig {
  /** Runner config of the store's processes (every key but `log_level`). */
  runner: RunnerConfigInput;
  /** Service limits (`runner serve`). */
  limits: ServiceLimits;
  /** Processes per package. */
  instances: number;
  /** Audit log rotation. */
  auditLog: { maxBytes: number; keep: number };
  /** Per-package overrides. */
  packages: Record<string, PackageOverride>;
  /** Every key (`packages.<name>` for each package) with its value and source. */
  entries: Array<{ key: string; value: unknown; source: StationSource; env: string; flag: string }>;
}

/** The environment variable of a key: `execute_timeout_ms` -> `PROCVISION_EXECUTE_TIMEOUT_MS`. */
export function stationEnvName(key: StationKey): string {
  return `PROCVISION_${key.toUpperCase()}`;
}

/** The flag of a key: `execute_timeout_ms` -> `--execute-timeout-ms`. */
export function stationFlagName(key: StationKey): string {
  return `--${key.replaceAll('_', '-')}`;
}

/** Layers of runtime settings above `<store>/config.json`. */
export interface StationLayers {
  /** The environment (`PROCVISION_EXECUTE_TIMEOUT_MS=60000`, `PROCVISION_PACKAGES='{"a":{...}}'`); default none. */
  env?: NodeJS.ProcessEnv;
  /** Flag values as typed (`{"execute_timeout_ms": "60000"}`) or already parsed; they win over everything. */
  flags?: Partial<Record<StationKey, unknown>>;
}

/** Reads `<storeRoot>/config.json` as JSON (undefined when absent); failures name the file. */
async function readConfigJson(storeRoot: string): Promise<{ path: string; value: Record<string, unknown> | undefined }> {
  const path = join(storeRoot, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, value: undefined };
    throw new StoreConfigError(`${path}: cannot be read (${(error as Error).message})`, { file: path, cause: error });
  }
  try {
    const value: unknown = JSON.parse(text);
    return { path, value: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined };
  } catch (error) {
    throw new StoreConfigError(`${path}: not valid JSON (${(error as Error).message})`, { file: path, cause: error });
  }
}

function describe(issue: z.core.$ZodIssue, value: unknown): { field: string; text: string } {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.map(String).join('.');
    const key = `${prefix === '' ? '' : `${prefix}.`}${issue.keys[0] ?? ''}`;
    return {
      field: key,
      text: `unknown key "${key}"; the keys are ${stationKeys.join(', ')} (packages.<name>: ${Object.keys(packageOverrideSchema.shape).join(', ')})`,
    };
  }
  const field = issue.path.map(String).join('.');
  const got = issue.path.reduce<unknown>(
    (current, key) => (typeof current === 'object' && current !== null ? (current as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );
  return { field, text: `${field}: ${issue.message.replace(/^Invalid input: /, '')}, got ${JSON.stringify(got)}` };
}

/** Text of an environment variable or flag turned into the key's type (numbers, booleans, JSON for objects). */
function fromText(key: StationKey, text: string): unknown {
  const trimmed = text.trim();
  if (key === 'packages' || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return trimmed;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/**
 * Validates one layer against {@link stationRuntimeSchema}.
 * @throws StoreConfigError (2008) naming the layer and the key (an unknown key, a wrong type)
 */
function checkLayer(value: Record<string, unknown>, where: (key: string) => string, file: string): z.infer<typeof stationRuntimeSchema> {
  const parsed = stationRuntimeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const { field, text } = issue === undefined ? { field: '', text: 'invalid' } : describe(issue, value);
  const top = field.split('.')[0] ?? field;
  throw new StoreConfigError(`${where(top)}: ${text}`, { file, field });
}

/** The store-policy keys of config.json (read by {@link readStoreConfig}), not runtime settings. */
const storePolicyKeys = new Set(['require_signature', 'trusted_keys', 'python', 'python_system_site_packages', 'recording']);

/**
 * The runtime settings of the station whose store is at `storeRoot`: flags over `PROCVISION_*`
 * environment over `<store>/config.json` over defaults, each layer checked against one schema
 * (an unknown key or a wrong type is a {@link StoreConfigError} naming the variable, flag or key).
 * `packages` merges by package name: a layer replaces the overrides of the packages it names.
 *
 * @example
 * ```ts
 * const station = await resolveStationConfig('/var/lib/procvision/store', { env: process.env });
 * station.limits.maxFramePixels; // 20000000 with PROCVISION_MAX_FRAME_PIXELS=20000000
 * ```
 */
export async function resolveStationConfig(storeRoot: string, layers: StationLayers = {}): Promise<StationConfig> {
  const { path, value: json } = await readConfigJson(storeRoot);
  const fileRuntime = Object.fromEntries(Object.entries(json ?? {}).filter(([key]) => !storePolicyKeys.has(key)));
  const file = checkLayer(fileRuntime, () => path, path);
  const envValues: Record<string, unknown> = {};
  for (const key of stationKeys) {
    const text = layers.env?.[stationEnvName(key)];
    if (text !== undefined && text.trim() !== '') envValues[key] = fromText(key, text);
  }
  const env = checkLayer(envValues, (key) => stationEnvName(key as StationKey), path);
  const flagValues = Object.fromEntries(
    Object.entries(layers.flags ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, typeof value === 'string' && stationKeys.includes(key as StationKey) ? fromText(key as StationKey, value) : value]),
  );
  const flags = checkLayer(flagValues, (key) => (stationKeys.includes(key as StationKey) ? stationFlagName(key as StationKey) : `flag ${key}`), path);
  const layered: Array<[StationSource, z.infer<typeof stationRuntimeSchema>]> = [
    ['file', file],
    ['env', env],
    ['flag', flags],
  ];
  const values: Record<string, unknown> = {};
  const sources: Record<string, StationSource> = {};
  const packages: Record<string, PackageOverride> = {};
  const packageSources: Record<string, StationSource> = {};
  for (const [source, layer] of layered) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key === 'packages') {
        for (const [name, override] of Object.entries(value as Record<string, PackageOverride>)) {
          packages[name] = override;
          packageSources[name] = source;
        }
        continue;
      }
      values[key] = value;
      sources[key] = source;
    }
  }
  const runnerDefaults = runnerConfigSchema.parse({}) as Record<string, unknown>;
  const limitDefaults = Object.fromEntries(Object.entries(defaultServiceLimits).map(([name, value]) => [snakeCase(name), value]));
  const defaults: Record<string, unknown> = { ...runnerDefaults, ...limitDefaults, ...stationDefaults };
  const effective = (key: string): unknown => values[key] ?? defaults[key];
  const runner = Object.fromEntries(Object.keys(runnerKeys).map((key) => [key, effective(key)])) as RunnerConfigInput;
  const limits = Object.fromEntries(Object.keys(defaultServiceLimits).map((name) => [name, effective(snakeCase(name))])) as unknown as ServiceLimits;
  const entries: StationConfig['entries'] = stationKeys
    .filter((key) => key !== 'packages')
    .map((key) => ({ key, value: effective(key), source: sources[key] ?? 'default', env: stationEnvName(key), flag: stationFlagName(key) }));
  for (const [name, override] of Object.entries(packages))
    entries.push({
      key: `packages.${name}`,
      value: override,
      source: packageSources[name] ?? 'default',
      env: stationEnvName('packages'),
      flag: stationFlagName('packages'),
    });
  return {
    runner,
    limits,
    instances: effective('instances') as number,
    auditLog: { maxBytes: effective('audit_log_max_bytes') as number, keep: effective('audit_log_keep') as number },
    packages,
    entries,
  };
}

/** The runner config of one package's processes: the station's, then its overrides. */
export function packageRunnerConfig(station: Pick<StationConfig, 'runner' | 'packages'>, name: string): RunnerConfigInput {
  const override = station.packages[name] ?? {};
  const timing = Object.fromEntries(Object.entries(override).filter(([key, value]) => key in runnerKeys && value !== undefined));
  return { ...station.runner, ...timing };
}

/**
 * The extra environment of one package's processes: the variables `pass_env` names that the
 * runner has, then the `env` values (which win). Nothing else of the runner's environment.
 */
export function packageEnvironment(override: PackageOverride | undefined, runnerEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of override?.pass_env ?? []) {
    const value = runnerEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...override?.env };
}
