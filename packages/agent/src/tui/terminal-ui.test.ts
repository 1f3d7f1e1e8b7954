import { describe, expect, it } from 'vitest';
import { clean, wrap } from './terminal-ui.js';

describe('terminal text', () => {
  it('wraps at spaces to the terminal width', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
    expect(wrap('', 80)).toEqual(['']);
  });
  it('strips escape sequences and other control characters but keeps text', () => {
    expect(clean('a\u001b[2Jb\u0007c\u009bd\tü€')).toBe('a [2Jb c d\tü€');
  });
});
