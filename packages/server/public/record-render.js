/* global Node */
// Renders a receipt with DOM text nodes only: nothing from the receipt is ever parsed as HTML.
import { texts } from './record-i18n.js';

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
}

function when(iso, lang) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

function details(e, t) {
  const d = e.data ?? {};
  const parts = [];
  if (typeof d.name === 'string') parts.push(d.name);
  if (typeof d.size === 'number') parts.push(`${d.size.toLocaleString()} ${t.bytes}`);
  if (d.direction === 'to-customer') parts.push(t.toCustomer);
  if (d.direction === 'to-technician') parts.push(t.toTechnician);
  if (typeof d.reason === 'string') parts.push(t.reasons[d.reason] ?? d.reason);
  if (typeof d.displayName === 'string' && d.displayName) parts.push(d.company ? `${d.displayName} (${d.company})` : d.displayName);
  if (typeof d.termsVersion === 'string') parts.push(d.termsVersion);
  const box = el('div', {}, parts.join(' · '));
  if (typeof d.sha256 === 'string') box.append(el('div', { class: 'hash' }, `SHA-256 ${d.sha256}`));
  return box;
}

/** The receipt as a section: facts, events, signature. */
export function renderReceipt(signed, lang) {
  const t = texts[lang];
  const r = signed.receipt;
  const s = r.session;
  const facts = el('dl', { class: 'facts' });
  const fact = (label, value, testId) => facts.append(el('dt', {}, label), el('dd', testId ? { 'data-testid': testId } : {}, value));
  fact(t.operator, r.operator.companyName, 'receipt-operator');
  if (r.operator.supportPhone) fact(t.phone, r.operator.supportPhone);
  fact(t.technician, r.technician ? (r.technician.company ? `${r.technician.displayName} (${r.technician.company})` : r.technician.displayName) : t.nobody, 'receipt-technician');
  fact(t.customerId, s.customerId.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3'));
  fact(t.opened, when(s.openedAt, lang));
  fact(t.started, when(s.authenticatedAt, lang) || '–');
  fact(t.ended, s.endedAt ? when(s.endedAt, lang) : t.running);
  if (s.endedBy) fact(t.endedBy, t[`by_${s.endedBy}`] ?? s.endedBy);
  fact(t.terms, s.termsVersion, 'receipt-terms');
  fact(t.address, s.customerAddr);
  fact(t.session, s.id);

  const rows = r.events.map((e) =>
    el('tr', { 'data-event': e.event }, el('td', {}, when(e.time, lang)), el('td', {}, t[`who_${e.actor}`] ?? e.actor), el('td', {}, t.ev[e.event] ?? e.event), el('td', {}, details(e, t))),
  );
  const table = el('table', { class: 'events', 'data-testid': 'receipt-events' }, el('thead', {}, el('tr', {}, el('th', {}, t.time), el('th', {}, t.who), el('th', {}, t.what), el('th', {}, t.details))), el('tbody', {}, ...rows));
  const sig = el('dl', { class: 'signature' }, el('dt', {}, t.issued), el('dd', {}, when(r.issuedAt, lang)), el('dt', {}, t.key), el('dd', { class: 'hash' }, signed.signature.publicKey), el('dt', {}, t.sigValue), el('dd', { class: 'hash' }, signed.signature.value));
  return el('section', { class: 'receipt', 'data-testid': 'receipt' }, facts, el('h2', {}, t.events), table, el('h2', {}, t.signature), sig);
}
