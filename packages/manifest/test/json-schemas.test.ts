import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The files are written by `pnpm build` (scripts/generate-json-schemas.mjs); turbo runs the
// build before the tests.
const schemaDir = join(import.meta.dirname, '..', 'schemas');
const read = (name: string) => JSON.parse(readFileSync(join(schemaDir, `${name}.json`), 'utf8')) as Record<string, any>;
const names = [
  'manifest',
  'algorithm-info',
  'param-spec',
  'pre-execute-result',
  'execute-result',
  'call-data',
  'adapter-message',
  'runner-message',
  'runner-config',
  'delivery',
  'signature',
  'golden-labels',
];

describe('generated JSON Schema files', () => {
  it('exist for every contract, draft 2020-12, with an id and a title', () => {
    for (const name of names) {
      expect(existsSync(join(schemaDir, `${name}.json`)), `schemas/${name}.json missing: run pnpm build`).toBe(true);
      const schema = read(name);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://procvision.invalid/schemas/${name}.json`);
      expect(schema.title).toBe(`ProcVision ${name}`);
    }
  });

  it('describe the manifest fields and their required set', () => {
    const manifest = read('manifest');
    expect(manifest.required).toEqual(['name', 'version', 'entry_point', 'supported_pids']);
    expect(manifest.properties.supported_pids).toMatchObject({ minItems: 1, maxItems: 50 });
    expect(manifest.properties.name.pattern).toBe('^[a-z0-9_-]+$');
    expect(new RegExp(manifest.properties.version.pattern).test('1.0')).toBe(true);
    expect(new RegExp(manifest.properties.entry_point.pattern).test('dist/main.js:Detector')).toBe(true);
  });

  it('describe input forms: defaults make runner config keys optional', () => {
    const config = read('runner-config');
    expect(config.required ?? []).toEqual([]);
    expect(config.properties.execute_timeout_ms.default).toBe(30000);
    expect(config.additionalProperties).toBe(false);
  });

  it('describe results and protocol frames as closed sets of statuses and types', () => {
    expect(read('execute-result').properties.status.enum).toEqual(['OK', 'ERROR']);
    const adapterTypes = read('adapter-message').oneOf.map((option: any) => option.properties.type.const);
    expect(adapterTypes).toEqual(['hello', 'pong', 'result', 'error', 'shutdown']);
    const callPhases = read('call-data').oneOf.flatMap((option: any) => option.properties.phase.enum ?? [option.properties.phase.const]);
    expect(callPhases).toEqual(['pre', 'execute', 'info', 'reset']);
  });
});
