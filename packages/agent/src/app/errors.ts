import { FernhilfeError } from '@fernhilfe/protocol';

/** Why the agent cannot do what it was asked; `reason` picks the sentence a person reads. */
export const agentFailures = [
  'bad-server-url', // --server is not an http(s) URL, or plain http to a host that is not this machine
  'no-server-url', // built without a server and started without --server
  'unreachable', // the server did not answer
  'server', // the server answered something unexpected
  'ui', // the local UI server could not start
  'bad-option', // an environment setting is out of range
] as const;
export type AgentFailure = (typeof agentFailures)[number];

const plain: Record<AgentFailure, { de: string; en: string }> = {
  'bad-server-url': {
    en: 'The server address is not valid. It must start with https:// (plain http only for this computer).',
    de: 'Die Serveradresse ist ungültig. Sie muss mit https:// beginnen (http nur für diesen Computer).',
  },
  'no-server-url': {
    en: 'This agent does not know its server. Start it with --server https://…',
    de: 'Dieses Programm kennt seinen Server nicht. Starten Sie es mit --server https://…',
  },
  unreachable: { en: 'The support server cannot be reached. Please check your internet connection.', de: 'Der Support-Server ist nicht erreichbar. Bitte prüfen Sie Ihre Internetverbindung.' },
  server: { en: 'The support server answered unexpectedly. Please try again later.', de: 'Der Support-Server hat unerwartet geantwortet. Bitte versuchen Sie es später erneut.' },
  ui: { en: 'The support window could not be opened.', de: 'Das Support-Fenster konnte nicht geöffnet werden.' },
  'bad-option': { en: 'A setting is not valid.', de: 'Eine Einstellung ist ungültig.' },
};

export class AgentError extends FernhilfeError<AgentFailure> {
  override readonly name = 'AgentError';
  constructor(reason: AgentFailure, detail: string, options: { cause?: unknown } = {}) {
    super(reason, detail, { ...options, message: `${reason}: ${detail}` });
  }

  /** The sentence for the customer. */
  say(language: 'de' | 'en'): string {
    return plain[this.reason][language];
  }

  static badServerUrl(detail: string): AgentError {
    return new AgentError('bad-server-url', detail);
  }
  static noServerUrl(): AgentError {
    return new AgentError('no-server-url', 'no server URL built in and none given');
  }
  static unreachable(origin: string, cause: unknown): AgentError {
    return new AgentError('unreachable', `${origin} did not answer`, { cause });
  }
  static server(detail: string): AgentError {
    return new AgentError('server', detail);
  }
  static badOption(detail: string): AgentError {
    return new AgentError('bad-option', detail);
  }
  static ui(detail: string, cause?: unknown): AgentError {
    return new AgentError('ui', detail, { cause });
  }

  /** The one boundary that turns any throw into an AgentError. */
  static from(err: unknown): AgentError {
    if (err instanceof AgentError) return err;
    return new AgentError('server', err instanceof Error ? err.message : String(err), { cause: err });
  }
}
