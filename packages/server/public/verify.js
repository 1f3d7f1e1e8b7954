// Checks a pasted or uploaded receipt against this server's key (POST /verify) and shows it.
import { texts, pickLanguage } from './record-i18n.js';
import { renderReceipt } from './record-render.js';

const lang = pickLanguage();
const t = texts[lang];
document.documentElement.lang = lang;
document.title = t.verifyTitle;
document.getElementById('title').textContent = t.verifyTitle;
document.getElementById('paste-label').textContent = t.pasteLabel;
document.getElementById('file-label').textContent = t.fileLabel;
document.getElementById('submit').textContent = t.verify;
const input = document.getElementById('receipt');
const result = document.getElementById('result');
const content = document.getElementById('content');

document.getElementById('file').addEventListener('change', async (event) => {
  const file = event.target.files?.[0];
  if (file) input.value = await file.text();
});

document.getElementById('verify').addEventListener('submit', async (event) => {
  event.preventDefault();
  content.replaceChildren();
  result.className = '';
  const text = input.value.trim();
  if (!text) {
    result.textContent = t.empty;
    return;
  }
  const res = await fetch('/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }).catch(() => undefined);
  if (!res) {
    result.textContent = t.unreachable;
    return;
  }
  const verdict = await res.json().catch(() => ({ genuine: false, reason: 'not-a-receipt' }));
  result.dataset.genuine = String(verdict.genuine === true);
  result.className = verdict.genuine === true ? 'genuine' : 'fake';
  result.textContent = verdict.genuine === true ? t.genuine : (t[verdict.reason] ?? t['not-a-receipt']);
  if (verdict.genuine === true) content.replaceChildren(renderReceipt(JSON.parse(text), lang));
});
