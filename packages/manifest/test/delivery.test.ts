import { describe, expect, it } from 'vitest';
import { deliverySchema, signatureFileSchema } from '../src/index.js';
import { formatIssues } from '../src/internal/format-issues.js';
import { expectIssue } from './fixtures.js';

const sha = 'a'.repeat(64);
const delivery = {
  format_version: 1,
  name: 'screw_detector',
  version: '1.2.0',
  target: { os: 'linux', cpu: 'x64', libc: 'glibc', node_abi: '115', node_range: '>=20.19' },
  sdk_version: '0.1.0',
  created_at: '2025-01-02T03:04:05.000Z',
  files: { 'manifest.json': { sha256: sha, size: 120 }, 'npm-packages/sharp-0.34.5.tgz': { sha256: sha, size: 0 } },
  dependencies: [{ name: 'sharp', version: '0.34.5', path: 'node_modules/sharp', tarball: 'npm-packages/sharp-0.34.5.tgz', integrity: 'sha512-abc' }],
};
const issuesOf = (schema: typeof deliverySchema | typeof signatureFileSchema, value: unknown) =>
  formatIssues(schema.safeParse(value, { reportInput: true }).error!.issues);

describe('delivery.json', () => {
  it('accepts a complete description', () => {
    expect(deliverySchema.parse(delivery)).toEqual(delivery);
    expect(deliverySchema.parse({ ...delivery, sdk_version: null, created_at: '2025-01-02T03:04:05+08:00' }).sdk_version).toBeNull();
  });
  it('rejects a bad target, hash, path or date, naming the field', () => {
    expectIssue(issuesOf(deliverySchema, { ...delivery, target: { ...delivery.target, os: 'aix' } }), 'target.os', 'got "aix"');
    expectIssue(issuesOf(deliverySchema, { ...delivery, target: { ...delivery.target, node_abi: 115 } }), 'target.node_abi', 'expected a string');
    expectIssue(
      issuesOf(deliverySchema, { ...delivery, files: { 'dist/a.js': { sha256: 'XYZ', size: 1 } } }),
      'files["dist/a.js"].sha256',
      'lowercase hex sha256',
    );
    expectIssue(
      issuesOf(deliverySchema, { ...delivery, files: { '../evil.js': { sha256: sha, size: 1 } } }),
      'files["../evil.js"]',
      'invalid key: expected a path inside the package',
    );
    expectIssue(
      issuesOf(deliverySchema, { ...delivery, files: { 'delivery.json': { sha256: sha, size: 1 } } }),
      'files["delivery.json"]',
      'cannot list itself',
    );
    expectIssue(issuesOf(deliverySchema, { ...delivery, created_at: 'yesterday' }), 'created_at', 'got "yesterday"');
    expectIssue(issuesOf(deliverySchema, { ...delivery, format_version: 2 }), 'format_version', 'expected 1, got 2');
    expectIssue(
      issuesOf(deliverySchema, { ...delivery, dependencies: [{ ...delivery.dependencies[0], integrity: 'sha1-x' }] }),
      'dependencies[0].integrity',
      'sha512-',
    );
  });
});

describe('SIGNATURE', () => {
  const signature = { key_id: 'SHA256:q1w2e3r4t5y6u7i8o9p0+/=', alg: 'ed25519', sig: 'c2lnbmF0dXJl' };
  it('accepts key_id, alg ed25519 and a base64 sig', () => expect(signatureFileSchema.parse(signature)).toEqual(signature));
  it('rejects another algorithm, a bare key id or a non-base64 sig', () => {
    expectIssue(issuesOf(signatureFileSchema, { ...signature, alg: 'rsa' }), 'alg', 'expected "ed25519", got "rsa"');
    expectIssue(issuesOf(signatureFileSchema, { ...signature, key_id: 'abc' }), 'key_id', 'SHA256:');
    expectIssue(issuesOf(signatureFileSchema, { ...signature, sig: 'not base64!' }), 'sig', 'base64');
  });
});
