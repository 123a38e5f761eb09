import {
  checkTargetCompatibility,
  deliveryZipKind,
  type PythonVerifyOptions,
  type VerifiedDelivery,
  type VerifiedPythonDelivery,
  verifyDeliveryZip,
  verifyPythonDeliveryZip,
} from '@procvision/packager';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';
import { withRequestZip } from './zip-upload.js';

/** What both kinds of verified zip tell about themselves. */
interface VerifiedZip {
  zipPath: string;
  manifest: { name: string; version: string; supported_pids?: readonly string[] | undefined };
  signature: unknown;
  entryCount: number;
  totalBytes: number;
}

/** The fields of every `POST /validate` body, ours or a Python SDK zip. */
function verifiedFields(verified: VerifiedZip, uploaded: boolean, deliverySha256: string): Record<string, unknown> {
  return {
    valid: true,
    zip: uploaded ? null : verified.zipPath,
    name: verified.manifest.name,
    version: verified.manifest.version,
    supported_pids: verified.manifest.supported_pids ?? [],
    signature: verified.signature,
    delivery_sha256: deliverySha256,
    entry_count: verified.entryCount,
    total_bytes: verified.totalBytes,
  };
}

/** The body of a Python SDK zip: checked against the store's interpreter. */
function pythonBody(python: VerifiedPythonDelivery, uploaded: boolean): Record<string, unknown> {
  const { interpreter } = python;
  return {
    ...verifiedFields(python, uploaded, python.listingSha256),
    kind: 'python',
    generation: python.generation,
    sdk_version: python.sdkVersion,
    interpreter: {
      executable: interpreter.executable,
      python_version: interpreter.pythonVersion,
      implementation: interpreter.implementation,
      abi: interpreter.abi,
      platform: interpreter.platform,
    },
    compatible: true,
    wheels: python.wheels,
    warnings: [],
  };
}

/** The body of our zip: its target compared with this machine. */
function npmBody(verified: VerifiedDelivery, uploaded: boolean): Record<string, unknown> {
  const compatibility = checkTargetCompatibility(verified.target);
  return {
    ...verifiedFields(verified, uploaded, verified.deliverySha256),
    kind: 'npm',
    target: verified.target,
    compatible: compatibility.compatible,
    mismatches: compatibility.mismatches,
    warnings: verified.manifestWarnings,
  };
}

/**
 * `POST /validate`: verifies a delivery zip (hostile-input checks, hashes, signature) and
 * compares its target with this machine, without installing anything. A Python SDK zip is
 * checked against the store's interpreter instead (`kind: "python"`, `interpreter`). A zip that
 * fails a check is an error response with the check's code (2001/2002/2004/2008, 2020-2025 -> 422).
 */
export function validateRoute(context: ServiceContext, verifyOptions: PythonVerifyOptions): Route {
  return {
    method: 'POST',
    pattern: '/validate',
    handle: ({ request }) =>
      withRequestZip(context, request, async (zipPath, uploaded) => ({
        json:
          (await deliveryZipKind(zipPath)) === 'python'
            ? pythonBody(await verifyPythonDeliveryZip(zipPath, verifyOptions), uploaded)
            : npmBody(await verifyDeliveryZip(zipPath, verifyOptions), uploaded),
      })),
  };
}
