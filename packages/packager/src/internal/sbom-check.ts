import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { ErrorCodes } from '@procvision/manifest';
import type { Delivery } from '@procvision/manifest';
import { parseJsonEntry } from './delivery-metadata.js';
import { packageUrl, sbomFileName, sriToHex } from './sbom.js';
import { zipError } from './zip-error.js';

/** What a zip's SBOM says, in short. */
export interface SbomSummary {
  /** CycloneDX spec version (`1.6`). */
  specVersion: string;
  /** Library components listed. */
  components: number;
  /** License (SPDX id, expression or name; `unknown` when a component declares none) -> number of components. */
  licenses: Record<string, number>;
}

interface SbomComponent {
  type?: string;
  name?: string;
  version?: string;
  purl?: string;
  hashes?: Array<{ alg?: string; content?: string }>;
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
}

/** The license summary of CycloneDX components (sorted by license). */
export function licenseSummary(components: readonly SbomComponent[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const component of components) {
    const names = (component.licenses ?? []).map((choice) => choice.expression ?? choice.license?.id ?? choice.license?.name ?? 'unknown');
    const key = names.length === 0 ? 'unknown' : names.join(' AND ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort(([left], [right]) => (left < right ? -1 : 1)));
}

/** Parses SBOM bytes into its library components (2001 naming the entry when it is not a CycloneDX document). */
export function parseSbom(zipPath: string, bytes: Buffer): { specVersion: string; components: SbomComponent[] } {
  const document = parseJsonEntry(zipPath, sbomFileName, bytes) as { bomFormat?: unknown; specVersion?: unknown; components?: unknown } | null;
  if (document?.bomFormat !== 'CycloneDX' || typeof document.specVersion !== 'string')
    throw zipError(ErrorCodes.invalidZip, zipPath, sbomFileName, 'is not a CycloneDX JSON document (bomFormat "CycloneDX" and specVersion expected)');
  const components = Array.isArray(document.components) ? (document.components as SbomComponent[]) : [];
  return { specVersion: document.specVersion, components: components.filter((component) => component.type === 'library') };
}

/** The summary of SBOM bytes (2001 when they are not a CycloneDX document). */
export function sbomSummary(zipPath: string, bytes: Buffer): SbomSummary {
  const { specVersion, components } = parseSbom(zipPath, bytes);
  return { specVersion, components: components.length, licenses: licenseSummary(components) };
}

let validator: Validation.JsonStrictValidator | undefined;

/**
 * Validates SBOM bytes against the CycloneDX 1.6 JSON schema with the library's own validator
 * (ajv, strict: no unknown fields); 2001 naming the entry and the first schema error.
 */
export async function assertSbomSchema(zipPath: string, entry: string, bytes: Buffer): Promise<void> {
  validator ??= new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  const errors = await validator.validate(bytes.toString('utf8'));
  if (errors === null) return;
  const first = Array.isArray(errors) ? (errors[0] as { instancePath?: string; message?: string } | undefined) : undefined;
  throw zipError(
    ErrorCodes.invalidZip,
    zipPath,
    entry,
    `does not validate against the CycloneDX 1.6 JSON schema${first === undefined ? '' : ` (${first.instancePath === '' ? '/' : (first.instancePath ?? '')}: ${first.message ?? ''})`}`,
  );
}

/**
 * Checks the SBOM against the zip: every package of delivery.json's install set is listed with
 * its version and the lockfile's sha512, and every npm component listed is shipped (2008
 * naming the package otherwise). Returns the summary.
 */
export function checkSbom(zipPath: string, delivery: Delivery, bytes: Buffer): SbomSummary {
  const { specVersion, components } = parseSbom(zipPath, bytes);
  const byPurl = new Map(components.map((component) => [component.purl ?? '', component]));
  const shipped = new Set<string>();
  for (const dependency of delivery.dependencies) {
    const purl = packageUrl('npm', dependency.name, dependency.version);
    shipped.add(purl);
    const component = byPurl.get(purl);
    if (component === undefined)
      throw zipError(ErrorCodes.signatureInvalid, zipPath, sbomFileName, `does not list ${dependency.name}@${dependency.version}, which the zip ships`);
    const sha512 = component.hashes?.find((hash) => hash.alg === 'SHA-512')?.content;
    if (sha512 !== sriToHex(dependency.integrity))
      throw zipError(
        ErrorCodes.signatureInvalid,
        zipPath,
        sbomFileName,
        `lists ${dependency.name}@${dependency.version} with a sha512 other than the lockfile's`,
      );
  }
  for (const component of components) {
    if (component.purl?.startsWith('pkg:npm/') === true && !shipped.has(component.purl))
      throw zipError(ErrorCodes.signatureInvalid, zipPath, sbomFileName, `lists ${component.purl}, which the zip does not ship`);
  }
  return { specVersion, components: components.length, licenses: licenseSummary(components) };
}
