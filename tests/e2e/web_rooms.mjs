// Browser end-to-end test of the web rooms (called by web_rooms.sh):
//   node web_rooms.mjs SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR
// Starts `shuttle serve`, creates a session from examples/resuming-talks.json through the API and
// runs a whole mediation through the pages: the mediator, Israel's negotiator, the Palestinians'
// principal and an observer each in their own browser context. Each party confides a random marker
// string; neither marker may reach the other party's page (DOM or any API response) nor the public
// page, and the mediator must see both. Screenshots: desktop and 390px phone width.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

import {
  makeChecks, startServer, apiCall, newRoom, launchBrowser, pageHygiene,
} from './lib/rooms.mjs';

const [shuttle, sourceDir, shotsDir, tmpDir] = process.argv.slice(2);
if (!tmpDir) {
  console.error('usage: node web_rooms.mjs SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR');
  process.exit(2);
}
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const { check, log, failures } = makeChecks();

const MARK = [`MARKER-IL-${randomBytes(6).toString('hex')}`, `MARKER-PAL-${randomBytes(6).toString('hex')}`];
const STATEMENT = 'E2E statement: the mediator met both delegations and will return next week.';
const ANON = `Anonymous tip ${randomBytes(4).toString('hex')}`;
const SETTLE = 'settlement construction during talks';
const BORDER = 'border reference';
const PRISON = 'prisoner release';
// The parties' real red lines (examples/resuming-talks.json): what each side's simulated delegate
// objects to. Israel forbids, the Palestinians require.
const ISRAEL_FORBIDS = {
  [SETTLE]: ['freeze outside East Jerusalem', 'full freeze'],
  [BORDER]: ['1967 lines with agreed swaps', '1967 lines'],
  [PRISON]: ['before talks'],
};
const PAL_REQUIRES = {
  [SETTLE]: ['freeze outside East Jerusalem', 'full freeze'],
  [BORDER]: ['1967 lines with agreed swaps', '1967 lines'],
};

const shot = (room, label) => room.page.screenshot({ path: path.join(shotsDir, `${room.name}-${label}.png`), fullPage: true });

// Waits until the party page shows its turn (an answer button) or the end of the talks.
async function waitTurnOrEnd(room) {
  await room.page.waitForFunction(() => document.querySelector('#accept-text:not([disabled])') ||
    document.querySelector('#status .badge.ok, #status .badge.bad'), null, { timeout: 45000 });
  return (await room.page.$('#accept-text:not([disabled])')) ? 'turn' : 'over';
}

// Waits until the move went through (the answer form left) or an error is shown.
async function waitAnswered(room) {
  await room.page.waitForFunction(() => !document.querySelector('#accept-text') ||
    !document.querySelector('#error').hidden, null, { timeout: 20000 });
  const error = await room.page.$eval('#error', (e) => (e.hidden ? '' : e.textContent));
  if (error) throw new Error(`${room.name}: the move failed: ${error}`);
}

async function fillConfidence(room, party) {
  const page = room.page;
  await page.click('#fill-briefing');
  const lines = page.locator('fieldset.red-line');
  if (party === 0) {
    // Israel keeps its settlement and border red lines to itself and confides the prisoner line.
    for (let k = (await lines.count()) - 1; k >= 0; --k) {
      const issue = await lines.nth(k).locator('[data-rl="issue"]').inputValue();
      if (issue !== PRISON) await lines.nth(k).getByRole('button', { name: 'Remove this red line' }).click();
    }
    await lines.first().locator('[data-rl="note"]').fill(`${MARK[0]}: prisoners only after talks resume`);
  } else {
    await lines.first().locator('[data-rl="note"]').fill(`${MARK[1]}: a halt to settlement expansion`);
    // Rank "start of talks" by keyboard: move the second option up.
    await page.locator('details.rankings > summary').click();
    await page.getByLabel('Confide my ranking of “start of talks”').check();
    const up = page.getByRole('button', { name: 'Move after the UN General Assembly up (start of talks)' });
    await up.focus();
    await page.keyboard.press('Enter');
  }
  await page.click('#send-confidence');
  await page.waitForFunction((m) => document.querySelector('#confided').textContent.includes(m), MARK[party], { timeout: 10000 });
}

async function readText(room) {
  return room.page.$$eval('.issue-answer', (rows) => rows.map((r) => ({
    issue: r.dataset.issue, value: r.querySelector('.value').textContent,
  })));
}

// One answer by a party's delegate: object to the issues that break its real red lines (naming the
// values it could live with), else accept.
async function answer(room, party, visit) {
  const page = room.page;
  if (visit === 1) {
    await fillConfidence(room, party);
    if (party === 1) {
      await page.locator('#accept-text').focus();
      await page.keyboard.press('Enter');
    } else {
      await page.click('#accept-text');
    }
    await waitAnswered(room);
    return 'opening';
  }
  const text = await readText(room);
  const objections = [];
  for (const { issue, value } of text) {
    const rule = party === 0 ? ISRAEL_FORBIDS[issue] : PAL_REQUIRES[issue];
    if (!rule) continue;
    const bad = party === 0 ? rule.includes(value) : !rule.includes(value);
    if (bad) objections.push(issue);
  }
  if (visit === 2) {
    await shot(room, 'desktop-in-caucus');
    // Keyboard: every control of the room in document order while it is in caucus.
    await tabOrder(room, ['accept-text', 'send-objections', 'send-confidence', 'fill-briefing']);
    await phone(room, 'phone-in-caucus');
  }
  if (!objections.length && party === 1 && visit === 3) {
    // The Palestinians ask for more: a counter-proposal through the form.
    await page.locator('#answer details > summary').first().click();
    await page.locator(`#answer select[data-issue="${SETTLE}"]`).selectOption('full freeze');
    await page.locator(`#answer select[data-issue="${BORDER}"]`).selectOption('1967 lines');
    await page.click('#send-counter');
    await waitAnswered(room);
    return 'counter-propose';
  }
  if (!objections.length) {
    await page.click('#accept-text');
    await waitAnswered(room);
    return 'accept';
  }
  for (const issue of objections) {
    const row = page.locator(`.issue-answer[data-issue="${issue}"]`);
    await row.getByLabel('Object', { exact: true }).check();
    const live = party === 0
      ? (await row.locator('input[data-livable]').evaluateAll((xs) => xs.map((x) => x.value))).filter((v) => !ISRAEL_FORBIDS[issue].includes(v))
      : PAL_REQUIRES[issue];
    for (const v of live) {
      const box = row.locator(`input[data-livable][value="${v}"]`);
      if (await box.count()) await box.check();
    }
  }
  await page.click('#send-objections');
  await waitAnswered(room);
  return `object ${objections.join(', ')}`;
}

// Labels, buttons, live regions, ids, storage: what every room must satisfy.
// Tabs through the page: focus must follow document order and reach the given controls.
async function tabOrder(room, mustReach) {
  const page = room.page;
  // Start where a keyboard user starts: the skip link, the first stop of every room.
  await page.focus('a.skip');
  const seen = [await page.evaluate(() => ({ id: 'skip', tag: 'A', index: [...document.querySelectorAll('*')].indexOf(document.activeElement) }))];
  let ordered = true;
  for (let k = 0; k < 400; ++k) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      const all = [...document.querySelectorAll('*')];
      return { id: a.id, tag: a.tagName, index: all.indexOf(a) };
    });
    if (!info) break;
    if (seen.length && info.index <= seen[seen.length - 1].index) {  // Wrapped around.
      if (process.env.WEB_ROOMS_DEBUG) log(`${room.name}: Tab wrapped at ${info.tag}#${info.id} after ${seen.slice(-3).map((s) => `${s.tag}#${s.id}`).join(', ')}`);
      break;
    }
    seen.push(info);
  }
  for (let k = 1; k < seen.length; ++k) if (seen[k].index <= seen[k - 1].index) ordered = false;
  if (process.env.WEB_ROOMS_DEBUG) log(`${room.name} Tab stops: ${seen.map((s) => `${s.tag}#${s.id}`).join(' ')}`);
  const ids = new Set(seen.map((s) => s.id));
  const missing = mustReach.filter((id) => !ids.has(id));
  check(ordered && seen.length > 3 && missing.length === 0,
    `${room.name}: Tab visits ${seen.length} controls in document order, reaching ${mustReach.join(', ')}${missing.length ? ` (missing ${missing.join(', ')})` : ''}`);
}

async function phone(room, label = 'phone') {
  await room.page.setViewportSize({ width: 390, height: 844 });
  await room.page.waitForTimeout(700);
  const width = await room.page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 391, `${room.name}: no horizontal scrolling at 390px (content ${width}px wide)`);
  await shot(room, label);
  await room.page.setViewportSize({ width: 1280, height: 900 });
}

async function chartRendered(room) {
  await room.page.waitForFunction(() => document.querySelector('#gap-chart')?.dataset.rendered === 'yes', null, { timeout: 15000 })
    .catch(() => {});
  const info = await room.page.$eval('#gap-chart', (n) => ({
    rendered: n.dataset.rendered, svg: Boolean(n.querySelector('svg')),
    marks: n.querySelectorAll('svg path, svg line, svg circle').length, label: n.getAttribute('aria-label'),
  }));
  check(info.rendered === 'yes' && info.svg && info.marks >= 5 && /gap over|public gap/i.test(info.label || ''),
    `${room.name}: gap chart drawn by vega-embed (${info.marks} marks, labelled "${info.label}")`);
}

// A car sale whose price is a real issue (24000 to 28000 in steps of 50, linear values) beside the
// integer delivery: the buyer's room asks for numbers with their range, shows what a typed number
// is worth by its own briefing, sends a counter-proposal with a typed number (snapped to the grid)
// and an objection with a range ("could live with at most 26000").
async function numericIssues(browser, base) {
  const scenario = JSON.parse(fs.readFileSync(path.join(sourceDir, 'examples', 'car-sale.json'), 'utf8'));
  scenario.issues[0] = { name: 'price', type: 'real', lower: 24000, upper: 28000, step: 50 };
  scenario.parties[0].profile.evaluators.price = { linear: { p0: 7, p1: -0.00025 } };
  scenario.parties[1].profile.evaluators.price = { linear: { p0: -6, p1: 0.00025 } };
  delete scenario.agenda;
  const created = await apiCall(base, 'api/sessions', { method: 'POST', body: { scenario, title: 'Car sale in numbers' } });
  const sid = created.session.id;
  const inv = (role, party) => created.invitations.find((i) => i.role === role && (party === undefined || i.party === party));
  const token = (i) => new URL(i.link).searchParams.get('token');
  const buyer = await newRoom(browser, 'buyer-numeric', inv('negotiator', 0).link);
  const dealer = await newRoom(browser, 'dealer-numeric', inv('negotiator', 1).link);
  const answers = async () => (await apiCall(base, `api/sessions/${sid}/mediator`, { token: token(inv('mediator')) })).parties[0].model.answers;
  const profile = await apiCall(base, `api/sessions/${sid}/parties/0/profile`, { token: token(inv('negotiator', 0)) });
  const points = profile.values.price.piecewise;
  check(Array.isArray(points) && points.length === 2, `the buyer's profile gives the price as points (${JSON.stringify(points)})`);
  const page = buyer.page;
  await waitTurnOrEnd(buyer);
  await page.locator('#answer details > summary').first().click();
  const price = page.locator('#answer input[data-issue="price"]');
  const attrs = await price.evaluate((x) => [x.type, x.min, x.max, x.step, x.labels.length]);
  check(JSON.stringify(attrs) === JSON.stringify(['number', '24000', '28000', '50', 1]),
    `the price is a labelled number field with min, max and step (${attrs.join(' ')})`);
  const delivery = await page.locator('#answer input[data-issue="delivery"]').evaluate((x) => [x.type, x.min, x.max, x.step]);
  check(JSON.stringify(delivery) === JSON.stringify(['number', '7', '42', '1']), `the integer delivery is a number field (${delivery.join(' ')})`);
  const row = await price.locator('xpath=..').textContent();
  check(row.includes('24000 to 28000, in steps of 50'), 'the price field shows its range as text');
  await price.fill('25010');
  const [x0, v0] = points[0];
  const [x1, v1] = points[1];
  const expected = (v0 + ((v1 - v0) * (25010 - x0)) / (x1 - x0)).toFixed(2);
  const worth = await page.locator('#answer [data-worth="price"]').first().textContent();
  check(worth.includes(`worth ${expected} to you`), `the worth of 25010 by the buyer's own points is shown (${worth}; expected ${expected})`);
  await page.click('#send-counter');
  await waitAnswered(buyer);
  const offer = (await answers()).at(-1);
  check(offer.type === 'offer' && offer.outcome.price === 25000 && typeof offer.outcome.price === 'number',
    `the counter-proposal reached the mediator with the typed price on the grid (${JSON.stringify(offer.outcome)})`);
  await waitTurnOrEnd(dealer);
  await dealer.page.click('#accept-text');
  await waitAnswered(dealer);
  if ((await waitTurnOrEnd(buyer)) === 'turn' && (await page.$('#send-objections'))) {
    const issueRow = page.locator('.issue-answer[data-issue="price"]');
    await issueRow.getByLabel('Object', { exact: true }).check();
    await issueRow.getByLabel('at most').fill('26000');
    await page.click('#send-objections');
    await waitAnswered(buyer);
    const objection = (await answers()).at(-1);
    const item = objection.type === 'object' ? objection.data.issues.find((i) => i.issue === 'price') : null;
    check(item && JSON.stringify(item.could_live_with) === '{"at_most":26000}',
      `an objection with an at-most range was accepted by the service (${JSON.stringify(objection.data)})`);
  } else {
    check(false, 'the buyer had a text to object to at the second visit');
  }
  await phone(buyer, 'numeric-phone');
  for (const room of [buyer, dealer]) {
    check(room.errors.length === 0, `${room.name}: no script errors${room.errors.length ? `: ${room.errors.slice(0, 3).join(' | ')}` : ''}`);
    await room.context.close();
  }
}

// examples/car-sale.json with a person in the mediator's seat (driven through the API) and the buyer
// in its room: the red-line menu offers a bound (at most / at least) for a number and values (must
// not be / must be) for a list, and edits the briefing's line; the mediator's could-you-live-with
// questions on the real price and the integer delivery are answered through a range form (at least
// / at most, snapped to the grid; both empty: none of it), never a list of boxes, and reach the
// service as ranges; the caucus log says the ranges in words. None of it reaches the dealer's room
// or the public's.
async function numericQuestions(browser, base) {
  const scenario = JSON.parse(fs.readFileSync(path.join(sourceDir, 'examples', 'car-sale.json'), 'utf8'));
  const created = await apiCall(base, 'api/sessions', {
    method: 'POST', body: { scenario, title: 'Car sale, a person mediating', options: { mediator: 'person' } },
  });
  const sid = created.session.id;
  const inv = (role, party) => created.invitations.find((i) => i.role === role && (party === undefined || i.party === party));
  const token = (i) => new URL(i.link).searchParams.get('token');
  const medToken = token(inv('mediator'));
  const seat = (body) => apiCall(base, `api/sessions/${sid}/mediator/moves`, { method: 'POST', token: medToken, body });
  const lastAnswer = async () => (await apiCall(base, `api/sessions/${sid}/events?limit=1000`, { token: medToken }))
    .events.filter((e) => e.type === 'answer').at(-1);
  const buyer = await newRoom(browser, 'buyer-asked', inv('negotiator', 0).link);
  const dealer = await newRoom(browser, 'dealer-asked', inv('negotiator', 1).link);
  const pub = await newRoom(browser, 'public-asked', inv('observer').link);
  const page = buyer.page;
  // Waits until the answer went through (the question left the form) or an error is shown.
  const answered = async (issue) => {
    await page.waitForFunction((i) => !(document.querySelector('#question-words')?.textContent || '').includes(i) ||
      !document.querySelector('#error').hidden, issue, { timeout: 15000 });
    const error = await page.$eval('#error', (e) => (e.hidden ? '' : e.textContent));
    if (error) throw new Error(`${buyer.name}: the answer failed: ${error}`);
  };

  await seat({ move: 'open', party: 0 });
  await seat({ move: 'ask', question: { kind: 'live_with', issue: 'price', values: { at_least: 25000, at_most: 26000 } } });
  await page.waitForSelector('#send-answer', { timeout: 15000 });
  const form = page.locator('#answer');
  const least = form.getByLabel('at least', { exact: true });
  const most = form.getByLabel('at most', { exact: true });
  const attrs = await least.evaluate((x) => [x.type, x.min, x.max, x.step]);
  const boxes = await form.locator('input[type="checkbox"]').count();
  check(JSON.stringify(attrs) === '["number","24000","28000","50"]' && (await most.count()) === 1 && boxes === 0,
    `a live-with question on the price is answered by at-least / at-most number fields, no boxes (${attrs.join(' ')}; ${boxes} boxes)`);
  const asked = await form.textContent();
  check(asked.includes('Could you live with price from 25000 to 26000?') && asked.includes('24000 to 28000, in steps of 50'),
    'the answer form says the question and the price\'s range in words');
  await pageHygiene(buyer, check);
  await shot(buyer, 'question');

  // The red-line menu, while the question waits (a party with the floor may confide).
  await page.click('#fill-briefing');
  const rows = page.locator('#red-line-rows fieldset.red-line');
  const kinds = (row) => row.locator('[data-rl="kind"] option').evaluateAll((xs) => xs.map((x) => x.value).join(' '));
  const briefed = rows.first();
  const edited = [await briefed.locator('[data-rl="issue"]').inputValue(), await briefed.locator('[data-rl="kind"]').inputValue(),
    await briefed.locator('[data-rl="bound"]').inputValue(), await kinds(briefed)];
  check(JSON.stringify(edited) === '["price","at_most","27000","at_most at_least"]',
    `the briefing's red line on the price edits as a bound, the menu offering at most / at least only (${edited.join(', ')})`);
  await page.click('[data-add-red-line]');
  const added = rows.last();
  await added.locator('[data-rl="issue"]').selectOption('warranty');
  const discrete = [await kinds(added), await added.locator('[data-rl="values"] input[type="checkbox"]').count(),
    await added.locator('[data-rl="bound"]').count()];
  await added.locator('[data-rl="issue"]').selectOption('delivery');
  const integer = [await kinds(added), await added.locator('[data-rl="values"] input[type="checkbox"]').count(),
    await added.locator('[data-rl="bound"]').count()];
  check(JSON.stringify(discrete) === '["forbid require",4,0]' && JSON.stringify(integer) === '["at_most at_least",0,1]',
    `the red-line menu: must not be / must be with boxes for the warranty (${discrete.join(', ')}), at most / at least with a number for the delivery (${integer.join(', ')})`);
  await added.locator('[data-rl="kind"]').selectOption('at_least');
  await added.locator('[data-rl="bound"]').fill('10');
  await briefed.locator('[data-rl="bound"]').fill('26500');
  for (const id of ['inc-weights', 'inc-values', 'inc-rv']) await page.locator(`#${id}`).uncheck();
  await page.click('#send-confidence');
  await page.waitForFunction(() => document.querySelector('#confided').textContent.includes('26500'), null, { timeout: 10000 }).catch(() => {});
  const caucus = await apiCall(base, `api/sessions/${sid}/parties/0/caucus`, { token: token(inv('negotiator', 0)) });
  const lines = (caucus.confided.red_lines || []).map((l) => [l.issue, l.at_most ?? null, l.at_least ?? null]);
  check(JSON.stringify(lines) === '[["price",26500,null],["delivery",null,10]]',
    `the edited and the added bounds were confided (${JSON.stringify(lines)})`);

  // The answer: a range typed off the grid arrives on it.
  await least.fill('25110');
  await most.fill('25800');
  await page.click('#send-answer');
  await answered('price');
  const range = await lastAnswer();
  check(range && range.actor === 'buyer' && JSON.stringify(range.data) === '{"could_live_with":{"at_least":25100,"at_most":25800}}',
    `the answer reached the service as a range on the grid (${range ? range.text : 'no answer'})`);
  // The mediator keeps the caucus (and the floor) after the answer: the room says so.
  const turn = await page.waitForSelector('#mediator-turn', { timeout: 10000 }).then(() => true, () => false);
  const badge = await page.textContent('#status');
  check(turn && badge.includes('The mediator is in caucus with you'), `after answering, the room says the mediator is still in caucus with it (${badge})`);
  // Both sides left empty: none of the numbers asked about.
  await seat({ move: 'ask', question: { kind: 'live_with', issue: 'delivery', values: { at_most: 14 } } });
  await page.waitForFunction(() => (document.querySelector('#question-words')?.textContent || '').includes('delivery'), null, { timeout: 15000 });
  const integerAttrs = await form.getByLabel('at most', { exact: true }).evaluate((x) => [x.min, x.max, x.step]);
  await page.click('#send-answer');
  await answered('delivery');
  const none = await lastAnswer();
  check(JSON.stringify(integerAttrs) === '["7","42","1"]' && none && JSON.stringify(none.data) === '{"could_live_with":[]}',
    `the delivery's range form (${integerAttrs.join(' ')}) left empty answers "none of it" (${none ? none.text : 'no answer'})`);

  // The caucus log in words.
  const want = ['The mediator asked you: Could you live with price from 25000 to 26000?', 'buyer could live with price from 25100 to 25800.',
    'red lines (price at most 26500; delivery at least 10)', 'buyer could live with none of the values of delivery asked about.'];
  await page.waitForFunction((w) => w.every((x) => document.querySelector('#timeline').textContent.includes(x)), want, { timeout: 15000 })
    .catch(() => {});
  const caucusLog = await page.textContent('#timeline');
  const missing = want.filter((x) => !caucusLog.includes(x));
  check(missing.length === 0, `the buyer's caucus log says the ranges and bounds in words${missing.length ? ` (missing: ${missing.join(' | ')})` : ''}`);
  // Each event once (two polls at once once read the same events twice).
  const seen = (await apiCall(base, `api/sessions/${sid}/events?limit=1000`, { token: token(inv('negotiator', 0)) }))
    .events.filter((e) => e.type !== 'start').length;
  const listed = await page.locator('#timeline li').count();
  check(listed === seen, `the buyer's caucus log lists each of its ${seen} events once (${listed} lines)`);
  await shot(buyer, 'answered');

  // Nothing of it in the dealer's room or the public's; the buyer's room did receive it.
  await seat({ move: 'statement', text: 'The mediator met the buyer.' });
  await pub.page.waitForFunction(() => document.querySelector('#statements').textContent.includes('met the buyer'), null, { timeout: 15000 });
  for (const room of [buyer, dealer, pub]) await room.responses.settle();
  const words = ['could_live_with', 'live_with', '"at_most":25800', '"at_most":26500'];
  for (const room of [dealer, pub]) {
    const leaks = room.responses.seen.filter((r) => words.some((w) => r.body.includes(w)));
    const dom = await room.page.content();
    check(leaks.length === 0 && !/could live with|price at most 26500/.test(dom),
      `${room.name}: none of the buyer's answers or red lines in its ${room.responses.seen.length} API responses nor its page`);
  }
  check(buyer.responses.seen.some((r) => r.body.includes('"at_most":25800')), `${buyer.name}: its own answer came back from the API (the check above can fail)`);
  for (const room of [buyer, dealer, pub]) {
    check(room.errors.length === 0, `${room.name}: no script errors${room.errors.length ? `: ${room.errors.slice(0, 3).join(' | ')}` : ''}`);
    await room.context.close();
  }
}

async function main() {
  fs.mkdirSync(shotsDir, { recursive: true });
  const server = await startServer({ shuttle, sourceDir, tmpDir, extra: ['--anonymous-batch', '2', '--stream-seconds', '5'] });
  const base = server.url;
  log(`shuttle serve at ${base}`);
  let browser;
  try {
    for (const file of ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']) {
      const res = await fetch(`${base}/vendor/${file}`);
      const type = res.headers.get('content-type') || '';
      const size = (await res.arrayBuffer()).byteLength;
      check(res.status === 200 && /javascript/.test(type) && size > 10000,
        `the binary serves /vendor/${file} (${res.status}, ${type}, ${size} bytes; docs/api.md, Links)`);
    }
    const scenario = JSON.parse(fs.readFileSync(path.join(sourceDir, 'examples', 'resuming-talks.json'), 'utf8'));
    const created = await apiCall(base, 'api/sessions', {
      method: 'POST',
      body: { scenario, title: 'Resuming talks', options: { max_visits: 10 } },
    });
    const inv = (role, party) => created.invitations.find((i) => i.role === role && (party === undefined || i.party === party));
    const links = {
      mediator: inv('mediator').link,
      israel: inv('negotiator', 0).link,
      palestinians: inv('principal', 1).link,
      public: inv('observer').link,
    };
    check(Object.values(links).every((l) => l.startsWith(`${base}/`)), 'invitation links point at the server');

    browser = await launchBrowser(chromium);
    await numericIssues(browser, base);
    await numericQuestions(browser, base);
    const mediator = await newRoom(browser, 'mediator', links.mediator);
    const israel = await newRoom(browser, 'israel', links.israel);
    const palestinians = await newRoom(browser, 'palestinians', links.palestinians);
    const pub = await newRoom(browser, 'public', links.public);
    const parties = [israel, palestinians];
    const rooms = [mediator, israel, palestinians, pub];

    await israel.page.waitForSelector('#fill-briefing');
    const whoSees = await israel.page.textContent('#who-sees');
    check(/mediator and\s+the mediator's staff only/.test(whoSees) && /other party never sees them/.test(whoSees) &&
      /public sees only the mediator's statements/.test(whoSees), 'party room explains who sees what');
    await shot(israel, 'desktop-opening');

    // Visits until the talks end.
    let visit = 1;
    let over = false;
    while (!over && visit <= 12) {
      for (let p = 0; p < 2 && !over; ++p) {
        const room = parties[p];
        if ((await waitTurnOrEnd(room)) === 'over') {
          over = true;
          break;
        }
        log(`visit ${visit}: ${room.name} ${await answer(room, p, visit)}`);
        if (visit === 1 && p === 0) {
          await room.page.getByLabel('Note to the mediator in your caucus').fill(`${MARK[0]} caucus note`);
          await room.page.getByRole('button', { name: 'Send note' }).click();
        }
        if (visit === 1 && p === 1) {
          await room.page.getByLabel('Note to the mediator in your caucus').fill(`${MARK[1]} caucus note`);
          await room.page.getByRole('button', { name: 'Send note' }).click();
        }
      }
      if (visit === 1) {
        // The mediator answers in Israel's caucus and speaks to the public.
        await mediator.page.getByLabel('Note into the caucus with Israel').fill('Mediator to Israel: thank you for your frankness.');
        await mediator.page.getByRole('button', { name: 'Send to Israel' }).click();
        await mediator.page.getByLabel('Statement to the public').fill(STATEMENT);
        await mediator.page.getByRole('button', { name: 'Issue public statement' }).click();
        await mediator.page.waitForFunction((s) => document.querySelector('#statements').textContent.includes(s), STATEMENT);
        await pub.page.getByRole('textbox', { name: 'Anonymous note', exact: true }).fill(ANON);
        await pub.page.getByRole('button', { name: 'Send anonymously' }).click();
      }
      if (visit === 2) {
        await shot(mediator, 'desktop-mid');
        await tabOrder(mediator, ['close-talks']);
        // Nothing of one party on the other's page, mid-session.
        for (let p = 0; p < 2; ++p) {
          const html = await parties[p].page.content();
          check(!html.includes(MARK[1 - p]), `${parties[p].name}: the other party's marker is not in the page (visit 2)`);
        }
      }
      visit += 1;
    }
    check(over, `the talks ended (after ${visit - 1} visits)`);

    // The mediator's console after the end.
    const consoleJson = await apiCall(base, `api/sessions/${created.session.id}/mediator`, { token: new URL(links.mediator).searchParams.get('token') });
    fs.writeFileSync(path.join(shotsDir, 'mediator-end.json'), JSON.stringify(consoleJson, null, 1));
    log(`ended: ${consoleJson.status} (${consoleJson.end_reason}), gaps ${consoleJson.gap_by_visit.map((g) => g.toFixed(2)).join(' ')}`);
    // Israel objected at every visit after the opening: its part of the gap, and so the public
    // gap, cannot be 0 (a reservation value misread from its confidence once made it so).
    check(consoleJson.gap_by_visit.length >= 3 && consoleJson.gap_by_visit.slice(1).every((g) => g > 0) &&
      consoleJson.gap_contributions.slice(1).every((c) => c[0] > 0),
      `the gap stays above 0 while Israel objects (${consoleJson.gap_by_visit.map((g) => g.toFixed(2)).join(' ')})`);
    await mediator.page.waitForFunction(() => /Ended/.test(document.querySelector('#status').textContent), null, { timeout: 10000 });
    const medText = await mediator.page.textContent('main');
    check(medText.includes(MARK[0]) && medText.includes(MARK[1]), 'mediator console shows what both parties confided and noted');
    // Anonymous notes come in batches once their batch is over (--anonymous-batch 2 here).
    const anonShown = await mediator.page.waitForFunction((a) => document.querySelector('main').textContent.includes(a),
      ANON, { timeout: 10000 }).then(() => true, () => false);
    check(anonShown, 'mediator console shows the anonymous note once its batch is over');
    const answersShown = await mediator.page.$$eval('[data-party] [data-slot="answers"] li', (xs) => xs.length);
    const answersApi = consoleJson.parties.reduce((n, p) => n + p.model.answers.length, 0);
    check(answersShown === answersApi && answersApi >= 2, `mediator console lists every answer (${answersShown} of ${answersApi})`);
    check(/counter-proposed settlement construction during talks: full freeze/.test(medText), "mediator console shows the Palestinians' counter-proposal");
    if (consoleJson.diagnosis) {
      const diag = await mediator.page.textContent('#diagnosis');
      check(/cannot all be met/.test(diag), 'mediator console shows the impasse diagnosis');
    }
    await chartRendered(mediator);
    await mediator.page.locator('#h-invitations + details summary').click();
    await mediator.page.waitForSelector('#invitations table');
    await shot(mediator, 'desktop');

    // The public page.
    await pub.page.waitForFunction((s) => document.querySelector('#statements').textContent.includes(s), STATEMENT, { timeout: 10000 });
    // The talks are over, so the API's list is final; the page polls, so give it time to catch up
    // (a page that never does is reported by the check below, not by the wait's timeout).
    const publicJson = await apiCall(base, `api/sessions/${created.session.id}/public`, { token: new URL(links.public).searchParams.get('token') });
    await pub.page.waitForFunction((n) => document.querySelectorAll('#statements li').length >= n,
      publicJson.statements.length, { timeout: 10000 }).catch(() => {});
    const statements = await pub.page.$$eval('#statements li', (xs) => xs.length);
    check(statements === publicJson.statements.length && statements >= 2, `public page lists every statement (${statements})`);
    await chartRendered(pub);
    await shot(pub, 'desktop');

    // Each party's room at the end.
    for (const room of parties) {
      await room.page.waitForFunction(() => document.querySelector('#status .badge.ok, #status .badge.bad'), null, { timeout: 10000 });
      await shot(room, 'desktop');
    }
    const ilConfided = await israel.page.textContent('#confided');
    check(ilConfided.includes(MARK[0]) && /Weights/.test(ilConfided), 'Israel sees what it confided');
    const palText = await palestinians.page.textContent('#confided');
    check(/start of talks: after the UN General Assembly › at once/.test(palText), 'the ranking moved by keyboard was confided');
    const israelTimeline = await israel.page.textContent('#timeline');
    check(israelTimeline.includes('Mediator to Israel'), "Israel's caucus shows the mediator's note");
    check(!(await palestinians.page.textContent('main')).includes('Mediator to Israel'), "the Palestinians' room does not show the mediator's note to Israel");

    // A party's token on the mediator's console: refused, nothing shown.
    const wrong = await israel.context.newPage();
    await wrong.goto(`${base}/mediator.html?token=${new URL(links.israel).searchParams.get('token')}`);
    await wrong.waitForSelector('.fatal');
    check(!(await wrong.content()).includes(MARK[1]), "a party's token opens no mediator console");
    await wrong.close();

    // The landing page sends a pasted link to its room.
    const landing = await pub.context.newPage();
    await landing.goto(`${base}/`);
    await landing.getByLabel('Paste your invitation link').fill(links.public);
    await landing.getByRole('button', { name: 'Open my room' }).click();
    await landing.waitForURL(/\/public\.html\?token=/, { timeout: 10000 });
    await landing.waitForSelector('#statements li');
    check(true, 'the landing page opens the room of a pasted link');
    await landing.close();

    for (const room of rooms) await pageHygiene(room, check);
    for (const room of rooms) await phone(room);

    // No marker of one party in anything the other party's or the public's browser received.
    for (const room of rooms) await room.responses.settle();
    for (let p = 0; p < 2; ++p) {
      const room = parties[p];
      const leaks = room.responses.seen.filter((r) => r.body.includes(MARK[1 - p]) || JSON.stringify(r.headers).includes(MARK[1 - p]));
      const dom = await room.page.content();
      check(leaks.length === 0 && !dom.includes(MARK[1 - p]),
        `${room.name}: the other party's marker is in none of its ${room.responses.seen.length} API responses nor its page`);
      const own = room.responses.seen.some((r) => r.body.includes(MARK[p]));
      check(own, `${room.name}: its own marker came back from the API (the check above can fail)`);
    }
    const pubLeaks = pub.responses.seen.filter((r) => MARK.some((m) => r.body.includes(m)));
    check(pubLeaks.length === 0, `public: no marker in its ${pub.responses.seen.length} API responses`);
    const pubDom = await pub.page.content();
    check(!MARK.some((m) => pubDom.includes(m)) && !pubDom.includes(ANON), 'public: no marker and no anonymous note in the page');
    const medSeen = mediator.responses.seen.some((r) => r.body.includes(MARK[0])) && mediator.responses.seen.some((r) => r.body.includes(MARK[1]));
    check(medSeen, 'mediator: both markers reached the console');
    const cached = rooms.flatMap((r) => r.responses.seen).filter((r) => !/no-store/.test(r.headers['cache-control'] || ''));
    check(cached.length === 0, `every API response says Cache-Control: no-store${cached.length ? ` (not: ${cached[0].url})` : ''}`);

    for (const room of rooms) {
      check(room.errors.length === 0, `${room.name}: no script errors${room.errors.length ? `: ${room.errors.slice(0, 3).join(' | ')}` : ''}`);
    }
    log(`screenshots in ${shotsDir}`);
  } finally {
    if (browser) await browser.close();
    server.child.kill('SIGTERM');
  }
  if (failures()) {
    console.log(`web rooms e2e: ${failures()} check(s) failed`);
    process.exit(1);
  }
  console.log('web rooms e2e: ok');
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
