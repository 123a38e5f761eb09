import { posix } from 'node:path';
import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { parse } from 'yaml';
import { z } from 'zod';
import type { NpmLockEntry, NpmLockfile } from './npm-lock-types.js';

/** One dependency of a pnpm importer: the spec package.json has and the version it resolved to (`link:` for workspace packages). */
const importerDependencySchema = z.object({ specifier: z.string(), version: z.string() });
const dependencyMapSchema = z.record(z.string(), importerDependencySchema).optional();

/** The parts of a pnpm 9 lockfile (`lockfileVersion: '9.0'`) the packager reads; the rest is kept out of the zip. */
const pnpmLockfileSchema = z.object({
  lockfileVersion: z.union([z.string(), z.number()]),
  importers: z
    .record(z.string(), z.looseObject({ dependencies: dependencyMapSchema, optionalDependencies: dependencyMapSchema, devDependencies: dependencyMapSchema }))
    .default({}),
  packages: z
    .record(
      z.string(),
      z.looseObject({
        resolution: z.looseObject({ integrity: z.string().optional(), tarball: z.string().optional() }),
        os: z.array(z.string()).optional(),
        cpu: z.array(z.string()).optional(),
        libc: z.array(z.string()).optional(),
        engines: z.record(z.string(), z.string()).optional(),
        hasBin: z.boolean().optional(),
      }),
    )
    .default({}),
  snapshots: z
    .record(
      z.string(),
      z.looseObject({
        dependencies: z.record(z.string(), z.string()).optional(),
        optionalDependencies: z.record(z.string(), z.string()).optional(),
        optional: z.boolean().optional(),
      }),
    )
    .default({}),
});

/** A parsed pnpm lockfile. */
type PnpmLockfile = z.infer<typeof pnpmLockfileSchema>;

/** Parses pnpm-lock.yaml text (with the `yaml` library) and checks its shape; 2004 naming the file otherwise. */
export function parsePnpmLockfile(path: string, text: string): PnpmLockfile {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.dependenciesMissing, `${path} is not valid YAML (${(error as Error).message})`, { cause: error });
  }
  const parsed = pnpmLockfileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `${path} is not a pnpm lockfile: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}; run pnpm install to write it again`,
    );
  }
  const version = String(parsed.data.lockfileVersion);
  if (!/^9\./.test(version))
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `${path}: lockfile version ${version} is not supported (pnpm 9 or later writes 9.0); run pnpm install with pnpm 9 or 10 to upgrade it`,
    );
  return parsed.data;
}

/** `1.2.3(react@18.0.0)` -> `1.2.3`: a snapshot's peer suffix is not part of the version. */
function withoutPeers(reference: string): string {
  const cut = reference.indexOf('(');
  return cut === -1 ? reference : reference.slice(0, cut);
}

/** A dependency reference of a snapshot or importer: `1.2.3`, `1.2.3(peer@1)`, an alias `real-name@1.2.3`, or `link:../x`. */
function target(alias: string, reference: string): { name: string; key: string; version: string } {
  const aliased = /^(@?[^@()]+)@(.+)$/.exec(reference);
  const name = aliased?.[1] ?? alias;
  const key = `${name}@${aliased?.[2] ?? reference}`;
  return { name, key, version: withoutPeers(aliased?.[2] ?? reference) };
}

/** The registry tarball URL npm would record (registry.npmjs.org; npm puts the configured registry in its place). */
function registryTarball(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop() ?? name}-${version}.tgz`;
}

/** The production dependencies of an importer and, through `link:` workspace packages, of the importers it links (first-party ones: packed, not locked). */
function productionDependencies(lock: PnpmLockfile, importerId: string, seen = new Set<string>()): Array<{ alias: string; reference: string }> {
  if (seen.has(importerId)) return [];
  seen.add(importerId);
  const importer = lock.importers[importerId];
  const found: Array<{ alias: string; reference: string }> = [];
  const linked: string[] = [];
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    for (const [alias, dependency] of Object.entries(importer?.[field] ?? {}).sort(([left], [right]) => (left < right ? -1 : 1))) {
      if (dependency.version.startsWith('link:')) linked.push(posix.normalize(posix.join(importerId, dependency.version.slice('link:'.length))));
      else found.push({ alias, reference: dependency.version });
    }
  }
  for (const id of linked) found.push(...productionDependencies(lock, id, seen));
  return found;
}

/**
 * An importer of a pnpm lockfile as an npm lockfile v3 (what the staging npm project is seeded
 * with): the root entry's `dependencies`/`optionalDependencies` are the importer's specifiers
 * (workspace links left out: first-party packages are packed from the workspace); every package
 * reachable through production dependencies (those of linked workspace packages too) is laid out
 * the way npm would hoist it (first at `node_modules/<name>`, nested under its dependent on a
 * version conflict) with its version, integrity, registry URL, os/cpu/libc and engines, and
 * `optional` when pnpm marks it so. Dev dependencies are left out.
 * @throws ProcVisionError 2004 when the importer is missing (the project was not installed with pnpm since it was added)
 */
export function npmLockFromPnpm(path: string, lock: PnpmLockfile, importerId: string): NpmLockfile {
  const importer = lock.importers[importerId];
  if (importer === undefined)
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `${path} has no importer "${importerId}": run pnpm install in the workspace so its lockfile covers the project`,
      { details: { lockfile: path, importer: importerId } },
    );
  const specs = (field: 'dependencies' | 'optionalDependencies'): Record<string, string> =>
    Object.fromEntries(
      Object.entries(importer[field] ?? {})
        .filter(([, dependency]) => !dependency.version.startsWith('link:'))
        .map(([name, dependency]) => [name, dependency.specifier]),
    );
  const rootDependencies = specs('dependencies');
  const rootOptional = specs('optionalDependencies');
  const packages: Record<string, NpmLockEntry> = {
    '': {
      ...(Object.keys(rootDependencies).length === 0 ? {} : { dependencies: rootDependencies }),
      ...(Object.keys(rootOptional).length === 0 ? {} : { optionalDependencies: rootOptional }),
    },
  };
  const placedKey = new Map<string, string>();
  const queue = productionDependencies(lock, importerId).map((dependency) => ({ parent: '', ...dependency }));
  while (queue.length > 0) {
    const { parent, alias, reference } = queue.shift() as (typeof queue)[number];
    const { name, key, version } = target(alias, reference);
    const top = `node_modules/${alias}`;
    const nested = parent === '' ? top : `${parent}/node_modules/${alias}`;
    const place = [top, nested].find((candidate) => placedKey.get(candidate) === key) ?? [top, nested].find((candidate) => !placedKey.has(candidate));
    if (place === undefined || placedKey.get(place) === key) continue;
    const info = lock.packages[`${name}@${version}`];
    if (info === undefined)
      throw new ProcVisionError(
        ErrorCodes.dependenciesMissing,
        `${path} lists ${name}@${version} as a dependency but has no packages entry for it; run pnpm install`,
        {
          details: { lockfile: path, package: `${name}@${version}` },
        },
      );
    const snapshot = lock.snapshots[key] ?? {};
    const versions = (map: Record<string, string> | undefined): Record<string, string> | undefined =>
      map === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(map).map(([child, childReference]) => {
              const resolved = target(child, childReference);
              return [child, resolved.name === child ? resolved.version : `npm:${resolved.name}@${resolved.version}`];
            }),
          );
    const dependencies = versions(snapshot.dependencies);
    const optionalDependencies = versions(snapshot.optionalDependencies);
    packages[place] = {
      ...(name === alias ? {} : { name }),
      version,
      resolved: info.resolution.tarball ?? registryTarball(name, version),
      ...(info.resolution.integrity === undefined ? {} : { integrity: info.resolution.integrity }),
      ...(snapshot.optional === true ? { optional: true } : {}),
      ...(dependencies === undefined ? {} : { dependencies }),
      ...(optionalDependencies === undefined ? {} : { optionalDependencies }),
      ...(info.engines === undefined ? {} : { engines: info.engines }),
      ...(info.os === undefined ? {} : { os: info.os }),
      ...(info.cpu === undefined ? {} : { cpu: info.cpu }),
      ...(info.libc === undefined ? {} : { libc: info.libc }),
    };
    placedKey.set(place, key);
    for (const [child, childReference] of Object.entries({ ...snapshot.dependencies, ...snapshot.optionalDependencies }))
      queue.push({ parent: place, alias: child, reference: childReference });
  }
  return { lockfileVersion: 3, requires: true, packages };
}
