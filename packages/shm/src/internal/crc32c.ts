/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-4 tables. */
const tables: Uint32Array[] = [];
for (let table = 0; table < 4; table += 1) tables.push(new Uint32Array(256));
for (let byte = 0; byte < 256; byte += 1) {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  (tables[0] as Uint32Array)[byte] = crc >>> 0;
}
for (let byte = 0; byte < 256; byte += 1) {
  for (let table = 1; table < 4; table += 1) {
    const previous = (tables[table - 1] as Uint32Array)[byte] ?? 0;
    (tables[table] as Uint32Array)[byte] = ((previous >>> 8) ^ ((tables[0] as Uint32Array)[previous & 0xff] ?? 0)) >>> 0;
  }
}

/** The CRC-32C of `bytes` (0 is a valid result; the header stores 0 as "not computed"). */
export function crc32c(bytes: Uint8Array): number {
  const [t0, t1, t2, t3] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = 0xffffffff;
  let index = 0;
  const end4 = bytes.length - (bytes.length % 4);
  while (index < end4) {
    crc ^= (bytes[index] as number) | ((bytes[index + 1] as number) << 8) | ((bytes[index + 2] as number) << 16) | ((bytes[index + 3] as number) << 24);
    crc = (t3[crc & 0xff] as number) ^ (t2[(crc >>> 8) & 0xff] as number) ^ (t1[(crc >>> 16) & 0xff] as number) ^ (t0[crc >>> 24] as number);
    index += 4;
  }
  while (index < bytes.length) {
    crc = (t0[(crc ^ (bytes[index] as number)) & 0xff] as number) ^ (crc >>> 8);
    index += 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
