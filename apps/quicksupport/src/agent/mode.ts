import { AGENT_META_NAME } from '@fernhilfe/protocol';

/**
 * The page runs as the face of the native agent when the agent served it: the agent adds
 * <meta name="fernhilfe-agent" content="de|en"> to index.html (packages/agent/src/ui/http.ts).
 * The flag only chooses which backend the page uses; the agent's server alone decides who may
 * talk to it (secret cookie, host and origin checks).
 */
export function isAgentMode(doc: Document = document): boolean {
  return doc.querySelector(`meta[name="${AGENT_META_NAME}"]`) !== null;
}

/** The agent's language (its --lang, else the customer's system locale), carried in the same tag; undefined in the browser. */
export function agentLanguage(doc: Document = document): string | undefined {
  return doc.querySelector(`meta[name="${AGENT_META_NAME}"]`)?.getAttribute('content') ?? undefined;
}
