import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/** The default `catalog:` section of pnpm-workspace.yaml: package name -> version range. */
export async function readWorkspaceCatalog(root: string): Promise<Map<string, string>> {
  const catalog = new Map<string, string>();
  let inCatalog = false;
  for (const line of (await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8')).split(/\r?\n/)) {
    if (/^\S/.test(line)) inCatalog = /^catalog:\s*$/.test(line);
    else if (inCatalog) {
      const match = /^\s+['"]?([^'":]+)['"]?:\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) catalog.set(match[1].trim(), match[2].trim());
    }
  }
  return catalog;
}

/** Replaces `catalog:` specs by their ranges; named catalogs and unknown names are refused (2004). */
export function resolveCatalogSpec(name: string, spec: string, catalog: Map<string, string>): string {
  if (!spec.startsWith('catalog:')) return spec;
  if (spec !== 'catalog:' && spec !== 'catalog:default')
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `dependency ${name}: named catalog "${spec}" is not supported; use the default catalog or a plain range`,
    );
  const range = catalog.get(name);
  if (range === undefined)
    throw new ProcVisionError(ErrorCodes.dependenciesMissing, `dependency ${name} uses "catalog:" but pnpm-workspace.yaml's catalog has no entry for it`);
  return range;
}
