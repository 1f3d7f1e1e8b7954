/**
 * The terms an operator starts with, written for Fernhilfe. Operators replace them with their own
 * (admin settings); every text change makes a new version.
 */
export const defaultTerms = {
  de: `# Bedingungen für die Fernwartung

1. Beim Start dieses Moduls erhalten Sie eine ID und ein Kennwort. Nennen Sie beide nur dem Mitarbeiter, mit dem Sie gerade telefonieren.
2. ID und Kennwort gelten für genau eine Sitzung. Danach sind sie ungültig und können nicht wieder verwendet werden.
3. Die Verbindung ist Ende-zu-Ende verschlüsselt. Unser Server vermittelt sie nur; er kennt Ihr Kennwort nicht und kann Bild, Eingaben, Chat und Dateien nicht lesen.
4. Das Modul muss nicht installiert werden und hinterlässt nach dem Ende nichts auf Ihrem Gerät.
5. Unser Mitarbeiter sieht zunächst nur Ihren Bildschirm. Die Steuerung übernimmt er nur, wenn Sie zustimmen. Sie können die Sitzung jederzeit mit „Sitzung beenden“ abbrechen.
6. Dateien übertragen wir nur, wenn es für die Hilfe nötig ist, nur mit Ihrer Zustimmung, und jede Übertragung wird protokolliert.
7. Ihre Zustimmung zu diesen Bedingungen wird mit Datum und Version gespeichert.
8. Bitte sichern Sie wichtige Daten vor der Fernwartung.`,
  en: `# Remote maintenance terms

1. When this module starts you receive an ID and a password. Give them only to the technician you are on the phone with right now.
2. The ID and password are valid for exactly one session. Afterwards they are void and can never be used again.
3. The connection is end-to-end encrypted. Our server only brokers it; it does not know your password and cannot read your screen, input, chat or files.
4. The module needs no installation and leaves nothing behind on your device when it ends.
5. Our technician first only sees your screen. They take control only if you agree. You can end the session at any time with "End session".
6. We transfer files only when needed for the support, only with your consent, and every transfer is recorded.
7. Your acceptance of these terms is recorded with date and version.
8. Please back up important data before remote maintenance.`,
};
