import { describe, expect, it } from 'vitest';
import { initialFlowState, type CustomerFlowState } from '@fernhilfe/protocol';
import { dialogView } from './dialog-view.js';

const tech = { displayName: 'Max Mustermann', company: 'Beispiel GmbH' };
const state = (patch: Partial<CustomerFlowState>): CustomerFlowState => ({ ...initialFlowState, ...patch });
const labels = (s: CustomerFlowState, lang: 'de' | 'en' = 'en') => dialogView(s, lang, 'Beispiel GmbH').buttons.map((b) => b.label);

describe('the native dialog’s view of the customer’s journey', () => {
  it('terms with Accept / Decline; ID and password with End; what happens meanwhile', () => {
    const terms = state({ phase: 'terms', terms: { version: 'a'.repeat(64), text: { de: 'Bedingungen\x1b[31m', en: 'Terms' } } });
    expect(dialogView(terms, 'de', 'Firma').text).toBe('Bedingungen von Firma für die Fernwartung:\n\nBedingungen [31m');
    expect(dialogView(terms, 'en', 'Firma').buttons.map((b) => b.action.kind)).toEqual(['accept-terms', 'end']);
    const waiting = state({ phase: 'waiting', id: '123456789', password: 'k7m-p2x' });
    expect(dialogView(waiting, 'de', 'x').text).toBe('Nennen Sie Ihrem Techniker am Telefon:\nID:       123 456 789\nPasswort: k7m-p2x\n\nWarten auf den Techniker…');
    expect(labels(waiting)).toEqual(['End session']);
    const pairing = state({ phase: 'pairing', id: '123456789', password: 'k7m-p2x', technician: tech, attemptsInRound: 2 });
    expect(dialogView(pairing, 'en', 'x').text).toContain('Wrong password entered (2 of 5).\nMax Mustermann (Beispiel GmbH) is connecting…');
  });

  it('a request becomes Allow / Refuse; a grant offers Take back control; End is always there', () => {
    const active = state({ phase: 'active', technician: tech, sas: '12 34', consent: { available: ['control', 'clipboard'], granted: { control: false, clipboard: false, recording: false }, pending: ['control'] } });
    const asked = dialogView(active, 'en', 'x');
    expect(asked.text).toContain('Connected with Max Mustermann (Beispiel GmbH). Security code: 12 34');
    expect(asked.buttons.map((b) => b.action)).toEqual([
      { kind: 'decide', what: 'control', decision: 'allow' },
      { kind: 'decide', what: 'control', decision: 'refuse' },
      { kind: 'end' },
    ]);
    const granted = state({ ...active, consent: { ...active.consent, pending: [], granted: { control: true, clipboard: true, recording: false } } });
    expect(labels(granted, 'de')).toEqual(['Steuerung zurücknehmen', 'Teilen beenden', 'Sitzung beenden']);
    expect(labels(state({ phase: 'ended' }))).toEqual([]);
  });
});
