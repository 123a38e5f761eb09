/**
 * How npm may reach the network: `user` keeps the user's registry settings (registries, scoped
 * registries, auth tokens, proxies, CA files, the user config file) for the packager, which
 * resolves and fetches; `offline` drops every npm setting of the parent and points npm at a
 * dead loopback registry, for the runner's offline install, which must never fetch.
 */
export type NpmNetwork = 'user' | 'offline';

/** Options of {@link npmEnvironment}. */
export interface NpmEnvironmentOptions {
  /** The private npm cache folder. */
  cacheDir: string;
  /** See {@link NpmNetwork}. */
  network: NpmNetwork;
  /** The environment to start from (default `process.env`). */
  base?: NodeJS.ProcessEnv;
}

/** The registry an offline npm is pointed at: a dead loopback port, so any network attempt fails at once. */
export const deadRegistry = 'http://127.0.0.1:9/';

/**
 * `npm_config_*` settings that describe where and how npm fetches: kept in `user` mode. Covers
 * `registry`, `@scope:registry`, `//host/:_authToken` and `_auth`, proxies, TLS settings and the
 * user/global config files (whose `.npmrc` holds the rest).
 */
const networkSetting =
  /^npm_config_(?:.*registry|\/\/.*|_auth.*|always[-_]auth|.*proxy|https?[-_]proxy|no[-_]?proxy|userconfig|globalconfig|cafile|ca|cert|key|strict[-_]ssl|local[-_]address|maxsockets|fetch[-_].*)$/i;

/**
 * The environment every npm child of the toolkit runs with: inherited, minus the lifecycle
 * variables a parent npm or pnpm set (`npm_package_*`, `npm_lifecycle_*`, `npm_execpath`,
 * `pnpm_*`, `npm_config_*` settings such as `frozen_lockfile` or `prefix` that would change
 * what npm does), with a private cache and no audit, fund or update notices. See {@link NpmNetwork}
 * for which registry settings survive.
 */
export function npmEnvironment(options: NpmEnvironmentOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(options.base ?? process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !(options.network === 'user' && networkSetting.test(key))) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_cache: options.cacheDir,
    ...(options.network === 'offline' ? { npm_config_registry: deadRegistry } : {}),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  };
}
