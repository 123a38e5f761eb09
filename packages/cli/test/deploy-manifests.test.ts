import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRunnerService, type RunnerService } from '@procvision/runner/http';
import { silentLogger } from '@procvision/runner';
import { PackageStore } from '@procvision/runner/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { serveEnvironmentNames } from '../src/internal/serve-environment.js';

const deploy = fileURLToPath(new URL('../../../deploy/', import.meta.url));

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ name: string; containerPort: number }>;
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number }; exec?: { command: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  securityContext?: Record<string, unknown>;
}

interface Volume {
  name: string;
  hostPath?: unknown;
  persistentVolumeClaim?: unknown;
  secret?: { secretName: string };
  emptyDir?: Record<string, unknown>;
}

interface Manifest {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

async function manifests(): Promise<Manifest[]> {
  const files = ((await readFile(join(deploy, 'kubernetes', 'base', 'kustomization.yaml'), 'utf8')).match(/^\s+- (\S+\.yaml)$/gm) ?? []).map((line) =>
    line.trim().slice(2),
  );
  expect(files.length).toBeGreaterThanOrEqual(4);
  const all: Manifest[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(join(deploy, 'kubernetes', 'base', file), 'utf8'))) {
      expect(document.errors, file).toEqual([]);
      all.push(document.toJS() as Manifest);
    }
  }
  return all;
}

describe('deploy/ stays true to the service', () => {
  let directory: string;
  let service: RunnerService;
  let url: string;
  const token = 'manifest-check-token';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'procvision-deploy-'));
    service = createRunnerService({ store: await PackageStore.open(join(directory, 'store')), port: 0, token, logger: silentLogger });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function routes(): Promise<string[]> {
    const response = await fetch(`${url}/`, { headers: { authorization: `Bearer ${token}` } });
    return ((await response.json()) as { routes: string[] }).routes;
  }

  it('the DaemonSet probes, port, environment, volumes and resources are the ones the service serves and reads', async () => {
    const all = await manifests();
    const daemonSet = all.find((manifest) => manifest.kind === 'DaemonSet')!;
    expect(daemonSet).toBeDefined();
    const template = daemonSet.spec.template as {
      metadata: { annotations: Record<string, string> };
      spec: { containers: Container[]; volumes: Volume[]; securityContext: Record<string, unknown> };
    };
    const runner = template.spec.containers.find((container) => container.name === 'runner')!;
    const env = Object.fromEntries((runner.env ?? []).map((entry) => [entry.name, entry.value]));
    for (const name of Object.keys(env)) expect(serveEnvironmentNames, `env ${name}`).toContain(name);
    expect(runner.args?.slice(0, 2)).toEqual(['runner', 'serve']);
    const served = await routes();
    // Liveness: /health, which needs no token (a kubelet httpGet probe carries none).
    expect(runner.livenessProbe?.httpGet?.path).toBe('/health');
    expect(served).toContain('GET /health');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    // Readiness: /readyz, which needs no token and says only ready or not (the reasons stay behind the token on /ready).
    expect(served).toContain('GET /ready');
    expect((await fetch(`${url}/ready`)).status).toBe(401);
    expect(runner.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ ready: true });
    // One port everywhere: env, containerPort, scrape annotations, Service.
    const port = Number(env.PROCVISION_PORT);
    expect(runner.ports).toContainEqual({ name: 'http', containerPort: port, hostPort: port, protocol: 'TCP' });
    expect(runner.livenessProbe?.httpGet?.port).toBe('http');
    expect(template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(port),
      'prometheus.io/path': '/metrics',
    });
    expect(served).toContain('GET /metrics');
    const serviceManifest = all.find((manifest) => manifest.kind === 'Service')!;
    expect(serviceManifest.spec.ports).toContainEqual(expect.objectContaining({ port, targetPort: 'http' }));
    // One scrape target: the pods; the Service carries no scrape annotations and lists pods that are not ready.
    expect(serviceManifest.metadata.annotations).toBeUndefined();
    expect(serviceManifest.spec.publishNotReadyAddresses).toBe(true);
    expect((template.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
    // Volumes: store where PROCVISION_STORE says, token where PROCVISION_TOKEN_FILE says, /dev/shm in memory.
    const mounts = new Map((runner.volumeMounts ?? []).map((mount) => [mount.name, mount]));
    const volumes = new Map(template.spec.volumes.map((volume) => [volume.name, volume]));
    expect(mounts.get('store')?.mountPath).toBe(env.PROCVISION_STORE);
    expect(volumes.get('store')?.hostPath ?? volumes.get('store')?.persistentVolumeClaim).toBeDefined();
    const tokenMount = mounts.get('token')!;
    expect(env.PROCVISION_TOKEN_FILE).toBe(`${tokenMount.mountPath}/token`);
    const secretName = volumes.get('token')?.secret?.secretName;
    const secret = all.find((manifest) => manifest.kind === 'Secret' && manifest.metadata.name === secretName);
    expect(Object.keys(secret?.stringData ?? secret?.data ?? {})).toContain('token');
    expect(mounts.get('shm')?.mountPath).toBe('/dev/shm');
    expect(volumes.get('shm')?.emptyDir).toMatchObject({ medium: 'Memory', sizeLimit: expect.stringMatching(/^\d+(Mi|Gi)$/) });
    for (const root of (env.PROCVISION_ALLOW_PATHS ?? '').split(':').filter(Boolean))
      expect([...mounts.values()].map((mount) => mount.mountPath)).toContain(root);
    const keyArg = runner.args![runner.args!.indexOf('--trusted-key') + 1]!;
    expect(keyArg.startsWith(`${mounts.get('trusted-keys')?.mountPath}/`)).toBe(true);
    expect(runner.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(runner.resources?.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(runner.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(mounts.get('tmp')?.mountPath).toBe('/tmp');
  });

  it('the Containerfile builds from a base pinned by digest, installs the deployed CLI, runs as a non-root user under tini, checks /health', async () => {
    const text = (await readFile(join(deploy, 'Containerfile'), 'utf8')).replace(/\\\n/g, ' ');
    const lines = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    // The base comes in by digest (BASE_IMAGE=name@sha256:...), the CLI from the context's production deploy.
    expect(lines[0]).toBe('ARG BASE_IMAGE');
    expect(lines.filter((line) => line.startsWith('FROM ')).every((line) => line.startsWith('FROM ${BASE_IMAGE}'))).toBe(true);
    expect(lines).toContain('COPY --chown=0:0 .container/procvision /opt/procvision');
    expect(lines.find((line) => line.startsWith('ENTRYPOINT '))).toMatch(
      /^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node", "\/opt\/procvision\/dist\/bin\.js"\]$/,
    );
    const ignore = (await readFile(join(deploy, '..', '.containerignore'), 'utf8')).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignore).toEqual(['*', '!.container/procvision']);
    const user = lines.filter((line) => line.startsWith('USER ')).at(-1)!;
    expect(user).not.toMatch(/^USER (root|0)\b/);
    const envNames = lines.filter((line) => line.startsWith('ENV ')).flatMap((line) => [...line.matchAll(/(\w+)=/g)].map((match) => match[1]!));
    for (const name of envNames.filter((name) => name.startsWith('PROCVISION_'))) expect(serveEnvironmentNames, `ENV ${name}`).toContain(name);
    const port = /PROCVISION_PORT=(\d+)/.exec(text)?.[1];
    expect(lines).toContain(`EXPOSE ${port}`);
    expect(lines.find((line) => line.startsWith('HEALTHCHECK'))).toContain("'/health'");
    expect(lines.some((line) => line.startsWith('VOLUME') && line.includes('/var/lib/procvision'))).toBe(true);
    expect(/PROCVISION_STORE=(\S+)/.exec(text)?.[1]?.startsWith('/var/lib/procvision/')).toBe(true);
    expect(lines.at(-1)).toBe('CMD ["runner", "serve"]');
  });
});
