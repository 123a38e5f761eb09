import type { PackageReadiness } from '../http/process-source.js';
import type { ReadinessReport } from '../http/ready-check.js';
import type { StepResponseBody } from '../http/step-response.js';
import type { ActiveBinding, ActiveBindings } from '../store/active-bindings.js';
import type { ReconcileState } from '../store/reconciler.js';
import type { StorePackage } from '../store/package-store.js';
import type { RegistryEntry } from '../store/registry.js';
import type { ScanOutcome } from '../store/scan-zips.js';
import type { ClientExecuteRequest, ClientStepRequest } from './request-types.js';
import { type ClientErrorInfo, RunnerClientError } from './runner-client-error.js';
import { caFetch } from './ca-fetch.js';

/** Options of {@link RunnerClient}. */
export interface RunnerClientOptions {
  /** Base URL of the service (`http://station-07:7070`). */
  url: string;
  /** Bearer token (`procvision runner serve --token-file`). */
  token?: string;
  /** Per-call timeout in milliseconds (default 60000; installs get `installTimeoutMs`). */
  timeoutMs?: number;
  /** Timeout of `install` and `validate` uploads (default 600000: npm runs offline on the station). */
  installTimeoutMs?: number;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /**
   * PEM certificate(s) of the CA that signed the service's TLS certificate (a self-signed one is
   * its own CA), for an `https:` URL whose certificate the system does not trust. Node only.
   */
  ca?: string | Buffer;
  /** Sent as `X-Request-Id` prefix: each call gets `<prefix>-<n>`, so the station's access log names the caller. */
  requestIdPrefix?: string;
}

/** A delivery zip to upload: bytes, a Blob (e.g. `await fs.openAsBlob(path)`), or `{path}` of a zip already on the station. */
export type ZipSource = Uint8Array | Blob | { path: string };

/** `GET /health`. */
export interface HealthBody {
  status: 'ok';
  pid: number;
  uptime_s: number;
}

/** A session as the service describes it. */
export interface SessionBody {
  session_id: string;
  pid: string;
  package: string;
  context: Record<string, unknown>;
  steps: number;
  state: unknown;
}

/** `POST /validate`. */
export interface ValidateBody {
  valid: boolean;
  zip: string | null;
  name: string;
  version: string;
  supported_pids: string[];
  target: unknown;
  compatible: boolean;
  mismatches: unknown[];
  signature: unknown;
  delivery_sha256: string;
  entry_count: number;
  total_bytes: number;
  warnings: string[];
}

interface CallOptions {
  body?: unknown;
  /** The image as the body, with its media type. */
  image?: { bytes: Uint8Array; type: string };
  zip?: ZipSource;
  timeoutMs?: number;
  /** Statuses that are answers, not errors (e.g. 503 of `/ready`). */
  accept?: number[];
  text?: boolean;
}

/**
 * A typed, fetch-based client of the runner HTTP service (the API `GET /openapi.json`
 * describes). Runs anywhere fetch does; it imports none of the server code. Every failure is a
 * {@link RunnerClientError}.
 *
 * @example
 * ```ts
 * const client = new RunnerClient({ url: 'http://station-07:7070', token: process.env.PROCVISION_TOKEN });
 * const { package: entry } = await client.install(await openAsBlob('screw-check-v1.2.0-linux-x64-glibc-offline.zip'));
 * await client.activate(entry.name, entry.version, ['A01']);
 * const ready = await client.ready();
 * ```
 */
export class RunnerClient {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  private readonly options: RunnerClientOptions;
  private caFetch: typeof fetch | undefined;
  private calls = 0;

  constructor(options: RunnerClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new TypeError(`not a URL: ${JSON.stringify(options.url)}; give the service's base URL, e.g. http://127.0.0.1:7070`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`${options.url}: only http: and https: URLs are supported`);
    this.url = options.url.replace(/\/+$/, '');
    this.options = options;
  }

  /** `GET /health`: the process answers. */
  health(): Promise<HealthBody> {
    return this.call('GET', '/health');
  }

  /** `GET /ready`: the readiness report (a 503 is returned as `ready: false`, not thrown). */
  ready(): Promise<ReadinessReport> {
    return this.call('GET', '/ready', { accept: [503] });
  }

  /** `GET /metrics`: Prometheus text. */
  metrics(): Promise<string> {
    return this.call('GET', '/metrics', { text: true });
  }

  /** `GET /openapi.json`: the service's OpenAPI 3.1 document. */
  openApi(): Promise<Record<string, unknown>> {
    return this.call('GET', '/openapi.json');
  }

  /** `GET /packages`: installed packages with states and active pids. */
  listPackages(): Promise<{ packages: StorePackage[] }> {
    return this.call('GET', '/packages');
  }

  /** `POST /packages`: uploads and installs a delivery zip (or installs `{path}` on the station). */
  install(zip: ZipSource): Promise<{ package: RegistryEntry }> {
    return this.call('POST', '/packages', { zip, timeoutMs: this.options.installTimeoutMs ?? 600_000 });
  }

  /** `POST /validate`: verifies a zip without installing it. */
  validate(zip: ZipSource): Promise<ValidateBody> {
    return this.call('POST', '/validate', { zip, timeoutMs: this.options.installTimeoutMs ?? 600_000 });
  }

  /** `POST /packages/{name}/{version}/activate`: binds pids (the process is ready before the pointer flips). */
  activate(name: string, version: string, pids: readonly string[]): Promise<{ bindings: ActiveBindings }> {
    return this.call('POST', `/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/activate`, { body: { pids } });
  }

  /** `POST /packages/{name}/{version}/restart`: restarts a version's process afresh (heals a `failed` package). */
  restart(name: string, version: string): Promise<{ package: Record<string, unknown> }> {
    return this.call('POST', `/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/restart`);
  }

  /** `POST /switch`: activates a version over the pids' current binding (the old one becomes `previous`). */
  switch(name: string, version: string, pids: readonly string[]): Promise<{ bindings: ActiveBindings }> {
    return this.call('POST', '/switch', { body: { name, version, pids } });
  }

  /** `POST /rollback`: re-activates each pid's previous version. */
  rollback(name: string, pids: readonly string[]): Promise<{ bindings: ActiveBindings }> {
    return this.call('POST', '/rollback', { body: { name, pids } });
  }

  /** `GET /bindings`: every pid's binding with `activated_at` and `previous` (active.json). */
  bindings(): Promise<{ bindings: ActiveBindings }> {
    return this.call('GET', '/bindings');
  }

  /** `POST /deactivate`: unbinds pids bound to `name@version` (the undo of a first activation). */
  deactivate(name: string, version: string, pids: readonly string[]): Promise<{ bindings: ActiveBindings }> {
    return this.call('POST', '/deactivate', { body: { name, version, pids } });
  }

  /** `POST /restore`: undoes an activation of `name@version`, giving each pid exactly the binding it had (`null`: none). */
  restore(name: string, version: string, bindings: Readonly<Record<string, ActiveBinding | null>>): Promise<{ bindings: ActiveBindings }> {
    return this.call('POST', '/restore', { body: { name, version, bindings } });
  }

  /** `GET /state`: desired vs actual per pid and the last reconcile (`{repository: null}` without a repository). */
  state(): Promise<ReconcileState | { repository: null }> {
    return this.call('GET', '/state');
  }

  /** `POST /reconcile`: reconciles the station with its repository now and answers the state after it. */
  reconcile(): Promise<ReconcileState> {
    return this.call('POST', '/reconcile', { timeoutMs: this.options.installTimeoutMs ?? 600_000 });
  }

  /** `DELETE /packages/{name}/{version}`: uninstalls a version (2007 while active unless `force`). */
  uninstall(name: string, version: string, options: { force?: boolean } = {}): Promise<{ uninstalled: RegistryEntry }> {
    return this.call('DELETE', `/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}${options.force === true ? '?force=1' : ''}`);
  }

  /** `POST /scan`: installs the zips dropped into the station's zip folder. */
  scan(): Promise<{ outcomes: ScanOutcome[] }> {
    return this.call('POST', '/scan');
  }

  /** `POST /sessions`. */
  createSession(pid: string, context?: Record<string, unknown>): Promise<SessionBody> {
    return this.call('POST', '/sessions', { body: { pid, ...(context === undefined ? {} : { context }) } });
  }

  /** `GET /sessions/{id}`. */
  session(id: string): Promise<SessionBody> {
    return this.call('GET', `/sessions/${encodeURIComponent(id)}`);
  }

  /** `POST /sessions/{id}/steps`: one step on an image (bytes sent as the body, Base64, or `{path}` on the station). */
  step(id: string, request: ClientStepRequest): Promise<StepResponseBody> {
    return this.stepCall(`/sessions/${encodeURIComponent(id)}/steps`, request);
  }

  /** `POST /sessions/{id}/reset`. */
  resetSession(id: string): Promise<{ session_id: string; status: string; message: string; error_code?: string }> {
    return this.call('POST', `/sessions/${encodeURIComponent(id)}/reset`);
  }

  /** `DELETE /sessions/{id}`. */
  endSession(id: string): Promise<{ session_id: string; ended: true; steps: number }> {
    return this.call('DELETE', `/sessions/${encodeURIComponent(id)}`);
  }

  /** `POST /execute`: a one-shot session of one step. */
  execute(request: ClientExecuteRequest): Promise<StepResponseBody> {
    return this.stepCall('/execute', request);
  }

  /** A step: image bytes go as the body (fields in the query), Base64 or `{path}` as JSON. */
  private stepCall(path: string, request: ClientStepRequest | ClientExecuteRequest): Promise<StepResponseBody> {
    const { image, guide_image: guide, ...fields } = request;
    if (!(image instanceof Uint8Array) || guide !== undefined) {
      const base64 = (value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;
      return this.call('POST', path, { body: { ...fields, image: base64(image), ...(guide === undefined ? {} : { guide_image: base64(guide) }) } });
    }
    const query = new URLSearchParams();
    const { image_meta: meta, ...rest } = fields as Record<string, unknown> & { image_meta?: Record<string, unknown> };
    for (const [key, value] of Object.entries({ ...rest, ...meta })) {
      if (value === undefined) continue;
      query.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    const type = meta?.['format'] !== undefined ? 'application/octet-stream' : image[0] === 0x89 ? 'image/png' : 'image/jpeg';
    return this.call('POST', `${path}?${query.toString()}`, { image: { bytes: image, type } });
  }

  private async call<Result>(method: string, path: string, options: CallOptions = {}): Promise<Result> {
    const target = `${this.url}${path}`;
    const what = `${method} ${target}`;
    const headers: Record<string, string> = {};
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.requestIdPrefix !== undefined) headers['x-request-id'] = `${this.options.requestIdPrefix}-${(this.calls += 1)}`;
    let body: Uint8Array | Blob | string | undefined;
    if (options.zip !== undefined) {
      if (options.zip instanceof Uint8Array || options.zip instanceof Blob) {
        headers['content-type'] = 'application/zip';
        // A File keeps its delivery name in the station's archive.
        const name = (options.zip as { name?: unknown }).name;
        if (typeof name === 'string' && name !== '') headers['content-disposition'] = `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"`;
        body = options.zip;
      } else {
        headers['content-type'] = 'application/json';
        body = JSON.stringify({ path: options.zip.path });
      }
    } else if (options.image !== undefined) {
      headers['content-type'] = options.image.type;
      body = options.image.bytes;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const doFetch = this.options.fetch ?? (this.options.ca === undefined ? globalThis.fetch : (this.caFetch ??= caFetch(this.options.ca)));
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 60_000;
    let response: Response;
    try {
      response = await doFetch(target, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : `cannot reach the service (${describeCause(error)})`;
      throw new RunnerClientError(
        what,
        0,
        { code: timedOut ? 'timeout' : 'unreachable', name: timedOut ? 'timeout' : 'unreachable', message: reason },
        { cause: error },
      );
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const text = await response.text();
    const ok = response.ok || (options.accept ?? []).includes(response.status);
    if (ok && options.text === true) return text as Result;
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new RunnerClientError(
        what,
        response.status,
        { code: 'bad_response', name: 'bad_response', message: `the answer is not JSON (${text.slice(0, 80)})` },
        requestId === undefined ? {} : { requestId },
      );
    }
    if (ok) return parsed as Result;
    const error = (parsed as { error?: ClientErrorInfo }).error;
    const fallback = { code: String(response.status), name: response.statusText || 'http_error', message: response.statusText || `HTTP ${response.status}` };
    throw new RunnerClientError(
      what,
      response.status,
      error !== undefined && typeof error.message === 'string' ? error : fallback,
      requestId === undefined ? {} : { requestId },
    );
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export type { PackageReadiness, ReadinessReport, StepResponseBody };
