import { describe, expect, it } from 'vitest';
import { initialFlowState, type CustomerFlowState, type FilesView } from '@fernhilfe/protocol';
import { openRequests, panelModel } from './panel-model.js';

const tech = { displayName: 'Max Mustermann', company: 'Beispiel GmbH' };
const brand = { companyName: 'Hilfe AG', primaryColor: '#123456', accentColor: '#abcdef' };
const noFiles: FilesView = { folder: '/home/k/Downloads', maySend: false, transfers: [], offers: [] };
const active = (consent: Partial<CustomerFlowState['consent']> = {}, patch: Partial<CustomerFlowState> = {}): CustomerFlowState => ({
  ...initialFlowState,
  phase: 'active',
  technician: tech,
  sas: '12 34 56',
  consent: { available: ['control', 'clipboard'], granted: { control: false, clipboard: false, recording: false }, pending: [], ...consent },
  ...patch,
});
const file = (state: 'offered' | 'receiving' | 'completed') => ({ transferId: 'a'.repeat(32), direction: 'to-customer' as const, outgoing: false, name: 'bericht.pdf', size: 10, state, transferred: 0, sentBytes: 0, bytesPerSecond: 0 });

describe('the session panel’s model', () => {
  it('is there only while a technician is connected', () => {
    for (const phase of ['loading', 'terms', 'waiting', 'pairing', 'ended'] as const) expect(panelModel({ ...initialFlowState, phase }, noFiles, 'en', brand)).toBeUndefined();
    expect(panelModel(active(), noFiles, 'en', brand)).toBeDefined();
  });

  it('shows who, viewing only, the security code, End session; in the operator’s colours', () => {
    const m = panelModel(active(), noFiles, 'en', brand)!;
    expect(m).toMatchObject({ title: 'Hilfe AG: remote support', heading: 'Connected with', technician: { name: 'Max Mustermann', company: 'Beispiel GmbH' }, securityCode: 'Security code: 12 34 56', colors: { primary: '#123456', accent: '#abcdef' } });
    expect(m.status).toEqual(['The technician sees your screen.']);
    expect(m.request).toBeUndefined();
    expect(m.buttons).toEqual([{ id: 'end-session', label: 'End session', action: { kind: 'end' }, style: 'danger' }]);
    const de = panelModel(active(), noFiles, 'de', brand)!;
    expect([de.title, de.heading, de.status[0], de.securityCode, de.buttons[0]!.label]).toEqual(['Hilfe AG: Fernwartung', 'Verbunden mit', 'Der Techniker sieht Ihren Bildschirm.', 'Sicherheitscode: 12 34 56', 'Sitzung beenden']);
  });

  it('a request for control or the clipboard becomes a question with Allow / Refuse, in both languages', () => {
    const m = panelModel(active({ pending: ['control'] }), noFiles, 'en', brand)!;
    expect(m.request?.text).toBe('The technician asks to control your computer (mouse and keyboard).');
    expect(m.request?.buttons.map((b) => [b.id, b.label, b.action])).toEqual([
      ['allow-control', 'Allow', { kind: 'decide', what: 'control', decision: 'allow' }],
      ['refuse-control', 'Refuse', { kind: 'decide', what: 'control', decision: 'refuse' }],
    ]);
    const de = panelModel(active({ pending: ['clipboard'] }), noFiles, 'de', brand)!;
    expect(de.request?.text).toBe('Der Techniker bittet darum, die Zwischenablage zu teilen.');
    expect(de.request?.buttons.map((b) => b.label)).toEqual(['Erlauben', 'Ablehnen']);
  });

  it('while control is granted: controlling, Take back control above End; the clipboard likewise', () => {
    const m = panelModel(active({ granted: { control: true, clipboard: true, recording: false } }), noFiles, 'en', brand)!;
    expect(m.status).toEqual(['The technician controls your computer.', 'The clipboard is shared.']);
    expect(m.buttons.map((b) => [b.id, b.label])).toEqual([
      ['revoke-control', 'Take back control'],
      ['revoke-clipboard', 'Stop sharing the clipboard'],
      ['end-session', 'End session'],
    ]);
    expect(panelModel(active({ granted: { control: true, clipboard: false, recording: false } }), noFiles, 'de', brand)!.buttons[0]!.label).toBe('Steuerung zurücknehmen');
  });

  it('a file the technician offers asks Save / Refuse; a file on its way shows as transferring; reconnecting shows', () => {
    const offered = panelModel(active(), { ...noFiles, offers: [file('offered')] }, 'en', brand)!;
    expect(offered.request?.text).toBe('The technician wants to send you the file "bericht.pdf". Save it?');
    expect(offered.request?.buttons.map((b) => b.action)).toEqual([
      { kind: 'file', transferId: 'a'.repeat(32), decision: 'accept' },
      { kind: 'file', transferId: 'a'.repeat(32), decision: 'refuse' },
    ]);
    // a grant request comes before a file
    expect(panelModel(active({ pending: ['control'] }), { ...noFiles, offers: [file('offered')] }, 'en', brand)!.request?.buttons[0]!.id).toBe('allow-control');
    expect(panelModel(active(), { ...noFiles, transfers: [file('receiving')] }, 'de', brand)!.status).toContain('Eine Datei wird übertragen.');
    expect(panelModel(active(), { ...noFiles, transfers: [file('completed')] }, 'en', brand)!.status).toEqual(['The technician sees your screen.']);
    expect(panelModel(active({}, { reconnecting: true }), noFiles, 'en', brand)!.status).toContain('Connection lost, reconnecting…');
  });

  it('lists every open question for the desktop notifications: the grants in the order asked, then the files; none outside a session', () => {
    const all = openRequests(active({ pending: ['clipboard', 'control'] }), { ...noFiles, offers: [file('offered')] }, 'de');
    expect(all.map((r) => [r.id, r.buttons.map((b) => b.label).join('/')])).toEqual([
      ['grant-clipboard', 'Erlauben/Ablehnen'],
      ['grant-control', 'Erlauben/Ablehnen'],
      [`file-${'a'.repeat(32)}`, 'Speichern/Ablehnen'],
    ]);
    expect(openRequests({ ...active({ pending: ['control'] }), phase: 'ended' }, noFiles, 'en')).toEqual([]);
  });
});
