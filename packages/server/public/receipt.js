/* global Blob, window */
// The customer's receipt. The token travels in the URL fragment (#token=…), so it never reaches a log.
import { texts, pickLanguage } from './record-i18n.js';
import { renderReceipt } from './record-render.js';

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const status = document.getElementById('status');
let lang = pickLanguage();
const show = () => {
  const t = texts[lang];
  document.documentElement.lang = lang;
  document.getElementById('title').textContent = t.receiptTitle;
  document.title = t.receiptTitle;
  document.getElementById('print').textContent = t.print;
  document.getElementById('save').textContent = t.save;
  document.getElementById('check').textContent = t.check;
  return t;
};
let t = show();

async function load() {
  if (!/^[0-9a-f]{64}$/.test(token)) {
    status.textContent = t.noToken;
    return;
  }
  status.textContent = t.loading;
  const res = await fetch('/receipt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) }).catch(() => undefined);
  if (!res) {
    status.textContent = t.unreachable;
    return;
  }
  if (!res.ok) {
    status.textContent = res.status === 404 ? t.notFound : t.unreachable;
    return;
  }
  const signed = await res.json();
  lang = pickLanguage(signed.receipt?.session?.language);
  t = show();
  status.textContent = '';
  document.getElementById('content').replaceChildren(renderReceipt(signed, lang));
  const json = JSON.stringify(signed, null, 2);
  const save = document.getElementById('save');
  save.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  save.download = `receipt-${signed.receipt.session.customerId}.json`;
  for (const id of ['print', 'save', 'check']) document.getElementById(id).hidden = false;
}

document.getElementById('print').addEventListener('click', () => window.print());
void load();
