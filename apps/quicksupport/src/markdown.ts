/**
 * A deliberately tiny Markdown reader for the operator's terms. It knows headings (`#`),
 * paragraphs, numbered lists (`1.`) and bullet lists (`-`, `*`), and returns plain data whose
 * texts React renders as text nodes: no HTML, no links, no inline markup ever reaches the DOM.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const ORDERED = /^(\d{1,9})[.)]\s+(.*)$/;
const BULLET = /^[-*+]\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  /** whether a plain line continues the last block (false after a blank line or a heading) */
  let open = false;

  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const last = blocks.at(-1);
    if (line === '') {
      open = false;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      open = false;
      continue;
    }
    const ordered = ORDERED.exec(line);
    const bullet = ordered ? null : BULLET.exec(line);
    if (ordered || bullet) {
      const isOrdered = Boolean(ordered);
      const text = ordered ? ordered[2]! : bullet![1]!;
      // items separated only by blank lines stay one list
      if (last?.kind === 'list' && last.ordered === isOrdered) {
        last.items.push(text);
      } else {
        blocks.push({ kind: 'list', ordered: isOrdered, start: ordered ? Number(ordered[1]) : 1, items: [text] });
      }
      open = true;
      continue;
    }
    // a plain line continues the paragraph or list item right above it, else starts a paragraph
    if (open && last?.kind === 'paragraph') {
      last.text += ' ' + line;
    } else if (open && last?.kind === 'list') {
      last.items[last.items.length - 1] += ' ' + line;
    } else {
      blocks.push({ kind: 'paragraph', text: line });
      open = true;
    }
  }
  return blocks;
}
