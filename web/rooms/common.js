// Shared by the three rooms: the token, API calls, DOM helpers, charts.
//
// Privacy: the token lives only in this page's URL and in memory. Nothing is written to
// localStorage, sessionStorage, IndexedDB or cookies, every request is sent with cache: 'no-store'
// and credentials: 'omit', and every page renders only what the API returned for its own token.

export const token = new URLSearchParams(location.search).get('token') || '';

// An API error: HTTP status, the API's code and message.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Calls the API (path relative to the page, e.g. "api/me"); resolves to the parsed JSON body.
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'The server cannot be reached. Retrying.');
  }
  let json = null;
  try {
    json = await res.json();
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    const err = json && json.error ? json.error : { code: 'http', message: `HTTP ${res.status}` };
    throw new ApiError(res.status, err.code, err.message);
  }
  return json;
}

// el('p', {class: 'x', onclick: f}, 'text', child...): builds an element. Strings become text
// nodes (never HTML), null/undefined/false children are skipped, arrays are flattened.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces the children of the element with this id. Keeps the keyboard focus: when it was inside,
// it returns to the new element with the same id, else to the element itself.
export function fill(id, ...children) {
  const node = document.getElementById(id);
  const active = document.activeElement;
  const had = active && active !== node && node.contains(active);
  const activeId = had ? active.id : '';
  node.replaceChildren();
  append(node, children);
  if (had) {
    const again = activeId && document.getElementById(activeId);
    if (again) again.focus();
    else {
      if (!node.hasAttribute('tabindex')) node.setAttribute('tabindex', '-1');
      node.focus();
    }
  }
  return node;
}

// Replaces what a list shows while keeping the list element itself (and so the keyboard focus on
// it): `make()` builds a fresh list; its children and attributes move into the old one.
export function refreshList(holder, make) {
  const fresh = make();
  const old = holder.firstElementChild;
  if (old && old.tagName === fresh.tagName && fresh.tagName !== 'P') {
    for (const a of [...fresh.attributes]) old.setAttribute(a.name, a.value);
    old.replaceChildren(...fresh.childNodes);
  } else {
    holder.replaceChildren(fresh);
  }
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// Announces a message in the page's polite live region (and shows it).
let announceTimer = null;
export function announce(text) {
  const node = document.getElementById('announce');
  if (!node) return;
  node.textContent = '';
  clearTimeout(announceTimer);
  // A fresh text node after clearing makes screen readers read it again.
  setTimeout(() => { node.textContent = text; }, 30);
  announceTimer = setTimeout(() => { node.textContent = ''; }, 8000);
}

// Shows an error in the page's alert region; `null` clears it.
export function showError(err) {
  const node = document.getElementById('error');
  if (!node) return;
  if (!err) {
    node.textContent = '';
    node.hidden = true;
    return;
  }
  node.hidden = false;
  node.textContent = err instanceof ApiError ? `${err.message} (${err.code})` : String(err.message || err);
}

// Shows the page's fatal message (no token, revoked token, wrong room) instead of the room.
export function showFatal(message) {
  const main = document.querySelector('main');
  main.replaceChildren(el('section', { class: 'card fatal', role: 'alert' },
    el('h2', {}, 'This room cannot open'), el('p', {}, message),
    el('p', {}, 'Open the invitation link you were given; links are personal and may have been revoked.')));
}

export function fmtNumber(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  return Number(x).toFixed(digits);
}

// "2024-05-01T10:00:00Z" -> "2024-05-01 10:00 UTC".
export function fmtTime(iso) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso || '');
  return m ? `${m[1]} ${m[2]} UTC` : String(iso || '');
}

export function fmtValue(v) {
  return v === null || v === undefined ? '—' : String(v);
}

// A table of outcome values: issue -> value, with deferred issues marked.
export function outcomeTable(outcome, session, caption) {
  const deferred = deferredIssues(session);
  const rows = session.issues.map((issue) => el('tr', { class: deferred.has(issue.name) ? 'deferred' : null },
    el('th', { scope: 'row' }, issue.name, deferred.has(issue.name) ? el('span', { class: 'tag' }, 'deferred') : null),
    el('td', {}, outcome ? fmtValue(outcome[issue.name]) : '—')));
  return el('table', { class: 'kv' }, caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Issue'), el('th', { scope: 'col' }, 'Text'))),
    el('tbody', {}, rows));
}

export function deferredIssues(session) {
  const set = new Set();
  for (const stage of session.agenda || []) if (stage.deferred) for (const name of stage.issues) set.add(name);
  return set;
}

// Issues open for negotiation (every issue that is not in a deferred stage).
export function openIssues(session) {
  const deferred = deferredIssues(session);
  return session.issues.filter((issue) => !deferred.has(issue.name));
}

// A red line as a sentence: "border reference must not be 1967 lines".
export function describeRedLine(line) {
  let what = '';
  if (line.forbid) what = `must not be ${line.forbid.join(' or ')}`;
  else if (line.require) what = `must be ${line.require.join(' or ')}`;
  else if (line.at_most !== undefined) what = `at most ${line.at_most}`;
  else if (line.at_least !== undefined) what = `at least ${line.at_least}`;
  return `${line.issue} ${what}${line.note ? ` — “${line.note}”` : ''}`;
}

// Integer and real issues come as a range {lower, upper, step}, discrete ones with their values.
export function isNumeric(issue) {
  return issue.type === 'integer' || issue.type === 'real';
}

// "24000 to 28000, in steps of 50".
export function rangeText(issue) {
  return `${issue.lower} to ${issue.upper}, in steps of ${issue.step}`;
}

// The value of the issue nearest to x: lower + k * step, or upper (the service refuses others).
export function snapToGrid(issue, x) {
  if (!Number.isFinite(x)) return issue.lower;
  const k = Math.round((Math.min(Math.max(x, issue.lower), issue.upper) - issue.lower) / issue.step);
  const v = Math.min(issue.lower + k * issue.step, issue.upper);
  const snapped = Math.abs(issue.upper - x) < Math.abs(v - x) ? issue.upper : v;
  return Number(snapped.toPrecision(12));
}

// A value function given as points [[x, v], ...] read at x: linear between, constant beyond.
export function interpolate(points, x) {
  if (!points || !points.length) return null;
  if (x <= points[0][0]) return points[0][1];
  for (let k = 1; k < points.length; k++) {
    const [x1, v1] = points[k];
    if (x <= x1) {
      const [x0, v0] = points[k - 1];
      return x1 === x0 ? v1 : v0 + ((v1 - v0) * (x - x0)) / (x1 - x0);
    }
  }
  return points[points.length - 1][1];
}

// A set of values as objections and answers write it: a list, or a range of numbers.
export function describeValueSet(set) {
  if (Array.isArray(set)) return set.length ? set.map((v) => `“${v}”`).join(', ') : 'nothing else';
  if (!set || typeof set !== 'object') return String(set);
  if (set.at_least !== undefined && set.at_most !== undefined) return `${set.at_least} to ${set.at_most}`;
  if (set.at_least !== undefined) return `at least ${set.at_least}`;
  return `at most ${set.at_most}`;
}

// An issue and a set of its values in words, as a party could live with them: "price from 25000 to
// 26000", "price at least 25000", "extras “none”, “floor mats”"; null for an empty list (none).
export function liveWithWords(issue, set) {
  if (Array.isArray(set)) return set.length ? `${issue} ${describeValueSet(set)}` : null;
  if (set && typeof set === 'object' && set.at_least !== undefined && set.at_most !== undefined) {
    return `${issue} from ${set.at_least} to ${set.at_most}`;
  }
  return `${issue} ${describeValueSet(set)}`;
}

// The mediator's question (the caucus's `question`) as a sentence.
export function questionWords(q) {
  const words = q.words ? ` “${q.words}”` : '';
  if (q.kind === 'words') return `“${q.words || ''}”`;
  if (q.kind === 'live_with') return `Could you live with ${liveWithWords(q.issue, q.values) || `no value of ${q.issue}`}?${words}`;
  if (q.kind === 'rank') return `Rank the values of ${q.issue}, best first.${words}`;
  if (q.kind === 'red_line') return `What is your red line on ${q.issue}?${words}`;
  if (q.kind === 'bid') return `What is your bid on ${q.issue}?${words}`;
  return `${q.kind}${words}`;
}

// "a", "a and b", "a, b and c".
function andList(names) {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

// The session's agreement rule in words ("A deal needs 5 of the 6 parties, developer and
// federal_agency among them."), or null under unanimity. It says what the rule is, never who
// accepted.
export function agreementRuleWords(session) {
  const rule = session && session.agreement_rule;
  if (!rule) return null;
  const required = rule.required || [];
  const count = (session.parties || []).length;
  return `A deal needs ${rule.at_least} of the ${count} parties` +
    `${required.length ? `, ${andList(required)} among them` : ''}.`;
}

// Where bids within a margin settle, in words: "within 30% of the demand or no more than 500 apart,
// at the midpoint"; null when no margin applies (only crossing bids settle).
function marginWords(b) {
  const within = [];
  if (b.margin_percent > 0) within.push(`within ${b.margin_percent}% of the demand`);
  if (b.margin_amount > 0) within.push(`no more than ${b.margin_amount} apart`);
  return within.length ? `${within.join(' or ')}, at the midpoint` : null;
}

// The blind-bidding rules (the session's `bidding`) in words. For a party's own room `party` is its
// name: the sentence speaks to it ("You are the claimant: you demand an amount; ..."); without, it
// names the two sides.
export function biddingRulesWords(b, party) {
  const claimant = party === b.claimant;
  const mine = party === b.claimant || party === b.respondent;
  const who = !mine ? `${b.claimant} (the claimant) demands an amount; ${b.respondent} (the respondent) offers one.`
    : claimant ? 'You are the claimant: you demand an amount; the other side offers.'
      : 'You are the respondent: you offer an amount; the other side demands.';
  const demand = !mine ? 'the demand' : claimant ? 'your demand' : "the other side's demand";
  const cross = `Bids that cross (the offer at or above the demand) settle at ${b.crossing === 'midpoint' ? 'the midpoint' : demand}`;
  const margin = marginWords(b);
  return `${who} ${cross}${margin ? `; ${margin}` : '; other bids do not settle'}. At most ${b.rounds} round${b.rounds === 1 ? '' : 's'}.`;
}

// A bidding round's result as the table tells each party (a system note {"bidding": {...}}).
export function biddingRoundWords(r) {
  const head = `Round ${r.round} of ${r.rounds}`;
  if (!r.settled) return `${head}: no settlement${r.round >= r.rounds ? ' (the last round)' : ''}.`;
  const how = r.by === 'crossing' ? 'the offer met the demand' : 'the bids came within the margin';
  return `${head}: settled at ${r.amount} — ${how}, at the ${r.at === 'demand' ? 'demand' : 'midpoint'}.`;
}

// One issue's values as confided or briefed: {label: v}, or {"piecewise": points}.
export function describeValues(vs) {
  if (vs && Array.isArray(vs.piecewise)) return vs.piecewise.map(([x, v]) => `${x} → ${fmtNumber(v)}`).join(', ');
  return Object.entries(vs || {}).map(([label, v]) => `${label} ${fmtNumber(v)}`).join(', ');
}

// What a party confided (merged), as a definition list.
export function confidedView(confided, emptyText) {
  const parts = [];
  if (!confided || Object.keys(confided).length === 0) return el('p', { class: 'muted' }, emptyText);
  if (confided.weights) {
    parts.push(el('dt', {}, 'Weights'), el('dd', {}, el('ul', { class: 'plain' },
      Object.entries(confided.weights).map(([k, w]) => el('li', {}, `${k}: ${fmtNumber(w)}`)))));
  }
  if (confided.values) {
    parts.push(el('dt', {}, 'Values'), el('dd', {}, el('ul', { class: 'plain' },
      Object.entries(confided.values).map(([k, vs]) => el('li', {}, `${k}: `, describeValues(vs))))));
  }
  if (confided.ranking) {
    parts.push(el('dt', {}, 'Rankings (best first)'), el('dd', {}, el('ul', { class: 'plain' },
      Object.entries(confided.ranking).map(([k, list]) => el('li', {}, `${k}: ${list.join(' › ')}`)))));
  }
  if (confided.red_lines) {
    parts.push(el('dt', {}, 'Red lines'), el('dd', {}, confided.red_lines.length === 0
      ? el('span', { class: 'muted' }, 'none')
      : el('ul', { class: 'plain' }, confided.red_lines.map((l) => el('li', {}, describeRedLine(l))))));
  }
  if (confided.reservation_value !== undefined) {
    parts.push(el('dt', {}, 'Reservation value'), el('dd', {}, fmtNumber(confided.reservation_value)));
  }
  return el('dl', { class: 'confided' }, parts);
}

// An impasse diagnosis (whole or a party's part).
export function diagnosisView(d, session) {
  if (!d) return el('p', { class: 'muted' }, 'No impasse diagnosed.');
  const item = (c) => {
    const tag = c.inferred ? el('span', { class: 'tag' }, 'inferred from objections') : null;
    if (c.description) return el('li', {}, c.description, tag);
    const who = typeof c.party === 'string' ? c.party : session ? partyName(session, c.party) : '';
    const what = c.kind === 'reservation'
      ? `reservation value ${fmtNumber(c.reservation_value)}${c.relaxed_to ? ` → ${fmtNumber(c.relaxed_to)}` : ''}`
      : describeRedLine(c.red_line || {});
    return el('li', {}, who ? `${who}: ` : '', what, tag);
  };
  const parts = [
    el('p', {}, 'These demands cannot all be met together:'),
    el('ul', {}, (d.conflict || []).map(item)),
  ];
  if (d.relaxation && d.relaxation.length) {
    parts.push(el('p', {}, `The cheapest way out (cost ${fmtNumber(d.cost)}): relax`),
      el('ul', {}, d.relaxation.map(item)));
  } else {
    parts.push(el('p', {}, 'No relaxation of these demands opens a way out.'));
  }
  if (d.formula) {
    parts.push(el('p', {}, 'The text the mediator would propose once relaxed:'),
      el('ul', { class: 'plain' }, Object.entries(d.formula).map(([k, v]) => el('li', {}, `${k}: ${v}`))));
  }
  return el('div', { class: 'diagnosis' }, parts);
}

export function partyName(session, p) {
  const found = (session.parties || []).find((x) => x.party === p);
  return found ? found.name : `party ${p}`;
}

// What a confidence holds, in words: "weights, red lines (price at most 27000)". A red line's note
// is left out: the caucus log is a summary, "What you have confided" shows the whole.
function confidedWords(d) {
  const parts = Object.keys(d).filter((k) => k !== 'red_lines').map((k) => k.replaceAll('_', ' '));
  if (d.red_lines) {
    const lines = d.red_lines.map((l) => describeRedLine({ ...l, note: undefined }));
    parts.push(`red lines (${lines.length ? lines.join('; ') : 'none: every one withdrawn'})`);
  }
  return parts.join(', ') || 'preferences';
}

// A party's answer to the question `q` (its caucus's last kAsk, null if unknown), in words.
function answerWords(d, q) {
  const issue = q && q.issue ? q.issue : 'the issue';
  const words = d.words ? ` “${d.words}”` : '';
  if (d.declined) return `declined to answer.${words}`;
  if (d.could_live_with !== undefined) {
    const what = liveWithWords(issue, d.could_live_with);
    return `${what ? `could live with ${what}` : `could live with none of the values of ${issue} asked about`}.${words}`;
  }
  if (d.ranking) return `ranked ${issue}: ${d.ranking.join(' › ')}.${words}`;
  if (d.red_line !== undefined) return `${d.red_line ? `named a red line: ${describeRedLine(d.red_line)}` : `has no red line on ${issue}`}.${words}`;
  if (d.bid !== undefined) return `bid ${d.bid} on ${issue} (confidential: never shown to the other side).${words}`;
  return `answered:${words || ' (nothing)'}`;
}

function objectionWords(d) {
  const issues = d.issues || [];
  const livable = issues.filter((i) => i.could_live_with !== undefined)
    .map((i) => liveWithWords(i.issue, i.could_live_with) || `none of the other values of ${i.issue}`);
  return `objected to ${issues.map((i) => i.issue).join(', ') || 'the text'}` +
    `${livable.length ? `; could live with ${livable.join('; ')}` : ''}${d.below_reservation ? ' (worse than no agreement)' : ''}.`;
}

// One line describing an event of the log, for timelines. `to(p)` names party p as the reader
// should read it ("you", "Israel"); `question` is the question an answer event answers.
export function describeEvent(e, to = () => 'the party', question = null) {
  const who = e.actor;
  const d = e.data || {};
  switch (e.type) {
    case 'start': return 'The talks opened.';
    case 'open': return `The mediator opened a caucus with ${to(e.party)}.`;
    case 'leave': return `The mediator left the caucus with ${to(e.party)}.`;
    case 'propose': return e.outcome ? `The mediator put the text to ${to(e.party)}.` : `The mediator opened the caucus with ${to(e.party)}.`;
    case 'ask': return `The mediator asked ${to(e.party)}: ${questionWords(d)}`;
    // A bid is said to the bidder's own room as "You bid ...".
    case 'answer': return `${d.bid !== undefined && to(e.party) === 'you' ? 'You' : who} ${answerWords(d, question)}`;
    case 'confide': return `${who} confided ${confidedWords(d)}.`;
    case 'accept': return `${who} accepted the text.`;
    case 'object': return `${who} ${objectionWords(d)}`;
    case 'offer': return `${who} counter-proposed.`;
    case 'end': return `${who} walked out.`;
    // Under an agreement rule not every party need have accepted; no event says who did.
    case 'adopt': return 'The stage is settled: the text is adopted.';
    case 'agreement': return 'Agreement.';
    case 'no-agreement': return `The talks ended without agreement${e.text && !e.data ? ` (${e.text})` : ''}.`;
    case 'statement': return `Public statement: ${e.text || ''}`;
    case 'note':
      if (who === 'anonymous') return `Anonymous note: ${e.text || ''}`;
      if (d.conflict) return 'Impasse diagnosis.';
      if (d.bidding) return `Blind bidding. ${biddingRoundWords(d.bidding)}`;
      if (e.audience === 'mediator' && who === 'mediator') return 'Gap note (mediator only).';
      return `Note from ${who}: ${e.text || ''}`;
    default: return `${e.type} by ${who}`;
  }
}

// For each answer event (by seq), the question it answers: the last question asked in its caucus.
function questionsAnswered(events) {
  const asked = new Map();
  const answers = new Map();
  for (const e of events.slice().sort((a, b) => a.seq - b.seq)) {
    if (e.type === 'ask') asked.set(e.party, e.data || null);
    else if (e.type === 'answer') answers.set(e.seq, asked.get(e.party) || null);
  }
  return answers;
}

export function timeline(events, emptyText, to) {
  if (!events.length) return el('p', { class: 'muted' }, emptyText);
  const questions = questionsAnswered(events);
  // Scrollable: focusable so that the keyboard can scroll it.
  return el('ol', { class: 'timeline', tabindex: 0, 'aria-label': 'Events, newest first' }, events.map((e) => el('li', { class: `ev ev-${e.type}` },
    el('span', { class: 'visit' }, `visit ${e.visit}`), ' ', describeEvent(e, to, questions.get(e.seq)))));
}

// Draws a Vega-Lite spec into the element with this id (vega-embed, no actions menu). Marks the
// element data-rendered="yes" once drawn; returns the embed promise.
export async function chart(id, spec, description) {
  const node = document.getElementById(id);
  if (!node) return;
  const key = JSON.stringify(spec);
  if (node.dataset.spec === key) return;
  node.dataset.spec = key;
  // The box is one image for assistive technology, labelled with what the chart says; vega-embed
  // draws into an inner element (it labels its own container generically).
  node.setAttribute('role', 'img');
  node.setAttribute('aria-label', description);
  let draw = node.querySelector('.chart-draw');
  if (!draw) {
    draw = el('div', { class: 'chart-draw' });
    node.replaceChildren(draw);
  }
  if (typeof window.vegaEmbed !== 'function') {
    draw.textContent = 'Chart library not loaded.';
    return;
  }
  try {
    const result = await window.vegaEmbed(draw, { ...spec, description }, { actions: false, renderer: 'svg' });
    node.dataset.rendered = 'yes';
    return result;
  } catch (e) {
    node.dataset.rendered = 'error';
    draw.textContent = `Chart failed: ${e.message}`;
  }
}

// The public gap after each completed visit, as a Vega-Lite line chart.
export function gapSpec(gaps, title) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 'container',
    height: 220,
    autosize: { type: 'fit-x', contains: 'padding' },
    data: { values: gaps.map((g, i) => ({ visit: i + 1, gap: g })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'visit', type: 'quantitative', title: 'visit', axis: { tickMinStep: 1, format: 'd' },
           scale: { domainMin: 1 } },
      y: { field: 'gap', type: 'quantitative', title: 'gap', scale: { domain: [0, 1] } },
      tooltip: [{ field: 'visit' }, { field: 'gap', format: '.2f' }],
    },
  };
}

// The caller's events from seq `after` on, page after page (the server sends at most 1000 at once).
export async function eventsSince(base, after) {
  const events = [];
  let next = after;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await api(`${base}/events?after=${next}&limit=1000`);
    events.push(...page.events);
    next = page.next;
    if (!page.more) break;
  }
  return { events, next };
}

// Repeats `step` every `ms` milliseconds (after each run completes); errors go to showError.
// Runs never overlap: `now()` during a run asks for one more run after it (two runs at once would
// read the same events twice).
export function poll(step, ms = 2500) {
  let stopped = false;
  let timer = null;
  let every = ms;
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await step();
      showError(null);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
        showFatal(e.status === 401 ? 'Your invitation is not valid (unknown or revoked).' : 'This room is not within your invitation.');
        stopped = true;
      } else {
        showError(e);
      }
    } finally {
      running = false;
    }
    if (stopped) return;
    clearTimeout(timer);
    if (again) {
      again = false;
      run();
    } else {
      timer = setTimeout(run, document.hidden ? every * 4 : every);
    }
  };
  run();
  return {
    now() { clearTimeout(timer); run(); },
    stop() { stopped = true; clearTimeout(timer); },
    every(next) { every = next; },
  };
}

// Listens to the session's event stream (Server-Sent Events, GET .../stream) and runs the poller
// at once when something new arrives, so the room polls only slowly while the stream is open
// (every 30 s, in case a push is missed) and falls back to `ms` when it is not. EventSource
// cannot send headers: the token goes in the query, as in the page's own link.
export function listen(sessionBase, poller, ms) {
  if (typeof EventSource === 'undefined') return null;
  const source = new EventSource(`${sessionBase}/stream?token=${encodeURIComponent(token)}`);
  let pending = null;
  source.addEventListener('open', () => poller.every(30000));
  source.addEventListener('error', () => poller.every(ms));
  source.addEventListener('event', () => {
    // A burst of events runs the poller once.
    if (pending) return;
    pending = setTimeout(() => { pending = null; poller.now(); }, 50);
  });
  return source;
}

// Runs an action from a button: disables it while the request runs, announces the outcome.
export async function act(button, what, done) {
  const old = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const result = await what();
    showError(null);
    if (done) announce(done);
    return result;
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    button.disabled = old;
    button.removeAttribute('aria-busy');
  }
}

// Checks the token is there and fits this room; resolves to /api/me, or null after showing why not.
export async function enter(roles) {
  if (!token) {
    showFatal('This page needs the invitation link (it carries a token).');
    return null;
  }
  try {
    const me = await api('api/me');
    if (!roles.includes(me.role)) {
      const page = me.role === 'mediator' ? 'mediator.html' : me.role === 'observer' ? 'public.html' : 'party.html';
      showFatal(`Your invitation opens the ${page.replace('.html', '')} room, not this one.`);
      const link = el('a', { href: `${page}?token=${encodeURIComponent(token)}` }, `Go to the ${page.replace('.html', '')} room`);
      document.querySelector('.fatal').append(el('p', {}, link));
      return null;
    }
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) showFatal('Your invitation is not valid (unknown or revoked).');
    else if (e instanceof ApiError && e.status === 429) showFatal('Too many bad invitation checks from this address; wait a minute.');
    else showFatal(`The server did not answer: ${e.message}`);
    return null;
  }
}

// Status line: "Visit 3 · talking".
export function statusText(s) {
  const status = { talking: 'talking', agreement: 'agreement reached', impasse: 'ended without agreement' }[s.status] || s.status;
  return `Visit ${s.visit} · ${status}`;
}

// A labelled textarea + submit button form; `send(text)` returns a promise.
export function textForm({ label, button, hint, send, done, rows = 3 }) {
  const id = nextId('text');
  const hintId = hint ? nextId('hint') : null;
  const area = el('textarea', { id, rows, maxlength: 4000, required: true, 'aria-describedby': hintId });
  const submit = el('button', { type: 'submit' }, button);
  const form = el('form', { class: 'stack' },
    el('label', { for: id }, label),
    hint ? el('p', { id: hintId, class: 'hint' }, hint) : null,
    area, el('div', {}, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = area.value.trim();
    if (!text) {
      showError(new Error('Write something first.'));
      area.focus();
      return;
    }
    const ok = await act(submit, () => send(text), done);
    if (ok !== undefined) area.value = '';
  });
  return form;
}
