import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContractError, ProcVisionError, parseManifest, ErrorCodes } from '@procvision/manifest';
import { checkTargetCompatibility, deliveryZipKind, formatTarget, verifyDeliveryZip, type VerifiedDelivery, type VerifyOptions } from '@procvision/packager';
import type { SignaturePolicy } from '../signature/signature-policy.js';
import type { CheckList } from './check-list.js';
import { checkPythonDeliveryZip } from './python-zip-checks.js';

/**
 * Checks a delivery zip (docs/spec/delivery.md): structure and integrity, signature, manifest, target;
 * a Python SDK zip is checked against the station's interpreter `python` instead of a target.
 * With trusted keys the signature is PASS or FAIL; a refused signature (2008) is reported and
 * the rest of the zip is still checked.
 */
export async function checkDeliveryZip(checks: CheckList, zip: string, policy: SignaturePolicy, python = 'python3'): Promise<void> {
  const zipPath = resolve(zip);
  if (!existsSync(zipPath)) {
    checks.fail('zip structure and integrity', `${zipPath} does not exist`);
    return;
  }
  const kind = await deliveryZipKind(zipPath).catch(() => 'npm' as const);
  if (kind === 'python') {
    await checkPythonDeliveryZip(checks, zipPath, policy, python);
    return;
  }
  let verified = await verify(checks, zipPath, policy);
  if (verified === 'signature refused') verified = await verify(checks, zipPath, {}, true);
  else if (verified !== undefined) checkSignature(checks, verified, policy);
  if (verified === undefined || verified === 'signature refused') return;
  checks.pass('zip structure and integrity', `${verified.entryCount} entries, every file listed in delivery.json with a matching sha256`);
  try {
    const { manifest } = parseManifest(verified.manifest, { source: `${zipPath}!manifest.json` });
    checks.pass('zip manifest', `${manifest.name} ${manifest.version}`);
  } catch (error) {
    if (!ContractError.isInstance(error)) throw error;
    checks.fail('zip manifest', error.message);
  }
  if (verified.sbom === null) checks.warn('zip sbom', 'no sbom.cdx.json (made before zips carried one; package it again)');
  else {
    const licenses = Object.entries(verified.sbom.licenses)
      .map(([license, count]) => `${license} ${count}`)
      .join(', ');
    checks.pass(
      'zip sbom',
      `sbom.cdx.json: CycloneDX ${verified.sbom.specVersion}, ${verified.sbom.components} packages matching the install set${licenses === '' ? '' : ` (${licenses})`}`,
    );
  }
  const compatibility = checkTargetCompatibility(verified.target);
  const abi =
    verified.target.native_addons?.length === 0 ? `any Node ${verified.target.node_range} (no ABI-bound native code)` : `Node ABI ${verified.target.node_abi}`;
  const target = `${formatTarget(verified.target)}, ${abi}`;
  if (compatibility.compatible) checks.pass('zip target', `${target} (this machine)`);
  else
    checks.warn(
      'zip target',
      `${target}: not this machine (${compatibility.mismatches.map((mismatch) => `${mismatch.field} ${mismatch.expected} vs ${mismatch.actual}`).join(', ')})`,
    );
}

/**
 * The verified zip; undefined after recording a failure; 'signature refused' after a FAIL of
 * the signature alone (not recorded again on the retry without a signature policy).
 */
async function verify(checks: CheckList, zipPath: string, options: VerifyOptions, retry = false): Promise<VerifiedDelivery | 'signature refused' | undefined> {
  try {
    return await verifyDeliveryZip(zipPath, options);
  } catch (error) {
    const code = ProcVisionError.isInstance(error) ? ` (${error.code})` : '';
    const signature = ProcVisionError.isInstance(error) && error.code === ErrorCodes.signatureInvalid && error.details?.['entry'] === 'SIGNATURE';
    if (signature && retry) return undefined;
    checks.fail(signature ? 'zip signature' : 'zip structure and integrity', `${(error as Error).message}${code}`);
    return signature ? 'signature refused' : undefined;
  }
}

function checkSignature(checks: CheckList, verified: VerifiedDelivery, policy: SignaturePolicy): void {
  const signer = verified.signerKeyId ?? '';
  if (!verified.signature.signed) checks.warn('zip signature', 'unsigned (sign with `procvision package --sign-key key.pem`)');
  else if (verified.signature.verified) checks.pass('zip signature', `verified against ${policy.trustedKeys.length} trusted key(s), signer ${signer}`);
  else checks.warn('zip signature', `signed by ${signer}, not checked: no trusted key given (pass --trusted-key vendor-a.pub.pem)`);
}
