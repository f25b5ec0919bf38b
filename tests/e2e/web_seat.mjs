// Browser end-to-end test of the mediator's seat (called by web_seat.sh):
//   node web_seat.mjs SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR
// A person (this test) mediates examples/car-sale.json in the console against two automated
// reticent parties: opens the dealer's caucus first and the buyer's twice in a row, edits the
// engine's suggested text before putting it, asks a structured question, then works through both
// agenda stages to agreement. Each party's room and the public room stay open throughout. A marker
// in each party's red-line note (its own profile) and in the mediator's note into each caucus must
// reach neither the other party's room nor the public (DOM or any API response); the advice
// endpoint answers parties 404. After a restart the stored log replays to the same events.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { makeChecks, startServer, apiCall, newRoom, launchBrowser, pageHygiene } from './lib/rooms.mjs';

const [shuttle, sourceDir, shotsDir, tmpDir] = process.argv.slice(2);
if (!tmpDir) {
  console.error('usage: node web_seat.mjs SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR');
  process.exit(2);
}
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const { check, log, failures } = makeChecks();

const MARK = [`MARKER-BUYER-${randomBytes(6).toString('hex')}`, `MARKER-DEALER-${randomBytes(6).toString('hex')}`];
const NOTE = [`MARKER-TO-BUYER-${randomBytes(6).toString('hex')}`, `MARKER-TO-DEALER-${randomBytes(6).toString('hex')}`];
const shot = (room, label) => room.page.screenshot({ path: path.join(shotsDir, `${room.name}-${label}.png`), fullPage: true });

async function main() {
  fs.mkdirSync(shotsDir, { recursive: true });
  let server = await startServer({ shuttle, sourceDir, tmpDir, db: 'seat.db', extra: ['--stream-seconds', '5'] });
  let base = server.url;
  log(`shuttle serve at ${base}`);
  let browser;
  try {
    const scenario = JSON.parse(fs.readFileSync(path.join(sourceDir, 'examples', 'car-sale.json'), 'utf8'));
    scenario.parties[0].profile.red_lines[0].note = `${MARK[0]}: the bank's limit`;
    scenario.parties[1].profile.red_lines = [{ issue: 'price', at_least: 24000, note: `${MARK[1]}: below cost` }];
    const created = await apiCall(base, 'api/sessions', {
      method: 'POST',
      body: { scenario, title: 'Car sale', options: { mediator: 'person', parties: ['reticent', 'reticent'] } },
    });
    const sid = created.session.id;
    const inv = (role, party) => created.invitations.find((i) => i.role === role && (party === undefined || i.party === party));
    const token = (i) => new URL(i.link).searchParams.get('token');
    const medToken = token(inv('mediator'));
    browser = await launchBrowser(chromium);
    const mediator = await newRoom(browser, 'mediator', inv('mediator').link);
    const buyer = await newRoom(browser, 'buyer', inv('negotiator', 0).link);
    const dealer = await newRoom(browser, 'dealer', inv('negotiator', 1).link);
    const pub = await newRoom(browser, 'public', inv('observer').link);
    const parties = [buyer, dealer];
    const page = mediator.page;
    await page.waitForSelector('#seat:not([hidden])');
    await page.waitForSelector('#forecasts');
    check(true, 'the console shows the seat and the advice for a seated session');

    const consoleView = () => apiCall(base, `api/sessions/${sid}/mediator`, { token: medToken });
    const lastAnswer = async (p) => {
      const answers = (await consoleView()).parties[p].model.answers;
      return answers.length ? answers[answers.length - 1].type : '';
    };
    const click = async (name) => {
      await page.getByRole('button', { name, exact: true }).click();
      await page.waitForFunction(() => !document.querySelector('button[aria-busy]'), null, { timeout: 15000 });
      const error = await page.$eval('#error', (e) => (e.hidden ? '' : e.textContent));
      if (error) throw new Error(`${name}: ${error}`);
    };
    // Waits until the console's moves match the floor (after the poll that follows each move).
    const waitCan = (move) => page.waitForFunction((m) => {
      const b = { open: '#seat-parties button', text: '#put-text', ask: '#ask-button' }[m];
      return b && document.querySelector(`${b}:not([disabled])`);
    }, move, { timeout: 15000 });

    // Visit 1: the dealer first, invited to propose; then the buyer twice in a row.
    await waitCan('open');
    await click('Open a caucus with dealer');
    await waitCan('text');
    await click('Invite a proposal (no text)');
    check(await lastAnswer(1) === 'offer', 'the automated dealer answered the invitation at once (a counter-proposal)');
    await page.getByLabel('Note into the caucus with dealer').fill(NOTE[1]);
    await page.getByRole('button', { name: 'Send to dealer' }).click();
    await click('Leave the caucus');
    await waitCan('open');
    await click('Open a caucus with buyer');
    await waitCan('text');
    // Edit the suggested text: another value of "extras"; the forecast follows the draft (the page
    // asks for advice on the edited draft).
    const extras = page.locator('#draft-extras');
    const values = await extras.locator('option').allTextContents();
    const current = await extras.inputValue();
    const chosen = values.find((v) => v !== current);
    await extras.selectOption(chosen);
    const advisedOn = () => mediator.responses.seen.some((r) => r.url.includes('/mediator/advice') &&
      (() => { try { return JSON.parse(r.body).advice.draft.extras === chosen; } catch (e) { return false; } })());
    for (let k = 0; k < 50 && !advisedOn(); ++k) await page.waitForTimeout(200);
    check(advisedOn(), `the console asked for advice on the edited draft (extras: ${chosen})`);
    await shot(mediator, 'desktop-seat');
    await click('Put this text');
    const buyerAnswer = await lastAnswer(0);
    check(['accept', 'object'].includes(buyerAnswer), `the buyer answered the edited text (${buyerAnswer})`);
    await page.getByLabel('Note into the caucus with buyer').fill(NOTE[0]);
    await page.getByRole('button', { name: 'Send to buyer' }).click();
    await click('Leave the caucus');
    await waitCan('open');
    await click('Open a caucus with buyer');
    await waitCan('ask');
    await page.selectOption('#ask-kind', 'live_with');
    await page.selectOption('#ask-issue', 'price');
    // A numeric issue is asked about as a range.
    await page.fill('#ask-at-least', '25000');
    await page.fill('#ask-at-most', '26000');
    await click('Ask');
    check(await lastAnswer(0) === 'answer', 'the buyer answered the structured question');
    // The console's log of the buyer's caucus says the question and the answer in words.
    const buyerLog = () => page.locator('[data-party="0"] [data-slot="timeline"]').textContent();
    await page.waitForFunction(() => /buyer could live with/.test(document.querySelector('[data-party="0"] [data-slot="timeline"]').textContent),
      null, { timeout: 15000 }).catch(() => {});
    const asked = await buyerLog();
    check(asked.includes('The mediator asked buyer: Could you live with price from 25000 to 26000?') && /buyer could live with (price|none)/.test(asked),
      'the console\'s caucus log says the range asked about and the answer in words');
    await click('Leave the caucus');
    await click('End the round');

    // Then, each visit, the engine's Nash text (taken at the first caucus, kept for the second: one
    // text for both) to both parties, alternating who is seen first, settling each stage once both
    // accepted it.
    let settled = 0;
    for (let visit = 2; visit <= 45 && settled < 2; ++visit) {
      for (const p of visit % 2 ? [0, 1] : [1, 0]) {
        await waitCan('open');
        await click(`Open a caucus with ${p ? 'dealer' : 'buyer'}`);
        await waitCan('text');
        if (p === (visit % 2 ? 0 : 1)) {
          // Where the engine's model of the parties sees no text both accept (it offers a diagnosis
          // instead of suggestions), the text on the table is put again: the answers it draws
          // correct the model.
          const nash = await page.waitForSelector('#advice button:has-text("Use the nash text")', { timeout: 10000 })
            .then(() => true, () => false);
          if (nash) await click('Use the nash text');
          else log(`visit ${visit}: no suggestion from the engine; the text on the table is put again`);
        }
        await click('Put this text');
        await click('Leave the caucus');
      }
      await click('End the round');
      if (await lastAnswer(0) === 'accept' && await lastAnswer(1) === 'accept') {
        await click('Settle the stage');
        settled += 1;
        log(`stage ${settled} settled at visit ${visit}`);
      }
    }
    check(settled === 2, 'both agenda stages were settled');
    await page.getByLabel('Statement to the public').fill('The buyer and the dealer have agreed on the car and the money.');
    await page.getByRole('button', { name: 'Issue public statement' }).click();
    await page.waitForFunction(() => document.querySelector('#statements li'), null, { timeout: 10000 });
    await click('Close the talks');
    const session = await apiCall(base, `api/sessions/${sid}`, { token: medToken });
    check(session.status === 'agreement' && session.agreement, `the talks ended in agreement (${session.status})`);
    await pub.page.waitForFunction(() => /agree/i.test(document.body.textContent), null, { timeout: 15000 });
    check(true, 'the public room shows the agreement');
    await shot(mediator, 'desktop-agreed');
    await pageHygiene(mediator, check);
    await mediator.page.setViewportSize({ width: 390, height: 844 });
    await mediator.page.waitForTimeout(500);
    const width = await mediator.page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 391, `mediator: no horizontal scrolling at 390px (content ${width}px wide)`);
    await shot(mediator, 'phone');

    // The advice is the mediator's alone.
    for (let p = 0; p < 2; ++p) {
      const res = await fetch(`${base}/api/sessions/${sid}/mediator/advice`, {
        method: 'POST', headers: { Authorization: `Bearer ${token(inv('negotiator', p))}`, 'Content-Type': 'application/json' }, body: '{}',
      });
      check(res.status === 404, `party ${p}'s token gets 404 from the advice endpoint (${res.status})`);
    }

    // Nothing of one party's caucus in the other party's room or the public's.
    for (const room of [...parties, pub]) await room.responses.settle();
    for (let p = 0; p < 2; ++p) {
      const room = parties[p];
      const foreign = [MARK[1 - p], NOTE[1 - p]];
      const leaks = room.responses.seen.filter((r) => foreign.some((m) => r.body.includes(m)));
      const dom = await room.page.content();
      check(leaks.length === 0 && !foreign.some((m) => dom.includes(m)),
        `${room.name}: the other party's markers are in none of its ${room.responses.seen.length} API responses nor its page`);
      check(room.responses.seen.some((r) => r.body.includes(NOTE[p])), `${room.name}: the mediator's note to it arrived (the check above can fail)`);
    }
    const pubLeaks = pub.responses.seen.filter((r) => [...MARK, ...NOTE].some((m) => r.body.includes(m)));
    const pubDom = await pub.page.content();
    check(pubLeaks.length === 0 && ![...MARK, ...NOTE].some((m) => pubDom.includes(m)),
      `public: no marker in its ${pub.responses.seen.length} API responses nor its page`);
    for (const room of [mediator, ...parties, pub]) {
      check(room.errors.length === 0, `${room.name}: no script errors${room.errors.length ? `: ${room.errors.slice(0, 3).join(' | ')}` : ''}`);
    }

    // The stored log replays: a restarted server rebuilds the session event for event.
    const events = await apiCall(base, `api/sessions/${sid}/events?limit=1000`, { token: medToken });
    await browser.close();
    browser = null;
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.on('exit', r));
    server = await startServer({ shuttle, sourceDir, tmpDir, db: 'seat.db', extra: ['--stream-seconds', '5'] });
    base = server.url;
    const again = await apiCall(base, `api/sessions/${sid}/events?limit=1000`, { token: medToken });
    check(JSON.stringify(again.events) === JSON.stringify(events.events) && events.events.length > 50,
      `after a restart the stored log replays to the same ${events.events.length} events`);
    log(`screenshots in ${shotsDir}`);
  } finally {
    if (browser) await browser.close();
    server.child.kill('SIGTERM');
  }
  if (failures()) {
    console.log(`web seat e2e: ${failures()} check(s) failed`);
    process.exit(1);
  }
  console.log('web seat e2e: ok');
}

main().catch((e) => {
  console.error(`FAIL: ${e.stack || e}`);
  process.exit(1);
});
