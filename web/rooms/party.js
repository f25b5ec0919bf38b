// The party room: the current text, accept or object per issue, counter-propose, confide
// preferences, caucus notes. Renders only what the API returns for this page's token.
import {
  api, eventsSince, listen, el, fill, nextId, announce, showError, poll, act, enter, statusText, outcomeTable, openIssues,
  deferredIssues, confidedView, diagnosisView, timeline, fmtNumber, describeRedLine, textForm, refreshList,
  isNumeric, rangeText, snapToGrid, interpolate, describeValues, questionWords, agreementRuleWords, biddingRulesWords,
} from './common.js';

const state = {
  me: null,
  session: null,
  profile: null,
  caucus: null,
  events: [],
  next: 0,
  keys: {},
  wasInCaucus: null,
  poller: null,
};

const base = () => `api/sessions/${encodeURIComponent(state.me.session)}`;
const partyBase = () => `${base()}/parties/${state.me.party}`;

// Renders `render()` into nothing unless `key` changed since the last call for `name`.
function changed(name, key) {
  if (state.keys[name] === key) return false;
  state.keys[name] = key;
  return true;
}

// ---- status and text ----

// Whether a person in the mediator's seat holds a caucus with this party while it is the mediator's
// turn (after an answer it may ask again, put a text or leave): the caucus's last open or leave
// event says so. Without a seat there are no such events.
function mediatorHere() {
  const last = state.events.filter((e) => e.type === 'open' || e.type === 'leave').at(-1);
  return Boolean(last && last.type === 'open');
}

function renderStatus() {
  const c = state.caucus;
  const over = c.status !== 'talking';
  const here = !c.in_caucus && mediatorHere();
  const badge = over
    ? el('span', { class: `badge ${c.status === 'agreement' ? 'ok' : 'bad'}` }, c.status === 'agreement' ? 'Agreement' : 'Talks ended')
    : c.in_caucus || here
      ? el('span', { class: 'badge live' }, 'The mediator is in caucus with you')
      : el('span', { class: 'badge' }, 'The mediator is with another party');
  if (!changed('status', JSON.stringify([c.visit, c.status, c.in_caucus, here]))) return;
  fill('status', el('span', {}, statusText(c)), badge);
  if (state.wasInCaucus !== null && c.in_caucus && !state.wasInCaucus) {
    announce(`The mediator is in caucus with you (visit ${c.visit}). ${c.question ? 'It asks you a question.' : 'You may answer the text now.'}`);
  } else if (over && state.wasInCaucus !== null && state.keys.over !== true) {
    announce(c.status === 'agreement' ? 'The talks ended with an agreement.' : 'The talks ended without agreement.');
  }
  state.keys.over = over;
  state.wasInCaucus = c.in_caucus;
}

function renderText() {
  const c = state.caucus;
  const s = state.session;
  if (!changed('text', JSON.stringify([c.text, c.utility, c.adopted, s.agreement, c.status]))) return;
  const parts = [];
  if (s.agreement) parts.push(outcomeTable(s.agreement, s, 'Agreed'));
  if (c.text) {
    parts.push(outcomeTable(c.text, s, 'The text the mediator put to you'));
    if (c.utility !== null && c.utility !== undefined) {
      const rv = state.profile ? state.profile.reservation_value : null;
      parts.push(el('p', {}, `By your briefing this text is worth ${fmtNumber(c.utility)} to you`,
        rv !== null ? ` (your reservation value: ${fmtNumber(rv)}).` : '.'));
    }
  } else {
    parts.push(el('p', {}, 'The mediator has not put a text to you yet. At the opening caucus you may confide, ' +
      'open with a counter-proposal, or leave the drafting to the mediator.'));
  }
  if (c.adopted) parts.push(outcomeTable(c.adopted, s, 'Adopted: the stage is settled on this text'));
  fill('text', parts);
}

// The rules of the table every party may know: what a deal needs, how the last issue is bid on.
function renderRules() {
  const s = state.session;
  const rule = agreementRuleWords(s);
  fill('rules',
    rule ? el('p', { id: 'agreement-rule' }, rule) : null,
    s.bidding ? el('p', { id: 'bidding-rules' }, `The last issue, ${s.bidding.issue}, is settled by blind bidding once the rest is agreed. `,
      biddingRulesWords(s.bidding, state.me.party_name), ' Your bids are never shown to the other side.') : null);
}

// ---- answer ----

// Loss of the text's value on an issue by the party's own briefing (for worst-first order).
function loss(issueName, value) {
  const p = state.profile;
  if (!p || !p.weights || !p.values || !p.values[issueName]) return 0;
  const points = ownPoints(issueName);
  if (points) {
    const best = Math.max(...points.map(([, v]) => v));
    return (p.weights[issueName] || 0) * (best - interpolate(points, Number(value)));
  }
  const vs = Object.values(p.values[issueName]);
  const best = Math.max(...vs);
  const have = p.values[issueName][String(value)];
  return (p.weights[issueName] || 0) * (best - (have === undefined ? best : have));
}

// The party's own value function of a numeric issue as points [[x, v], ...] (its briefing), or null.
function ownPoints(issueName) {
  const vs = state.profile && state.profile.values ? state.profile.values[issueName] : null;
  return vs && Array.isArray(vs.piecewise) ? vs.piecewise : null;
}

// A labelled number input for a numeric issue, with its range as text and, from the party's own
// briefing, the worth of the typed number (updated as it is typed).
function numberField(issue, label, attrs = {}) {
  const id = nextId('num');
  const rangeId = nextId('range');
  const points = ownPoints(issue.name);
  const worth = points ? el('span', { class: 'worth', 'data-worth': issue.name, 'aria-live': 'polite' }) : null;
  const input = el('input', {
    type: 'number', id, min: issue.lower, max: issue.upper, step: issue.step, inputmode: 'decimal',
    'aria-describedby': rangeId, ...attrs,
  });
  const show = () => {
    if (!worth) return;
    worth.textContent = input.value === '' ? '' : `worth ${fmtNumber(interpolate(points, Number(input.value)))} to you`;
  };
  input.addEventListener('input', show);
  show();
  const field = el('span', { class: 'number-field' }, el('label', { for: id }, label), input,
    el('span', { class: 'hint', id: rangeId }, rangeText(issue)), worth);
  field.input = input;
  field.show = show;
  return field;
}

function valuesOf(issue) {
  return issue.values ? issue.values.map(String) : null;
}

function answerForm(c) {
  const s = state.session;
  const issues = openIssues(s);
  const rows = issues.map((issue) => {
    const current = String(c.text[issue.name]);
    const name = nextId('ans');
    const okId = nextId('ok');
    const noId = nextId('no');
    const others = (valuesOf(issue) || []).filter((v) => v !== current);
    const livable = isNumeric(issue) ? el('fieldset', { class: 'livable', hidden: true },
      el('legend', {}, `Numbers of “${issue.name}” you could live with (optional)`),
      el('div', { class: 'row' },
        numberField(issue, 'at least', { 'data-live-at-least': issue.name }),
        numberField(issue, 'at most', { 'data-live-at-most': issue.name })))
      : el('fieldset', { class: 'livable', hidden: true },
      el('legend', {}, `Values of “${issue.name}” you could live with (optional)`),
      el('div', { class: 'row' }, others.map((v) => {
        const id = nextId('live');
        return el('span', { class: 'choice' }, el('input', { type: 'checkbox', id, value: v, 'data-livable': issue.name }),
          el('label', { for: id }, v));
      })));
    const toggle = (ev) => { livable.hidden = ev.target.value !== 'object'; };
    return el('div', { class: 'issue-answer', 'data-issue': issue.name },
      el('div', {}, el('span', { class: 'issue-name', id: `${name}-label` }, issue.name), ': ', el('span', { class: 'value' }, current)),
      el('div', { class: 'row', role: 'radiogroup', 'aria-labelledby': `${name}-label` },
        el('span', { class: 'choice' }, el('input', { type: 'radio', name, id: okId, value: 'accept', checked: true, onchange: toggle }),
          el('label', { for: okId }, 'Acceptable')),
        el('span', { class: 'choice' }, el('input', { type: 'radio', name, id: noId, value: 'object', onchange: toggle, 'data-object': issue.name }),
          el('label', { for: noId }, 'Object'))),
      livable);
  });
  const belowId = nextId('below');
  const below = el('input', { type: 'checkbox', id: belowId });
  const accept = el('button', { type: 'button', id: 'accept-text' }, 'Accept the whole text');
  const object = el('button', { type: 'button', id: 'send-objections', class: 'secondary' }, 'Send objections');
  accept.addEventListener('click', () => act(accept, () => move('accept', {}), 'You accepted the text. The mediator will carry on.'));
  object.addEventListener('click', () => {
    const named = [];
    for (const row of rows) {
      const issue = row.dataset.issue;
      if (!row.querySelector('input[data-object]').checked) continue;
      const spec = s.issues.find((i) => i.name === issue);
      if (isNumeric(spec)) {
        const range = {};
        const least = row.querySelector('input[data-live-at-least]').value;
        const most = row.querySelector('input[data-live-at-most]').value;
        if (least !== '') range.at_least = snapToGrid(spec, Number(least));
        if (most !== '') range.at_most = snapToGrid(spec, Number(most));
        named.push({ issue, ...(Object.keys(range).length ? { could_live_with: range } : {}) });
        continue;
      }
      const live = [...row.querySelectorAll('input[data-livable]:checked')].map((x) => x.value);
      named.push({ issue, ...(live.length ? { could_live_with: live } : {}) });
    }
    if (!named.length) {
      showError(new Error('Mark at least one issue “Object”, or accept the whole text.'));
      return;
    }
    named.sort((a, b) => loss(b.issue, c.text[b.issue]) - loss(a.issue, c.text[a.issue]));
    const body = { issues: named };
    if (below.checked) body.below_reservation = true;
    act(object, () => move('object', body), `You objected to ${named.map((x) => x.issue).join(', ')}.`);
  });
  return el('div', { class: 'stack' },
    el('p', { class: 'hint' }, 'Mark each issue acceptable or not. Objections are sent worst first by your briefing; ' +
      'only the mediator and its staff see them.'),
    el('div', {}, rows),
    el('div', { class: 'choice' }, below, el('label', { for: belowId }, 'As a whole this text is worse than no agreement for us')),
    el('div', { class: 'actions' }, accept, object));
}

// ---- the mediator's question ----

// The controls of a live-with answer and how to read them: for an integer or real issue a range
// (at least / at most, snapped to the issue's grid), for a discrete one a box per value asked.
function liveWithControls(q, issue) {
  if (isNumeric(issue)) {
    const least = numberField(issue, 'at least', { 'data-answer-at-least': issue.name });
    const most = numberField(issue, 'at most', { 'data-answer-at-most': issue.name });
    const node = el('fieldset', {}, el('legend', {}, `Numbers of “${issue.name}” you could live with`),
      el('p', { class: 'hint' }, 'Leave a side empty for no limit on that side. ' +
        'Leave both empty if you could live with none of the numbers asked about.'),
      el('div', { class: 'row' }, least, most));
    const read = () => {
      const range = {};
      if (least.input.value !== '') range.at_least = snapToGrid(issue, Number(least.input.value));
      if (most.input.value !== '') range.at_most = snapToGrid(issue, Number(most.input.value));
      if (range.at_least > range.at_most) throw new Error(`“At least” ${range.at_least} is above “at most” ${range.at_most}.`);
      return { could_live_with: Object.keys(range).length ? range : [] };
    };
    return { node, read };
  }
  const asked = Array.isArray(q.values) ? q.values.map(String) : valuesOf(issue) || [];
  const node = el('fieldset', {}, el('legend', {}, `Values of “${issue.name}” you could live with`),
    el('p', { class: 'hint' }, 'Tick none if you could live with none of them.'),
    el('div', { class: 'row' }, asked.map((v) => {
      const id = nextId('qlive');
      return el('span', { class: 'choice' }, el('input', { type: 'checkbox', id, value: v, 'data-answer-livable': issue.name }),
        el('label', { for: id }, v));
    })));
  const read = () => ({ could_live_with: [...node.querySelectorAll('input:checked')].map((x) => x.value) });
  return { node, read };
}

// The round of blind bidding now: one more than the rounds whose result this caucus has heard.
function biddingRound() {
  return state.events.filter((e) => e.type === 'note' && e.data && e.data.bidding).length + 1;
}

// A bid: one number of the issue, snapped to its grid.
function bidControls(issue) {
  const b = state.session.bidding;
  const field = numberField(issue, b && b.claimant === state.me.party_name ? 'Your demand' : 'Your bid',
    { 'data-answer-bid': issue.name, required: true });
  const read = () => {
    if (field.input.value === '') throw new Error('Give your bid, or decline to answer.');
    return { bid: snapToGrid(issue, Number(field.input.value)) };
  };
  return { node: field, read };
}

// The controls that answer a question of this kind on `issue`, and how to read them.
function answerControls(q, issue) {
  if (q.kind === 'bid') return bidControls(issue);
  if (q.kind === 'live_with') return liveWithControls(q, issue);
  if (q.kind === 'rank' && issue.values) {
    const list = rankingList(issue);
    return {
      node: el('div', {}, el('p', { class: 'hint' }, 'Best first. Use the up and down buttons.'), list),
      read: () => ({ ranking: [...list.children].map((li) => li.dataset.value) }),
    };
  }
  if (q.kind === 'red_line') {
    const row = redLineRow([issue], null, { removable: false });
    return { node: row, read: () => ({ red_line: readRedLine(row, 'Your red line') }) };
  }
  if (q.kind === 'rank') {
    return { node: el('p', { class: 'hint' }, 'A range of numbers has no ranking to give: decline, and say why in words.'), read: null };
  }
  return { node: null, read: () => ({}) };
}

// The answer to the mediator's question: by its kind, words (optional unless asked in words), or a
// refusal (with the words, if any, as its reason).
function questionForm(q) {
  const issue = q.issue ? state.session.issues.find((i) => i.name === q.issue) : null;
  const { node, read } = q.kind === 'words' || !issue ? { node: null, read: () => ({}) } : answerControls(q, issue);
  const wordsId = nextId('qwords');
  const words = el('textarea', { id: wordsId, rows: 2, maxlength: 4000, 'data-answer-words': true });
  const send = el('button', { type: 'button', id: 'send-answer' }, 'Answer');
  const decline = el('button', { type: 'button', id: 'decline-question', class: 'secondary' }, 'Decline to answer');
  const none = q.kind === 'red_line' ? el('button', { type: 'button', id: 'no-red-line', class: 'secondary' }, `I have no red line on ${q.issue}`) : null;
  const withWords = (body) => {
    const w = words.value.trim();
    return w ? { ...body, words: w } : body;
  };
  send.addEventListener('click', () => {
    let body;
    try {
      body = withWords(read());
      if (q.kind === 'words' && !body.words) throw new Error('Write your answer first, or decline to answer.');
    } catch (e) {
      showError(e);
      return;
    }
    act(send, () => move('answer', body), body.bid !== undefined ? `You bid ${body.bid}.` : 'You answered the mediator.');
  });
  if (!read) send.hidden = true;
  decline.addEventListener('click', () => act(decline, () => move('answer', withWords({ declined: true })), 'You declined to answer.'));
  none?.addEventListener('click', () => act(none, () => move('answer', withWords({ red_line: null })), 'You said you have no red line there.'));
  const b = state.session.bidding;
  const rules = q.kind === 'bid' && b
    ? el('p', { id: 'bid-rules' }, `${biddingRulesWords(b, state.me.party_name)} Round ${biddingRound()} of ${b.rounds}.`)
    : null;
  return el('div', { class: 'stack', 'data-question': q.kind },
    el('p', {}, el('strong', {}, 'The mediator asks: '), el('span', { id: 'question-words' }, questionWords(q))),
    q.kind === 'live_with' ? el('p', { class: 'hint' }, 'The rest of the text as it stands.') : null,
    rules,
    issue && isNumeric(issue) ? el('p', { class: 'hint' }, `${issue.name} runs from ${rangeText(issue)}.`) : null,
    node,
    el('label', { for: wordsId }, q.kind === 'words' ? 'Your answer' : 'Words (optional)'), words,
    el('p', { class: 'hint' }, q.kind === 'bid'
      ? 'Your bid is never shown to the other side, nor to the public: only the mediator and its staff hear it.'
      : 'Only the mediator and its staff see your answer.'),
    el('div', { class: 'actions' }, send, none, decline));
}

function counterForm(c, open) {
  const s = state.session;
  const deferred = deferredIssues(s);
  const inputs = [];
  const rows = s.issues.filter((i) => !deferred.has(i.name)).map((issue) => {
    const id = nextId('counter');
    const values = valuesOf(issue);
    let preset = c.text ? String(c.text[issue.name]) : null;
    const points = ownPoints(issue.name);
    if (preset === null && points) {
      preset = String(points.reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
    } else if (preset === null && state.profile && state.profile.values && state.profile.values[issue.name]) {
      const vs = state.profile.values[issue.name];
      preset = Object.keys(vs).reduce((a, b) => (vs[b] > vs[a] ? b : a));
    }
    if (!values) {
      const field = numberField(issue, issue.name, { 'data-issue': issue.name, value: preset ?? issue.lower });
      field.show();
      inputs.push({ issue, input: field.input });
      return el('div', { class: 'row' }, field);
    }
    const input = el('select', { id, 'data-issue': issue.name }, values.map((v) => el('option', { value: v, selected: v === preset }, v)));
    inputs.push({ issue, input });
    return el('div', { class: 'row' }, el('label', { for: id }, issue.name), input);
  });
  const send = el('button', { type: 'button', id: 'send-counter', class: 'secondary' }, 'Counter-propose');
  send.addEventListener('click', () => {
    const outcome = {};
    for (const issue of s.issues) {
      const first = issue.values ? issue.values[0] : issue.lower;
      outcome[issue.name] = c.text ? c.text[issue.name] : first;
    }
    for (const { issue, input } of inputs) {
      outcome[issue.name] = issue.type === 'discrete' ? input.value : snapToGrid(issue, Number(input.value));
    }
    act(send, () => move('counter', { outcome }), 'You counter-proposed a text.');
  });
  return el('details', { open: open || null },
    el('summary', {}, c.text ? 'Counter-propose a different text' : 'Open with a counter-proposal'),
    el('div', { class: 'stack' }, rows, el('div', { class: 'actions' }, send)));
}

function walkOut() {
  const go = el('button', { type: 'button', class: 'danger', id: 'walk-out' }, 'Walk out of the talks');
  go.addEventListener('click', () => {
    if (!window.confirm('Walk out? The talks end without agreement for every party.')) return;
    act(go, () => move('walk-out', {}), 'You walked out. The talks have ended.');
  });
  return el('details', {}, el('summary', {}, 'Walk out'),
    el('p', { class: 'hint' }, 'Only a principal may walk out. It ends the talks for everyone, without agreement.'), go);
}

function renderAnswer() {
  const c = state.caucus;
  const key = JSON.stringify([c.visit, c.in_caucus, c.text, c.can, c.status, c.question, mediatorHere()]);
  if (!changed('answer', key)) return;
  const can = new Set(c.can);
  const parts = [];
  if (c.status !== 'talking') {
    parts.push(el('p', {}, 'The talks are over.'));
  } else if (!c.in_caucus && mediatorHere()) {
    parts.push(el('p', { id: 'mediator-turn' }, 'The mediator is in caucus with you and has the floor: it may ask you ' +
      'something, put a text to you or leave. This page updates by itself.'));
  } else if (!c.in_caucus) {
    parts.push(el('p', {}, 'The mediator is in caucus with another party. This page updates by itself when the mediator ' +
      'returns to you.'));
  } else if (c.question && can.has('answer')) {
    parts.push(questionForm(c.question));
    if (can.has('walk_out')) parts.push(walkOut());
  } else if (c.question) {
    parts.push(el('p', {}, `The mediator asks your party: ${questionWords(c.question)} ` +
      'As an adviser you may confide and write notes; your principal or negotiator answers.'));
  } else if (!can.has('accept')) {
    parts.push(el('p', {}, 'The mediator is in caucus with your party. As an adviser you may confide and write notes; ' +
      'your principal or negotiator answers the text.'));
  } else {
    if (c.text && can.has('object')) parts.push(answerForm(c));
    if (!c.text) {
      const accept = el('button', { type: 'button', id: 'accept-text' }, 'Let the mediator draft the text');
      accept.addEventListener('click', () => act(accept, () => move('accept', {}), 'You left the drafting to the mediator.'));
      parts.push(el('p', { class: 'hint' }, 'Confide first if you wish (below), then answer.'), el('div', { class: 'actions' }, accept));
    }
    if (can.has('counter')) parts.push(counterForm(c, false));
    if (can.has('walk_out')) parts.push(walkOut());
  }
  fill('answer', parts);
}

async function move(kind, body) {
  const result = await api(`${partyBase()}/${kind}`, { method: 'POST', body });
  if (result && result.caucus) {
    state.caucus = result.caucus;
    render();
  }
  state.poller.now();
  return result;
}

// ---- confide ----

function numberInput(id, value, attrs = {}) {
  return el('input', { type: 'number', id, min: 0, max: 1, step: 0.05, value: value ?? '', inputmode: 'decimal', ...attrs });
}

function includeBox(label, id) {
  return el('span', { class: 'choice' }, el('input', { type: 'checkbox', id }), el('label', { for: id }, label));
}

function weightsSection(issues) {
  const rows = issues.map((issue) => {
    const id = nextId('w');
    return el('div', { class: 'field' }, el('label', { for: id }, issue.name), numberInput(id, '', { 'data-weight': issue.name }));
  });
  return el('fieldset', {}, el('legend', {}, 'Weights: how much each issue matters'),
    includeBox('Confide my weights', 'inc-weights'),
    el('p', { class: 'hint' }, 'Numbers from 0 to 1; deferred issues are not on the table and count 0.'), rows);
}

function valuesSection(issues) {
  const groups = issues.filter((i) => i.values).map((issue) => el('fieldset', {},
    el('legend', {}, issue.name),
    issue.values.map((v) => {
      const id = nextId('v');
      return el('div', { class: 'field' }, el('label', { for: id }, String(v)),
        numberInput(id, '', { 'data-value-issue': issue.name, 'data-value': String(v) }));
    })));
  return el('fieldset', {}, el('legend', {}, 'Values: how good each option is for you (0 worst, 1 best)'),
    includeBox('Confide my values', 'inc-values'),
    el('p', { class: 'hint' }, 'An issue is sent only when every one of its options has a number.'), groups,
    issues.filter(isNumeric).map(pointsEditor));
}

// A numeric issue's value function as points: number → worth 0..1, at least both ends.
function pointRow(issue, x, v) {
  const xId = nextId('px');
  const vId = nextId('pv');
  return el('div', { class: 'row', 'data-point': issue.name },
    el('label', { for: xId }, 'number'),
    el('input', { type: 'number', id: xId, min: issue.lower, max: issue.upper, step: issue.step, value: x ?? '', 'data-point-x': true, inputmode: 'decimal' }),
    el('label', { for: vId }, 'worth'), numberInput(vId, v ?? '', { 'data-point-v': true }));
}

function pointsEditor(issue) {
  const rows = el('div', { 'data-points-issue': issue.name }, pointRow(issue, issue.lower), pointRow(issue, issue.upper));
  const add = el('button', { type: 'button', class: 'small secondary' }, `Add a point (${issue.name})`);
  add.addEventListener('click', () => {
    const row = pointRow(issue);
    rows.append(row);
    row.querySelector('input').focus();
  });
  return el('fieldset', {}, el('legend', {}, `${issue.name}: worth of numbers (${rangeText(issue)})`),
    el('p', { class: 'hint' }, 'Worth is straight-line between the points.'), rows, el('div', { class: 'actions' }, add));
}

function readPoints(root, issue) {
  const holder = root.querySelector(`[data-points-issue="${CSS.escape(issue.name)}"]`);
  const points = [...holder.querySelectorAll('[data-point]')].map((row) => [
    row.querySelector('[data-point-x]').value, row.querySelector('[data-point-v]').value]);
  const filled = points.filter(([x, v]) => x !== '' && v !== '');
  if (!filled.length) return null;
  if (filled.length < 2) throw new Error(`Values: give “${issue.name}” at least two points.`);
  const sorted = filled.map(([x, v]) => [snapToGrid(issue, Number(x)), Number(v)]).sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k][0] === sorted[k - 1][0]) throw new Error(`Values: “${issue.name}” has the number ${sorted[k][0]} twice.`);
  }
  return sorted;
}

function rankingList(issue) {
  const list = el('ol', { class: 'ranking', 'data-rank-issue': issue.name });
  const move = (li, dir, button) => {
    const target = dir < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!target) return;
    if (dir < 0) list.insertBefore(li, target);
    else list.insertBefore(target, li);
    button.focus();
    announce(`${li.dataset.value} moved to place ${[...list.children].indexOf(li) + 1} for ${issue.name}.`);
  };
  for (const v of issue.values) {
    const li = el('li', { 'data-value': String(v) }, el('span', {}, String(v)));
    const up = el('button', { type: 'button', class: 'small secondary', 'aria-label': `Move ${v} up (${issue.name})` }, '↑ up');
    const down = el('button', { type: 'button', class: 'small secondary', 'aria-label': `Move ${v} down (${issue.name})` }, '↓ down');
    up.addEventListener('click', () => move(li, -1, up));
    down.addEventListener('click', () => move(li, 1, down));
    li.append(up, down);
    list.append(li);
  }
  return list;
}

function rankingSection(issues) {
  const groups = issues.filter((i) => i.values && i.values.length > 1).map((issue) => {
    const id = nextId('rank');
    return el('fieldset', {}, el('legend', {}, issue.name),
      el('span', { class: 'choice' }, el('input', { type: 'checkbox', id, 'data-rank-include': issue.name }),
        el('label', { for: id }, `Confide my ranking of “${issue.name}”`)),
      rankingList(issue));
  });
  return el('details', { class: 'rankings' }, el('summary', {}, 'Rankings: best option first (optional)'),
    el('p', { class: 'hint' }, 'When numbers are too much to say, an order is enough. Use the up and down buttons.'), groups);
}

// The rules a red line may have on an issue: a bound for an integer or real issue, a list of
// values for a discrete one.
const kRedLineKinds = {
  numeric: [['at_most', 'at most'], ['at_least', 'at least']],
  discrete: [['forbid', 'must not be'], ['require', 'must be']],
};

// One red line's controls, filled from `line` when it edits one; `removable` adds its remove button.
function redLineRow(issues, line, { removable = true } = {}) {
  const issueId = nextId('rl-issue');
  const kindId = nextId('rl-kind');
  const noteId = nextId('rl-note');
  const issueSelect = el('select', { id: issueId, 'data-rl': 'issue' }, issues.map((i) => el('option', { value: i.name }, i.name)));
  const kindSelect = el('select', { id: kindId, 'data-rl': 'kind' });
  const values = el('div', { class: 'row', 'data-rl': 'values' });
  const note = el('input', { type: 'text', id: noteId, 'data-rl': 'note', maxlength: 400 });
  const row = el('fieldset', { class: 'red-line' });
  const draw = (kind, from = {}) => {
    const issue = issues.find((i) => i.name === issueSelect.value);
    const kinds = kRedLineKinds[isNumeric(issue) ? 'numeric' : 'discrete'];
    kindSelect.replaceChildren(...kinds.map(([v, t]) => el('option', { value: v }, t)));
    if (kinds.some(([v]) => v === kind)) kindSelect.value = kind;
    values.replaceChildren();
    if (isNumeric(issue)) {
      // Any number is a bound, on the grid or not.
      values.append(numberField(issue, 'number', { 'data-rl': 'bound', step: 'any', value: from.at_most ?? from.at_least ?? '' }));
      return;
    }
    const checked = (from.forbid || from.require || []).map(String);
    for (const v of issue.values || []) {
      const id = nextId('rl-v');
      values.append(el('span', { class: 'choice' },
        el('input', { type: 'checkbox', id, value: String(v), checked: checked.includes(String(v)) }), el('label', { for: id }, String(v))));
    }
  };
  issueSelect.addEventListener('change', () => draw(kindSelect.value));
  if (line) {
    issueSelect.value = line.issue;
    note.value = line.note || '';
  }
  const kind = !line ? null : line.forbid ? 'forbid' : line.require ? 'require' : line.at_most !== undefined ? 'at_most' : 'at_least';
  draw(kind, line || {});
  let remove = null;
  if (removable) {
    remove = el('button', { type: 'button', class: 'small danger' }, 'Remove this red line');
    remove.addEventListener('click', () => {
      const container = row.parentElement;
      row.remove();
      announce('Red line removed.');
      container?.parentElement?.querySelector('[data-add-red-line]')?.focus();
    });
  }
  row.append(el('legend', {}, 'Red line'),
    el('div', { class: 'row' }, el('label', { for: issueId }, 'Issue'), issueSelect, el('label', { for: kindId }, 'Rule'), kindSelect),
    values,
    el('div', { class: 'row' }, el('label', { for: noteId }, 'Why (optional, the mediator reads it)'), note),
    remove ? el('div', { class: 'actions' }, remove) : null);
  return row;
}

// The red line a row of redLineRow says; `what` names it in errors ("Red line 2").
function readRedLine(row, what) {
  const line = { issue: row.querySelector('[data-rl="issue"]').value };
  const kind = row.querySelector('[data-rl="kind"]').value;
  if (kind === 'at_most' || kind === 'at_least') {
    const bound = row.querySelector('[data-rl="bound"]').value;
    if (bound === '') throw new Error(`${what}: give the number.`);
    line[kind] = Number(bound);
  } else {
    const vs = [...row.querySelectorAll('[data-rl="values"] input:checked')].map((x) => x.value);
    if (!vs.length) throw new Error(`${what}: tick at least one option.`);
    line[kind] = vs;
  }
  const note = row.querySelector('[data-rl="note"]').value.trim();
  if (note) line.note = note;
  return line;
}

function redLinesSection(issues) {
  const rows = el('div', { id: 'red-line-rows' });
  const add = el('button', { type: 'button', class: 'secondary', 'data-add-red-line': true }, 'Add a red line');
  add.addEventListener('click', () => {
    const row = redLineRow(issues);
    rows.append(row);
    row.querySelector('select').focus();
  });
  return el('fieldset', {}, el('legend', {}, 'Red lines: what you will not accept'),
    includeBox('Confide my red lines (replaces the ones confided before; none = withdraw them all)', 'inc-red-lines'),
    rows, el('div', { class: 'actions' }, add));
}

function reservationSection() {
  return el('fieldset', {}, el('legend', {}, 'Reservation value'),
    includeBox('Confide my reservation value', 'inc-rv'),
    el('div', { class: 'field' }, el('label', { for: 'rv' }, 'Worth of no agreement to you, 0 to 1'), numberInput('rv', '')));
}

function readConfidence(issues) {
  const root = document.getElementById('confide');
  const body = {};
  const checked = (id) => root.querySelector(`#${id}`).checked;
  if (checked('inc-weights')) {
    const weights = {};
    for (const issue of state.session.issues) weights[issue.name] = 0;
    for (const input of root.querySelectorAll('[data-weight]')) {
      if (input.value === '') throw new Error(`Weights: give a number for “${input.dataset.weight}”.`);
      weights[input.dataset.weight] = Number(input.value);
    }
    body.weights = weights;
  }
  if (checked('inc-values')) {
    const values = {};
    for (const issue of issues.filter((i) => i.values)) {
      const inputs = [...root.querySelectorAll('[data-value-issue]')].filter((x) => x.dataset.valueIssue === issue.name);
      const filled = inputs.filter((x) => x.value !== '');
      if (filled.length === 0) continue;
      if (filled.length < inputs.length) throw new Error(`Values: give a number for every option of “${issue.name}”.`);
      values[issue.name] = Object.fromEntries(inputs.map((x) => [x.dataset.value, Number(x.value)]));
    }
    for (const issue of issues.filter(isNumeric)) {
      const points = readPoints(root, issue);
      if (points) values[issue.name] = { piecewise: points };
    }
    if (Object.keys(values).length) body.values = values;
  }
  const ranking = {};
  for (const box of root.querySelectorAll('[data-rank-include]')) {
    if (!box.checked) continue;
    const list = [...root.querySelectorAll('[data-rank-issue]')].find((x) => x.dataset.rankIssue === box.dataset.rankInclude);
    ranking[box.dataset.rankInclude] = [...list.children].map((li) => li.dataset.value);
  }
  if (Object.keys(ranking).length) body.ranking = ranking;
  if (checked('inc-red-lines')) {
    body.red_lines = [...root.querySelectorAll('#red-line-rows fieldset.red-line')].map((row, k) => readRedLine(row, `Red line ${k + 1}`));
  }
  if (checked('inc-rv')) {
    const rv = root.querySelector('#rv').value;
    if (rv === '') throw new Error('Reservation value: give a number.');
    body.reservation_value = Number(rv);
  }
  if (!Object.keys(body).length) throw new Error('Tick at least one part to confide.');
  return body;
}

// Fills the confide form from the party's own briefing (the profile); the party still chooses
// what to send.
function fillFromBriefing(issues) {
  const p = state.profile;
  if (!p || !p.weights) {
    showError(new Error('No briefing to copy from.'));
    return;
  }
  const root = document.getElementById('confide');
  for (const input of root.querySelectorAll('[data-weight]')) input.value = p.weights[input.dataset.weight] ?? 0;
  for (const input of root.querySelectorAll('[data-value-issue]')) {
    const v = p.values?.[input.dataset.valueIssue]?.[input.dataset.value];
    input.value = v === undefined ? '' : Number(v.toFixed(4));
  }
  for (const holder of root.querySelectorAll('[data-points-issue]')) {
    const issue = issues.find((i) => i.name === holder.dataset.pointsIssue);
    const points = ownPoints(holder.dataset.pointsIssue);
    if (issue && points) holder.replaceChildren(...points.map(([x, v]) => pointRow(issue, x, Number(v.toFixed(4)))));
  }
  const rows = root.querySelector('#red-line-rows');
  rows.replaceChildren(...(p.red_lines || []).map((line) => redLineRow(issues, line)));
  root.querySelector('#rv').value = p.reservation_value;
  for (const id of ['inc-weights', 'inc-values', 'inc-red-lines', 'inc-rv']) root.querySelector(`#${id}`).checked = true;
  announce('The form now holds your briefing. Untick what you do not want to confide, then press “Confide to the mediator”.');
}

function buildConfide() {
  const issues = openIssues(state.session);
  const send = el('button', { type: 'submit', id: 'send-confidence' }, 'Confide to the mediator');
  const copy = el('button', { type: 'button', class: 'secondary', id: 'fill-briefing' }, 'Fill from my briefing');
  copy.addEventListener('click', () => fillFromBriefing(issues));
  const form = el('form', { class: 'stack', 'aria-describedby': 'who-sees' },
    weightsSection(issues), valuesSection(issues), rankingSection(issues), redLinesSection(issues), reservationSection(),
    el('p', { class: 'hint', id: 'confide-when' }),
    el('div', { class: 'actions' }, send, state.profile ? copy : null));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    let body;
    try {
      body = readConfidence(issues);
    } catch (e) {
      showError(e);
      return;
    }
    act(send, () => move('confide', body), 'Confided to the mediator (the other party never sees it).');
  });
  fill('confide', form);
}

function renderConfideState() {
  const c = state.caucus;
  const can = c.can.includes('confide');
  if (!changed('confide', JSON.stringify([can, c.confidences_this_caucus, c.status]))) return;
  const send = document.getElementById('send-confidence');
  if (send) send.disabled = !can;
  const when = document.getElementById('confide-when');
  if (when) {
    when.textContent = c.status !== 'talking' ? 'The talks are over.'
      : can ? `You may confide now (${c.confidences_this_caucus} sent in this caucus).`
        : 'You may confide while the mediator is in caucus with your party.';
  }
}

function renderConfided() {
  const c = state.caucus;
  if (changed('confided', JSON.stringify(c.confided))) {
    fill('confided', confidedView(c.confided, 'Nothing yet.'));
  }
  if (changed('diagnosis', JSON.stringify(c.diagnosis))) {
    fill('diagnosis', c.diagnosis ? diagnosisView(c.diagnosis, state.session)
      : el('p', { class: 'muted' }, 'None: the mediator names the demands that block the talks when they are stuck.'));
  }
}

// ---- caucus timeline, notes, briefing ----

function renderTimeline() {
  if (!changed('timeline', String(state.events.length))) return;
  const shown = state.events.filter((e) => e.type !== 'start').slice().reverse();
  refreshList(document.getElementById('timeline'), () => timeline(shown, 'Nothing has happened yet.', () => 'you'));
}

function buildNotes() {
  fill('notes', textForm({
    label: 'Note to the mediator in your caucus',
    hint: 'Seen by the mediator, its staff and your party only.',
    button: 'Send note',
    send: (text) => api(`${partyBase()}/notes`, { method: 'POST', body: { text } }).then((r) => { state.poller.now(); return r; }),
    done: 'Note sent to the mediator.',
  }));
  fill('anonymous', textForm({
    label: 'Anonymous note',
    hint: 'Reaches the mediator alone and carries no identity: no name, party, role or exact time (rounded to the hour).',
    button: 'Send anonymously',
    send: (text) => api(`${base()}/anonymous-notes`, { method: 'POST', body: { text } }),
    done: 'Anonymous note sent.',
  }));
}

// What each value is worth to the party: a discrete issue's list, a numeric issue's points as a
// short table (number → worth).
function briefingValues(issue, vs) {
  if (vs && Array.isArray(vs.piecewise)) {
    return el('table', { class: 'points', 'data-points': issue, 'aria-label': `${issue}: number and worth` },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'number'), el('th', { scope: 'col' }, 'worth'))),
      el('tbody', {}, vs.piecewise.map(([x, v]) => el('tr', {}, el('td', {}, String(x)), el('td', {}, fmtNumber(v))))));
  }
  return describeValues(vs).replaceAll(', ', '; ');
}

function renderBriefing() {
  const p = state.profile;
  if (!p) {
    fill('briefing', el('p', { class: 'muted' }, 'No briefing.'));
    return;
  }
  const table = el('table', { class: 'kv' }, el('thead', {}, el('tr', {},
    el('th', { scope: 'col' }, 'Issue'), el('th', { scope: 'col' }, 'Weight'), el('th', { scope: 'col' }, 'Values'))),
  el('tbody', {}, Object.entries(p.weights || {}).map(([issue, w]) => el('tr', {},
    el('th', { scope: 'row' }, issue), el('td', {}, fmtNumber(w)),
    el('td', {}, briefingValues(issue, (p.values || {})[issue]))))));
  fill('briefing', el('div', { class: 'scroll' }, table),
    el('h3', {}, 'Red lines'),
    (p.red_lines || []).length ? el('ul', {}, p.red_lines.map((l) => el('li', {}, describeRedLine(l)))) : el('p', {}, 'None.'),
    el('p', {}, `Reservation value: ${fmtNumber(p.reservation_value)}`));
}

function render() {
  renderStatus();
  renderText();
  renderAnswer();
  renderConfideState();
  renderConfided();
  renderTimeline();
}

async function step() {
  const [caucus, events] = await Promise.all([
    api(`${partyBase()}/caucus`),
    eventsSince(base(), state.next),
  ]);
  state.caucus = caucus;
  state.events.push(...events.events);
  state.next = events.next;
  if (caucus.status !== state.session.status || caucus.visit !== state.session.visit) {
    state.session = await api(base());
  }
  render();
}

async function main() {
  const me = await enter(['principal', 'negotiator', 'adviser']);
  if (!me) return;
  state.me = me;
  state.session = await api(base());
  try {
    state.profile = await api(`${partyBase()}/profile`);
  } catch (e) {
    state.profile = null;
  }
  document.title = `${me.party_name} · ${state.session.title} · Shuttle`;
  fill('title', state.session.title);
  fill('who', el('span', { class: 'role' }, me.role), `${me.party_name} · ${me.label || ''}`);
  renderRules();
  buildConfide();
  buildNotes();
  renderBriefing();
  state.poller = poll(step, 2000);
  listen(base(), state.poller, 2000);
}

main().catch((e) => showError(e));
