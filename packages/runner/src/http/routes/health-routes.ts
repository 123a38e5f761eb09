import type { LivenessReport, ReadinessReport } from '../ready-check.js';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';

/**
 * `/health` (liveness: 200 unless every active package has been failing longer than
 * `failedLivenessMs`, then 503 naming them), `/ready` (store open, every active package's
 * process ready; 503 otherwise, naming each package and why), `/readyz` (the readiness verdict
 * only, no token needed) and `/metrics` (Prometheus text).
 */
export function healthRoutes(context: ServiceContext, readiness: () => Promise<ReadinessReport>, liveness: () => Promise<LivenessReport>): Route[] {
  const startedAt = Date.now();
  return [
    {
      method: 'GET',
      pattern: '/health',
      async handle() {
        const report = await liveness();
        const body = { pid: process.pid, uptime_s: (Date.now() - startedAt) / 1000 };
        return report.alive ? { json: { status: 'ok', ...body } } : { status: 503, json: { status: 'failing', ...body, reasons: report.reasons } };
      },
    },
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
