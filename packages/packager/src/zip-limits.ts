/** Resource limits applied to a delivery zip before extraction and again on the actual bytes. */
export interface ZipLimits {
  /** Most entries in the central directory. */
  maxEntries: number;
  /** Most bytes of all entries together, uncompressed. */
  maxTotalBytes: number;
  /** Most bytes of one entry, uncompressed. */
  maxEntryBytes: number;
  /** Highest uncompressed:compressed ratio of one entry (zip bombs reach 1000:1 and more). */
  maxCompressionRatio: number;
  /** Most bytes of a metadata file read into memory (delivery.json, SIGNATURE, manifest.json, package.json, package-lock.json). */
  maxMetadataBytes: number;
}

/** The default {@link ZipLimits}: 20 000 entries, 4 GiB in total, 2 GiB per entry, 1000:1, 32 MiB of metadata. */
export const defaultZipLimits: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 20_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxEntryBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 1000,
  maxMetadataBytes: 32 * 1024 ** 2,
});

/** Fills unset limits with {@link defaultZipLimits}. */
export function resolveZipLimits(limits: Partial<ZipLimits> = {}): ZipLimits {
  return { ...defaultZipLimits, ...limits };
}
