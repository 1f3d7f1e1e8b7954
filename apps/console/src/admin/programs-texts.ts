/** Texts of the "QuickSupport programs" section of the settings (`programs` in i18n/en.ts and de.ts). */
export const programsEn = {
  heading: 'QuickSupport programs',
  hint: {
    auto: 'No signing key of your own is configured, so this server builds and signs the QuickSupport program (remote control) for every platform itself, with its own key. The QuickSupport page offers each one as soon as it is ready.',
    operator: 'Your own signing key and builds are used (AGENT_PUBLIC_KEY, AGENT_DIR or FERNHILFE_SIGNING_KEY); this server builds nothing itself.',
    off: 'AGENT_AUTOBUILD=off and no signing key of your own: no program is built here. Build and sign your own (docs/agent-build.md).',
  },
  publicKey: 'Public key (customers check a download with it)',
  keyId: 'Key ID',
  noKey: 'No key configured: nothing is offered.',
  platform: { 'linux-x64': 'Linux (x86-64)', 'win-x64': 'Windows (x86-64)' },
  state: { waiting: 'Waiting for its turn', building: 'Being built (a minute or two)…', ready: 'Ready: offered on the QuickSupport page', failed: 'Not built', offered: 'Offered on the QuickSupport page', notOffered: 'Not offered' },
  file: 'File',
  size: 'Size',
  sha256: 'SHA-256',
  signer: 'Signed with key',
  built: 'Built',
  server: 'Server built in',
  noServer: 'none: customers must start it with --server <address> (set PUBLIC_URL)',
  failure: {
    'missing-program': 'A program the build needs is missing. {{detail}}',
    registry: 'A package could not be fetched from the npm registry. {{detail}}',
    failed: 'The build failed: {{detail}}',
  },
  windows: {
    'server-certificate':
      'Windows will show "Unknown publisher": the program carries an Authenticode signature from this server\'s own certificate, which Windows does not trust. SmartScreen may show "Windows protected your PC"; the customer clicks "More info" and then "Run anyway". To have your company shown as the publisher, sign with your own code-signing certificate (docs/agent-build.md).',
    'operator-certificate': 'Signed with your code-signing certificate (Authenticode): Windows names it as the publisher.',
  },
  refresh: 'Refresh',
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

export const programsDe: Widen<typeof programsEn> = {
  heading: 'QuickSupport-Programme',
  hint: {
    auto: 'Es ist kein eigener Signaturschlüssel eingerichtet. Darum baut und signiert dieser Server das QuickSupport-Programm (Fernsteuerung) für jede Plattform selbst, mit seinem eigenen Schlüssel. Die QuickSupport-Seite bietet jedes an, sobald es fertig ist.',
    operator: 'Ihr eigener Signaturschlüssel und Ihre eigenen Builds werden verwendet (AGENT_PUBLIC_KEY, AGENT_DIR oder FERNHILFE_SIGNING_KEY); dieser Server baut selbst nichts.',
    off: 'AGENT_AUTOBUILD=off und kein eigener Signaturschlüssel: Hier wird kein Programm gebaut. Bauen und signieren Sie Ihr eigenes (docs/agent-build.md).',
  },
  publicKey: 'Öffentlicher Schlüssel (damit prüfen Kunden einen Download)',
  keyId: 'Schlüssel-ID',
  noKey: 'Kein Schlüssel eingerichtet: Es wird nichts angeboten.',
  platform: { 'linux-x64': 'Linux (x86-64)', 'win-x64': 'Windows (x86-64)' },
  state: { waiting: 'Wartet, bis es an der Reihe ist', building: 'Wird gebaut (ein, zwei Minuten)…', ready: 'Fertig: auf der QuickSupport-Seite angeboten', failed: 'Nicht gebaut', offered: 'Auf der QuickSupport-Seite angeboten', notOffered: 'Nicht angeboten' },
  file: 'Datei',
  size: 'Größe',
  sha256: 'SHA-256',
  signer: 'Signiert mit Schlüssel',
  built: 'Gebaut',
  server: 'Eingebauter Server',
  noServer: 'keiner: Kunden müssen es mit --server <Adresse> starten (PUBLIC_URL setzen)',
  failure: {
    'missing-program': 'Ein Programm, das der Build braucht, fehlt. {{detail}}',
    registry: 'Ein Paket konnte nicht aus der npm-Registry geladen werden. {{detail}}',
    failed: 'Der Build ist fehlgeschlagen: {{detail}}',
  },
  windows: {
    'server-certificate':
      'Windows zeigt „Unbekannter Herausgeber“: Das Programm trägt eine Authenticode-Signatur mit dem eigenen Zertifikat dieses Servers, dem Windows nicht vertraut. SmartScreen zeigt eventuell „Der Computer wurde durch Windows geschützt“; der Kunde klickt auf „Weitere Informationen“ und dann „Trotzdem ausführen“. Damit Ihre Firma als Herausgeber erscheint, signieren Sie mit Ihrem eigenen Code-Signing-Zertifikat (docs/agent-build.md).',
    'operator-certificate': 'Mit Ihrem Code-Signing-Zertifikat signiert (Authenticode): Windows nennt Sie als Herausgeber.',
  },
  refresh: 'Aktualisieren',
};
