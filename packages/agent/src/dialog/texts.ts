/** What the native dialog says beyond the terminal's sentences (tui/texts.ts), in German and English. */
const en = {
  termsHeading: 'Terms of use of {company} for remote maintenance:',
  accept: 'Accept',
  decline: 'Decline',
  retry: 'Try again',
  quit: 'Quit',
  end: 'End session',
  waiting: 'Waiting for the technician…',
  allow: 'Allow',
  refuse: 'Refuse',
  askControl: 'The technician asks to CONTROL your computer (mouse and keyboard). Do you allow it?',
  askClipboard: 'The technician asks to share the CLIPBOARD. Do you allow it?',
  controlOn: 'The technician controls your computer now.',
  clipboardOn: 'The clipboard is shared.',
  takeBack: 'Take back control',
  stopClipboard: 'Stop sharing',
  askRecording: 'The technician asks to RECORD this session (the screen as the technician sees it, stored encrypted). Do you allow it?',
  askRecordingRequired: 'This company records every support session. If you refuse, the session ends. Do you allow the RECORDING?',
  recordingOn: '● Recording: this session is being recorded.',
  stopRecording: 'Stop recording',
  ended: 'The session has ended.',
} as const;

export type DialogTextKey = keyof typeof en;

const de: Record<DialogTextKey, string> = {
  termsHeading: 'Bedingungen von {company} für die Fernwartung:',
  accept: 'Akzeptieren',
  decline: 'Ablehnen',
  retry: 'Erneut versuchen',
  quit: 'Beenden',
  end: 'Sitzung beenden',
  waiting: 'Warten auf den Techniker…',
  allow: 'Erlauben',
  refuse: 'Ablehnen',
  askControl: 'Der Techniker bittet darum, Ihren Computer zu STEUERN (Maus und Tastatur). Erlauben Sie es?',
  askClipboard: 'Der Techniker bittet darum, die ZWISCHENABLAGE zu teilen. Erlauben Sie es?',
  controlOn: 'Der Techniker steuert jetzt Ihren Computer.',
  clipboardOn: 'Die Zwischenablage wird geteilt.',
  takeBack: 'Steuerung zurücknehmen',
  stopClipboard: 'Teilen beenden',
  askRecording: 'Der Techniker bittet darum, diese Sitzung AUFZUZEICHNEN (der Bildschirm, wie der Techniker ihn sieht, verschlüsselt gespeichert). Erlauben Sie es?',
  askRecordingRequired: 'Diese Firma zeichnet jede Support-Sitzung auf. Wenn Sie ablehnen, endet die Sitzung. Erlauben Sie die AUFZEICHNUNG?',
  recordingOn: '● Aufzeichnung: Diese Sitzung wird aufgezeichnet.',
  stopRecording: 'Aufzeichnung beenden',
  ended: 'Die Sitzung ist beendet.',
};

export function sayDialog(language: 'de' | 'en', key: DialogTextKey, values: Record<string, string> = {}): string {
  return (language === 'de' ? de : en)[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
