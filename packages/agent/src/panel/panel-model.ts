import type { Branding, CustomerFlowState, FilesView, GrantName } from '@fernhilfe/protocol';
import { grantTexts, sayPanel, type PanelTextKey } from './texts.js';

/** What a click (or Enter on the focused button) does: the same calls the page's buttons make. */
export type PanelAction =
  | { kind: 'end' }
  | { kind: 'decide'; what: GrantName; decision: 'allow' | 'refuse' | 'revoke' }
  | { kind: 'file'; transferId: string; decision: 'accept' | 'refuse' };

export interface PanelButton {
  /** stable name of the button (tests, focus kept across redraws): "allow-control", "end-session", … */
  id: string;
  label: string;
  action: PanelAction;
  style: 'primary' | 'secondary' | 'danger';
}

/** A question that needs the customer's answer, with its two buttons (Allow / Refuse, Save / Refuse). */
export interface CustomerRequest {
  /** stable while the question is open: "grant-control", "file-<transferId>" */
  id: string;
  text: string;
  buttons: [PanelButton, PanelButton];
}

/** Everything the session panel shows, platform-neutral: the renderer lays it out and paints it. */
export interface PanelModel {
  title: string;
  /** "Connected with" */
  heading: string;
  technician: { name: string; company: string };
  /** what the technician can do now: viewing or controlling, the clipboard, a file on its way, reconnecting */
  status: string[];
  securityCode: string;
  /** the oldest question that needs the customer's answer (openRequests) */
  request?: CustomerRequest;
  /** Take back control (and the like) while granted, then End session (always last) */
  buttons: PanelButton[];
  /** the operator's branding colours, `#rrggbb` */
  colors: { primary: string; accent: string };
}

/** sayPanel with the language bound */
const sayIn =
  (language: 'de' | 'en') =>
  (key: PanelTextKey, values?: Record<string, string>): string =>
    sayPanel(language, key, values);

const moving = new Set(['sending', 'receiving', 'verifying']);

/**
 * The panel for one state of the customer's journey, or undefined when there is no session to show
 * (the panel is only there while a technician is connected). Pure: same state, same panel.
 */
export function panelModel(s: CustomerFlowState, files: FilesView, language: 'de' | 'en', branding: Pick<Branding, 'companyName' | 'primaryColor' | 'accentColor'>): PanelModel | undefined {
  if (s.phase !== 'active') return undefined;
  const grants = grantTexts[language];
  const t = sayIn(language);
  const status = [s.consent.granted.control ? grants.control.on : t('viewing')];
  for (const g of granted(s)) if (g !== 'control') status.push(grants[g].on);
  if (files.transfers.some((tr) => moving.has(tr.state))) status.push(t('transferring'));
  if (s.reconnecting) status.push(t('reconnecting'));
  const buttons: PanelButton[] = granted(s).map((g) => ({ id: `revoke-${g}`, label: grants[g].revoke, action: { kind: 'decide', what: g, decision: 'revoke' }, style: 'secondary' }));
  buttons.push({ id: 'end-session', label: t('end'), action: { kind: 'end' }, style: 'danger' });
  const model: PanelModel = {
    title: t('title', { company: branding.companyName }),
    heading: t('connectedWith'),
    technician: { name: s.technician?.displayName ?? '', company: s.technician?.company ?? '' },
    status,
    securityCode: t('securityCode', { sas: s.sas ?? '' }),
    buttons,
    colors: { primary: branding.primaryColor, accent: branding.accentColor },
  };
  const request = openRequests(s, files, language)[0];
  if (request) model.request = request;
  return model;
}

function granted(s: CustomerFlowState): GrantName[] {
  return (Object.keys(s.consent.granted) as GrantName[]).filter((g) => s.consent.granted[g]);
}

/**
 * Every question open now, oldest kind first: the grants the technician asked for (in the order
 * asked), then the files offered to the customer. The one place the faces that ask (the panel,
 * the desktop notifications of notify/) read the open requests from; their buttons are the page's calls.
 */
export function openRequests(s: CustomerFlowState, files: FilesView, language: 'de' | 'en'): CustomerRequest[] {
  if (s.phase !== 'active') return [];
  const t = sayIn(language);
  const grants: CustomerRequest[] = s.consent.pending.map((what) => ({
    id: `grant-${what}`,
    text: grantTexts[language][what].ask,
    buttons: [
      { id: `allow-${what}`, label: t('allow'), action: { kind: 'decide', what, decision: 'allow' }, style: 'primary' },
      { id: `refuse-${what}`, label: t('refuse'), action: { kind: 'decide', what, decision: 'refuse' }, style: 'secondary' },
    ],
  }));
  const offers: CustomerRequest[] = files.offers.map((offer) => ({
    id: `file-${offer.transferId}`,
    text: t('fileOffer', { name: offer.name }),
    buttons: [
      { id: 'accept-file', label: t('save'), action: { kind: 'file', transferId: offer.transferId, decision: 'accept' }, style: 'primary' },
      { id: 'refuse-file', label: t('refuse'), action: { kind: 'file', transferId: offer.transferId, decision: 'refuse' }, style: 'secondary' },
    ],
  }));
  return [...grants, ...offers];
}
