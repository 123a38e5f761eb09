/** Options of `procvision init`. */
export interface InitOptions {
  dir?: string;
  pids?: string[];
  version?: string;
  desc?: string;
}

/** The signature flags of `runner install`, `runner serve` and `validate --zip`. */
export interface SignatureFlags {
  /** `--trusted-key PEM`, repeatable: ed25519 public key files, relative to the working folder. */
  trustedKey?: string[];
  /** `--require-signature`: refuse unsigned zips (2008). */
  requireSignature?: boolean;
}

/** Options of `procvision validate` (the signature flags apply to `--zip`). */
export interface ValidateOptions extends SignatureFlags {
  manifest?: string;
  zip?: string;
}

/** Options of `procvision run` (and, with `store`, of `procvision runner exec`). */
export interface RunOptions extends GuideOptions {
  pid: string;
  image: string;
  step: number;
  params?: string;
  timeoutMs?: number;
  report?: string;
}

/** `--guide-image`, `--guide-info`, `--step-desc` of `run` and `runner exec` (Python v0.3 algorithms). */
export interface GuideOptions {
  guideImage?: string;
  guideInfo?: string;
  stepDesc?: string;
}

/** Options of `procvision package`. */
export interface PackageOptions {
  output?: string;
  target?: string[];
  nodeAbi?: number;
  skipDeps?: boolean;
  signKey?: string;
}

/** The `--store` option every `runner` command takes. */
export interface StoreOptions {
  store?: string;
}

/** Options of `procvision runner install`. */
export interface InstallOptions extends StoreOptions, SignatureFlags {}

/** Options of `procvision runner exec`. */
export interface ExecOptions extends StoreOptions, GuideOptions {
  pid: string;
  image: string;
  step: number;
  params?: string;
}

/** Options of `procvision runner activate` and `rollback`. */
export interface ActivateOptions extends StoreOptions {
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
}
