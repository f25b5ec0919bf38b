// Shared by the browser end-to-end tests of the web rooms (web_rooms.mjs, web_seat.mjs): checks
// that count failures, `shuttle serve` on loopback, API calls, and one browser context per room
// that records every API response it receives.
import { spawn } from 'node:child_process';
import path from 'node:path';

export function makeChecks() {
  let failed = 0;
  return {
    check(ok, what) {
      if (ok) {
        console.log(`ok   ${what}`);
      } else {
        failed += 1;
        console.log(`FAIL ${what}`);
      }
    },
    log(text) {
      console.log(`--   ${text}`);
    },
    failures: () => failed,
  };
}

// `shuttle serve` on 127.0.0.1 with a fresh database in tmpDir; resolves once it listens.
export function startServer({ shuttle, sourceDir, tmpDir, db = 'rooms.db', extra = [] }) {
  const child = spawn(shuttle, ['serve', '--db', path.join(tmpDir, db), '--port', '0', '--bind', '127.0.0.1',
    '--web', path.join(sourceDir, 'web', 'rooms'), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shuttle serve did not listen within 30 s\n${stderr}`)), 30000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => stderr });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`shuttle serve exited (${code})\n${stderr}`));
    });
  });
}

export async function apiCall(base, pathName, { method = 'GET', token, body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/${pathName}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${pathName}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// Records the text of every API response a context receives.
function recordResponses(context) {
  const seen = [];
  const pending = new Set();
  context.on('response', (res) => {
    if (!res.url().includes('/api/')) return;
    const p = (async () => {
      try {
        seen.push({ url: res.url(), status: res.status(), headers: await res.allHeaders(), body: await res.text() });
      } catch (e) {
        // A response of a page that navigated away: nothing to read.
      }
    })();
    pending.add(p);
    p.finally(() => pending.delete(p));
  });
  return { seen, settle: () => Promise.all([...pending]) };
}

export async function newRoom(browser, name, link) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const responses = recordResponses(context);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('dialog', (d) => d.accept());
  await page.goto(link);
  return { name, context, page, responses, errors };
}

// Debian's Chromium, headless, nothing fetched from elsewhere.
export function launchBrowser(chromium) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Labels, named buttons, a live region, unique ids, no positive tabindex, nothing kept in the
// browser's storage.
export async function pageHygiene(room, check) {
  const problems = await room.page.evaluate(async () => {
    const out = [];
    for (const x of document.querySelectorAll('input, select, textarea')) {
      if (x.type === 'hidden') continue;
      const named = (x.labels && x.labels.length) || x.getAttribute('aria-label') || x.getAttribute('aria-labelledby');
      if (!named) out.push(`unlabelled ${x.tagName.toLowerCase()}#${x.id}`);
    }
    for (const b of document.querySelectorAll('button')) if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push('a button without a name');
    for (const x of document.querySelectorAll('[tabindex]')) if (Number(x.getAttribute('tabindex')) > 0) out.push(`positive tabindex on ${x.tagName}`);
    for (const x of document.querySelectorAll('div[onclick], span[onclick], a:not([href])')) out.push(`clickable ${x.tagName} that is not a button`);
    if (!document.querySelector('[aria-live]')) out.push('no aria-live region');
    const ids = new Set();
    for (const x of document.querySelectorAll('[id]')) {
      if (ids.has(x.id)) out.push(`duplicate id ${x.id}`);
      ids.add(x.id);
    }
    if (localStorage.length) out.push(`localStorage holds ${localStorage.length} items`);
    if (sessionStorage.length) out.push(`sessionStorage holds ${sessionStorage.length} items`);
    if (document.cookie) out.push('a cookie is set');
    if (indexedDB.databases && (await indexedDB.databases()).length) out.push('an IndexedDB database exists');
    if (window.caches && (await caches.keys()).length) out.push('a Cache Storage cache exists');
    return out;
  });
  check(problems.length === 0, `${room.name}: labels, buttons, live region, ids, no storage${problems.length ? `: ${problems.join('; ')}` : ''}`);
}
