// Browser end-to-end test of the blind-bidding step and the agreement rule (called by
// web_bidding.sh):
//   node web_bidding.mjs SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR
// examples/car-sale.json with the price settled last by blind bidding (the dealer claims, 3 rounds,
// a 5% margin, crossing bids at the demand). The test settles the car and the money through the
// API (the seat's texts, both parties' accepts), then in the browser: the console asks the buyer
// for its bid; the buyer's room shows the rules and a number field and sends a bid (typed off the
// grid: snapped); the dealer bids through the API. Round 1 does not settle, round 2 crosses and
// settles at the dealer's demand. Both rooms' timelines say each round's result; no other bid than
// the demand the settlement names reaches the other party's room or the public page (DOM or any API
// response). A second session, on examples/harbor-expansion.json, shows its agreement rule in words
// on its public page and in a party's room.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

import { makeChecks, startServer, apiCall, newRoom, launchBrowser, pageHygiene } from './lib/rooms.mjs';

const [shuttle, sourceDir, shotsDir, tmpDir] = process.argv.slice(2);
if (!tmpDir) {
  console.error('usage: node web_bidding.mjs SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR');
  process.exit(2);
}
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const { check, log, failures } = makeChecks();

// Amounts found nowhere else in the scenario or the texts put: each names one bid.
const BUYER_TYPED = '24163'; // Off the grid of 50: the room sends 24150.
const BUYER_BIDS = ['24150', '25650'];
const DEALER_BIDS = ['27950', '25450'];
// Round 2: the offer 25650 meets the demand 25450: settled at the demand, which every party then
// knows; the dealer's first demand stays its own.
const SETTLED = DEALER_BIDS[1];
const SECRET = [...BUYER_BIDS, DEALER_BIDS[0]];
const shot = (room, label) => room.page.screenshot({ path: path.join(shotsDir, `${room.name}-${label}.png`), fullPage: true });
const example = (name) => JSON.parse(fs.readFileSync(path.join(sourceDir, 'examples', name), 'utf8'));

async function main() {
  fs.mkdirSync(shotsDir, { recursive: true });
  // Short event streams: the check of every API response a room received waits for each to end.
  const server = await startServer({ shuttle, sourceDir, tmpDir, db: 'bidding.db', extra: ['--stream-seconds', '5'] });
  const base = server.url;
  log(`shuttle serve at ${base}`);
  let browser;
  try {
    const created = await apiCall(base, 'api/sessions', {
      method: 'POST',
      body: {
        scenario: example('car-sale.json'),
        title: 'Car sale by bids',
        options: {
          mediator: 'person',
          bidding: { issue: 'price', claimant: 'dealer', rounds: 3, margin_percent: 5, margin_amount: 0, crossing: 'demand' },
        },
      },
    });
    const sid = created.session.id;
    const inv = (role, party) => created.invitations.find((i) => i.role === role && (party === undefined || i.party === party));
    const token = (i) => new URL(i.link).searchParams.get('token');
    const medToken = token(inv('mediator'));
    const partyToken = [token(inv('negotiator', 0)), token(inv('negotiator', 1))];
    const seat = (body) => apiCall(base, `api/sessions/${sid}/mediator/moves`, { method: 'POST', token: medToken, body });
    const party = (p, what, body) => apiCall(base, `api/sessions/${sid}/parties/${p}/${what}`, { method: 'POST', token: partyToken[p], body });
    check(created.session.agenda.at(-1).name === 'bidding: price' && created.session.bidding.claimant === 'dealer',
      `the session view has the bidding stage and its rules (${created.session.agenda.map((s) => s.name).join(', ')})`);

    // The car, then the money: the same text to both, both accept, the stage is settled.
    const text = { price: 26000, warranty: '1 year', delivery: 14, extras: 'floor mats', financing: 'cash' };
    for (let stage = 0; stage < 2; ++stage) {
      for (const p of [0, 1]) {
        await seat({ move: 'open', party: p });
        await seat({ move: 'text', outcome: text });
        await party(p, 'accept', {});
        await seat({ move: 'leave' });
      }
      await seat({ move: 'round' });
      await seat({ move: 'settle' });
    }
    const view = await apiCall(base, `api/sessions/${sid}/mediator`, { token: medToken });
    check(view.stage === created.session.bidding.stage, `the API settled the first two stages (stage ${view.stage})`);

    browser = await launchBrowser(chromium);
    const mediator = await newRoom(browser, 'mediator', inv('mediator').link);
    const buyer = await newRoom(browser, 'buyer', inv('negotiator', 0).link);
    const dealer = await newRoom(browser, 'dealer', inv('negotiator', 1).link);
    const pub = await newRoom(browser, 'public', inv('observer').link);
    const page = mediator.page;
    const click = async (room, name) => {
      await room.page.getByRole('button', { name, exact: true }).click();
      await room.page.waitForFunction(() => !document.querySelector('button[aria-busy]'), null, { timeout: 15000 });
      const error = await room.page.$eval('#error', (e) => (e.hidden ? '' : e.textContent));
      if (error) throw new Error(`${room.name}: ${name}: ${error}`);
    };
    const waitText = (room, selector, re, what) => room.page.waitForFunction(([s, r]) => {
      const node = document.querySelector(s);
      return node && new RegExp(r).test(node.textContent);
    }, [selector, re.source], { timeout: 15000 }).then(() => true, () => false).then((ok) => check(ok, what));

    // The console at the bidding stage: texts closed, the question is a bid.
    await page.waitForSelector('#seat-parties button:not([disabled])', { timeout: 15000 });
    await waitText(mediator, '#texts-closed:not([hidden])', /Texts are closed at this stage/, 'console: says texts are closed at the bidding stage');
    check(await page.$eval('#put-text', (b) => b.disabled), 'console: "Put this text" is disabled at the bidding stage');
    await waitText(mediator, '#bidding', /dealer \(the claimant\) demands/, 'console: states the bidding rules');

    // Round 1: the console asks the buyer; the buyer's room bids.
    await click(mediator, 'Open a caucus with buyer');
    await page.waitForSelector('#ask-button:not([disabled])', { timeout: 15000 });
    check(await page.$eval('#ask-kind', (s) => s.value) === 'bid', 'console: the question offered at the bidding stage is the bid');
    check(!(await page.locator('#ask-at-least').isVisible()) && !(await page.locator('#ask-values').isVisible()),
      'console: a bid question shows no range or values to ask about');
    await click(mediator, 'Ask');
    const bidInput = buyer.page.locator('input[data-answer-bid]');
    await bidInput.waitFor({ timeout: 15000 });
    const attrs = await bidInput.evaluate((x) => [x.min, x.max, x.step].join(' '));
    check(attrs === '24000 28000 50', `buyer: the bid is a number field with the issue's range and step (${attrs})`);
    const rules = await buyer.page.locator('#bid-rules').textContent();
    check(/You are the respondent: you offer/.test(rules) && /within 5% of the demand/.test(rules) && /Round 1 of 3/.test(rules),
      `buyer: the bid form states the rules and the round (“${rules}”)`);
    check(/never shown to the other side/.test(await buyer.page.locator('#answer').textContent()), 'buyer: the form says the bid is never shown to the other side');
    await bidInput.fill(BUYER_TYPED);
    await shot(buyer, 'desktop-bid');
    await click(buyer, 'Answer');
    await waitText(buyer, '#timeline', new RegExp(`You bid ${BUYER_BIDS[0]} on price`), `buyer: its timeline says “You bid ${BUYER_BIDS[0]}” (typed ${BUYER_TYPED}, snapped to the grid)`);
    await click(mediator, 'Leave the caucus');
    await seat({ move: 'open', party: 1 });
    await seat({ move: 'ask', question: { kind: 'bid', issue: 'price' } });
    await party(1, 'answer', { bid: Number(DEALER_BIDS[0]) });
    await seat({ move: 'leave' });
    await page.waitForSelector('#seat-moves button:not([disabled]):has-text("End the bidding round")', { timeout: 15000 });
    await click(mediator, 'End the bidding round');
    for (const room of [buyer, dealer]) {
      await waitText(room, '#timeline', /Round 1 of 3: no settlement/, `${room.name}: its timeline says round 1 did not settle`);
    }
    await waitText(mediator, '#bidding-rounds', new RegExp(`${BUYER_BIDS[0]}.*${DEALER_BIDS[0]}.*Round 1 of 3: no settlement`),
      'console: the rounds table has the bids heard in caucus and the result');
    check(/confidential/.test(await page.locator('#bidding-rounds caption').textContent()), 'console: the bids are labelled confidential');

    // Round 2: the dealer first (through the API), then the buyer's room; they cross.
    await seat({ move: 'open', party: 1 });
    await seat({ move: 'ask', question: { kind: 'bid', issue: 'price' } });
    await party(1, 'answer', { bid: Number(DEALER_BIDS[1]) });
    await seat({ move: 'leave' });
    await seat({ move: 'open', party: 0 });
    await seat({ move: 'ask', question: { kind: 'bid', issue: 'price' } });
    await buyer.page.waitForFunction(() => /Round 2 of 3/.test(document.querySelector('#bid-rules')?.textContent || ''), null, { timeout: 15000 });
    await bidInput.fill(BUYER_BIDS[1]);
    await click(buyer, 'Answer');
    await seat({ move: 'leave' });
    await seat({ move: 'round' });
    const settled = new RegExp(`Round 2 of 3: settled at ${SETTLED} — the offer met the demand, at the demand`);
    for (const room of [buyer, dealer]) await waitText(room, '#timeline', settled, `${room.name}: its timeline says round 2 settled at ${SETTLED}, at the demand`);
    await waitText(mediator, '#bidding-rounds', settled, 'console: the rounds table has round 2\'s settlement');
    const session = await apiCall(base, `api/sessions/${sid}`, { token: medToken });
    check(session.status === 'agreement' && String(session.agreement.price) === SETTLED,
      `the talks ended in agreement at the settled price (${session.status}, ${session.agreement && session.agreement.price})`);
    await waitText(pub, '#agreement', new RegExp(SETTLED), 'public: shows the agreement');
    await shot(buyer, 'desktop-settled');
    await shot(mediator, 'desktop-bidding');

    // No bid outside its party's caucus: the other party's room and the public, DOM and network.
    for (const room of [buyer, dealer, pub]) await room.responses.settle();
    const leaks = async (room, foreign) => {
      const dom = await room.page.content();
      const inDom = foreign.filter((m) => dom.includes(m));
      const inNet = room.responses.seen.filter((r) => foreign.some((m) => r.body.includes(m)));
      return { count: inDom.length + inNet.length, what: [...inDom, ...inNet.map((r) => r.url)].join(', ') };
    };
    const cases = [[dealer, BUYER_BIDS], [buyer, [DEALER_BIDS[0]]], [pub, SECRET]];
    for (const [room, foreign] of cases) {
      const found = await leaks(room, foreign);
      check(found.count === 0, `${room.name}: none of ${foreign.join(', ')} in its page or its ${room.responses.seen.length} API responses${found.count ? `: ${found.what}` : ''}`);
    }
    // The same search finds a party's own bids in its own room.
    check((await leaks(buyer, BUYER_BIDS)).count > 0 && (await leaks(dealer, [DEALER_BIDS[0]])).count > 0,
      'each party\'s own bids are in its own room (the searches above can fail)');
    for (const room of [mediator, buyer, dealer, pub]) {
      check(room.errors.length === 0, `${room.name}: no script errors${room.errors.length ? `: ${room.errors.slice(0, 3).join(' | ')}` : ''}`);
    }
    await pageHygiene(buyer, check);
    await pageHygiene(mediator, check);
    check(await pub.page.locator('#agreement-rule').count() === 0, 'public: no rule sentence under unanimity');

    // An agreement rule, in words, on the public page and in a party's room: what a deal needs,
    // never who accepted.
    const harbor = await apiCall(base, 'api/sessions', { method: 'POST', body: { scenario: example('harbor-expansion.json') } });
    const harborInv = (role, p) => harbor.invitations.find((i) => i.role === role && (p === undefined || i.party === p));
    const harborPub = await newRoom(browser, 'harbor-public', harborInv('observer').link);
    const sentence = 'A deal needs 5 of the 6 parties, developer and federal_agency among them.';
    await waitText(harborPub, '#rules', new RegExp(sentence), `harbor public: says “${sentence}”`);
    const harborParty = await newRoom(browser, 'harbor-union', harborInv('negotiator', 3).link);
    await waitText(harborParty, '#rules', new RegExp(sentence), 'harbor union\'s room: says the rule too');
    await shot(harborPub, 'desktop-rule');
    log(`screenshots in ${shotsDir}`);
  } finally {
    if (browser) await browser.close();
    server.child.kill('SIGTERM');
  }
  if (failures()) {
    console.log(`web bidding e2e: ${failures()} check(s) failed`);
    process.exit(1);
  }
  console.log('web bidding e2e: ok');
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
