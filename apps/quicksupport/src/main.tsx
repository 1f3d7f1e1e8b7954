// must stay the first import: configures zod for the strict CSP before it loads
import { ApiClient, DEFAULT_BRANDING, InvariantError, type Branding } from '@fernhilfe/protocol';
import { createRoot } from 'react-dom/client';
import { applyBranding } from './branding.js';
import { browserDeps } from './browser-deps.js';
import { AgentStore } from './agent/agent-store.js';
import { isAgentMode } from './agent/mode.js';
import { App } from './components/App.js';
import { initI18n } from './i18n/index.js';
import { announceRequests } from './notify/browser-notifications.js';
import { SessionStore } from './session-store.js';
import { BrandingContext, StoreContext } from './use-session.js';
import './styles/base.css';
import './styles/controls.css';
import './styles/credentials.css';
import './styles/session.css';
import './cases/cases.css';

async function main(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new InvariantError('#root is missing from index.html');
  const api = new ApiClient(location.origin);
  // no branding (or an odd one): the default look
  const branding = await Promise.all([api.call('branding').catch((): Branding => ({ ...DEFAULT_BRANDING })), initI18n()]).then(([b]) => b);
  applyBranding(branding);
  document.title = `${branding.companyName} – ${document.title}`;
  // served by the native agent (packages/agent/src/ui/): the agent holds the session, the page is its face
  const store = isAgentMode() ? new AgentStore() : new SessionStore(browserDeps(api));
  // the browser-only page has no panel on top: requests are announced while the tab is in the background
  if (store instanceof SessionStore) announceRequests(store, branding);
  void store.loadTerms();
  createRoot(root).render(
    <BrandingContext.Provider value={branding}>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </BrandingContext.Provider>,
  );
}

void main();
