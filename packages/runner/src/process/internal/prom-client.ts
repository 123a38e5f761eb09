import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

/** The prom-client module (a CommonJS package: `require()` and `import` share one instance). */
type PromClientModule = typeof PromClient;

let loaded: PromClientModule | undefined;

/**
 * Loads prom-client on first use (~60 ms of module loading, most of it its default metrics and
 * @opentelemetry/api), so importing `@procvision/runner` costs nothing for metrics until a
 * caller creates them. An embedder's own `import { Registry } from 'prom-client'` gets the
 * same module, so registries merge.
 */
export function loadPromClient(): PromClientModule {
  loaded ??= createRequire(import.meta.url)('prom-client') as PromClientModule;
  return loaded;
}
