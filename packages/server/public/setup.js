import { linkTexts } from './setup-i18n.js';

// The token travels in the URL fragment, so it never reaches a server log.
const params = new URLSearchParams(location.hash.slice(1));
const token = params.get('token') ?? '';
const link = params.get('link') ?? '';
const form = document.getElementById('setup');
const linkForm = document.getElementById('link');
const status = document.getElementById('status');

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined);
  return res ? { res, body: await res.json().catch(() => ({})) } : undefined;
}

if (link) {
  // a one-time account link (an invite or a password reset, docs/accounts.md): the holder sets a password
  const t = linkTexts();
  document.documentElement.lang = t.lang;
  document.title = t.title;
  document.getElementById('intro').textContent = t.intro;
  document.getElementById('link-password-label').textContent = t.password;
  document.getElementById('link-repeat-label').textContent = t.repeat;
  document.getElementById('link-submit').textContent = t.submit;
  form.hidden = true;
  linkForm.hidden = false;
  linkForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(linkForm));
    if (data.password !== data.repeat) {
      status.textContent = t.mismatch;
      return;
    }
    status.textContent = t.saving;
    const answer = await post('/api/setup/password', { token: link, password: data.password });
    if (!answer) {
      status.textContent = t.unreachable;
    } else if (answer.res.ok) {
      history.replaceState(null, '', '/setup');
      linkForm.hidden = true;
      status.textContent = t.done(answer.body.user?.login ?? '');
      const go = document.createElement('a');
      go.href = '/console/';
      go.textContent = t.console;
      go.dataset.testid = 'link-console';
      status.after(go);
    } else {
      status.textContent = t.errors[answer.body.error?.code] ?? answer.body.error?.message ?? t.failed(answer.res.status);
    }
  });
} else if (!token) {
  status.textContent = 'This page needs the setup link that the server printed at its first start.';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  status.textContent = 'Creating…';
  const answer = await post('/api/setup', { token, ...data });
  if (!answer) {
    status.textContent = 'The server cannot be reached.';
    return;
  }
  if (answer.res.ok) {
    history.replaceState(null, '', '/setup');
    form.hidden = true;
    status.textContent = `Administrator ${answer.body.user?.login ?? ''} created. You are signed in.`;
  } else {
    status.textContent = answer.body.error?.message ?? `Setup failed (${answer.res.status}).`;
  }
});
