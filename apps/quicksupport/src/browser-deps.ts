import { CustomerEndpoint, webSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import { LogicalChannel, type ApiClient } from '@fernhilfe/protocol';
import { currentLanguage } from './i18n/index.js';
import { ScreenSender } from './media/screen-sender.js';
import { startBrowserDirectPath } from './p2p/direct-path.js';
import type { StoreDeps } from './session-store.js';

const transport = webSocketTransport((url) => new WebSocket(url) as unknown as WebSocketLike);

/** The real browser behind the store; `api` talks to this page's server. */
export function browserDeps(api: ApiClient): StoreDeps {
  return {
    api: { terms: () => api.call('terms') },
    openCustomer: (termsVersion, language, join) =>
      CustomerEndpoint.open({ url: api.customerUrl(), transport, termsVersion, language, capabilities: ['screen', 'chat'], ...(join ? { case: join.join, password: join.password } : {}) }),
    createSender: (session) =>
      new ScreenSender({
        sendControl: (message) => session.sendControl(message),
        sendVideo: (bytes) => session.sendData(LogicalChannel.video, bytes),
      }),
    startDirectPath: (session) => startBrowserDirectPath(session, () => undefined),
    language: () => currentLanguage(),
    secureContext: () => window.isSecureContext,
  };
}
