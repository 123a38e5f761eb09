import type { ReadinessReport } from '../ready-check.js';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';

/**
 * `/health` (the process is alive), `/ready` (store open, every active package's process
 * ready; 503 otherwise), `/readyz` (the same verdict only, no token needed) and `/metrics` (Prometheus text).
 */
export function healthRoutes(context: ServiceContext, readiness: () => Promise<ReadinessReport>): Route[] {
  const startedAt = Date.now();
  return [
    { method: 'GET', pattern: '/health', handle: () => ({ json: { status: 'ok', pid: process.pid, uptime_s: (Date.now() - startedAt) / 1000 } }) },
    {
      method: 'GET',
      pattern: '/ready',
      async handle() {
        const report = await readiness();
        return { status: report.ready ? 200 : 503, json: report };
      },
    },
    {
      method: 'GET',
      pattern: '/readyz',
      // For probes without the token (a kubelet httpGet): ready or not, nothing else (the reasons stay behind the token on /ready).
      async handle() {
        const report = await readiness();
        return { status: report.ready ? 200 : 503, json: { ready: report.ready } };
      },
    },
    { method: 'GET', pattern: '/metrics', handle: async () => ({ text: await context.metrics.render(), contentType: context.metrics.contentType }) },
  ];
}
