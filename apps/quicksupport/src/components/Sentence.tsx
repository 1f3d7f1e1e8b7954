import { Fragment, type ReactNode } from 'react';

/**
 * A translated sentence with elements in it ("{{name}} from {{company}} is connecting"): the
 * template is split at its placeholders and each one replaced by a React node, so outside text
 * (a technician's name) is never parsed as markup and word order stays the translator's.
 */
export function Sentence({ template, slots }: { template: string; slots: Record<string, ReactNode> }) {
  const parts = template.split(/\{\{(\w+)\}\}/);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>{i % 2 === 0 ? part : (slots[part] ?? '')}</Fragment>
      ))}
    </>
  );
}

/** Values for t() that leave the placeholders in place, for <Sentence>. */
export function placeholders<K extends string>(...names: K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, `{{${n}}}`])) as Record<K, string>;
}
