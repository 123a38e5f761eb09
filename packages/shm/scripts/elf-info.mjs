// Reads what a prebuilt addon was built for from its ELF header and dynamic section: the CPU
// (e_machine) and the C library (DT_NEEDED: glibc's libc.so.6, or musl's plain libc.so).
// Used by scripts/check-publish.mjs (every binary of the tarball) and the shm tests.
import { readFileSync } from 'node:fs';

const machines = { 62: 'x64', 183: 'arm64', 3: 'ia32', 40: 'arm' };

/**
 * @param {string} path an ELF shared object
 * @returns {{ arch: string, libc: 'glibc' | 'musl' | 'unknown', needed: string[] }}
 */
export function elfInfo(path) {
  const bytes = readFileSync(path);
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${path} is not an ELF file`);
  if (bytes[4] !== 2 || bytes[5] !== 1) throw new Error(`${path} is not a 64-bit little-endian ELF file`);
  const arch = machines[bytes.readUInt16LE(18)] ?? `e_machine ${bytes.readUInt16LE(18)}`;
  const phoff = Number(bytes.readBigUInt64LE(32));
  const phentsize = bytes.readUInt16LE(54);
  const phnum = bytes.readUInt16LE(56);
  const loads = [];
  let dynamic;
  for (let index = 0; index < phnum; index += 1) {
    const at = phoff + index * phentsize;
    const segment = {
      type: bytes.readUInt32LE(at),
      offset: Number(bytes.readBigUInt64LE(at + 8)),
      vaddr: Number(bytes.readBigUInt64LE(at + 16)),
      filesz: Number(bytes.readBigUInt64LE(at + 32)),
    };
    if (segment.type === 1) loads.push(segment);
    if (segment.type === 2) dynamic = segment;
  }
  const toOffset = (vaddr) => {
    const load = loads.find((segment) => vaddr >= segment.vaddr && vaddr < segment.vaddr + segment.filesz);
    if (load === undefined) throw new Error(`${path}: address 0x${vaddr.toString(16)} is in no loaded segment`);
    return vaddr - load.vaddr + load.offset;
  };
  const neededOffsets = [];
  let strtab;
  for (let at = dynamic?.offset ?? 0; dynamic !== undefined && at < dynamic.offset + dynamic.filesz; at += 16) {
    const tag = Number(bytes.readBigInt64LE(at));
    const value = Number(bytes.readBigUInt64LE(at + 8));
    if (tag === 0) break;
    if (tag === 1) neededOffsets.push(value);
    if (tag === 5) strtab = toOffset(value);
  }
  const needed = strtab === undefined ? [] : neededOffsets.map((offset) => bytes.toString('latin1', strtab + offset, bytes.indexOf(0, strtab + offset)));
  const libc = needed.some((name) => /^libc\.so\.\d/.test(name))
    ? 'glibc'
    : needed.some((name) => name === 'libc.so' || name.startsWith('libc.musl'))
      ? 'musl'
      : 'unknown';
  return { arch, libc, needed };
}
