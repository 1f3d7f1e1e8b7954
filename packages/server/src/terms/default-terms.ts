/**
 * The terms an operator starts with, written for Fernhilfe. Operators replace them with their own
 * (console → Settings); every text change makes a new version, and the old ones are kept.
 */
export const defaultTerms = {
  de: `# Bedingungen für die Fernwartung

1. Beim Start dieses Moduls erhalten Sie eine ID und ein Kennwort. Nennen Sie beide nur dem Mitarbeiter, mit dem Sie gerade telefonieren.
2. ID und Kennwort gelten für genau eine Sitzung. Danach sind sie ungültig und können nicht wieder verwendet werden.
3. Die Verbindung ist Ende-zu-Ende verschlüsselt. Unser Server vermittelt sie nur; er kennt Ihr Kennwort nicht und kann Bild, Eingaben, Chat und Dateien nicht lesen.
4. Das Modul muss nicht installiert werden und hinterlässt nach dem Ende nichts auf Ihrem Gerät.
5. Unser Mitarbeiter sieht zunächst nur Ihren Bildschirm. Die Steuerung übernimmt er nur, wenn Sie zustimmen. Sie können die Steuerung jederzeit zurücknehmen und die Sitzung jederzeit mit „Sitzung beenden“ abbrechen.
6. Dateien übertragen wir nur, wenn es für die Hilfe nötig ist, und nur mit Ihrer Zustimmung.
7. Wir protokollieren: Ihre Zustimmung zu diesen Bedingungen (Version, Sprache, Zeit, Ihre IP-Adresse), wer sich wann verbunden hat, jede Zustimmung zur Steuerung oder zur Zwischenablage und jede Dateiübertragung mit Name, Größe und Prüfsumme. Chat-Inhalte, Bildschirminhalte, Eingaben und Dateiinhalte protokollieren wir nicht.
8. Das Protokoll ist gegen unbemerkte Änderungen gesichert. Wir bewahren es so lange auf, wie es unsere Aufbewahrungsfrist vorsieht, und löschen es danach.
9. Am Ende der Sitzung können Sie eine von unserem Server unterschriebene Quittung öffnen, drucken oder speichern, die festhält, was in der Sitzung geschah.
10. Bitte sichern Sie wichtige Daten vor der Fernwartung.`,
  en: `# Remote maintenance terms

1. When this module starts you receive an ID and a password. Give them only to the technician you are on the phone with right now.
2. The ID and password are valid for exactly one session. Afterwards they are void and can never be used again.
3. The connection is end-to-end encrypted. Our server only brokers it; it does not know your password and cannot read your screen, input, chat or files.
4. The module needs no installation and leaves nothing behind on your device when it ends.
5. Our technician first only sees your screen. They take control only if you agree. You can take control back at any time, and end the session at any time with "End session".
6. We transfer files only when needed for the support, and only with your consent.
7. We record: your acceptance of these terms (version, language, time, your IP address), who connected when, every consent to control or to the clipboard, and every file transfer with its name, size and checksum. We do not record chat, screen contents, input or file contents.
8. The record is protected against unnoticed changes. We keep it for our retention period and delete it afterwards.
9. At the end of the session you can open, print or save a receipt signed by our server that states what happened in the session.
10. Please back up important data before remote maintenance.`,
};
