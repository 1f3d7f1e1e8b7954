import { useMemo } from 'react';
import { parseMarkdown, type Block } from '../markdown.js';

/** Terms as headings, paragraphs and lists of plain text (see markdown.ts); never HTML. */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <div className="markdown" data-testid={testId}>
      {blocks.map((block, i) => (
        <MarkdownBlock key={i} block={block} />
      ))}
    </div>
  );
}

function MarkdownBlock({ block }: { block: Block }) {
  switch (block.kind) {
    case 'heading': {
      // the page has its own h1: the terms' headings start one level lower
      const Tag = (['h2', 'h3', 'h4', 'h5', 'h6', 'h6'] as const)[block.level - 1] ?? 'h6';
      return <Tag>{block.text}</Tag>;
    }
    case 'paragraph':
      return <p>{block.text}</p>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{item}</li>);
      return block.ordered ? <ol start={block.start}>{items}</ol> : <ul>{items}</ul>;
    }
  }
}
