// @ts-check
import { AgentBuildError } from './errors.mjs';

/** IMAGE_SUBSYSTEM_WINDOWS_GUI: starts without a console window. */
export const SUBSYSTEM_GUI = 2;
/** IMAGE_SUBSYSTEM_WINDOWS_CUI: Windows opens a console window for it (node.exe as shipped). */
export const SUBSYSTEM_CONSOLE = 3;

/**
 * Where the Subsystem field of a PE file's optional header is: e_lfanew (at 0x3c of the DOS
 * header) + 4 ("PE\0\0") + 20 (the COFF file header) + 68 (its offset in the optional header,
 * the same for PE32 and PE32+). Checks the magics on the way; throws AgentBuildError('not-pe').
 * @param {Uint8Array} bytes
 */
export function subsystemOffset(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notPe = (/** @type {string} */ why) => new AgentBuildError('not-pe', `not a Windows program (PE file): ${why}`);
  if (bytes.length < 0x40 || view.getUint16(0, true) !== 0x5a4d) throw notPe('no "MZ" at its start');
  const peAt = view.getUint32(0x3c, true);
  if (peAt + 4 + 20 + 70 > bytes.length) throw notPe('its PE header lies beyond the end of the file');
  if (view.getUint32(peAt, true) !== 0x00004550) throw notPe('no "PE\\0\\0" signature where the DOS header points');
  const optional = peAt + 4 + 20;
  const magic = view.getUint16(optional, true);
  if (magic !== 0x10b && magic !== 0x20b) throw notPe(`unknown optional header magic 0x${magic.toString(16)}`);
  return optional + 68;
}

/** The Subsystem field of a PE file (2 = GUI, 3 = console). @param {Uint8Array} bytes */
export function peSubsystem(bytes) {
  const at = subsystemOffset(bytes);
  return bytes[at] | (/** @type {number} */ (bytes[at + 1]) << 8);
}

/**
 * Marks a PE file as a GUI program (Subsystem 3 → 2), so Windows opens no console window for it.
 * Changes `bytes` in place; refuses a subsystem other than console or GUI. Must happen before the
 * Authenticode signature is made (the field is part of what it covers).
 * @param {Uint8Array} bytes
 */
export function setGuiSubsystem(bytes) {
  const at = subsystemOffset(bytes);
  const current = peSubsystem(bytes);
  if (current !== SUBSYSTEM_CONSOLE && current !== SUBSYSTEM_GUI) throw new AgentBuildError('not-pe', `unexpected PE subsystem ${current} (expected 3, console, or 2, GUI)`);
  bytes[at] = SUBSYSTEM_GUI;
  bytes[at + 1] = 0;
}
