import { z } from 'zod';
import { relativePathSchema } from './relative-path.js';

/** The platform a delivery zip was built for: os, cpu, libc (linux only), Node ABI (`"115"`) and Node range. */
export const deliveryTargetSchema = z.object({
  os: z.enum(['linux', 'win32', 'darwin']),
  cpu: z.enum(['x64', 'arm64']),
  libc: z.enum(['glibc', 'musl']).optional(),
  node_abi: z.string().regex(/^\d+$/, 'expected the Node ABI number as a string, e.g. "115"'),
  node_range: z.string().min(1),
  /**
   * Installed packages whose native code is bound to one Node ABI (`name@version (file)`): with
   * any, the store requires `node_abi`; with none, any Node in `node_range` runs the zip (N-API
   * addons are listed in `napi_addons`). Absent in zips made before the packager recorded it:
   * the store then requires `node_abi`.
   */
  native_addons: z.array(z.string()).optional(),
  /** Installed packages whose native code uses N-API only (stable across Node versions), as `name@version`. */
  napi_addons: z.array(z.string()).optional(),
});
/** The platform a delivery zip was built for. */
export type DeliveryTarget = z.infer<typeof deliveryTargetSchema>;

/** The sha256 (lowercase hex) and size in bytes of one file of the zip. */
export const deliveryFileSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256 (64 characters)'),
  size: z.number().int().min(0),
});
/** The sha256 and size of one file of the zip. */
export type DeliveryFile = z.infer<typeof deliveryFileSchema>;

/** One package of the expected installed dependency set. */
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
/** One package of the expected installed dependency set. */
export type DeliveryDependency = z.infer<typeof deliveryDependencySchema>;

const ownFiles = new Set(['delivery.json', 'SIGNATURE']);

/** delivery.json: what a zip is (name, version, target, sdk version, creation time) and what it holds (every other file, every dependency). */
export const deliverySchema = z.object({
  format_version: z.literal(1),
  name: z.string().min(1),
  version: z.string().min(1),
  target: deliveryTargetSchema,
  sdk_version: z.string().nullable(),
  created_at: z.iso.datetime({ offset: true }),
  files: z.record(relativePathSchema, deliveryFileSchema).superRefine((files, ctx) => {
    for (const path of Object.keys(files)) {
      if (ownFiles.has(path)) ctx.addIssue({ code: 'custom', path: [path], message: `${path} cannot list itself; files lists every other file` });
    }
  }),
  dependencies: z.array(deliveryDependencySchema),
});
/** delivery.json (see {@link deliverySchema}). */
export type Delivery = z.infer<typeof deliverySchema>;

/** The SIGNATURE file: an ed25519 signature over the exact bytes of delivery.json. */
export const signatureFileSchema = z.object({
  key_id: z.string().regex(/^SHA256:[A-Za-z0-9+/=_-]+$/, 'expected "SHA256:<hash of the public key>"'),
  alg: z.literal('ed25519'),
  sig: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected a base64 signature'),
});
/** The SIGNATURE file. */
export type SignatureFile = z.infer<typeof signatureFileSchema>;
