import type { GuideOptions } from '../internal/guide-options.js';
import type { NpmOption } from '../internal/npm-option.js';
import type { SignatureFlags } from '../internal/signature/signature-policy.js';
import type { StoreOptions } from '../internal/store-options.js';

/** Options of `procvision runner install`. */
export interface InstallOptions extends StoreOptions, SignatureFlags, NpmOption {}

/** Options of `procvision runner exec`. */
export interface ExecOptions extends StoreOptions, GuideOptions {
  pid: string;
  image: string;
  step: number;
  params?: string;
}

/** Options of `procvision runner activate` and `rollback`. */
export interface RunnerActivateOptions extends StoreOptions {
  pid: string[];
}

/** Options of `procvision runner uninstall`. */
export interface UninstallOptions extends StoreOptions {
  force?: boolean;
}

/** Options of `procvision runner serve`. */
export interface ServeOptions extends StoreOptions, SignatureFlags {
  /** `--port` (default `$PROCVISION_PORT` or 7070). */
  port?: number;
  /** `--host` (default `$PROCVISION_HOST` or 127.0.0.1). */
  host?: string;
  /** `--log-level` (default `$PROCVISION_LOG_LEVEL` or info). */
  logLevel?: string;
  /** `--token-file F`: the bearer token (default `$PROCVISION_TOKEN`). */
  tokenFile?: string;
  /** `--allow-path DIR`, repeatable: folders callers may name files in. */
  allowPath?: string[];
  /** `--allow-unsigned`: no implied signature requirement beyond loopback. */
  allowUnsigned?: boolean;
  /** `--tls-cert F`: PEM certificate chain of HTTPS (default `$PROCVISION_TLS_CERT`). */
  tlsCert?: string;
  /** `--tls-key F`: its private key (default `$PROCVISION_TLS_KEY`). */
  tlsKey?: string;
  /** `--repository DIR|URL` (default `$PROCVISION_REPOSITORY`): desired state to reconcile from. */
  repository?: string;
  /** `--poll-interval` in milliseconds (default 30000). */
  pollInterval?: number;
}

/** Options of `procvision runner records`. */
export interface RecordsOptions extends StoreOptions {
  /** `--url URL`: the station's service instead of the local store (listing only). */
  url?: string;
  /** `--token-file F`: its bearer token. */
  tokenFile?: string;
  pid?: string;
  since?: string;
  last?: number;
}
