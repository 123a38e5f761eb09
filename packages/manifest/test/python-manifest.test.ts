import { describe, expect, it } from 'vitest';
import { ContractError, parsePythonManifest, pythonManifestSchema } from '../src/index.js';

const base = { name: 'algorithm-example', version: '1.0.0', entry_point: 'algorithm_example.main:AlgorithmExample' };
const steps = [{ index: 1, name: 'locate', params: [{ key: 'threshold', type: 'float', default: 0.5, min: 0, max: 1 }] }];

function failure(run: () => unknown): ContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe('parsePythonManifest (the one Python manifest.json schema)', () => {
  it('reads what both generations share; PIDs and steps optional, unknown fields kept', () => {
    const manifest = parsePythonManifest({ ...base, author: 'someone' });
    expect(manifest).toMatchObject(base);
    expect(manifest.supported_pids).toBeUndefined();
    expect(manifest['author']).toBe('someone');
    expect(parsePythonManifest({ ...base, supported_pids: ['p001'], steps }).steps?.[0]?.params[0]?.key).toBe('threshold');
  });

  it('v0.0.6 requires supported_pids, v0.3.2 does not; 2020 by default, naming the source and generation', () => {
    expect(parsePythonManifest(base, { generation: 'v0.3.2' }).name).toBe('algorithm-example');
    const error = failure(() => parsePythonManifest(base, { generation: 'v0.0.6', source: 'pkg/manifest.json' }));
    expect(error.code).toBe('2020');
    expect(error.message).toContain('pkg/manifest.json: invalid manifest for Python SDK v0.0.6');
    expect(error.issues.map((issue) => issue.path)).toEqual(['supported_pids']);
  });

  it('checks steps and the entry point the way the Python adapters import them, under the code asked for', () => {
    const error = failure(() =>
      parsePythonManifest({ ...base, entry_point: 'main.py', steps: [{ index: 2, name: 'x' }] }, { source: '/pkg/manifest.json', code: '2001' }),
    );
    expect(error.code).toBe('2001');
    expect(error.message).toContain('/pkg/manifest.json: invalid Python package manifest');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['entry_point', 'steps[0].index']);
    for (const entry of ['pkg.mod:Outer.Inner', '1mod:Cls', 'mod:', ':Cls'])
      expect(pythonManifestSchema.safeParse({ ...base, entry_point: entry }).success).toBe(false);
  });
});
