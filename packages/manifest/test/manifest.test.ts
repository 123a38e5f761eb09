import { describe, expect, it } from 'vitest';
import type { ContractError } from '../src/index.js';
import { manifestAssetPaths, parseEntryPoint, parseManifest, ProcVisionError } from '../src/index.js';
import { contractIssues, expectIssue, validManifest } from './fixtures.js';

const parse = (overrides: Record<string, unknown>) => parseManifest(validManifest(overrides));
const issuesOf = (overrides: Record<string, unknown>) => contractIssues(() => parse(overrides));
const pids = (count: number) => Array.from({ length: count }, (_, index) => `P${index}`);

describe('parseManifest', () => {
  it('accepts a complete manifest with no warnings', () => {
    const { manifest, warnings } = parse({});
    expect(manifest.name).toBe('screw_detector');
    expect(warnings).toEqual([]);
  });

  it('throws a ContractError (2001 by default) whose message names the source and every bad field', () => {
    const error = (() => {
      try {
        parseManifest({ name: 'Bad', supported_pids: [] }, { source: 'pkg/manifest.json' });
      } catch (caught) {
        return caught as ContractError;
      }
      throw new Error('no error');
    })();
    expect(ProcVisionError.isInstance(error)).toBe(true);
    expect(error.code).toBe('2001');
    expect(error.message).toMatch(/^pkg\/manifest\.json: invalid manifest: /);
    for (const field of ['name', 'version', 'entry_point', 'supported_pids']) expect(error.message).toContain(`${field}:`);
    expect(error.toJSON().details).toEqual({ issues: error.issues });
    expect(contractIssues(() => parseManifest(null))).toEqual([{ path: '', message: 'expected an object, got null' }]);
  });

  it('lets the caller pick the error code', () => {
    try {
      parseManifest({}, { code: '2002' });
    } catch (error) {
      expect((error as ContractError).code).toBe('2002');
    }
  });

  describe('name', () => {
    it('accepts lowercase letters, digits, _ and -', () => expect(parse({ name: 'screw-detector_2' }).manifest.name).toBe('screw-detector_2'));
    it('rejects other characters', () => expectIssue(issuesOf({ name: 'Screw Detector' }), 'name', 'got "Screw Detector"'));
    it('is required', () => expectIssue(issuesOf({ name: undefined }), 'name', 'required'));
  });

  describe('version', () => {
    it('accepts semantic versions', () => {
      expect(parse({ version: '0.1.0' }).warnings).toEqual([]);
      expect(parse({ version: '2.0.0-beta.1+build.5' }).warnings).toEqual([]);
    });
    it('loads the legacy 1.0 form with a warning, not an error', () => {
      const { manifest, warnings } = parse({ version: '1.0' });
      expect(manifest.version).toBe('1.0');
      expect(warnings).toEqual(['version: "1.0" is the legacy two-part form; write a semantic version such as "1.0.0"']);
    });
    it('rejects anything else', () => {
      expectIssue(issuesOf({ version: '1' }), 'version', 'expected a semantic version');
      expectIssue(issuesOf({ version: 'v1.2.0' }), 'version', 'got "v1.2.0"');
      expectIssue(issuesOf({ version: 1.2 }), 'version', 'expected a string, got 1.2');
    });
    it('is required', () => expectIssue(issuesOf({ version: undefined }), 'version', 'required'));
  });

  describe('entry_point', () => {
    it('accepts <relative module path>:<export name>', () => {
      expect(parse({ entry_point: 'dist/algo/main.js:ScrewDetector' }).manifest.entry_point).toBe('dist/algo/main.js:ScrewDetector');
      expect(parseEntryPoint('dist/main.js:Screw$1')).toEqual({ modulePath: 'dist/main.js', exportName: 'Screw$1' });
    });
    it('needs both halves', () => {
      expectIssue(issuesOf({ entry_point: 'dist/main.js' }), 'entry_point', '<module path>:<export name>');
      expectIssue(issuesOf({ entry_point: ':Foo' }), 'entry_point', '<module path>:<export name>');
      expectIssue(issuesOf({ entry_point: 'dist/main.js:1Bad' }), 'entry_point', '<module path>:<export name>');
    });
    it('refuses absolute paths, .. and backslashes', () => {
      expectIssue(issuesOf({ entry_point: '/opt/algo/main.js:Foo' }), 'entry_point', 'relative to the package root');
      expectIssue(issuesOf({ entry_point: '../other/main.js:Foo' }), 'entry_point', 'contains ".."');
      expectIssue(issuesOf({ entry_point: 'dist\\main.js:Foo' }), 'entry_point', 'forward slashes');
      expect(() => parseEntryPoint('C:/algo/main.js:Foo')).toThrow(/entry_point: .*absolute/);
    });
    it('is required', () => expectIssue(issuesOf({ entry_point: undefined }), 'entry_point', 'required'));
  });

  describe('description', () => {
    it('is optional text', () => {
      expect(parse({ description: undefined }).manifest.description).toBeUndefined();
      expectIssue(issuesOf({ description: 42 }), 'description', 'expected a string, got 42');
    });
  });

  describe('supported_pids', () => {
    it('accepts 1 to 20 pids silently', () => expect(parse({ supported_pids: pids(20) }).warnings).toEqual([]));
    it('warns above 20 and accepts up to 50', () => {
      const { warnings } = parse({ supported_pids: pids(50) });
      expect(warnings).toEqual([expect.stringMatching(/^supported_pids: 50 pids listed; more than 20/)]);
    });
    it('rejects more than 50', () => expectIssue(issuesOf({ supported_pids: pids(51) }), 'supported_pids', 'expected at most 50 entries, got an array of 51'));
    it('rejects an empty list', () => expectIssue(issuesOf({ supported_pids: [] }), 'supported_pids', 'expected at least 1 entries'));
    it('rejects duplicates, naming the pid', () =>
      expectIssue(issuesOf({ supported_pids: ['A01', 'A02', 'A01'] }), 'supported_pids[2]', 'duplicate pid "A01"'));
    it('rejects empty and non-string pids', () => {
      expectIssue(issuesOf({ supported_pids: ['A01', ''] }), 'supported_pids[1]', 'at least 1 characters');
      expectIssue(issuesOf({ supported_pids: [7] }), 'supported_pids[0]', 'expected a string, got 7');
    });
    it('is required', () => expectIssue(issuesOf({ supported_pids: undefined }), 'supported_pids', 'required'));
  });

  describe('steps', () => {
    it('is optional and has the getInfo() shape when present', () => {
      expect(parse({}).manifest.steps).toBeUndefined();
      const { manifest } = parse({
        steps: [
          { index: 1, name: 'one' },
          { index: 2, name: 'two', params: [{ key: 'on', type: 'bool' }] },
        ],
      });
      expect(manifest.steps?.[0]?.params).toEqual([]);
    });
    it('rejects steps out of order and bad params', () => {
      expectIssue(issuesOf({ steps: [{ index: 2, name: 'two' }] }), 'steps[0].index', 'expected 1');
      expectIssue(
        issuesOf({ steps: [{ index: 1, name: 'one', params: [{ key: 'x', type: 'color' }] }] }),
        'steps[0].params[0].type',
        'expected "int" or "float"',
      );
    });
  });

  describe('required_assets and default_config', () => {
    const assets = { A01: { config: 'configs/A01.json', model: 'models/a01.onnx' } };
    it('accept { pid: { kind: relative path } } and { kind: relative path }', () => {
      const { manifest, warnings } = parse({ required_assets: assets, default_config: { config: 'configs/default.json' } });
      expect(warnings).toEqual([]);
      expect(manifestAssetPaths(manifest)).toEqual([
        { field: 'required_assets.A01.config', path: 'configs/A01.json' },
        { field: 'required_assets.A01.model', path: 'models/a01.onnx' },
        { field: 'default_config.config', path: 'configs/default.json' },
      ]);
    });
    it('reject paths outside the package', () => {
      expectIssue(issuesOf({ required_assets: { A01: { model: '/models/a.onnx' } } }), 'required_assets.A01.model', 'absolute path');
      expectIssue(issuesOf({ default_config: { config: 'configs/../../x.json' } }), 'default_config.config', 'contains ".."');
      expectIssue(issuesOf({ default_config: { config: 3 } }), 'default_config.config', 'expected a string, got 3');
      expectIssue(issuesOf({ required_assets: { A01: 'models/a.onnx' } }), 'required_assets.A01', 'expected an object');
    });
    it('warn about assets for a pid that is not supported', () => {
      expect(parse({ required_assets: { Z99: { model: 'm.onnx' } } }).warnings).toEqual([
        'required_assets.Z99: pid is not in supported_pids; its assets are never used',
      ]);
    });
  });
});
