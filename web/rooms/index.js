// The landing page: sends an invitation token to the room it opens (asks GET /api/me).
import { api, showError, token } from './common.js';

const pages = { mediator: 'mediator.html', observer: 'public.html', principal: 'party.html', negotiator: 'party.html', adviser: 'party.html' };

async function open(t) {
  const me = await api('api/me');
  location.replace(`${pages[me.role]}?token=${encodeURIComponent(t)}`);
}

document.getElementById('open-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  let t = '';
  try {
    t = new URL(document.getElementById('link').value, location.href).searchParams.get('token') || '';
  } catch (e) {
    t = '';
  }
  if (!t) {
    showError(new Error('That link carries no token.'));
    return;
  }
  location.assign(`index.html?token=${encodeURIComponent(t)}`);
});

if (token) open(token).catch((e) => showError(e));
