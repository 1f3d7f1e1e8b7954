import { describe, expect, it } from 'vitest';
import { initialFlowState, type CustomerFlowState } from '@fernhilfe/protocol';
import type { PageFilesState } from '../files/page-files.js';
import { RequestNotifier, type NotificationApi, type PendingRequest } from './request-notifier.js';

const active = (pending: CustomerFlowState['consent']['pending'] = []): CustomerFlowState => ({
  ...initialFlowState,
  phase: 'active',
  consent: { available: [], granted: { control: false, clipboard: false, recording: false }, pending },
});
const noFiles: PageFilesState = { transfers: [], offers: [] };
const offer = { transferId: 'b'.repeat(32), direction: 'to-customer' as const, outgoing: false, name: 'setup.exe', size: 1, state: 'offered' as const, transferred: 0, sentBytes: 0, bytesPerSecond: 0 };

function rig(permission: NotificationPermission, hidden: boolean) {
  const shown: string[] = [];
  const asked: number[] = [];
  let focused = 0;
  const api: NotificationApi & { permission: NotificationPermission } = {
    permission,
    requestPermission: async () => (asked.push(1), 'granted'),
    show: (title, body, _tag, onClick) => {
      shown.push(`${title} | ${body}`);
      queueMicrotask(onClick);
    },
  };
  const say = (r: PendingRequest) => (r.kind === 'grant' ? `asks ${r.what}` : `file ${r.name}`);
  const notifier = new RequestNotifier({ notifications: api, hidden: () => hidden, focus: () => void focused++, title: () => 'Hilfe AG', say });
  return { notifier, shown, asked, api, focused: () => focused };
}

describe('the browser page announces requests while it is in the background', () => {
  it('asks for permission once, when the session starts (not before)', () => {
    const r = rig('default', true);
    r.notifier.update({ ...initialFlowState, phase: 'waiting' }, noFiles);
    expect(r.asked).toEqual([]);
    r.notifier.update(active(), noFiles);
    r.notifier.update(active(), noFiles);
    expect(r.asked).toEqual([1]);
  });

  it('each new request once, while hidden and allowed; a click brings the page to the front', async () => {
    const r = rig('granted', true);
    r.notifier.update(active(), noFiles);
    r.notifier.update(active(['control']), noFiles);
    r.notifier.update(active(['control']), noFiles);
    r.notifier.update(active(['control']), { ...noFiles, offers: [offer] });
    expect(r.shown).toEqual(['Hilfe AG | asks control', 'Hilfe AG | file setup.exe']);
    await Promise.resolve();
    expect(r.focused()).toBe(2);
  });

  it('nothing while the page is in front, or without permission', () => {
    const front = rig('granted', false);
    front.notifier.update(active(['control']), { ...noFiles, offers: [offer] });
    const denied = rig('denied', true);
    denied.notifier.update(active(['control']), noFiles);
    expect([...front.shown, ...denied.shown, ...denied.asked]).toEqual([]);
  });
});
