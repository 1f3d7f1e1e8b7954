import { describe, expect, it } from 'vitest';
import { notifyArguments } from './notifier.js';

const note = { title: 'Hilfe AG: Fernwartung', body: 'Datei „a<b>&c.txt“ speichern?', actions: [{ key: 'allow', label: 'Speichern' }, { key: 'refuse', label: 'Ablehnen' }] };

describe('a note as org.freedesktop.Notifications.Notify arguments', () => {
  it('the operator as sender, critical, never expires; the buttons as key/label pairs where the desktop shows buttons', () => {
    const [app, replaces, icon, summary, body, actions, hints, timeout] = notifyArguments('Hilfe AG', note, ['actions', 'body']);
    expect([app, replaces, icon, summary, body, actions, timeout]).toEqual(['Hilfe AG', 0, '', 'Hilfe AG: Fernwartung', 'Datei „a<b>&c.txt“ speichern?', ['allow', 'Speichern', 'refuse', 'Ablehnen'], 0]);
    const urgency = (hints as Record<string, { signature: string; value: number }>).urgency!;
    expect([urgency.signature, urgency.value]).toEqual(['y', 2]);
  });

  it('no buttons where the desktop has none; the body as text where the desktop reads markup', () => {
    const args = notifyArguments('Hilfe AG', note, ['body', 'body-markup']);
    expect(args[5]).toEqual([]);
    expect(args[4]).toBe('Datei „a&lt;b&gt;&amp;c.txt“ speichern?');
  });
});
