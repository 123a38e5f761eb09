import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContractError, ProcVisionError, parseManifest } from '@procvision/manifest';
import { checkTargetCompatibility, formatTarget, verifyDeliveryZip } from '@procvision/packager';
import type { CheckList } from './check-list.js';

/** Checks a delivery zip (delivery.md): structure and integrity, signature, manifest, target. */
export async function checkDeliveryZip(checks: CheckList, zip: string): Promise<void> {
  const zipPath = resolve(zip);
  if (!existsSync(zipPath)) {
    checks.fail('zip structure and integrity', `${zipPath} does not exist`);
    return;
  }
  let verified: Awaited<ReturnType<typeof verifyDeliveryZip>>;
  try {
    verified = await verifyDeliveryZip(zipPath);
  } catch (error) {
    const code = ProcVisionError.isInstance(error) ? ` (${error.code})` : '';
    const name = ProcVisionError.isInstance(error) && error.code === '2008' ? 'zip signature' : 'zip structure and integrity';
    checks.fail(name, `${(error as Error).message}${code}`);
    return;
  }
  checks.pass('zip structure and integrity', `${verified.entryCount} entries, every file listed in delivery.json with a matching sha256`);
  if (!verified.signature.signed) checks.warn('zip signature', 'unsigned (sign with `procvision package --sign-key key.pem`)');
  else if (verified.signature.verified) checks.pass('zip signature', `verified, signer ${verified.signerKeyId ?? ''}`);
  else checks.warn('zip signature', `signed by ${verified.signerKeyId ?? 'an unknown key'}, not checked: no trusted key given`);
  try {
    const { manifest } = parseManifest(verified.manifest, { source: `${zipPath}!manifest.json` });
    checks.pass('zip manifest', `${manifest.name} ${manifest.version}`);
  } catch (error) {
    if (!ContractError.isInstance(error)) throw error;
    checks.fail('zip manifest', error.message);
  }
  const compatibility = checkTargetCompatibility(verified.target);
  const target = `${formatTarget(verified.target)}, Node ABI ${verified.target.node_abi}`;
  if (compatibility.compatible) checks.pass('zip target', `${target} (this machine)`);
  else checks.warn('zip target', `${target}: not this machine (${compatibility.mismatches.map((mismatch) => `${mismatch.field} ${mismatch.expected} vs ${mismatch.actual}`).join(', ')})`);
}
