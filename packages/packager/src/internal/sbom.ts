import { Enums, Models, Serialize, Spec, SPDX } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';

/** The name of the SBOM inside a delivery zip. */
export const sbomFileName = 'sbom.cdx.json';

/** One shipped package as the SBOM lists it. */
export interface SbomPackage {
  /** `npm` (from the lockfile) or `pypi` (from a wheel's METADATA). */
  ecosystem: 'npm' | 'pypi';
  name: string;
  version: string;
  /** An SPDX expression or a license name, when the package declares one. */
  license?: string;
  /** Hashes: `SHA-512` / `SHA-256` -> lowercase hex. */
  hashes: Partial<Record<'SHA-512' | 'SHA-256', string>>;
  /** A stable reference unique in the document (the purl, or the purl plus the install path). */
  ref: string;
  /** The refs of the packages it depends on. */
  dependsOn: string[];
}

/** What the SBOM describes: the algorithm package. */
interface SbomSubject {
  name: string;
  version: string;
  /** The document's timestamp; none for an SBOM derived from a zip's content. */
  createdAt?: Date;
  /** The refs of the packages the algorithm depends on directly. */
  dependsOn: string[];
}

/** `pkg:npm/%40scope/name@1.0.0` or `pkg:pypi/name@1.0.0`, by packageurl-js. */
export function packageUrl(ecosystem: SbomPackage['ecosystem'], name: string, version: string): string {
  if (ecosystem === 'npm' && name.startsWith('@')) {
    const [scope, bare] = name.split('/');
    return new PackageURL('npm', scope ?? null, bare ?? name, version, null, null).toString();
  }
  return new PackageURL(ecosystem, null, ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name, version, null, null).toString();
}

/** An SPDX id as a license id, an expression as an expression, anything else as a named license. */
function licenseOf(text: string): Models.License {
  if (SPDX.isSupportedSpdxId(text)) return new Models.SpdxLicense(text);
  if (/\s(OR|AND|WITH)\s|^\(/.test(text)) return new Models.LicenseExpression(text);
  return new Models.NamedLicense(text);
}

/** The hex of a `sha512-<base64>` SRI string. */
export function sriToHex(integrity: string): string {
  return Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex');
}

/**
 * The CycloneDX 1.6 JSON SBOM of a delivery: the algorithm as the metadata component, every
 * shipped package as a library component (version, purl, license, hashes) and the dependency
 * graph; built with @cyclonedx/cyclonedx-library, lists sorted, no serial number and the
 * subject's own date, so the same delivery gives the same bytes.
 */
export function createSbom(subject: SbomSubject, packages: readonly SbomPackage[]): string {
  const bom = new Models.Bom();
  if (subject.createdAt !== undefined) bom.metadata.timestamp = subject.createdAt;
  const root = new Models.Component(Enums.ComponentType.Application, subject.name, {
    version: subject.version,
    bomRef: `procvision-algorithm:${subject.name}@${subject.version}`,
  });
  bom.metadata.component = root;
  const components = new Map<string, Models.Component>();
  for (const entry of packages) {
    const component = new Models.Component(Enums.ComponentType.Library, entry.name, { version: entry.version, bomRef: entry.ref });
    component.purl = packageUrl(entry.ecosystem, entry.name, entry.version);
    if (entry.license !== undefined) component.licenses.add(licenseOf(entry.license));
    for (const [algorithm, hex] of Object.entries(entry.hashes)) component.hashes.set(algorithm as Enums.HashAlgorithm, hex);
    components.set(entry.ref, component);
    bom.components.add(component);
  }
  for (const entry of packages) {
    const component = components.get(entry.ref);
    for (const ref of entry.dependsOn) {
      const target = components.get(ref);
      if (component !== undefined && target !== undefined) component.dependencies.add(target.bomRef);
    }
  }
  for (const ref of subject.dependsOn) {
    const target = components.get(ref);
    if (target !== undefined) root.dependencies.add(target.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

/** The lockfile path a package at `from` reaches for `name`, Node's way (nearest node_modules up the tree). */
function resolveFrom(from: string, name: string, installed: ReadonlySet<string>): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (installed.has(candidate)) return candidate;
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/** A shipped npm package with where it sits and what it needs (an install-set entry). */
interface NpmSbomInput {
  path: string;
  name: string;
  version: string;
  integrity: string;
  license?: string;
  requires: readonly string[];
}

/**
 * The SBOM packages of an npm install set: one component per name@version (purl as the ref),
 * its lockfile license and sha512, and edges resolved the way Node resolves them. Also returns
 * the refs the algorithm depends on directly.
 */
export function npmSbomPackages(installSet: readonly NpmSbomInput[], rootDependencies: readonly string[]): { packages: SbomPackage[]; direct: string[] } {
  const installed = new Set(installSet.map((entry) => entry.path));
  const refOfPath = new Map(installSet.map((entry) => [entry.path, packageUrl('npm', entry.name, entry.version)]));
  const byRef = new Map<string, SbomPackage>();
  for (const entry of installSet) {
    const ref = refOfPath.get(entry.path) as string;
    const known = byRef.get(ref) ?? {
      ecosystem: 'npm' as const,
      name: entry.name,
      version: entry.version,
      ...(entry.license === undefined ? {} : { license: entry.license }),
      hashes: { 'SHA-512': sriToHex(entry.integrity) },
      ref,
      dependsOn: [],
    };
    for (const name of entry.requires) {
      const target = resolveFrom(entry.path, name, installed);
      const targetRef = target === undefined ? undefined : refOfPath.get(target);
      if (targetRef !== undefined && !known.dependsOn.includes(targetRef)) known.dependsOn.push(targetRef);
    }
    byRef.set(ref, known);
  }
  const direct = rootDependencies.map((name) => refOfPath.get(`node_modules/${name}`)).filter((ref): ref is string => ref !== undefined);
  return { packages: [...byRef.values()], direct };
}
