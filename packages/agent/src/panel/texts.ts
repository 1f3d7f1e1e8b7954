import type { GrantName } from '@fernhilfe/protocol';

/** The session panel's sentences in German and English (the agent's languages); the desktop notifications (notify/) use them too. */
const en = {
  title: '{company}: remote support',
  connectedWith: 'Connected with',
  viewing: 'The technician sees your screen.',
  controlling: 'The technician controls your computer.',
  transferring: 'A file is being transferred.',
  reconnecting: 'Connection lost, reconnecting…',
  securityCode: 'Security code: {sas}',
  end: 'End session',
  allow: 'Allow',
  refuse: 'Refuse',
  fileOffer: 'The technician wants to send you the file "{name}". Save it?',
  save: 'Save',
  /** a desktop notification whose desktop shows no buttons (notify/) */
  answerOnPage: 'Please answer on the {company} support page in your browser.',
} as const;

export type PanelTextKey = keyof typeof en;

const de: Record<PanelTextKey, string> = {
  title: '{company}: Fernwartung',
  connectedWith: 'Verbunden mit',
  viewing: 'Der Techniker sieht Ihren Bildschirm.',
  controlling: 'Der Techniker steuert Ihren Computer.',
  transferring: 'Eine Datei wird übertragen.',
  reconnecting: 'Verbindung unterbrochen, wird wiederhergestellt…',
  securityCode: 'Sicherheitscode: {sas}',
  end: 'Sitzung beenden',
  allow: 'Erlauben',
  refuse: 'Ablehnen',
  fileOffer: 'Der Techniker möchte Ihnen die Datei „{name}“ senden. Speichern?',
  save: 'Speichern',
  answerOnPage: 'Bitte antworten Sie auf der Support-Seite von {company} in Ihrem Browser.',
};

/** What the panel says about one grant: the question, the state while granted, the button that takes it back. */
export interface GrantTexts {
  ask: string;
  on: string;
  revoke: string;
}

/**
 * Every grant's texts, checked by the compiler: a grant added to `grantSchema` (protocol) is a type
 * error here until it has its German and English sentences.
 */
export const grantTexts: Record<'de' | 'en', Record<GrantName, GrantTexts>> = {
  en: {
    control: { ask: 'The technician asks to control your computer (mouse and keyboard).', on: 'The technician controls your computer.', revoke: 'Take back control' },
    clipboard: { ask: 'The technician asks to share the clipboard.', on: 'The clipboard is shared.', revoke: 'Stop sharing the clipboard' },
    recording: { ask: 'The technician asks to record this session (stored encrypted for the support company).', on: 'This session is being recorded.', revoke: 'Stop recording' },
  },
  de: {
    control: { ask: 'Der Techniker bittet darum, Ihren Computer zu steuern (Maus und Tastatur).', on: 'Der Techniker steuert Ihren Computer.', revoke: 'Steuerung zurücknehmen' },
    clipboard: { ask: 'Der Techniker bittet darum, die Zwischenablage zu teilen.', on: 'Die Zwischenablage wird geteilt.', revoke: 'Teilen der Zwischenablage beenden' },
    recording: { ask: 'Der Techniker bittet darum, diese Sitzung aufzuzeichnen (verschlüsselt gespeichert für die Support-Firma).', on: 'Diese Sitzung wird aufgezeichnet.', revoke: 'Aufzeichnung beenden' },
  },
};

export function sayPanel(language: 'de' | 'en', key: PanelTextKey, values: Record<string, string> = {}): string {
  return (language === 'de' ? de : en)[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
