import { describe, expect, it } from 'vitest';
import { guidBytes, hresultName } from './com.js';

describe('COM helpers of the Desktop Duplication probe', () => {
  it('lays a GUID out in memory order', () => {
    expect(guidBytes('00cddea8-939b-4b83-a340-a685226666cc').toString('hex')).toBe('a8decd009b93834ba340a685226666cc');
  });
  it('names HRESULTs, also when koffi hands them over as negative numbers', () => {
    expect(hresultName(0x80004001 | 0)).toBe('E_NOTIMPL');
    expect(hresultName(-2005270524)).toBe('DXGI_ERROR_UNSUPPORTED');
    expect(hresultName(0x80001234 | 0)).toBe('0x80001234');
  });
});
