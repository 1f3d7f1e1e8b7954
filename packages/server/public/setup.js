// The setup token travels in the URL fragment, so it never reaches a server log.
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const form = document.getElementById('setup');
const status = document.getElementById('status');

if (!token) status.textContent = 'This page needs the setup link that the server printed at its first start.';

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form));
  status.textContent = 'Creating…';
  const res = await fetch('/api/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, ...data }),
  }).catch(() => undefined);
  if (!res) {
    status.textContent = 'The server cannot be reached.';
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.ok) {
    history.replaceState(null, '', '/setup');
    form.hidden = true;
    status.textContent = `Administrator ${body.user?.login ?? ''} created. You are signed in.`;
  } else {
    status.textContent = body.error?.message ?? `Setup failed (${res.status}).`;
  }
});
