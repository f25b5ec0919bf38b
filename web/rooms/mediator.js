// The mediator console: every caucus, the current text, each party's model, the diagnosis, the gap
// chart, public statements, caucus notes, invitations. Renders only what the API returns for this
// page's token.
import {
  api, eventsSince, listen, el, fill, announce, showError, poll, act, enter, statusText, outcomeTable, confidedView,
  diagnosisView, timeline, fmtNumber, fmtTime, chart, textForm, refreshList,
} from './common.js';

const state = {
  me: null,
  session: null,
  console: null,
  events: [],
  next: 0,
  keys: {},
  caucusParty: undefined,
  poller: null,
};

const base = () => `api/sessions/${encodeURIComponent(state.me.session)}`;

function changed(name, key) {
  if (state.keys[name] === key) return false;
  state.keys[name] = key;
  return true;
}

function renderStatus() {
  const m = state.console;
  const s = state.session;
  const stage = s.agenda && s.agenda[m.stage] ? s.agenda[m.stage].name : null;
  if (!changed('status', JSON.stringify([m.visit, m.status, m.caucus, m.end_reason, stage]))) return;
  const badge = m.caucus
    ? el('span', { class: 'badge live' }, `In caucus with ${m.caucus.party_name}`)
    : el('span', { class: `badge ${m.status === 'agreement' ? 'ok' : 'bad'}` }, `Ended: ${m.end_reason || m.status}`);
  fill('status', el('span', {}, statusText(m)), stage ? el('span', { class: 'badge' }, `Stage: ${stage}`) : null, badge);
  const party = m.caucus ? m.caucus.party : null;
  if (state.caucusParty !== undefined && party !== state.caucusParty) {
    announce(m.caucus ? `Visit ${m.visit}: now in caucus with ${m.caucus.party_name}.` : `The talks ended: ${m.end_reason}.`);
  }
  state.caucusParty = party;
}

function renderText() {
  const m = state.console;
  if (!changed('text', JSON.stringify([m.text, state.session.agreement]))) return;
  const parts = [];
  if (state.session.agreement) parts.push(outcomeTable(state.session.agreement, state.session, 'Agreed'));
  parts.push(m.text ? outcomeTable(m.text, state.session, 'The text in play')
    : el('p', { class: 'muted' }, 'No text yet: the opening caucuses come first.'));
  fill('text', parts);
}

function gapSpec(m, names) {
  const values = [];
  m.gap_by_visit.forEach((g, i) => values.push({ visit: i + 1, series: 'public gap', value: g }));
  (m.gap_contributions || []).forEach((row, i) => row.forEach((v, k) => {
    values.push({ visit: i + 1, series: names[k] || `party ${k}`, value: v });
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    height: 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'visit', type: 'quantitative', title: 'visit', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
      y: { field: 'value', type: 'quantitative', title: 'gap', scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      strokeDash: { condition: { test: "datum.series === 'public gap'", value: [1, 0] }, value: [4, 3] },
      strokeWidth: { condition: { test: "datum.series === 'public gap'", value: 3 }, value: 1.5 },
      tooltip: [{ field: 'series' }, { field: 'visit' }, { field: 'value', format: '.3f' }],
    },
  };
}

function renderGap() {
  const m = state.console;
  if (!changed('gap', JSON.stringify([m.gap_by_visit, m.gap_contributions]))) return;
  const names = m.parties.map((p) => p.name);
  if (!m.gap_by_visit.length) {
    fill('gap-table', el('p', { class: 'muted' }, 'The gap is measured after each completed visit.'));
    return;
  }
  chart('gap-chart', gapSpec(m, names),
    `Gap over ${m.gap_by_visit.length} visits: the public gap and each party's contribution. ` +
    `Last public gap ${fmtNumber(m.gap_by_visit[m.gap_by_visit.length - 1])}.`);
  const rows = m.gap_by_visit.map((g, i) => el('tr', {}, el('th', { scope: 'row' }, String(i + 1)), el('td', {}, fmtNumber(g, 3)),
    (m.gap_contributions[i] || []).map((v) => el('td', {}, fmtNumber(v, 3)))));
  fill('gap-table', el('details', {}, el('summary', {}, 'The figures'), el('div', { class: 'scroll' },
    el('table', { class: 'kv' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'visit'), el('th', { scope: 'col' }, 'gap'),
      names.map((n) => el('th', { scope: 'col' }, n)))), el('tbody', {}, rows)))));
}

function renderStatements() {
  const list = state.events.filter((e) => e.type === 'statement');
  if (!changed('statements', String(list.length))) return;
  refreshList(document.getElementById('statements'), () => (list.length ? el('ol', { class: 'statements scroll-y', reversed: true, tabindex: 0, 'aria-label': 'Statements, newest first' }, list.slice().reverse().map((e) => el('li', {},
    el('span', { class: 'meta' }, `visit ${e.visit} · ${e.service ? 'mediator' : 'automatic'} · ${fmtTime(e.at)}`), e.text)))
    : el('p', { class: 'muted' }, 'None yet.')));
}

function renderDiagnosis() {
  const d = state.console.diagnosis;
  if (!changed('diagnosis', JSON.stringify(d))) return;
  fill('diagnosis', d ? diagnosisView(d, state.session)
    : el('p', { class: 'muted' }, 'No impasse diagnosed: the mediator diagnoses when the talks stall or hit red lines.'));
}

function answerLine(a) {
  const d = a.data || {};
  if (a.type === 'accept') return 'accepted';
  if (a.type === 'object') {
    return `objected to ${(d.issues || []).map((i) => (i.could_live_with ? `${i.issue} (could live with ${i.could_live_with.map((v) => `“${v}”`).join(', ') || 'nothing else'})` : i.issue)).join('; ')}${d.below_reservation ? ' — worse than no agreement' : ''}`;
  }
  if (a.type === 'offer') return `counter-proposed ${Object.entries(a.outcome || {}).map(([k, v]) => `${k}: ${v}`).join('; ')}`;
  if (a.type === 'end') return 'walked out';
  return a.type;
}

// One card per party, built once (the note form keeps what the mediator types): its caucus (the
// log of events in that caucus), what it confided, its answers.
function partyCard(p) {
  const headingId = `h-party-${p.party}`;
  const slot = (name) => el('div', { 'data-slot': name });
  return el('section', { class: 'card party-card', 'aria-labelledby': headingId, 'data-party': p.party },
    el('h2', { id: headingId }, `Caucus with ${p.name} `, el('span', { 'data-slot': 'now' })),
    el('h3', {}, 'Model: what it confided'), slot('confided'),
    el('h3', {}, 'Answers by visit'), slot('answers'),
    el('p', { 'data-slot': 'notes' }),
    el('h3', {}, 'The caucus'), slot('timeline'),
    buildPartyNotes(p));
}

function updatePartyCard(card, p) {
  const m = state.console;
  const inCaucus = Boolean(m.caucus && m.caucus.party === p.party);
  const slot = (name) => card.querySelector(`[data-slot="${name}"]`);
  card.classList.toggle('in-caucus', inCaucus);
  slot('now').replaceChildren(...(inCaucus ? [el('span', { class: 'badge live' }, 'in caucus now')] : []));
  slot('confided').replaceChildren(confidedView(p.model.confided, 'Nothing confided yet.'));
  const answers = p.model.answers.slice().reverse();
  refreshList(slot('answers'), () => (answers.length
    ? el('ul', { class: 'plain scroll-y', tabindex: 0, 'aria-label': `${p.name}'s answers, newest first` }, answers.map((a) => el('li', {}, el('span', { class: 'tag' }, `visit ${a.visit}`), ' ', answerLine(a))))
    : el('p', { class: 'muted' }, 'No answer yet.')));
  slot('notes').textContent = `Caucus notes from the party: ${p.model.notes}`;
  const events = state.events.filter((e) => e.audience === 'caucus' && e.party === p.party).slice().reverse();
  refreshList(slot('timeline'), () => timeline(events, 'Nothing yet.', () => p.name));
}

function buildPartyNotes(p) {
  return textForm({
    label: `Note into the caucus with ${p.name}`,
    hint: `Seen by ${p.name} and the mediator's staff only.`,
    button: `Send to ${p.name}`,
    rows: 2,
    send: (text) => api(`${base()}/parties/${p.party}/notes`, { method: 'POST', body: { text } }).then((r) => { state.poller.now(); return r; }),
    done: `Note sent to ${p.name}.`,
  });
}

function renderParties() {
  const m = state.console;
  const key = JSON.stringify([m.parties, m.caucus, state.events.length]);
  if (!changed('parties', key)) return;
  const holder = document.getElementById('parties');
  if (!holder.firstChild) holder.append(el('div', { class: 'grid' }, m.parties.map(partyCard)));
  for (const p of m.parties) updatePartyCard(holder.querySelector(`[data-party="${p.party}"]`), p);
}

// Anonymous notes arrive in batches once their hour is over (in text order, outside the event
// log), so neither their time nor their place says who sent them.
function renderAnonymous() {
  const notes = state.console.anonymous_notes || [];
  if (!changed('anonymous', String(notes.length))) return;
  fill('anonymous', notes.length ? el('ul', { class: 'plain' }, notes.slice().reverse().map((n) => el('li', {},
    el('span', { class: 'tag' }, fmtTime(n.batch)), ' ', n.text))) : el('p', { class: 'muted' }, 'None yet (they arrive in hourly batches).'));
}

async function renderInvitations() {
  const list = await api(`${base()}/invitations`);
  const rows = list.invitations.map((inv) => {
    const revoke = el('button', { type: 'button', class: 'small danger', disabled: inv.revoked || null }, inv.revoked ? 'Revoked' : `Revoke ${inv.label}`);
    revoke.addEventListener('click', async () => {
      if (!window.confirm(`Revoke the invitation “${inv.label}”? Its link stops working for good.`)) return;
      await act(revoke, () => api(`${base()}/invitations/${encodeURIComponent(inv.id)}`, { method: 'DELETE' }), `Revoked ${inv.label}.`);
      renderInvitations().catch(showError);
    });
    return el('tr', {}, el('th', { scope: 'row' }, inv.label), el('td', {}, inv.role), el('td', {}, inv.party_name || '—'), el('td', {}, revoke));
  });
  fill('invitations', el('p', { class: 'hint' }, 'Links carry their token and are shown only when issued.'),
    el('div', { class: 'scroll' }, el('table', { class: 'kv' }, el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'label'), el('th', { scope: 'col' }, 'role'), el('th', { scope: 'col' }, 'party'), el('th', { scope: 'col' }, ''))),
    el('tbody', {}, rows))));
}

function render() {
  renderStatus();
  renderText();
  renderGap();
  renderStatements();
  renderDiagnosis();
  renderParties();
  renderAnonymous();
  document.getElementById('close-talks').disabled = state.console.status !== 'talking';
}

async function step() {
  const [view, events] = await Promise.all([api(`${base()}/mediator`), eventsSince(base(), state.next)]);
  state.console = view;
  state.events.push(...events.events);
  state.next = events.next;
  if (view.status !== state.session.status || view.visit !== state.session.visit) state.session = await api(base());
  render();
}

async function main() {
  const me = await enter(['mediator']);
  if (!me) return;
  state.me = me;
  state.session = await api(base());
  document.title = `Mediator · ${state.session.title} · Shuttle`;
  fill('title', state.session.title);
  fill('who', el('span', { class: 'role' }, 'mediator'),
    `${me.label || 'mediator'} · ${state.session.parties.map((p) => p.name).join(' and ')}`);
  fill('statement', textForm({
    label: 'Statement to the public',
    button: 'Issue public statement',
    rows: 4,
    send: (text) => api(`${base()}/statements`, { method: 'POST', body: { text } }).then((r) => { state.poller.now(); return r; }),
    done: 'Public statement issued.',
  }));
  const close = document.getElementById('close-talks');
  close.addEventListener('click', () => {
    if (!window.confirm('Close the talks without agreement? This cannot be undone.')) return;
    act(close, () => api(`${base()}/close`, { method: 'POST', body: {} }).then((r) => { state.poller.now(); return r; }),
      'The talks are closed.');
  });
  document.querySelector('#h-invitations + details').addEventListener('toggle', (ev) => {
    if (ev.target.open) renderInvitations().catch(showError);
  });
  state.poller = poll(step, 2000);
  listen(base(), state.poller, 2000);
}

main().catch((e) => showError(e));
