// Every package's public entry points (its package.json `exports`: ./dist/<x>.js is built from
// src/<x>.ts) and their exports, read with the TypeScript compiler over src: one engine for the
// TSDoc check and the API reports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/** The repository root. */
export const root = resolve(import.meta.dirname, '../..');

/** `{ packageDir, packageName, subpath, source }` for every entry point with a TypeScript source. */
export function entryPoints() {
  const entries = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const built = typeof target === 'string' ? target : (target.import ?? target.default);
      const match = typeof built === 'string' && /^\.\/dist\/(.+)\.js$/.exec(built);
      const source = match && join(root, 'packages', dir, 'src', `${match[1]}.ts`);
      if (source && existsSync(source)) entries.push({ packageDir: dir, packageName: manifest.name, subpath, source });
    }
  }
  return entries;
}

/** A program over the given entry files with the repository's compiler options. */
export function createProgram(files) {
  return ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
}

const kinds = [
  [ts.SymbolFlags.Class, 'class'],
  [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Enum, 'enum'],
  [ts.SymbolFlags.Variable, 'const'],
  [ts.SymbolFlags.Interface, 'interface'],
  [ts.SymbolFlags.TypeAlias, 'type'],
  [ts.SymbolFlags.Module, 'namespace'],
];

/**
 * The exports of one entry: `{ name, kind, typeOnly, symbol }`, sorted by name. `kind` is the
 * declaration's kind; `typeOnly` when it is exported with `export type`.
 */
export function exportsOf(program, file) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [];
  const result = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const kind = kinds.find(([flag]) => symbol.flags & flag)?.[1] ?? 'other';
    const typeOnly =
      (exported.declarations ?? []).some((declaration) => ts.isTypeOnlyExportDeclaration?.(declaration) ?? false) ||
      Boolean(checker.getTypeOnlyAliasDeclaration?.(exported));
    result.push({ name: exported.getName(), kind, typeOnly, symbol, checker });
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
