// @ts-check
/**
 * The server address of a program built before its server is known (the container image,
 * docs/containers.md): `build-agent.mjs --server-slot` puts a fixed-length string literal into the
 * bundle's first line instead of a built-in address; whoever signs the build later writes the
 * address into those bytes (same length, padded with spaces) before signing. The program trims it
 * and takes it only when it is an http(s) address, so an unfilled slot means "none built in".
 * The literal lies in the single executable's blob as plain bytes (no code cache: the build turns
 * it off), so the file changes in exactly those bytes.
 */
export const SERVER_SLOT_MARKER = '@@fernhilfe-server-url-slot@@';
/** bytes between the quotes; an address must be shorter */
export const SERVER_SLOT_LENGTH = 512;

/** The bundle's first line with the slot (a script-level variable the define points at). */
export function serverSlotBanner() {
  const slot = SERVER_SLOT_MARKER.padEnd(SERVER_SLOT_LENGTH, ' ');
  return `var __fernhilfe_server_url = (function (s) { s = s.trim(); return /^https?:\\/\\//.test(s) ? s : undefined; })("${slot}");`;
}
