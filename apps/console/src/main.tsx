import './styles/base.css';
import './styles/forms.css';
import './styles/layout.css';
import './styles/session.css';
import { webSocketTransport, type WebSocketLike } from '@fernhilfe/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { App } from './components/App';
import { setupI18n } from './i18n';
import { ConsoleContext } from './state/context';
import { ConsoleController } from './state/controller';

// Wiring only: texts, the API on this origin, the browser's WebSocket, and the React tree.
async function main(): Promise<void> {
  await setupI18n();
  const controller = new ConsoleController(api, webSocketTransport((url) => new WebSocket(url) as unknown as WebSocketLike));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ConsoleContext value={controller}>
        <App />
      </ConsoleContext>
    </StrictMode>,
  );
  await controller.restore();
}

void main();
