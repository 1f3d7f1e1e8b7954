/* global navigator */
// Texts of the receipt and verify pages (German and English), chosen by ?lang=, the receipt, or the browser.
export const texts = {
  de: {
    receiptTitle: 'Quittung über die Fernwartung',
    verifyTitle: 'Quittung prüfen',
    loading: 'Die Quittung wird geladen …',
    noToken: 'Diese Seite braucht den Link zur Quittung, den Sie am Ende der Sitzung bekommen haben.',
    notFound: 'Diese Quittung gibt es nicht (mehr). Quittungen werden nach der Aufbewahrungsfrist gelöscht.',
    unreachable: 'Der Server ist nicht erreichbar. Bitte versuchen Sie es später noch einmal.',
    operator: 'Anbieter', phone: 'Telefon', technician: 'Techniker', nobody: 'niemand',
    session: 'Sitzung', customerId: 'Ihre ID', opened: 'Geöffnet', started: 'Verbunden', ended: 'Beendet', running: 'läuft noch',
    endedBy: 'Beendet von', terms: 'Akzeptierte Bedingungen (Version)', language: 'Sprache', address: 'Ihre Adresse',
    events: 'Was geschah', time: 'Zeit', who: 'Wer', what: 'Was', details: 'Einzelheiten',
    signature: 'Unterschrift des Servers (Ed25519)', sigValue: 'Unterschrift', key: 'Öffentlicher Schlüssel', issued: 'Ausgestellt',
    print: 'Drucken', save: 'Speichern (JSON)', check: 'Echtheit prüfen',
    pasteLabel: 'Quittung (JSON) hier einfügen', fileLabel: 'oder Datei wählen', verify: 'Prüfen',
    genuine: 'Echt: Diese Quittung hat dieser Server unterschrieben, und sie ist unverändert.',
    'not-a-receipt': 'Nicht echt: Das ist keine Fernhilfe-Quittung (oder sie ist beschädigt).',
    'unknown-key': 'Nicht echt: Diese Quittung ist nicht mit dem Schlüssel dieses Servers unterschrieben.',
    'bad-signature': 'Nicht echt: Die Quittung wurde nach dem Unterschreiben verändert.',
    empty: 'Bitte fügen Sie eine Quittung ein oder wählen Sie eine Datei.',
    who_customer: 'Sie', who_technician: 'Techniker', who_server: 'Server',
    by_customer: 'Ihnen', by_technician: 'dem Techniker', by_server: 'dem Server',
    ev: {
      'session-opened': 'Sitzung geöffnet', 'terms-accepted': 'Bedingungen akzeptiert', 'technician-connected': 'Techniker verbindet sich',
      'authentication-failed': 'Falsches Kennwort eingegeben', 'session-authenticated': 'Verschlüsselte Sitzung begonnen', 'password-rotated': 'Neues Kennwort erzeugt',
      'control-granted': 'Steuerung erlaubt', 'control-revoked': 'Steuerung zurückgenommen', 'clipboard-allowed': 'Zwischenablage erlaubt', 'clipboard-revoked': 'Zwischenablage zurückgenommen',
      'file-offered': 'Datei angeboten', 'file-accepted': 'Datei angenommen', 'file-refused': 'Datei abgelehnt', 'file-completed': 'Datei übertragen', 'file-failed': 'Dateiübertragung abgebrochen',
      'session-ended': 'Sitzung beendet',
      'recording-started': 'Aufzeichnung begonnen', 'recording-stopped': 'Aufzeichnung beendet und verschlüsselt gespeichert', 'recording-refused': 'Aufzeichnung abgelehnt',
    },
    reasons: {
      'ended-by-customer': 'von Ihnen beendet', 'ended-by-technician': 'vom Techniker beendet', 'peer-disconnected': 'Verbindung getrennt',
      'server-shutdown': 'Server wurde beendet', 'connection-lost': 'Verbindung verloren', 'handshake-timeout': 'Verbindungsaufbau dauerte zu lange',
    },
    toCustomer: 'an Sie', toTechnician: 'an den Techniker', bytes: 'Bytes',
  },
  en: {
    receiptTitle: 'Remote support receipt',
    verifyTitle: 'Check a receipt',
    loading: 'Loading the receipt …',
    noToken: 'This page needs the receipt link you got at the end of the session.',
    notFound: 'This receipt does not exist (any more). Receipts are deleted after the retention period.',
    unreachable: 'The server cannot be reached. Please try again later.',
    operator: 'Provider', phone: 'Phone', technician: 'Technician', nobody: 'nobody',
    session: 'Session', customerId: 'Your ID', opened: 'Opened', started: 'Connected', ended: 'Ended', running: 'still running',
    endedBy: 'Ended by', terms: 'Accepted terms (version)', language: 'Language', address: 'Your address',
    events: 'What happened', time: 'Time', who: 'Who', what: 'What', details: 'Details',
    signature: 'Server signature (Ed25519)', sigValue: 'Signature', key: 'Public key', issued: 'Issued',
    print: 'Print', save: 'Save (JSON)', check: 'Check that it is genuine',
    pasteLabel: 'Paste the receipt (JSON) here', fileLabel: 'or choose a file', verify: 'Check',
    genuine: 'Genuine: this server signed this receipt, and it is unchanged.',
    'not-a-receipt': 'Not genuine: this is not a Fernhilfe receipt (or it is damaged).',
    'unknown-key': 'Not genuine: this receipt was not signed with this server’s key.',
    'bad-signature': 'Not genuine: the receipt was changed after it was signed.',
    empty: 'Please paste a receipt or choose a file.',
    who_customer: 'You', who_technician: 'Technician', who_server: 'Server',
    by_customer: 'you', by_technician: 'the technician', by_server: 'the server',
    ev: {
      'session-opened': 'Session opened', 'terms-accepted': 'Terms accepted', 'technician-connected': 'Technician connecting',
      'authentication-failed': 'Wrong password entered', 'session-authenticated': 'Encrypted session began', 'password-rotated': 'New password made',
      'control-granted': 'Control allowed', 'control-revoked': 'Control taken back', 'clipboard-allowed': 'Clipboard allowed', 'clipboard-revoked': 'Clipboard taken back',
      'file-offered': 'File offered', 'file-accepted': 'File accepted', 'file-refused': 'File refused', 'file-completed': 'File transferred', 'file-failed': 'File transfer stopped',
      'session-ended': 'Session ended',
      'recording-started': 'Recording started', 'recording-stopped': 'Recording stopped and stored encrypted', 'recording-refused': 'Recording refused',
    },
    reasons: {
      'ended-by-customer': 'ended by you', 'ended-by-technician': 'ended by the technician', 'peer-disconnected': 'connection closed',
      'server-shutdown': 'the server shut down', 'connection-lost': 'connection lost', 'handshake-timeout': 'connecting took too long',
    },
    toCustomer: 'to you', toTechnician: 'to the technician', bytes: 'bytes',
  },
};

export function pickLanguage(preferred) {
  const asked = new URLSearchParams(location.search).get('lang');
  for (const l of [asked, preferred]) if (l === 'de' || l === 'en') return l;
  return navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}
