import { describe, expect, it } from 'vitest';
import { ChatLog, type ChatEntry } from './chat';

describe('ChatLog', () => {
  it('keeps incoming and outgoing messages in order, as plain text', async () => {
    const sent: string[] = [];
    let seen: readonly ChatEntry[] = [];
    const chat = new ChatLog(async (text) => void sent.push(text), (entries) => (seen = entries), () => 42);
    chat.handleIncoming('<b>Hallo</b>');
    expect(await chat.send('  Guten Tag  ')).toBe(true);
    expect(await chat.send('   ')).toBe(false);
    expect(sent).toEqual(['Guten Tag']);
    expect(seen.map((e) => [e.from, e.text])).toEqual([
      ['customer', '<b>Hallo</b>'],
      ['technician', 'Guten Tag'],
    ]);
  });

  it('marks a message that could not be sent', async () => {
    let seen: readonly ChatEntry[] = [];
    const chat = new ChatLog(() => Promise.reject(new Error('session ended')), (entries) => (seen = entries));
    expect(await chat.send('hi')).toBe(false);
    expect(seen[0]?.failed).toBe(true);
  });
});
