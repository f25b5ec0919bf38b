// The public page: the mediator's statements, the public gap chart and the agreement. Renders only
// what GET .../public returns, and from the session view the agreement rule (what a deal needs,
// never who accepted).
import {
  api, el, fill, announce, showError, poll, listen, enter, statusText, chart, gapSpec, fmtNumber, fmtTime, textForm, refreshList,
  agreementRuleWords,
} from './common.js';

const state = { me: null, keys: {}, count: null };
const base = () => `api/sessions/${encodeURIComponent(state.me.session)}`;

function changed(name, key) {
  if (state.keys[name] === key) return false;
  state.keys[name] = key;
  return true;
}

function render(pub) {
  if (changed('status', JSON.stringify([pub.visit, pub.status]))) {
    fill('status', el('span', {}, statusText(pub)), el('span', { class: 'badge' }, pub.parties.join(' · ')));
  }
  if (changed('statements', JSON.stringify(pub.statements))) {
    const list = pub.statements.slice().reverse();
    refreshList(document.getElementById('statements'), () => (list.length ? el('ol', { class: 'statements', reversed: true }, list.map((s) => el('li', {},
      el('span', { class: 'meta' }, `visit ${s.visit} · ${s.by === 'mediator' ? 'the mediator' : 'automatic'} · `,
        el('time', { datetime: s.at }, fmtTime(s.at))), s.text)))
      : el('p', { class: 'muted' }, 'No statement yet.')));
    if (state.count !== null && pub.statements.length > state.count) announce('A new statement from the mediator.');
    state.count = pub.statements.length;
  }
  if (changed('gap', JSON.stringify(pub.gap_by_visit))) {
    const g = pub.gap_by_visit;
    if (g.length) {
      chart('gap-chart', gapSpec(g), `Public gap over ${g.length} visits, last ${fmtNumber(g[g.length - 1])}.`);
      fill('gap-table', el('details', {}, el('summary', {}, 'The figures'), el('table', { class: 'kv' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'visit'), el('th', { scope: 'col' }, 'gap'))),
        el('tbody', {}, g.map((x, i) => el('tr', {}, el('th', { scope: 'row' }, String(i + 1)), el('td', {}, fmtNumber(x))))))));
    } else {
      fill('gap-table', el('p', { class: 'muted' }, 'The gap is reported after the first visit.'));
    }
  }
  if (changed('agreement', JSON.stringify(pub.agreement))) {
    const card = document.getElementById('agreement-card');
    card.hidden = !pub.agreement;
    if (pub.agreement) {
      fill('agreement', el('table', { class: 'kv' }, el('tbody', {}, Object.entries(pub.agreement).map(([k, v]) =>
        el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, String(v)))))));
    }
  }
}

async function main() {
  const me = await enter(['observer', 'mediator', 'principal', 'negotiator', 'adviser']);
  if (!me) return;
  state.me = me;
  const first = await api(`${base()}/public`);
  document.title = `${first.title} · public · Shuttle`;
  fill('title', first.title);
  fill('who', 'Public statements of the mediator', me.role !== 'observer' ? ` (seen as the public sees them)` : '');
  const rule = agreementRuleWords(await api(base()));
  fill('rules', rule ? el('p', { id: 'agreement-rule' }, rule) : null);
  fill('anonymous', textForm({
    label: 'Anonymous note',
    hint: 'Reaches the mediator alone and carries no identity: no name, role or exact time (rounded to the hour).',
    button: 'Send anonymously',
    send: (text) => api(`${base()}/anonymous-notes`, { method: 'POST', body: { text } }),
    done: 'Anonymous note sent.',
  }));
  render(first);
  listen(base(), poll(async () => render(await api(`${base()}/public`)), 3000), 3000);
}

main().catch((e) => showError(e));
