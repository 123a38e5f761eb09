import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { silentLogger } from '@procvision/runner';
import { createRunnerService, type RunnerService } from '@procvision/runner/http';
import { PackageStore } from '@procvision/runner/store';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const kubernetes = fileURLToPath(new URL('../../../deploy/kubernetes/', import.meta.url));

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** `kubectl kustomize DIR`, parsed (kubectl comes from Debian's kubernetes-client; .ci/run installs it). */
function render(folder: string): KubeObject[] {
  const text = execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8', timeout: 60_000 });
  return parseAllDocuments(text).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as KubeObject;
  });
}

/** The kubernetes-models class of each kind the manifests use. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  Secret,
  ConfigMap,
  Service,
  DaemonSet,
  NetworkPolicy,
  PodDisruptionBudget,
  ServiceMonitor,
  PrometheusRule,
};

/**
 * Validates an object with its kubernetes-models class: types, required fields, enums and
 * formats of the Kubernetes OpenAPI schema (prometheus-operator's CRD schemas for ServiceMonitor
 * and PrometheusRule). Its validators let unknown fields pass, so the top-level keys are checked
 * here against the ones every kind may have.
 */
function validateStrictly(object: KubeObject): void {
  const Model = models[object.kind];
  expect(Model, `a model for ${object.kind}`).toBeDefined();
  new Model!(object as never).validate();
  const known = ['apiVersion', 'kind', 'metadata', 'spec', 'data', 'stringData', 'type', 'immutable', 'binaryData'];
  expect(
    Object.keys(object).filter((key) => !known.includes(key)),
    `${object.kind} ${object.metadata.name}`,
  ).toEqual([]);
}

/** The kubernetes-models type of each kind: its interface names every field the Kubernetes schema has, at every depth. */
const modelTypes: Record<string, [module: string, type: string]> = {
  Namespace: ['kubernetes-models/v1', 'INamespace'],
  Secret: ['kubernetes-models/v1', 'ISecret'],
  ConfigMap: ['kubernetes-models/v1', 'IConfigMap'],
  Service: ['kubernetes-models/v1', 'IService'],
  DaemonSet: ['kubernetes-models/apps/v1', 'IDaemonSet'],
  NetworkPolicy: ['kubernetes-models/networking.k8s.io/v1', 'INetworkPolicy'],
  PodDisruptionBudget: ['kubernetes-models/policy/v1', 'IPodDisruptionBudget'],
  ServiceMonitor: ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', 'IServiceMonitor'],
  PrometheusRule: ['@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', 'IPrometheusRule'],
};

/**
 * Unknown fields at any depth, the check kubernetes-models' validators leave out: every object
 * becomes an object literal typed with its kubernetes-models interface, and the TypeScript
 * checker reports each property the Kubernetes schema does not have (excess property checks
 * reach every nested literal). One program for all the sets (one checker run); returns the
 * checker's messages of each set (none when every field is known).
 */
async function unknownFields(sets: ReadonlyArray<readonly KubeObject[]>): Promise<string[][]> {
  // Inside the cli package, so the kubernetes-models types resolve from its node_modules.
  const folder = await mkdtemp(join(fileURLToPath(new URL('.', import.meta.url)), '.kubernetes-strict-'));
  try {
    const files = sets.map((_set, index) => join(folder, `manifests-${index}.ts`));
    for (const [index, objects] of sets.entries()) {
      const lines = objects.map((object, at) => {
        const [module, type] = modelTypes[object.kind]!;
        return `import type { ${type} as T${at} } from '${module}';\nexport const object${at}: T${at} = ${JSON.stringify(object)};`;
      });
      await writeFile(files[index]!, `${lines.join('\n')}\n`);
    }
    const program = ts.createProgram(files, {
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    return files.map((file) =>
      diagnostics
        .filter((diagnostic) => diagnostic.file?.fileName === file || diagnostic.file === undefined)
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').replace(/\s+/g, ' ').slice(0, 300)),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function metricNames(expressions: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const expression of expressions)
    for (const match of expression.matchAll(/\b(procvision_[a-z_]+)\b/g)) names.add(match[1]!.replace(/_(bucket|sum|count)$/, ''));
  return names;
}

describe('deploy/kubernetes renders with kustomize and validates against the Kubernetes schemas', () => {
  let directory: string;
  let service: RunnerService;
  let url: string;
  const token = 'kubernetes-manifest-token';

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'procvision-kubernetes-'));
    service = createRunnerService({ store: await PackageStore.open(join(directory, 'store')), port: 0, token, logger: silentLogger });
    url = await service.listen();
  });
  afterAll(async () => {
    await service.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('the base: namespace, token, keys, DaemonSet (hostPort, no service account token, /readyz), headless Service, NetworkPolicy, PDB, image named once', () => {
    const objects = render(kubernetes);
    expect(objects.map((object) => object.kind).sort()).toEqual(
      ['ConfigMap', 'DaemonSet', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'Service'].sort(),
    );
    for (const object of objects) validateStrictly(object);
    const daemonSet = objects.find((object) => object.kind === 'DaemonSet') as unknown as {
      spec: {
        template: {
          spec: {
            automountServiceAccountToken: boolean;
            containers: Array<{ image: string; readinessProbe: unknown; ports: unknown[] }>;
            initContainers: Array<{ image: string }>;
          };
        };
      };
    };
    const pod = daemonSet.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    const images = [...pod.containers, ...pod.initContainers].map((container) => container.image);
    expect(new Set(images)).toEqual(new Set(['registry.example.invalid/procvision/runner:0.1.0']));
    expect(pod.containers[0]!.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    expect(pod.containers[0]!.ports).toContainEqual(expect.objectContaining({ containerPort: 7070, hostPort: 7070 }));
    const serviceObject = objects.find((object) => object.kind === 'Service') as unknown as { spec: Record<string, unknown> };
    expect(serviceObject.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('no object of the base or the monitoring overlay has a field the Kubernetes schema lacks, at any depth (and a misspelt one is caught)', async () => {
    const objects = [
      ...render(kubernetes),
      ...render(join(kubernetes, 'monitoring')).filter((object) => ['ServiceMonitor', 'PrometheusRule'].includes(object.kind)),
    ];
    const misspelt = structuredClone(objects.find((object) => object.kind === 'DaemonSet')!) as unknown as {
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    misspelt.spec.template.spec.containers[0]!.readinessProbes = misspelt.spec.template.spec.containers[0]!.readinessProbe;
    const monitor = structuredClone(objects.find((object) => object.kind === 'ServiceMonitor')!) as unknown as {
      spec: { endpoints: Array<Record<string, unknown>> };
    };
    monitor.spec.endpoints[0]!.bearerTokenFiles = 'x';
    const [manifests, wrong] = await unknownFields([objects, [misspelt as unknown as KubeObject, monitor as unknown as KubeObject]]);
    expect(manifests).toEqual([]);
    const found = wrong!;
    expect(found.join('\n')).toMatch(/readinessProbes/);
    expect(found.join('\n')).toMatch(/bearerTokenFiles/);
  }, 120_000);

  it('the monitoring overlay: one scrape target (ServiceMonitor with the token), rules and a dashboard that name only exported metrics', async () => {
    const objects = render(join(kubernetes, 'monitoring'));
    for (const object of objects) validateStrictly(object);
    const daemonSet = objects.find((object) => object.kind === 'DaemonSet') as unknown as { spec: { template: { metadata: { annotations?: unknown } } } };
    expect(daemonSet.spec.template.metadata.annotations).toBeUndefined();
    const monitor = objects.find((object) => object.kind === 'ServiceMonitor') as unknown as { spec: { endpoints: Array<Record<string, unknown>> } };
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({
        port: 'http',
        path: '/metrics',
        authorization: { type: 'Bearer', credentials: { name: 'procvision-runner-token', key: 'token' } },
      }),
    ]);
    const rule = objects.find((object) => object.kind === 'PrometheusRule') as unknown as {
      spec: { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    };
    const rules = rule.spec.groups.flatMap((group) => group.rules);
    expect(rules.map((entry) => entry.alert).sort()).toEqual(
      ['ProcVisionDrift', 'ProcVisionProcessFaults', 'ProcVisionProcessRestarts', 'ProcVisionReconcileFailing', 'ProcVisionStepErrors'].sort(),
    );
    const dashboardMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'procvision-runner-dashboard') as unknown as {
      metadata: { labels: Record<string, string> };
      data: Record<string, string>;
    };
    expect(dashboardMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    const dashboard = JSON.parse(dashboardMap.data['procvision-runner-dashboard.json']!) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const dashboardExpressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(dashboardExpressions.length).toBeGreaterThanOrEqual(6);
    // Every metric a panel or a rule names is one a live runner exports (# TYPE lines of GET /metrics).
    const exposition = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    const exported = new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
    const named = metricNames([...dashboardExpressions, ...rules.map((entry) => entry.expr)]);
    expect(named.size).toBeGreaterThanOrEqual(6);
    for (const name of named) expect(exported, `metric ${name}`).toContain(name);
    expect(await readFile(join(kubernetes, 'monitoring', 'procvision-runner-dashboard.json'), 'utf8')).toContain('procvision_reconcile_drift_pids');
  });
});
