// The mediator console: every caucus, the current text, each party's model, the diagnosis, the gap
// chart, public statements, caucus notes, invitations. Renders only what the API returns for this
// page's token.
import {
  api, eventsSince, listen, el, fill, announce, showError, poll, act, enter, statusText, outcomeTable, confidedView,
  diagnosisView, timeline, fmtNumber, fmtTime, fmtValue, chart, textForm, refreshList, isNumeric, rangeText, snapToGrid, describeValueSet,
  agreementRuleWords, biddingRulesWords, biddingRoundWords,
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
  advice: null,
  draftBuilt: false,
  adviceTimer: null,
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
    : m.status === 'talking' ? el('span', { class: 'badge' }, 'Between caucuses')
      : el('span', { class: `badge ${m.status === 'agreement' ? 'ok' : 'bad'}` }, `Ended: ${m.end_reason || m.status}`);
  fill('status', el('span', {}, statusText(m)), stage ? el('span', { class: 'badge' }, `Stage: ${stage}`) : null, badge);
  const party = m.caucus ? m.caucus.party : null;
  if (state.caucusParty !== undefined && party !== state.caucusParty) {
    announce(m.caucus ? `Visit ${m.visit}: now in caucus with ${m.caucus.party_name}.`
      : m.status === 'talking' ? 'The caucus is closed.' : `The talks ended: ${m.end_reason}.`);
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
    return `objected to ${(d.issues || []).map((i) => (i.could_live_with ? `${i.issue} (could live with ${describeValueSet(i.could_live_with)})` : i.issue)).join('; ')}${d.below_reservation ? ' — worse than no agreement' : ''}`;
  }
  if (a.type === 'answer' && d.could_live_with !== undefined) return `answered: could live with ${describeValueSet(d.could_live_with)}`;
  if (a.type === 'answer' && d.bid !== undefined) return `bid ${d.bid} (confidential)`;
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

// ---- The seat (sessions where a person holds the mediator's seat) --------------------------------

const move = (body) => api(`${base()}/mediator/moves`, { method: 'POST', body }).then((r) => { state.poller.now(); return r; });

function seatButton(label, body, done, cls) {
  const b = el('button', { type: 'button', class: cls || null }, label);
  b.addEventListener('click', () => act(b, () => move(typeof body === 'function' ? body() : body), done));
  return b;
}

function issueControl(issue) {
  const id = `draft-${issue.name}`;
  const control = issue.values
    ? el('select', { id, name: issue.name }, issue.values.map((v) => el('option', { value: String(v) }, String(v))))
    : el('input', { id, name: issue.name, type: 'number', min: issue.lower, max: issue.upper, step: issue.step, value: issue.lower,
      inputmode: 'decimal', 'aria-describedby': `${id}-range` });
  const open = el('input', { type: 'checkbox', id: `${id}-open`, name: `${issue.name}-open` });
  control.addEventListener('change', scheduleAdvice);
  open.addEventListener('change', scheduleAdvice);
  return el('div', { class: 'field' }, el('label', { for: id }, issue.name), control,
    isNumeric(issue) ? el('span', { class: 'hint', id: `${id}-range` }, rangeText(issue)) : null,
    el('label', { for: `${id}-open`, class: 'inline' }, open, ' open'));
}

function issueValue(issue, text) {
  return issue.values && typeof issue.values[0] === 'number' ? Number(text) : text;
}

function readDraft() {
  const outcome = {};
  const open = [];
  for (const issue of state.session.issues) {
    const control = document.getElementById(`draft-${issue.name}`);
    if (document.getElementById(`draft-${issue.name}-open`).checked) open.push(issue.name);
    else outcome[issue.name] = isNumeric(issue) ? snapToGrid(issue, Number(control.value)) : issueValue(issue, control.value);
  }
  return { outcome, open };
}

function setDraft(outcome) {
  for (const issue of state.session.issues) {
    if (!(issue.name in outcome)) continue;
    document.getElementById(`draft-${issue.name}`).value = String(outcome[issue.name]);
  }
}

function buildSeat() {
  const issues = state.session.issues;
  const draft = document.getElementById('draft');
  draft.replaceChildren(...issues.map(issueControl),
    el('label', { for: 'draft-words' }, 'Words with the text (optional)'),
    el('textarea', { id: 'draft-words', rows: 2, maxlength: 4000 }));
  draft.addEventListener('submit', (ev) => ev.preventDefault());
  const put = seatButton('Put this text', () => {
    const { outcome, open } = readDraft();
    const words = document.getElementById('draft-words').value.trim();
    const body = { move: 'text', outcome };
    if (open.length) body.open = open;
    if (words) body.words = words;
    return body;
  }, 'Text put to the party.');
  put.id = 'put-text';
  const invite = seatButton('Invite a proposal (no text)', { move: 'text' }, 'The party is invited to propose.');
  invite.id = 'invite';
  fill('draft-actions', put, invite);
  const kinds = [['live_with', 'Could you live with these values?'], ['rank', 'Rank the values of an issue'],
    ['red_line', 'What is your red line on an issue?'], ['words', 'A question in words']];
  if (state.session.bidding) kinds.push(['bid', `Their bid on ${state.session.bidding.issue} (the bidding stage)`]);
  const kind = el('select', { id: 'ask-kind' }, kinds.map(([v, t]) => el('option', { value: v }, t)));
  const issue = el('select', { id: 'ask-issue' }, issues.map((i) => el('option', { value: i.name }, i.name)));
  const values = el('input', { id: 'ask-values', type: 'text', placeholder: 'values, comma-separated' });
  const words = el('input', { id: 'ask-words', type: 'text', maxlength: 4000 });
  const atLeast = el('input', { id: 'ask-at-least', type: 'number', inputmode: 'decimal' });
  const atMost = el('input', { id: 'ask-at-most', type: 'number', inputmode: 'decimal' });
  const range = el('div', { class: 'row', hidden: true }, el('label', { for: 'ask-at-least' }, 'At least (optional)'), atLeast,
    el('label', { for: 'ask-at-most' }, 'At most (optional)'), atMost, el('span', { class: 'hint', id: 'ask-range' }));
  const valuesRow = el('div', { class: 'stack' }, el('label', { for: 'ask-values' }, 'Values (for “could you live with”)'), values);
  // A numeric issue is asked about as a range of numbers, a discrete one as a list of values.
  const showRange = () => {
    const spec = issues.find((i) => i.name === issue.value);
    const numeric = isNumeric(spec);
    range.hidden = !numeric;
    valuesRow.hidden = numeric;
    if (numeric) {
      for (const input of [atLeast, atMost]) Object.assign(input, { min: spec.lower, max: spec.upper, step: spec.step });
      range.querySelector('#ask-range').textContent = rangeText(spec);
    }
  };
  issue.addEventListener('change', showRange);
  // A bid is asked for on the bidding issue, with nothing else to say but words.
  kind.addEventListener('change', () => {
    const bid = kind.value === 'bid';
    if (bid) issue.value = state.session.bidding.issue;
    issue.disabled = bid;
    showRange();
    if (bid) range.hidden = valuesRow.hidden = true;
  });
  const ask = seatButton('Ask', () => {
    const q = { kind: kind.value };
    if (kind.value === 'words') q.words = words.value.trim();
    else if (kind.value === 'bid') q.issue = state.session.bidding.issue;
    else q.issue = issue.value;
    if (kind.value === 'live_with') {
      const spec = issues.find((i) => i.name === issue.value);
      if (isNumeric(spec)) {
        q.values = {};
        if (atLeast.value !== '') q.values.at_least = snapToGrid(spec, Number(atLeast.value));
        if (atMost.value !== '') q.values.at_most = snapToGrid(spec, Number(atMost.value));
      } else {
        q.values = values.value.split(',').map((v) => v.trim()).filter(Boolean).map((v) => issueValue(spec, v));
      }
    }
    if (kind.value !== 'words' && words.value.trim()) q.words = words.value.trim();
    return { move: 'ask', question: q };
  }, 'Question asked.');
  ask.id = 'ask-button';
  document.getElementById('ask').replaceChildren(
    el('label', { for: 'ask-kind' }, 'Question'), kind, el('label', { for: 'ask-issue' }, 'Issue'), issue,
    valuesRow, range,
    el('label', { for: 'ask-words' }, 'Words'), words, el('div', {}, ask));
  showRange();
  document.getElementById('ask').addEventListener('submit', (ev) => ev.preventDefault());
  state.draftBuilt = true;
}

function scheduleAdvice() {
  clearTimeout(state.adviceTimer);
  state.adviceTimer = setTimeout(() => refreshAdvice(false).catch(showError), 150);
}

async function refreshAdvice(prefill) {
  const { outcome, open } = readDraft();
  const complete = open.length === 0;
  const r = await api(`${base()}/mediator/advice`, { method: 'POST', body: prefill || !complete ? {} : { draft: outcome } });
  state.advice = r.advice;
  if (prefill) setDraft(r.advice.draft);
  renderAdvice();
}

function adviceSpec(a, names) {
  const values = a.frontier.map((u) => ({ x: u[0], y: u[1], what: 'frontier (model)' }));
  const drafted = a.forecasts;
  values.push({ x: drafted[0].utility, y: drafted[1].utility, what: 'draft' });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    height: 240,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values },
    mark: { type: 'point', filled: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: `${names[0]} (model: 1 best, 0 reservation)` },
      y: { field: 'y', type: 'quantitative', title: `${names[1]} (model)` },
      color: { field: 'what', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      size: { condition: { test: "datum.what === 'draft'", value: 160 }, value: 30 },
      tooltip: [{ field: 'what' }, { field: 'x', format: '.2f' }, { field: 'y', format: '.2f' }],
    },
  };
}

function renderAdvice() {
  const a = state.advice;
  if (!a) return;
  const names = state.session.parties.map((p) => p.name);
  const rows = a.forecasts.map((f) => el('tr', {}, el('th', { scope: 'row' }, f.party),
    el('td', { 'data-forecast': f.party }, f.accepts ? 'likely accepts' : `likely objects${f.objections.length ? ` (${f.objections.join(', ')})` : ''}`),
    el('td', {}, fmtNumber(f.accept_probability)),
    el('td', {}, `${fmtNumber(f.utility)} [${fmtNumber(f.utility_low)}, ${fmtNumber(f.utility_high)}]`),
    el('td', {}, fmtNumber(f.aspiration)),
    el('td', {}, f.crosses_line ? 'crosses a red line' : '')));
  const use = Object.entries(a.suggestions).map(([criterion, outcome]) => {
    const b = el('button', { type: 'button', class: 'small' }, `Use the ${criterion} text`);
    b.addEventListener('click', () => { setDraft(outcome); scheduleAdvice(); });
    return b;
  });
  let improvement = null;
  if (a.improvement) {
    const b = el('button', { type: 'button', class: 'small' }, 'Take this improvement');
    b.addEventListener('click', () => { setDraft(a.improvement.outcome); scheduleAdvice(); });
    improvement = el('p', {}, `Better for some, worse for none (model): ${Object.entries(a.improvement.outcome)
      .filter(([k, v]) => a.draft[k] !== v).map(([k, v]) => `${k} → ${v}`).join('; ')} `, b);
  }
  fill('advice',
    el('div', { class: 'scroll' }, el('table', { class: 'kv', id: 'forecasts' }, el('thead', {}, el('tr', {}, ['party', 'forecast', 'chance', 'utility [range]', 'aspiration', ''].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows))),
    el('p', {}, `Distance from the model's frontier: ${fmtNumber(a.frontier_distance)}. See next: ${a.next.party} — ${a.next.reason}.`),
    improvement,
    el('div', { class: 'actions' }, use));
  if (names.length === 2 && a.frontier.length) {
    chart('advice-chart', adviceSpec(a, names), `The model's frontier and the draft: ${names[0]} ${fmtNumber(a.forecasts[0].utility)}, ${names[1]} ${fmtNumber(a.forecasts[1].utility)}.`);
  }
}

// Whether the open stage is the bidding stage (options.bidding).
function atBidding() {
  const b = state.session.bidding;
  return Boolean(b && state.console.status === 'talking' && state.console.stage === b.stage);
}

// The bidding step: its rules, and each round's bids as the seat heard them in caucus (a bid
// reaches no one else) with the table's result.
function renderBidding() {
  const b = state.session.bidding;
  const card = document.getElementById('bidding-card');
  card.hidden = !b;
  if (!b) return;
  const results = new Map();
  const bids = new Map();
  for (const e of state.events) {
    const d = e.data || {};
    if (e.type === 'note' && d.bidding) results.set(d.bidding.round, d.bidding);
    else if (e.type === 'answer' && d.bid !== undefined) {
      const round = results.size + 1;
      if (!bids.has(round)) bids.set(round, {});
      bids.get(round)[e.actor] = d.bid;
    }
  }
  if (!changed('bidding', JSON.stringify([[...results], [...bids], state.console.stage]))) return;
  const rounds = Math.max(results.size, ...bids.keys(), 0);
  const rows = [];
  for (let r = 1; r <= rounds; r++) {
    const heard = bids.get(r) || {};
    const result = results.get(r);
    rows.push(el('tr', { 'data-round': r }, el('th', { scope: 'row' }, String(r)),
      el('td', {}, fmtValue(heard[b.respondent])), el('td', {}, fmtValue(heard[b.claimant])),
      el('td', { 'data-round-result': r }, result ? biddingRoundWords(result) : 'in progress')));
  }
  fill('bidding',
    el('p', {}, `The last stage settles ${b.issue} by blind bidding. `, biddingRulesWords(b)),
    el('p', {}, atBidding() ? `The bidding stage is open: round ${results.size + 1} of ${b.rounds}.`
      : results.size ? '' : 'The bidding stage opens once every other stage is settled.'),
    rounds ? el('div', { class: 'scroll' }, el('table', { class: 'kv', id: 'bidding-rounds' },
      el('caption', {}, 'Bids heard in caucus — confidential: a party\'s bid is never shown to the other party or the public.'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'round'), el('th', { scope: 'col' }, `${b.respondent}'s offer`),
        el('th', { scope: 'col' }, `${b.claimant}'s demand`), el('th', { scope: 'col' }, 'result'))),
      el('tbody', {}, rows))) : null);
}

function renderSeat() {
  const m = state.console;
  const seat = document.getElementById('seat');
  seat.hidden = !m.seated;
  if (!m.seated) return;
  if (!state.draftBuilt) {
    buildSeat();
    refreshAdvice(true).catch(showError);
  }
  const key = JSON.stringify([m.can, m.caucus, m.floor, m.visit, m.stage]);
  if (!changed('seat', key)) return;
  const inCaucus = Boolean(m.caucus);
  fill('seat-now', m.status !== 'talking' ? `The talks have ended (${m.end_reason}).`
    : inCaucus ? `In caucus with ${m.caucus.party_name}. The floor: ${m.floor}.` : `No caucus open. Visit ${m.visit}.`);
  const can = new Set(m.can);
  fill('seat-parties', m.parties.map((p) => {
    const b = seatButton(`Open a caucus with ${p.name}`, { move: 'open', party: p.party }, `Caucus with ${p.name} opened.`);
    b.disabled = !can.has('open');
    return b;
  }));
  // At the bidding stage the table takes bids, not texts: the seat asks each party for its bid.
  const bidding = atBidding();
  document.getElementById('put-text').disabled = !can.has('text') || bidding;
  document.getElementById('invite').disabled = !can.has('text') || bidding;
  document.getElementById('ask-button').disabled = !can.has('ask');
  const closed = document.getElementById('texts-closed');
  closed.hidden = !bidding;
  closed.textContent = bidding ? `Texts are closed at this stage: ${state.session.bidding.issue} is settled by blind bidding. ` +
    'Open a caucus, ask the party for its bid (Ask: “Their bid”), leave, and end the round once both have bid; ' +
    'the table applies the rule.' : '';
  const kind = document.getElementById('ask-kind');
  if (bidding && state.keys.bidKind !== true) {
    kind.value = 'bid';
    kind.dispatchEvent(new Event('change'));
  }
  state.keys.bidKind = bidding;
  const leave = seatButton('Leave the caucus', { move: 'leave' }, 'Caucus closed.');
  leave.disabled = !can.has('leave');
  const round = seatButton(bidding ? 'End the bidding round' : 'End the round', { move: 'round' },
    bidding ? 'Bidding round ended: the table applied the rule.' : 'Round ended.');
  round.disabled = !can.has('round');
  const settle = seatButton('Settle the stage', { move: 'settle' }, 'Stage settled.');
  settle.disabled = !can.has('settle') || bidding;
  const close = seatButton('Close the talks', { move: 'close' }, 'The talks are closed.', 'danger');
  close.disabled = !can.has('close');
  fill('seat-moves', leave, round, settle, close);
  if (m.status === 'talking') scheduleAdvice();
}

function render() {
  renderSeat();
  renderBidding();
  renderStatus();
  renderText();
  renderGap();
  renderStatements();
  renderDiagnosis();
  renderParties();
  renderAnonymous();
  document.getElementById('close-talks').disabled = state.console.status !== 'talking';
  // With a seat, closing is one of its moves (above), which ends in agreement once all is settled.
  document.getElementById('end-talks').hidden = Boolean(state.console.seated);
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
  const rule = agreementRuleWords(state.session);
  fill('rules', rule ? el('p', { id: 'agreement-rule' }, rule) : null);
  fill('statement', textForm({
    label: 'Statement to the public',
    button: 'Issue public statement',
    rows: 4,
    // In a seated session a statement is the seat's move (in the mediation's own log).
    send: (text) => (state.console && state.console.seated ? move({ move: 'statement', text })
      : api(`${base()}/statements`, { method: 'POST', body: { text } }).then((r) => { state.poller.now(); return r; })),
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
