import { checkTargetCompatibility, type VerifyOptions, verifyDeliveryZip } from '@procvision/packager';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';
import { withRequestZip } from './zip-upload.js';

/**
 * `POST /validate`: verifies a delivery zip (hostile-input checks, hashes, signature) and
 * compares its target with this machine, without installing anything. A zip that fails a
 * check is an error response with the check's code (2001/2002/2004/2008 -> 422).
 */
export function validateRoute(context: ServiceContext, verifyOptions: VerifyOptions): Route {
  return {
    method: 'POST',
    pattern: '/validate',
    handle: ({ request }) =>
      withRequestZip(context, request, async (zipPath, uploaded) => {
        const verified = await verifyDeliveryZip(zipPath, verifyOptions);
        const compatibility = checkTargetCompatibility(verified.target);
        return {
          json: {
            valid: true,
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
