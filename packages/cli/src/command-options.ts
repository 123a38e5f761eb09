/** Options of `procvision init`. */
export interface InitOptions {
  dir?: string;
  pids?: string[];
  version?: string;
  desc?: string;
}

/** Options of `procvision validate`. */
export interface ValidateOptions {
  manifest?: string;
  zip?: string;
}

/** Options of `procvision run` (and, with `store`, of `procvision runner exec`). */
export interface RunOptions {
  pid: string;
  image: string;
  step: number;
  params?: string;
  timeoutMs?: number;
  report?: string;
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

/** Options of `procvision runner exec`. */
export interface ExecOptions extends StoreOptions {
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
export interface ServeOptions extends StoreOptions {
  port: number;
  host: string;
}
