/* global navigator */
// Texts of the account-link form on /setup (German and English, from the browser's language).
const texts = {
  de: {
    lang: 'de',
    title: 'Fernhilfe – Kennwort festlegen',
    intro: 'Legen Sie das Kennwort für Ihr Konto fest. Dieser Link funktioniert nur einmal.',
    password: 'Neues Kennwort (mindestens 10 Zeichen)',
    repeat: 'Kennwort wiederholen',
    submit: 'Kennwort festlegen',
    mismatch: 'Die beiden Kennwörter sind nicht gleich.',
    saving: 'Wird gespeichert …',
    unreachable: 'Der Server ist nicht erreichbar.',
    done: (login) => `Das Kennwort für ${login} ist gesetzt. Sie sind angemeldet.`,
    console: 'Zur Konsole',
    failed: (status) => `Das hat nicht geklappt (${status}).`,
    errors: {
      link_invalid: 'Dieser Link ist falsch, abgelaufen oder wurde schon benutzt. Bitten Sie einen Administrator um einen neuen.',
      password_policy: 'Das Kennwort muss 10 bis 256 Zeichen lang sein.',
      rate_limited: 'Zu viele Versuche. Bitte warten Sie etwas.',
    },
  },
  en: {
    lang: 'en',
    title: 'Fernhilfe – set your password',
    intro: 'Set the password of your account. This link works once.',
    password: 'New password (at least 10 characters)',
    repeat: 'Repeat the password',
    submit: 'Set password',
    mismatch: 'The two passwords are not the same.',
    saving: 'Saving…',
    unreachable: 'The server cannot be reached.',
    done: (login) => `The password of ${login} is set. You are signed in.`,
    console: 'Open the console',
    failed: (status) => `That did not work (${status}).`,
    errors: {
      link_invalid: 'This link is wrong, expired or was already used. Ask an administrator for a new one.',
      password_policy: 'The password must be 10 to 256 characters long.',
      rate_limited: 'Too many attempts. Please wait a little.',
    },
  },
};

export function linkTexts() {
  return navigator.language.toLowerCase().startsWith('de') ? texts.de : texts.en;
}
