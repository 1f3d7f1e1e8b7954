/**
 * Small readers of H.264 in Annex B form (what fernhilfe-encoder writes and the viewer decodes).
 */

/** The NAL units' types of an access unit, in order (x264 starts some with 00 00 00 01, others with 00 00 01). */
export function nalTypes(au: Uint8Array): number[] {
  const types: number[] = [];
  for (let i = 0; i + 3 < au.length; i++) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1) {
      types.push(au[i + 3]! & 0x1f);
      i += 3;
    }
  }
  return types;
}

/**
 * The WebCodecs codec string (`avc1.PPCCLL`: profile, constraint flags, level) from the first SPS
 * of an access unit, or undefined when it holds none.
 */
export function codecString(au: Uint8Array): string | undefined {
  for (let i = 0; i + 7 < au.length; i++) {
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1 && (au[i + 3]! & 0x1f) === 7) {
      const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
      return `avc1.${hex(au[i + 4]!)}${hex(au[i + 5]!)}${hex(au[i + 6]!)}`;
    }
  }
  return undefined;
}
