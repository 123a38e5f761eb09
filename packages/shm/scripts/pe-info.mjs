// Reads what a Windows binary (a prebuilt .node DLL or a helper .exe) was built for from its PE
// header: the CPU (COFF Machine), DLL or executable (Characteristics), the subsystem and the DLLs
// it imports. Used by scripts/check-publish.mjs (through check-prebuilds.mjs) and the tests.
import { readFileSync } from 'node:fs';

const machines = { 0x8664: 'x64', 0xaa64: 'arm64', 0x14c: 'ia32' };
const subsystems = { 2: 'gui', 3: 'console' };

/**
 * @param {string} path a PE file
 * @returns {{ arch: string, dll: boolean, subsystem: string, imports: string[] }}
 */
export function peInfo(path) {
  const bytes = readFileSync(path);
  if (bytes.length < 64 || bytes.toString('latin1', 0, 2) !== 'MZ') throw new Error(`${path} is not a PE file (no MZ header)`);
  const pe = bytes.readUInt32LE(0x3c);
  if (pe + 24 > bytes.length || bytes.readUInt32BE(pe) !== 0x50450000) throw new Error(`${path} is not a PE file (no PE signature)`);
  const machine = bytes.readUInt16LE(pe + 4);
  const sectionCount = bytes.readUInt16LE(pe + 6);
  const optionalSize = bytes.readUInt16LE(pe + 20);
  const characteristics = bytes.readUInt16LE(pe + 22);
  const optional = pe + 24;
  const pe32plus = bytes.readUInt16LE(optional) === 0x20b;
  const subsystem = bytes.readUInt16LE(optional + 68);
  const directories = optional + (pe32plus ? 112 : 96);
  const importRva = bytes.readUInt32LE(directories + 8);
  const sections = [];
  for (let index = 0, at = optional + optionalSize; index < sectionCount; index += 1, at += 40) {
    sections.push({
      rva: bytes.readUInt32LE(at + 12),
      size: Math.max(bytes.readUInt32LE(at + 8), bytes.readUInt32LE(at + 16)),
      raw: bytes.readUInt32LE(at + 20),
    });
  }
  const toOffset = (rva) => {
    const section = sections.find((candidate) => rva >= candidate.rva && rva < candidate.rva + candidate.size);
    if (section === undefined) throw new Error(`${path}: RVA 0x${rva.toString(16)} is in no section`);
    return rva - section.rva + section.raw;
  };
  const imports = [];
  if (importRva !== 0) {
    for (let at = toOffset(importRva); ; at += 20) {
      const nameRva = bytes.readUInt32LE(at + 12);
      if (nameRva === 0) break;
      const name = toOffset(nameRva);
      imports.push(bytes.toString('latin1', name, bytes.indexOf(0, name)));
    }
  }
  return {
    arch: machines[machine] ?? `machine 0x${machine.toString(16)}`,
    dll: (characteristics & 0x2000) !== 0,
    subsystem: subsystems[subsystem] ?? `subsystem ${subsystem}`,
    imports,
  };
}
