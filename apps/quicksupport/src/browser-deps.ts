import { CustomerEndpoint, webSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import { LogicalChannel } from '@fernhilfe/protocol';
import { currentLanguage } from './i18n/index.js';
import { ScreenSender } from './media/screen-sender.js';
import { startBrowserDirectPath } from './p2p/direct-path.js';
import { fetchTerms } from './server-api.js';
import type { StoreDeps } from './session-store.js';

const transport = webSocketTransport((url) => new WebSocket(url) as unknown as WebSocketLike);

/** ws(s)://<this host>/ws/customer */
export function customerUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/customer`;
}

/** The real browser behind the store. */
export function browserDeps(): StoreDeps {
  return {
    api: { terms: fetchTerms },
    openCustomer: (termsVersion, language) =>
      CustomerEndpoint.open({ url: customerUrl(), transport, termsVersion, language, capabilities: ['screen', 'chat'] }),
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
