import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertTargetCompatible, checkTargetCompatibility, type DeliveryTarget } from '../src/index.js';
import { detectNativeCode } from '../src/internal/native-code.js';
import { temporaryFolder } from './helpers/delivery-fixture.js';

const folder = temporaryFolder('procvision-native-');
afterAll(() => folder.cleanup());

const node22 = { os: 'linux', cpu: 'x64', libc: 'glibc', nodeAbi: '127', nodeVersion: '22.23.5' };
const built20 = (extra: Partial<DeliveryTarget>): DeliveryTarget => ({
  os: 'linux',
  cpu: 'x64',
  libc: 'glibc',
  node_abi: '115',
  node_range: '>=20.19',
  ...extra,
});

function installedPackage(
  name: string,
  files: Record<string, string | Buffer>,
  manifest: Record<string, unknown> = {},
): { path: string; name: string; version: string } {
  const dir = join(folder.path, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...manifest }));
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), data);
  }
  return { path: `node_modules/${name}`, name, version: '1.0.0' };
}

describe('the Node ABI is checked only where native code is bound to it', () => {
  it('finds ABI-bound addons (.node registering through node_module_register, binding.gyp without a binary) and tells N-API ones apart', async () => {
    const set = [
      installedPackage('pure', { 'index.js': 'module.exports = 1;\n' }),
      installedPackage('napi-addon', { 'prebuilds/linux-x64/addon.node': Buffer.from('\x7fELF....napi_register_module_v1....napi_create_function') }),
      installedPackage('legacy-addon', { 'build/Release/legacy.node': Buffer.from('\x7fELF....node_module_register....') }),
      installedPackage('from-source', { 'binding.gyp': '{"targets": []}' }),
      installedPackage('gypfile-only', {}, { gypfile: true }),
    ];
    expect(await detectNativeCode(folder.path, set)).toEqual({
      abiBound: [
        'legacy-addon@1.0.0 (build/Release/legacy.node)',
        'from-source@1.0.0 (binding.gyp: compiled for one Node ABI)',
        'gypfile-only@1.0.0 (binding.gyp: compiled for one Node ABI)',
      ],
      napi: ['napi-addon@1.0.0'],
    });
  });

  it('a zip without ABI-bound code runs on any Node in its engines range; one with it needs the exact ABI and the refusal names the addon', () => {
    expect(checkTargetCompatibility(built20({ native_addons: [], napi_addons: ['sharp@0.34.5'] }), node22)).toEqual({ compatible: true, mismatches: [] });
    expect(checkTargetCompatibility(built20({ native_addons: [], node_range: '>=24' }), node22).mismatches).toEqual([
      { field: 'node_version', expected: '>=24', actual: '22.23.5' },
    ]);
    // A zip made before native code was recorded keeps the exact check.
    expect(checkTargetCompatibility(built20({}), node22).mismatches).toEqual([{ field: 'node_abi', expected: '115', actual: '127' }]);
    const native = built20({ native_addons: ['legacy-addon@1.0.0 (build/Release/legacy.node)'] });
    expect(() => assertTargetCompatible(native, node22)).toThrow(
      expect.objectContaining({
        code: '2003',
        message: expect.stringContaining('native addon legacy-addon@1.0.0 (build/Release/legacy.node) only loads on Node ABI 115'),
      }),
    );
  });
});
