import { isIP } from 'node:net';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/**
 * True when `host` is a loopback address or name (`127.0.0.0/8`, `::1`, `localhost`):
 * only programs on this machine can reach a service bound there. `0.0.0.0`, `::` and every
 * other address are reachable from other machines.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || bare === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Refuses to listen beyond loopback without a token: anyone on the network could install
 * and run code on the station.
 * @throws ProcVisionError 3002 with a one-line reason
 */
export function assertSafeExposure(host: string, token: string | undefined): void {
  if (token !== undefined || isLoopbackHost(host)) return;
  throw new ProcVisionError(
    ErrorCodes.exposureRefused,
    `refusing to listen on ${host} without a token: every machine that reaches it could install and run code here; pass --token-file FILE (or set PROCVISION_TOKEN), or listen on 127.0.0.1`,
  );
}
