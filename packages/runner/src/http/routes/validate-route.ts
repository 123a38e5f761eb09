import { checkTargetCompatibility, deliveryZipKind, type PythonVerifyOptions, verifyDeliveryZip, verifyPythonDeliveryZip } from '@procvision/packager';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';
import { withRequestZip } from './zip-upload.js';

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
      withRequestZip(context, request, async (zipPath, uploaded) => {
        if ((await deliveryZipKind(zipPath)) === 'python') {
          const python = await verifyPythonDeliveryZip(zipPath, verifyOptions);
          return {
            json: {
              valid: true,
              kind: 'python',
              zip: uploaded ? null : python.zipPath,
              name: python.manifest.name,
              version: python.manifest.version,
              supported_pids: python.manifest.supported_pids ?? [],
              generation: python.generation,
              sdk_version: python.sdkVersion,
              interpreter: {
                executable: python.interpreter.executable,
                python_version: python.interpreter.pythonVersion,
                implementation: python.interpreter.implementation,
                abi: python.interpreter.abi,
                platform: python.interpreter.platform,
              },
              compatible: true,
              wheels: python.wheels,
              signature: python.signature,
              delivery_sha256: python.listingSha256,
              entry_count: python.entryCount,
              total_bytes: python.totalBytes,
              warnings: [],
            },
          };
        }
        const verified = await verifyDeliveryZip(zipPath, verifyOptions);
        const compatibility = checkTargetCompatibility(verified.target);
        return {
          json: {
            valid: true,
            kind: 'npm',
            zip: uploaded ? null : verified.zipPath,
            name: verified.manifest.name,
            version: verified.manifest.version,
            supported_pids: verified.manifest.supported_pids,
            target: verified.target,
            compatible: compatibility.compatible,
            mismatches: compatibility.mismatches,
            signature: verified.signature,
            delivery_sha256: verified.deliverySha256,
            entry_count: verified.entryCount,
            total_bytes: verified.totalBytes,
            warnings: verified.manifestWarnings,
          },
        };
      }),
  };
}
