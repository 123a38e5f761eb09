import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from '../command-table/command-spec.js';
import { shellQuote } from './shell-quote.js';

/** What the examples are filled from: the project folder or package store the user named, if any. */
interface ExampleContext {
  /** The project folder as the user typed it. */
  project?: string;
  /** The package store as the user typed it (`--store`), for `runner` commands. */
  store?: string;
}

/** The placeholder values when no project is at hand. */
const defaults = { project: './screw-check', pid: 'A01', image: 'samples/ok.png', name: 'screw-check', version: '1.0.0', store: './runtime_store' };

interface ProjectFacts {
  name?: string;
  version?: string;
  pid?: string;
  image?: string;
}

/** Reads what an example needs from the project at hand; never throws (a usage error is being reported). */
function projectFacts(project: string): ProjectFacts {
  const facts: ProjectFacts = {};
  try {
    const manifestPath = join(project, 'manifest.json');
    if (existsSync(manifestPath) && statSync(manifestPath).isFile() && statSync(manifestPath).size < 1_000_000) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: unknown; version?: unknown; supported_pids?: unknown };
      if (typeof manifest.name === 'string') facts.name = manifest.name;
      if (typeof manifest.version === 'string') facts.version = manifest.version;
      const pids = Array.isArray(manifest.supported_pids) ? manifest.supported_pids.filter((pid): pid is string => typeof pid === 'string') : [];
      if (pids[0] !== undefined) facts.pid = pids[0];
    }
    const samples = join(project, 'samples');
    if (existsSync(samples) && statSync(samples).isDirectory()) {
      const image = readdirSync(samples)
        .sort()
        .find((file) => /\.(png|jpe?g|bmp|tiff?|webp)$/i.test(file));
      if (image !== undefined) facts.image = join(project, 'samples', image);
    }
  } catch {
    // an unreadable project gives the default example
  }
  return facts;
}

/** A small JSON file of the store, or undefined (missing, too big, not JSON). */
function readSmallJson(path: string): unknown {
  try {
    if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size > 4_000_000) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The first installed package of a store and a PID that is active (else one it supports). */
function storeFacts(store: string): ProjectFacts {
  const registry = readSmallJson(join(store, 'registry.json')) as
    { packages?: Array<{ name?: unknown; version?: unknown; supported_pids?: unknown }> } | undefined;
  const active = readSmallJson(join(store, 'active.json')) as Record<string, { name?: unknown; version?: unknown }> | undefined;
  const facts: ProjectFacts = {};
  const [activePid, binding] = Object.entries(active ?? {})[0] ?? [];
  const installed = registry?.packages?.[0];
  const name = binding?.name ?? installed?.name;
  const version = binding?.version ?? installed?.version;
  if (typeof name === 'string') facts.name = name;
  if (typeof version === 'string') facts.version = version;
  const supported = Array.isArray(installed?.supported_pids) ? installed.supported_pids.find((pid): pid is string => typeof pid === 'string') : undefined;
  const pid = activePid ?? supported;
  if (pid !== undefined) facts.pid = pid;
  return facts;
}

/**
 * The command that makes `runner exec --pid <pid>` work on this store, and why: activating an
 * installed package that supports the PID, or (when none does) listing what is installed, so a
 * pasted hint never names a package that cannot take the PID.
 */
export function activationHint(store: string, pid: string): { reason: string; example: string } {
  const registry = readSmallJson(join(store, 'registry.json')) as
    { packages?: Array<{ name?: unknown; version?: unknown; supported_pids?: unknown }> } | undefined;
  const packages = (registry?.packages ?? []).filter(
    (entry): entry is { name: string; version: string; supported_pids: string[] } =>
      typeof entry.name === 'string' && typeof entry.version === 'string' && Array.isArray(entry.supported_pids),
  );
  const shownStore = shellQuote(store);
  const supporting = packages.find((entry) => entry.supported_pids.includes(pid));
  if (supporting !== undefined) {
    return {
      reason: `${supporting.name} ${supporting.version} is installed and supports ${pid}`,
      example: `procvision runner activate ${shellQuote(supporting.name)} ${shellQuote(supporting.version)} --pid ${shellQuote(pid)} --store ${shownStore}`,
    };
  }
  const installed = packages.map((entry) => `${entry.name} ${entry.version} (${entry.supported_pids.join(', ')})`).join('; ');
  return {
    reason: installed === '' ? 'no package is installed' : `no installed package supports ${pid}; installed: ${installed}`,
    example: installed === '' ? `procvision runner install <zip> --store ${shownStore}` : `procvision runner list --store ${shownStore}`,
  };
}

/**
 * Fills an example template (`procvision run <project> --pid <pid> --image <image>`) from the
 * project at hand: its folder, its first supported PID, a sample image it has, its name and
 * version (for `runner` commands: the store's installed package and an active PID); the
 * generic values otherwise. So a usage error never suggests `--pid A01` to a
 * project that does not support A01.
 */
export function fillExample(template: string, context: ExampleContext = {}): string {
  const facts = context.project !== undefined ? projectFacts(context.project) : context.store !== undefined ? storeFacts(context.store) : {};
  const values: Record<string, string> = {
    store: context.store === undefined ? defaults.store : shellQuote(context.store),
    project: context.project === undefined ? defaults.project : shellQuote(context.project),
    pid: facts.pid ?? defaults.pid,
    image:
      facts.image === undefined
        ? context.project === undefined
          ? defaults.image
          : shellQuote(join(context.project, defaults.image))
        : shellQuote(facts.image),
    name: facts.name ?? defaults.name,
    version: facts.version ?? defaults.version,
  };
  return template.replace(/<(project|pid|image|name|version|store)>/g, (whole, key: string) => values[key] ?? whole);
}

/** The first example of `spec` filled from the context (the one a usage error prints). */
export function exampleOf(spec: CommandSpec | undefined, context: ExampleContext = {}): string {
  return fillExample(spec?.examples[0] ?? 'procvision init screw-check --pids A01,A02', context);
}

/** The project folder named on a command line: the first positional after the command word of a command taking `<project>`. */
export function projectFromArgv(spec: CommandSpec | undefined, argv: readonly string[]): string | undefined {
  if (spec?.arguments?.[0]?.name.includes('project') !== true) return undefined;
  const words = argv.slice(2);
  const at = words.indexOf(spec.name);
  const next = at < 0 ? undefined : words[at + 1];
  return next === undefined || next.startsWith('-') ? undefined : next;
}

/**
 * The commands whose examples {@link commandExample} reads. The command table registers itself
 * (command-table/index.ts): commands read their examples from it without importing it, so the
 * table imports the commands and never the reverse.
 */
let exampleSource: readonly CommandSpec[] = [];

/** Registers the command table {@link commandExample} reads (called once by command-table/index.ts). */
export function registerCommandExamples(table: readonly CommandSpec[]): void {
  exampleSource = table;
}

/** Example `index` of the command `name` (`install`, `serve` ...), filled from the context. */
export function commandExample(name: string, index = 0, context: ExampleContext = {}): string {
  const spec = exampleSource.find((candidate) => candidate.name === name);
  return fillExample(spec?.examples[index] ?? spec?.examples[0] ?? 'procvision --help', context);
}

/** The store a `runner` command line names (`--store DIR`), else `$PROCVISION_STORE`, when it exists. */
export function storeFromArgv(spec: CommandSpec | undefined, argv: readonly string[]): string | undefined {
  if (spec?.parent !== 'runner') return undefined;
  const at = argv.indexOf('--store');
  const named = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith('--store='))?.slice('--store='.length);
  const store = named ?? (process.env.PROCVISION_STORE === '' ? undefined : process.env.PROCVISION_STORE) ?? 'runtime_store';
  return existsSync(store) ? store : named;
}
