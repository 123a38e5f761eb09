import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDeliverySbom, summarizeSbom } from '@procvision/packager';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import type { StoreOptions } from '../internal/store-options.js';

/** Options of `procvision sbom`. */
export type SbomOptions = StoreOptions;

interface Component {
  name?: string;
  version?: string;
  purl?: string;
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
}

const example = 'procvision sbom screw-check@1.0.0 --store ./runtime_store --json';

/** `name@version` of an installed package (`@scope/name@1.0.0` too), or undefined. */
function packageRef(text: string): { name: string; version: string } | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: text.slice(0, at), version: text.slice(at + 1) };
}

/**
 * `procvision sbom <zip|name@version>`: the CycloneDX SBOM of a delivery zip (ours: its
 * sbom.cdx.json, checked against the zip; a Python SDK zip: derived from its wheels) or of an
 * installed version (`--store`, what the store kept at install). `--json` prints the document
 * itself; else one line per package and the license summary.
 */
export async function sbomCommand(target: string, options: SbomOptions, output: Output): Promise<number> {
  let document: string;
  let source: string;
  if (existsSync(target) && statSync(target).isFile()) {
    const read = await readDeliverySbom(target);
    document = read.document;
    source = `${resolve(target)} (${read.source === 'zip' ? 'sbom.cdx.json of the zip' : "derived from the Python zip's wheels"})`;
  } else {
    const ref = packageRef(target);
    if (ref === undefined || target.endsWith('.zip'))
      throw new UsageError(`${target} is neither a zip file nor an installed package as name@version.`, { example });
    document = await (await import('./runner.js')).readStoreSbom(ref.name, ref.version, options, output);
    source = `${ref.name}@${ref.version} in the store`;
  }
  const summary = summarizeSbom(document, source);
  output.result(JSON.parse(document) as unknown, () => {
    const components = ((JSON.parse(document) as { components?: Component[] }).components ?? []).map((component) => {
      const licenses = (component.licenses ?? []).map((choice) => choice.expression ?? choice.license?.id ?? choice.license?.name ?? 'unknown');
      return `  ${component.name ?? '?'} ${component.version ?? '?'}  ${licenses.length === 0 ? 'unknown' : licenses.join(' AND ')}  ${component.purl ?? ''}`;
    });
    const licenses = Object.entries(summary.licenses)
      .map(([license, count]) => `${license} ${count}`)
      .join(', ');
    return [
      `CycloneDX ${summary.specVersion} SBOM of ${source}: ${summary.components} package(s)`,
      ...components,
      `licenses: ${licenses === '' ? 'none' : licenses}`,
    ].join('\n');
  });
  return ExitCodes.success;
}
