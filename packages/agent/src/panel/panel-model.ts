import type { Branding, CustomerFlowState, FilesView, GrantName } from '@fernhilfe/protocol';
import { grantTexts, sayPanel } from './texts.js';

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

/** Everything the session panel shows, platform-neutral: the renderer lays it out and paints it. */
export interface PanelModel {
  title: string;
  /** "Connected with" */
  heading: string;
  technician: { name: string; company: string };
  /** what the technician can do now: viewing or controlling, the clipboard, a file on its way, reconnecting */
  status: string[];
  securityCode: string;
  /** a question that needs the customer's answer, with its two buttons (Allow / Refuse, Save / Refuse) */
  request?: { text: string; buttons: [PanelButton, PanelButton] };
  /** Take back control (and the like) while granted, then End session (always last) */
  buttons: PanelButton[];
  /** the operator's branding colours, `#rrggbb` */
  colors: { primary: string; accent: string };
}

const moving = new Set(['sending', 'receiving', 'verifying']);

/**
 * The panel for one state of the customer's journey, or undefined when there is no session to show
 * (the panel is only there while a technician is connected). Pure: same state, same panel.
 */
export function panelModel(s: CustomerFlowState, files: FilesView, language: 'de' | 'en', branding: Pick<Branding, 'companyName' | 'primaryColor' | 'accentColor'>): PanelModel | undefined {
  if (s.phase !== 'active') return undefined;
  const grants = grantTexts[language];
  const t = (key: Parameters<typeof sayPanel>[1], values?: Record<string, string>) => sayPanel(language, key, values);
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
  const request = requestOf(s, files, language);
  if (request) model.request = request;
  return model;
}

function granted(s: CustomerFlowState): GrantName[] {
  return (Object.keys(s.consent.granted) as GrantName[]).filter((g) => s.consent.granted[g]);
}

/** The oldest open question: a grant the technician asked for, else a file offered to the customer. */
function requestOf(s: CustomerFlowState, files: FilesView, language: 'de' | 'en'): PanelModel['request'] {
  const asked = s.consent.pending[0];
  if (asked) {
    return {
      text: grantTexts[language][asked].ask,
      buttons: [
        { id: `allow-${asked}`, label: sayPanel(language, 'allow'), action: { kind: 'decide', what: asked, decision: 'allow' }, style: 'primary' },
        { id: `refuse-${asked}`, label: sayPanel(language, 'refuse'), action: { kind: 'decide', what: asked, decision: 'refuse' }, style: 'secondary' },
      ],
    };
  }
  const offer = files.offers[0];
  if (!offer) return undefined;
  return {
    text: sayPanel(language, 'fileOffer', { name: offer.name }),
    buttons: [
      { id: 'accept-file', label: sayPanel(language, 'save'), action: { kind: 'file', transferId: offer.transferId, decision: 'accept' }, style: 'primary' },
      { id: 'refuse-file', label: sayPanel(language, 'refuse'), action: { kind: 'file', transferId: offer.transferId, decision: 'refuse' }, style: 'secondary' },
    ],
  };
}
