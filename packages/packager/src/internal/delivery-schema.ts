import { z } from 'zod';

/**
 * Local zod schemas for delivery.json and SIGNATURE (delivery.md).
 * The api plan puts `deliverySchema` in @procvision/manifest; until it lands there these
 * definitions are the contract, and the shape below is what the packager writes.
 */
export const deliveryTargetSchema = z.object({
  os: z.enum(['linux', 'win32', 'darwin']),
  cpu: z.enum(['x64', 'arm64']),
  libc: z.enum(['glibc', 'musl']).optional(),
  node_abi: z.string().regex(/^\d+$/, 'expected the Node ABI number as a string, e.g. "115"'),
  node_range: z.string().min(1),
});

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');

export const deliveryFileSchema = z.object({
  sha256: sha256Hex,
  size: z.number().int().nonnegative(),
});

export const deliveryDependencySchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  /** Where npm installs it, e.g. `node_modules/@img/sharp-linux-x64`. */
  path: z.string().startsWith('node_modules/'),
  /** The tarball in the zip, e.g. `npm-packages/img-sharp-linux-x64-0.34.5.tgz`. */
  tarball: z.string().startsWith('npm-packages/'),
  /** The lockfile's sha512 SRI string. */
  integrity: z.string().startsWith('sha512-'),
});

export const deliverySchema = z.object({
  format_version: z.literal(1),
  name: z.string().min(1),
  version: z.string().min(1),
  target: deliveryTargetSchema,
  sdk_version: z.string().nullable(),
  created_at: z.string().datetime(),
  files: z.record(z.string(), deliveryFileSchema),
  dependencies: z.array(deliveryDependencySchema),
});

export const signatureFileSchema = z.object({
  key_id: z.string().startsWith('SHA256:'),
  alg: z.literal('ed25519'),
  sig: z.string().min(1),
});
