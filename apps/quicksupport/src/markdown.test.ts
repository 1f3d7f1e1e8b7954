import { describe, expect, it } from 'vitest';
import { parseMarkdown } from './markdown.js';

describe('parseMarkdown', () => {
  it('reads headings, paragraphs and both kinds of list', () => {
    const blocks = parseMarkdown('# Terms\n\nFirst line\ncontinues here.\n\n1. one\n2. two\n   still two\n\n- a\n* b\n\n## End ##');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Terms' },
      { kind: 'paragraph', text: 'First line continues here.' },
      { kind: 'list', ordered: true, start: 1, items: ['one', 'two still two'] },
      { kind: 'list', ordered: false, start: 1, items: ['a', 'b'] },
      { kind: 'heading', level: 2, text: 'End' },
    ]);
  });

  it('keeps a list whose items are separated by blank lines together, and its start number', () => {
    expect(parseMarkdown('3. c\n\n4. d')).toEqual([{ kind: 'list', ordered: true, start: 3, items: ['c', 'd'] }]);
  });

  it('leaves markup as plain text (React renders it as text, never as HTML)', () => {
    const blocks = parseMarkdown('<script>alert(1)</script> **bold** [link](javascript:x)');
    expect(blocks).toEqual([{ kind: 'paragraph', text: '<script>alert(1)</script> **bold** [link](javascript:x)' }]);
  });

  it('handles CRLF and an empty text', () => {
    expect(parseMarkdown('')).toEqual([]);
    expect(parseMarkdown('a\r\nb\r\n\r\nc')).toEqual([
      { kind: 'paragraph', text: 'a b' },
      { kind: 'paragraph', text: 'c' },
    ]);
  });
});
