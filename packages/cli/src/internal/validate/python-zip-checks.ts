import { type ErrorCode, ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { verifyPythonDeliveryZip, type VerifiedPythonDelivery } from '@procvision/packager';
import type { SignaturePolicy } from '../signature/signature-policy.js';
import type { CheckList } from './check-list.js';

const stationCodes = new Set<ErrorCode>([
  ErrorCodes.pythonInterpreterMismatch,
  ErrorCodes.pythonRequirementsInvalid,
  ErrorCodes.pythonRequirementUnsatisfied,
  ErrorCodes.pythonWheelIncompatible,
  ErrorCodes.pythonSourceDistribution,
  ErrorCodes.pythonInterpreterUnavailable,
]);

/**
 * Checks a Python SDK delivery zip as `runner install` will on this station: structure and
 * integrity, signature, manifest for its SDK generation, then (asking `python`, the station's
 * interpreter) deploy_bootstrap.json, requirements.txt, wheels and their tags.
 */
export async function checkPythonDeliveryZip(checks: CheckList, zipPath: string, policy: SignaturePolicy, python: string): Promise<void> {
  let verified: VerifiedPythonDelivery;
  try {
    verified = await verifyPythonDeliveryZip(zipPath, { trustedKeys: policy.trustedKeys, requireSignature: policy.requireSignature, python });
  } catch (error) {
    if (!ProcVisionError.isInstance(error)) throw error;
    const name =
      error.code === ErrorCodes.signatureInvalid
        ? 'zip signature'
        : error.code === ErrorCodes.pythonManifestInvalid
          ? 'zip manifest'
          : stationCodes.has(error.code)
            ? 'zip python environment'
            : 'zip structure and integrity';
    checks.fail(name, `${error.message} (${error.code})`);
    return;
  }
  checks.pass(
    'zip structure and integrity',
    `Python SDK delivery zip, ${verified.entryCount} entries (project folder ${verified.folder}/, ${verified.wheels.length} wheels), none unsafe`,
  );
  const signer = verified.signerKeyId ?? '';
  if (!verified.signature.signed) checks.warn('zip signature', `unsigned (sign it: procvision sign ${zipPath} --key <ed25519 private key PEM>)`);
  else if (verified.signature.verified) checks.pass('zip signature', `verified against ${policy.trustedKeys.length} trusted key(s), signer ${signer}`);
  else checks.warn('zip signature', `signed by ${signer}, not checked: no trusted key given (pass --trusted-key vendor-a.pub.pem)`);
  checks.pass(
    'zip manifest',
    `${verified.manifest.name} ${verified.manifest.version}, Python SDK ${verified.generation}${verified.sdkVersion === null ? '' : ` (wheel ${verified.sdkVersion})`}, entry ${verified.manifest.entry_point}`,
  );
  const licenses = Object.entries(verified.sbom.licenses)
    .map(([license, count]) => `${license} ${count}`)
    .join(', ');
  checks.pass(
    'zip sbom',
    `derived from the wheels' METADATA: CycloneDX ${verified.sbom.specVersion}, ${verified.sbom.components} package(s)${licenses === '' ? '' : ` (${licenses})`}; procvision sbom ${zipPath} prints it`,
  );
  const interpreter = verified.interpreter;
  checks.pass(
    'zip python environment',
    `every requirement has a wheel for this station's Python ${interpreter.pythonVersion} (${interpreter.implementation}, ${interpreter.abi}, ${interpreter.platform}, ${interpreter.executable}); no source distributions`,
  );
}
