// End-to-end journeys through maeul in Debian's Chromium, with an axe
// accessibility check (WCAG 2.0/2.1 A and AA) on every page visited.
//
// Run from the repository root or from tests/browser:
//   (cd tests/browser && npm ci && node --test)
// Environment:
//   MAEUL_BIN        server binary (default: target/release/maeul if it exists,
//                    else target/debug/maeul; relative paths are taken from the
//                    repository root)
//   CHROMIUM_PATH    browser (default /usr/bin/chromium)
//   MAEUL_KEEP_DATA  set to 1 to keep the temporary data directory
//
// The tests start their own server on a fresh temporary data directory with
// `serve --addr 127.0.0.1:0` and read the port from its "listening" line.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const SCREENSHOTS = path.join(HERE, 'screenshots');
const PASSWORD = 'maeul-demo-2026';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

function serverBinary() {
  if (process.env.MAEUL_BIN) return path.resolve(ROOT, process.env.MAEUL_BIN);
  const release = path.join(ROOT, 'target', 'release', 'maeul');
  return existsSync(release) ? release : path.join(ROOT, 'target', 'debug', 'maeul');
}

/** Starts the server on a fresh data directory; resolves once it listens. */
function startServer() {
  const bin = serverBinary();
  assert.ok(existsSync(bin), `server binary not found: ${bin} (build it with cargo build -p maeul, or set MAEUL_BIN)`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'maeul-browser-'));
  const child = spawn(bin, ['--data-dir', dataDir, 'serve', '--addr', '127.0.0.1:0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
  });
  const stderr = [];
  createInterface({ input: child.stderr }).on('line', (l) => {
    stderr.push(l);
    if (stderr.length > 200) stderr.shift();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not print its listening line within 180 s\n${stderr.join('\n')}`));
    }, 180_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})\n${stderr.join('\n')}`));
    });
    const votingCodes = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const code = line.match(/demo voting code (\S+)/);
      if (code) votingCodes.push(code[1]);
      const m = line.match(/maeul listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, dataDir, base: m[1], stderr, votingCodes });
      }
    });
  });
}

async function stopServer(server) {
  if (!server) return;
  const { child, dataDir } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
  if (process.env.MAEUL_KEEP_DATA === '1') console.log(`data directory kept: ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}

let server;
let browser;
/** Every serious/critical axe violation found, over all journeys. */
const allViolations = [];

before(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stopServer(server);
  if (allViolations.length) {
    console.log(`axe: ${allViolations.length} serious/critical violation(s) in all:`);
    for (const v of allViolations) console.log(`  ${v.page} ${v.id} (${v.impact}): ${v.targets.join(' | ')}`);
  } else {
    console.log('axe: no serious or critical violation on any page visited');
  }
});

async function newPage(options = {}) {
  const context = await browser.newContext({
    locale: 'ko-KR',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed loads are judged from the responses below, where the kind of request is known.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      consoleErrors.push(`console: ${m.text()} @ ${m.location().url}`);
    }
  });
  page.on('requestfailed', (r) => {
    // Aborted: the test navigated on before a sub-resource arrived, or a
    // navigation turned into a download. Neither is the page's fault.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    if (!page.__inAxe) consoleErrors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    const req = r.request();
    // A page may well answer 401/404/422 on purpose; its sub-resources may not.
    if (r.status() < 400 || req.resourceType() === 'document' || page.__inAxe) return;
    const where = new URL(r.url()).pathname;
    // Chromium asks for /favicon.ico by itself (there is none: see the report).
    if (where === '/favicon.ico') return;
    // axe's CSSOM preload resolves output.css's relative `@import "krds_tokens.css"`
    // against the page URL (e.g. /r/krds_tokens.css); the browser itself loads the right one.
    if (where.endsWith('/krds_tokens.css') && !where.startsWith('/assets/vendor/krds/css/')) return;
    consoleErrors.push(`HTTP ${r.status()} for ${req.resourceType()} ${r.url()}`);
  });
  return { context, page, consoleErrors };
}

const url = (p) => `${server.base}${p}`;

/**
 * Runs axe on the page as it is now; records serious/critical violations in
 * `found` (and prints them), so that a journey can go on and report them all.
 */
async function axe(page, found) {
  const label = new URL(page.url()).pathname + new URL(page.url()).search;
  // KRDS sets `scroll-behavior: smooth` on body; axe scrolls each element into
  // view to judge its colour contrast and, with smooth scrolling, gives up on
  // everything below the fold ("needs review"). Plain scrolling lets it judge.
  await page.addStyleTag({ content: 'html, body { scroll-behavior: auto !important; }' });
  page.__inAxe = true;
  let results;
  try {
    results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  } finally {
    page.__inAxe = false;
  }
  console.log(`axe ${label}: ${results.passes.length} rules passed, ${results.violations.length} violated` +
    (results.incomplete.length ? `, to review by hand: ${results.incomplete.map((r) => r.id).join(', ')}` : ''));
  for (const v of results.violations) {
    const targets = v.nodes.map((n) => n.target.join(' '));
    const rec = { page: label, id: v.id, impact: v.impact, help: v.help, targets };
    const line = `axe ${BLOCKING_IMPACTS.has(v.impact) ? 'VIOLATION' : 'minor'} on ${label}: ${v.id} (${v.impact}) ${v.help}\n` +
      v.nodes.map((n) => `    target ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}\n      html ${n.html.slice(0, 300)}`).join('\n') +
      `\n    see ${v.helpUrl}`;
    console.log(line);
    if (BLOCKING_IMPACTS.has(v.impact)) {
      found.push(rec);
      allViolations.push(rec);
    }
  }
}

function assertNoViolations(found) {
  assert.deepEqual(
    found.map((v) => `${v.page} ${v.id} (${v.impact}): ${v.targets.join(' | ')}`),
    [],
    'axe found serious or critical accessibility violations',
  );
}

function assertNoConsoleErrors(errors) {
  assert.deepEqual(errors, [], 'the page logged errors');
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function breadcrumb(page) {
  return (await page.locator('#breadcrumb li').allInnerTexts()).map((s) => s.trim());
}

async function logIn(page, login, password) {
  await page.goto(url('/login'));
  await page.getByLabel('아이디').fill(login);
  await page.getByLabel('비밀번호').fill(password);
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('main form button[type=submit]').click(),
  ]);
}

test('(a) portal drill-down: 서울특별시 → 종로구 → 청운효자동', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    const res = await page.goto(url('/'));
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
    assert.equal((await page.locator('h1').innerText()).trim(), '우리 동네 찾기');
    assert.equal(await page.locator('main .maeul-grid a.maeul-tile').count(), 17, 'the portal lists the 17 si/do');
    await axe(page, found);
    await screenshot(page, 'portal');

    await page.getByRole('link', { name: '서울특별시', exact: true }).click();
    await page.waitForURL('**/r/1100000000');
    assert.equal((await page.locator('h1').innerText()).trim(), '서울특별시');
    assert.deepEqual(await breadcrumb(page), ['홈', '서울특별시']);
    await axe(page, found);

    await page.locator('main a[href="/r/1111000000"]').click();
    await page.waitForURL('**/r/1111000000');
    assert.equal((await page.locator('h1').innerText()).trim(), '서울특별시 종로구');
    assert.deepEqual(await breadcrumb(page), ['홈', '서울특별시', '종로구']);
    await axe(page, found);

    await page.locator('main a[href="/r/1111051500"]').click();
    await page.waitForURL('**/r/1111051500');
    assert.equal((await page.locator('h1').innerText()).trim(), '서울특별시 종로구 청운효자동');
    assert.deepEqual(await breadcrumb(page), ['홈', '서울특별시', '종로구', '청운효자동']);
    assert.equal(await page.locator('#breadcrumb [aria-current="page"]').innerText(), '청운효자동');
    assert.equal(await page.locator('#breadcrumb a[href="/r/1111000000"]').innerText(), '종로구');
    assert.equal(await page.locator('#breadcrumb a[href="/r/1100000000"]').innerText(), '서울특별시');
    await axe(page, found);
    await screenshot(page, 'region-1111051500');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('portal and place page on a phone-sized screen', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage({ viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true });
  try {
    await page.goto(url('/'));
    assert.equal((await page.locator('h1').innerText()).trim(), '우리 동네 찾기');
    await axe(page, found);
    await screenshot(page, 'portal-mobile');
    // The KRDS menu button opens the mobile navigation.
    await page.locator('#krds-header button.btn-navi.all').click();
    await page.locator('#mobile-nav a[href="/login"]').waitFor({ state: 'visible' });
    await page.goto(url('/r/1111051500'));
    assert.equal((await page.locator('h1').innerText()).trim(), '서울특별시 종로구 청운효자동');
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(b) name search: 청운효자 finds 서울특별시 종로구 청운효자동', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/'));
    const field = page.getByRole('searchbox');
    await field.fill('청운효자');
    await Promise.all([page.waitForURL(/[?&]q=/), field.press('Enter')]);
    assert.equal(new URL(page.url()).searchParams.get('q'), '청운효자');
    assert.equal(await page.locator('#q').inputValue(), '청운효자', 'the query stays in the field');
    const hit = page.getByRole('link', { name: '서울특별시 종로구 청운효자동', exact: true });
    await hit.waitFor();
    assert.equal(await hit.getAttribute('href'), '/r/1111051500');
    await axe(page, found);

    // The submit button works too, and a query without match says so.
    await page.locator('#q').fill('없는동네이름');
    await Promise.all([page.waitForURL(/q=/), page.locator('form[role=search] button[type=submit]').click()]);
    await page.locator('.maeul-notice').waitFor();
    await axe(page, found);

    await page.goto(url('/?q=청운효자'));
    await Promise.all([page.waitForURL('**/r/1111051500'), hit.click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '서울특별시 종로구 청운효자동');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(c) log-in: wrong password, then demo.welfare, then log-out', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/login'));
    assert.equal((await page.locator('h1').innerText()).trim(), '로그인');
    await axe(page, found);
    await screenshot(page, 'login');

    // Wrong password: the form comes back with an inline error.
    await page.getByLabel('아이디').fill('demo.welfare');
    await page.getByLabel('비밀번호').fill('not-the-password');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.locator('main form button[type=submit]').click(),
    ]);
    await page.waitForLoadState('load');
    assert.equal(resp.status(), 401, 'a wrong password answers 401 with the form again');
    console.log(`wrong password answered HTTP ${resp.status()}`);
    assert.equal(new URL(page.url()).pathname, '/login');
    const err = page.getByRole('alert');
    assert.equal((await err.innerText()).trim(), '아이디 또는 비밀번호가 맞지 않습니다.');
    assert.equal(await page.getByLabel('비밀번호').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('아이디').inputValue(), 'demo.welfare', 'the log-in name is kept');
    assert.equal(await page.getByLabel('비밀번호').inputValue(), '', 'the password is not echoed back');
    await axe(page, found);

    // Right password: lands on /work.
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await Promise.all([page.waitForURL('**/work'), page.locator('main form button[type=submit]').click()]);
    assert.equal(new URL(page.url()).pathname, '/work');
    assert.equal((await page.locator('h1').innerText()).trim(), '업무공간');
    const main = await page.locator('main').innerText();
    assert.match(main, /복지 담당/);
    assert.match(main, /청운효자동/);
    assert.match(await page.locator('#krds-header').innerText(), /정복지/);
    await axe(page, found);
    await screenshot(page, 'work');

    // Log out: back to anonymous; /work asks for a log-in again.
    await Promise.all([
      page.waitForLoadState('load'),
      page.locator('#krds-header form[action="/logout"] button[type=submit]').click(),
    ]);
    await page.waitForFunction(() => !document.querySelector('form[action="/logout"]'));
    assert.equal(await page.locator('#krds-header .header-actions a[href="/login"]').count(), 1, 'the header offers log-in again');
    await axe(page, found);
    await page.goto(url('/work'));
    assert.equal(new URL(page.url()).pathname, '/login', '/work sends an anonymous visitor to /login');
    assert.equal(await page.locator('form[action="/logout"]').count(), 0);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(d) auditor: access log lists the log-ins; export needs a purpose and downloads CSV', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.auditor', PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/work');
    assert.match(await page.locator('main').innerText(), /접속기록 점검자/);
    await axe(page, found);

    await page.goto(url('/work/access-log'));
    assert.equal((await page.locator('h1').innerText()).trim(), '개인정보 접속기록');
    const table = page.locator('main table');
    await table.waitFor();
    // Rows are tab-separated cells: 일시, 사용자, 접속지, 대상, 처리, 목적.
    const rows = (await table.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    const has = (user, action) => rows.some((c) => c[1] === user && c[4] === action);
    // Checked at the end, so that the export below is tried even when these fail.
    const missing = [
      ['demo.welfare', '로그인 실패'],
      ['demo.welfare', '로그인'],
      ['demo.welfare', '로그아웃'],
      ['demo.auditor', '로그인'],
    ].filter(([u, a]) => !has(u, a)).map(([u, a]) => `${u} ${a}`);
    const logInsListed = () => assert.deepEqual(
      missing,
      [],
      `the access log of demo.auditor (종로구) should list the log-ins of journey (c); it shows:\n${rows.map((c) => c.join(' | ')).join('\n')}`,
    );
    await axe(page, found);

    // Export without a purpose: inline error, no download.
    let downloaded = false;
    const onDownload = () => { downloaded = true; };
    page.on('download', onDownload);
    const exportButton = page.locator('form[action="/work/access-log/export"] button[type=submit]');
    await Promise.all([page.waitForLoadState('load'), exportButton.click()]);
    await page.locator('#purpose[aria-invalid="true"]').waitFor();
    const hint = page.locator('#purpose-hint');
    assert.equal(await hint.getAttribute('role'), 'alert');
    assert.equal((await hint.innerText()).trim(), '목적을 2자 이상 200자 이하로 적어 주세요.');
    assert.equal(downloaded, false, 'no file without a purpose');
    page.off('download', onDownload);
    await axe(page, found);

    // With a purpose: a CSV download.
    await page.locator('#purpose').fill('정기 점검 (브라우저 시험)');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('form[action="/work/access-log/export"] button[type=submit]').click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.ok(lines.length >= 2, `the CSV has a header and rows:\n${csv.slice(0, 500)}`);
    console.log(`CSV ${download.suggestedFilename()}: ${lines.length} lines; header: ${lines[0]}`);

    // The export itself is logged with its purpose.
    await page.goto(url('/work/access-log'));
    assert.match(await page.locator('main table').innerText(), /정기 점검 \(브라우저 시험\)/);
    assertNoConsoleErrors(consoleErrors);
    logInsListed();
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(e) English: /?lang=en', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    const res = await page.goto(url('/?lang=en'));
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Find your neighbourhood');
    await axe(page, found);
    // The language link leads back to Korean.
    const ko = page.locator('#krds-header .utility-list a[hreflang="ko"]');
    assert.equal((await ko.innerText()).trim(), '한국어');
    await Promise.all([page.waitForLoadState('load'), ko.click()]);
    await page.waitForFunction(() => document.documentElement.lang === 'ko');
    assert.equal((await page.locator('h1').innerText()).trim(), '우리 동네 찾기');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(f) 404: /r/9999999900 answers 404 in Korean', async () => {
  const found = [];
  const { context, page } = await newPage();
  try {
    const res = await page.goto(url('/r/9999999900'));
    assert.equal(res.status(), 404);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
    assert.equal((await page.locator('h1').innerText()).trim(), '요청을 처리하지 못했습니다');
    assert.match(await page.locator('main').innerText(), /찾는 페이지나 자료가 없습니다/);
    assert.equal(await page.locator('main a[href="/"]').count(), 1, 'a way back to the start');
    await axe(page, found);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('admin user list (demo.admin) passes axe', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.admin', PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/work');
    await page.goto(url('/admin/users'));
    assert.equal(await page.locator('main table').count(), 1);
    assert.match(await page.locator('main table').innerText(), /demo\.auditor/);
    // The list pages by 20: the demo's neighbours and experts push demo.welfare to a later page,
    // reached through the pager.
    let listed = '';
    for (let n = 2; n <= 5 && !/demo\.welfare/.test(listed); n += 1) {
      await Promise.all([page.waitForLoadState('load'), page.locator('main .krds-pagination a.page-link', { hasText: String(n) }).click()]);
      listed = await page.locator('main table').innerText();
    }
    assert.match(listed, /demo\.welfare/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(g) discovery: demo.welfare works the list of 청운효자동; demo.programme sees counts only', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.welfare', PASSWORD);
    await page.goto(url('/work/discovery'));
    assert.equal((await page.locator('h1').innerText()).trim(), '복지사각지대 발굴 현황');
    await axe(page, found);

    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '청운효자동' }).click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '발굴 대상 가구');
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), 20);
    assert.match(await rows.first().innerText(), /\*\*\*\*/, 'household ids are masked');
    await axe(page, found);
    await screenshot(page, 'discovery-place');

    // The last household has not been visited in the demo.
    await Promise.all([page.waitForLoadState('load'), rows.last().locator('a').click()]);
    assert.match(await page.locator('main').innerText(), /방문상담 기록/);
    await axe(page, found);

    // Without an outcome the browser itself stops the form (the server's 422 is tested in Rust).
    await page.locator('#note').fill('전기요금 체납, 긴급복지 신청 안내');
    const before = page.url();
    await page.locator('form[action$="/visits"] button[type=submit]').click();
    assert.equal(await page.locator('#outcome').evaluate((e) => e.validity.valueMissing), true);
    assert.equal(page.url(), before);

    await page.locator('#outcome').selectOption('public_emergency');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/visits"] button[type=submit]').click()]);
    const visits = await page.locator('main table').innerText();
    assert.match(visits, /공적지원: 긴급복지/);
    assert.match(visits, /전기요금 체납, 긴급복지 신청 안내/);
    await axe(page, found);
    await screenshot(page, 'discovery-household');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }

  const programme = await newPage();
  try {
    await logIn(programme.page, 'demo.programme', PASSWORD);
    await programme.page.goto(url('/work/discovery'));
    const table = await programme.page.locator('main table').first().innerText();
    assert.match(table, /청운효자동/);
    assert.match(table, /5 미만/, 'small counts are withheld');
    assert.equal(await programme.page.locator('main table a').count(), 0, 'no way to a household');
    await axe(programme.page, found);
    assertNoConsoleErrors(programme.consoleErrors);
  } finally {
    await programme.context.close();
  }
  assertNoViolations(found);
});

test('(h) case management: the case manager demo.case sees the overdue high-difficulty case, records its plan; the intake form', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.case', PASSWORD);
    const overdue = page.locator('main a[href="/work/cases?overdue=1"]');
    assert.match(await overdue.innerText(), /기한이 지난 단계 1건/);
    await Promise.all([page.waitForLoadState('load'), overdue.click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '통합사례관리');
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /김\*\*/);
    await axe(page, found);

    await Promise.all([page.waitForLoadState('load'), rows.first().locator('a').click()]);
    assert.match(await page.locator('main').innerText(), /고난도사례/);
    await axe(page, found);
    await page.locator('#step').selectOption('plan');
    await page.locator('#note').fill('주거급여 신청, 방문간호 연계');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/steps"] button[type=submit]').click()]);
    assert.match(await page.locator('main table').innerText(), /서비스 계획 수립/);
    await axe(page, found);
    await screenshot(page, 'case');

    // Refer the case to a service of 종로구 and follow the referral.
    await page.locator('#resource_id').selectOption({ label: '식품·생필품 · 종로 푸드마켓 (서울특별시 종로구)' });
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/referrals"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /종로 푸드마켓/);
    await axe(page, found);

    await page.goto(url('/work/resources?region=1111000000'));
    assert.equal((await page.locator('h1').innerText()).trim(), '지역사회자원');
    await axe(page, found);

    await page.goto(url('/work/cases/new'));
    assert.equal((await page.locator('h1').innerText()).trim(), '사례 접수');
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(i) local welfare picture: the council officer demo.officer sees counts only', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.officer', PASSWORD);
    await page.goto(url('/work/area'));
    assert.equal((await page.locator('h1').innerText()).trim(), '지역 복지 분석');
    const main = await page.locator('main').innerText();
    assert.match(main, /5 미만/);
    assert.doesNotMatch(main, /김순자|박영호/, 'no names');
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(j) visiting health care: demo.nurse sees who is overdue and records a visit with readings', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.nurse', PASSWORD);
    const overdueLink = page.locator('main a[href="/work/health?overdue=1"]');
    assert.match(await overdueLink.innerText(), /1명/);
    await Promise.all([page.waitForLoadState('load'), overdueLink.click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '방문건강관리');
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), 1, 'the regular-group person not visited for 120 days');
    await axe(page, found);
    await page.goto(url('/work/health'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '한**' }).click()]);
    assert.match(await page.locator('main').innerText(), /방문 5회가 모자랍니다/);
    await axe(page, found);
    await page.locator('#systolic').fill('158');
    await page.locator('#diastolic').fill('96');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/visits"] button[type=submit]').click()]);
    assert.match(await page.locator('main table').innerText(), /고혈압/);
    await axe(page, found);
    await page.goto(url('/work/health/new'));
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(k) assembly: a resident votes with a demo code; last year\'s result; the council\'s workspace', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '주민총회' }).click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '주민총회');
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '2026년 청운효자동 주민총회' }).click()]);
    assert.ok(server.votingCodes.length > 0, 'the server printed demo voting codes');
    await page.getByLabel('투표 코드').fill(server.votingCodes[0].toLowerCase());
    // KRDS draws its own radio buttons and check boxes over the inputs: a resident clicks the labels.
    const option = (text) => page.locator('main form label', { hasText: text });
    await option('찬성').click();
    await option('경로당 안전손잡이').click();
    await option('공유 창고').click();
    await option('골목 화단 가꾸기').click();
    assert.ok(await page.getByLabel(/골목 화단 가꾸기/).isChecked());
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /한도를 넘습니다/, 'over the budget limit');
    await axe(page, found);
    await option('골목 화단 가꾸기').click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '투표가 접수되었습니다');
    assert.match(await page.locator('main code').innerText(), /^[0-9a-f]{32}$/);
    await axe(page, found);
    await screenshot(page, 'k-assembly-receipt');

    await page.goto(url('/r/1111051500/assemblies'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '2025년 청운효자동 주민총회' }).click()]);
    const result = await page.locator('main').innerText();
    assert.match(result, /투표 결과/);
    assert.match(result, /정족수 충족/);
    await axe(page, found);
    await screenshot(page, 'k-assembly-result');

    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url('/work/assemblies'));
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '2026년' }).click()]);
    await page.getByLabel('주민 명부 번호').fill('2026-0019');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/checkins"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /참여를 확인했습니다/);
    await axe(page, found);
    await page.goto(url('/work/assemblies/new'));
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(l) council: its stage, minutes and drawn lottery in public; the officer records a meeting and runs a lottery', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a.maeul-tile', { hasText: '주민자치회' }).click()]);
    assert.match(await page.locator('h1').innerText(), /주민자치회/);
    const council = await page.locator('main').innerText();
    assert.match(council, /시범실시 주민자치회/);
    assert.match(council, /복지분과/);
    await page.locator('main summary').first().click();
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '위원 공개추첨' }).first().click()]);
    const lottery = await page.locator('main').innerText();
    assert.match(lottery, /추첨 완료/);
    assert.match(lottery, /예비 1순위/);
    await axe(page, found);
    await screenshot(page, 'l-lottery-record');

    await page.goto(url('/councils/1111000000'));
    assert.ok(await page.locator('main table a', { hasText: '청운효자동' }).count() > 0);
    await axe(page, found);
    await page.goto(url('/councils/0000000000'));
    await axe(page, found);

    await logIn(page, 'demo.officer', PASSWORD);
    await page.goto(url('/work/council'));
    assert.match(await page.locator('h1').innerText(), /청운효자동 주민자치회/);
    await axe(page, found);
    await page.getByLabel('회의 이름').fill('4월 정기회의');
    await page.getByLabel('회의 날짜').fill('2026-04-14');
    await page.getByLabel('출석 위원 수').fill('30');
    await page.getByLabel('재적 위원 수').fill('25');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/meetings"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /재적 위원 수보다 많을 수 없습니다/);
    await axe(page, found);
    await page.getByLabel('출석 위원 수').fill('19');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/meetings"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /회의를 기록했습니다/);

    await page.getByLabel('추첨 이름').fill('보궐 위원 공개추첨');
    await page.getByLabel('위원 정수').fill('2');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/lotteries"] button[type=submit]').click()]);
    assert.match(await page.locator('h1').innerText(), /보궐 위원 공개추첨/);
    await page.getByLabel('신청서 (한 줄에 한 명)').fill('B-1\t김하나\t일반\t여\t8\nB-2\t이둘\t청년\t남\t6\nB-3\t박셋\t일반\t여\t12');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/applications"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /신청서를 등록했습니다/);
    await page.getByLabel('추첨 시드').fill('공개 주사위 2 5 1');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/seed"] button[type=submit]').click()]);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/draw"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /위원 2명 선정/);
    await axe(page, found);
    await screenshot(page, 'l-lottery-work');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(m) agenda: residents browse, propose and support; the council answers', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a.maeul-tile', { hasText: '마을 의제' }).click()]);
    const list = await page.locator('main').innerText();
    assert.match(list, /경로당 앞 횡단보도 설치/);
    assert.match(list, /답변 대기/);
    await axe(page, found);
    await page.getByLabel('주제').selectOption('transport');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[role=search] button').click()]);
    await Promise.all([page.waitForLoadState('load'), page.locator('main ul a', { hasText: '마을버스 배차 간격 조정' }).click()]);
    assert.match(await page.locator('main').innerText(), /주민자치회 답변/);
    await axe(page, found);

    await logIn(page, 'demo.resident', PASSWORD);
    await page.goto(url('/r/1111051500/agenda/new'));
    await page.getByLabel('제목').fill('놀이터 그늘막 설치');
    // Only spaces: the browser lets it through, the server refuses it and keeps the title.
    await page.getByLabel('내용').fill('   ');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /내용은 1자 이상/);
    await axe(page, found);
    await page.getByLabel('내용').fill('여름에 놀이터가 너무 뜨겁습니다.');
    await page.getByLabel('주제').selectOption('care');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /의제를 제안했습니다/);
    const proposed = page.url().split('?')[0];
    await axe(page, found);
    await screenshot(page, 'm-agenda-proposed');

    await logIn(page, 'demo.neighbour24', PASSWORD);
    await page.goto(proposed);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button', { hasText: '공감하기' }).click()]);
    assert.match(await page.locator('main').innerText(), /공감을 더했습니다/);
    await axe(page, found);

    await logIn(page, 'demo.officer', PASSWORD);
    await page.goto(proposed);
    await page.getByLabel('주민자치회 답변').fill('여름 전에 구청과 함께 설치하겠습니다.');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action$="/answer"] button').click()]);
    assert.match(await page.locator('main').innerText(), /답변 완료/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});


test('(n) programmes: a resident searches in Korean, reads one, opens the sourcebook; the ministry edits', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/'));
    await Promise.all([page.waitForLoadState('load'), page.locator('nav a', { hasText: '지역사업' }).first().click()]);
    await page.getByLabel('검색어').fill('빈집');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[role=search] button', { hasText: '검색' }).first().click()]);
    assert.ok(await page.locator('main mark', { hasText: '빈집' }).count() > 0, 'matches are marked');
    await axe(page, found);
    await page.getByLabel('부처').selectOption('농림축산식품부');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[role=search] button', { hasText: '조건 적용' }).click()]);
    const list = await page.locator('main').innerText();
    assert.match(list, /행복농촌만들기 콘테스트/);
    assert.doesNotMatch(list, /행정안전부 ·/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main h2 a', { hasText: '행복농촌만들기' }).click()]);
    assert.match(await page.locator('main').innerText(), /연도별 사업/);
    await axe(page, found);
    await screenshot(page, 'n-programme');

    await page.goto(url('/sourcebook'));
    assert.match(await page.locator('main').innerText(), /청년이 떠나고 있어요/);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header#krds-header').isVisible(), false, 'the print edition has no header');
    assert.equal(await page.locator('[data-print]').isVisible(), false);
    await page.emulateMedia({ media: 'screen' });
    await axe(page, found);

    await logIn(page, 'demo.ministry', PASSWORD);
    await page.goto(url('/work/programmes/new'));
    await page.getByLabel('부처').fill('행정안전부');
    await page.getByLabel('사업명').fill('마을 돌봄 공동체 지원');
    await page.getByLabel('최대 지원액').fill('3천만원');
    await page.locator('label[for="topics-community"]').click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    const shown = await page.locator('main').innerText();
    assert.match(shown, /최대 3,000만원/);
    assert.match(shown, /마을공동체/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '변경 이력' }).click()]);
    assert.match(await page.locator('main').innerText(), /새 연도 등록/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(o) autonomy plan: residents read it; a member takes an agenda item into it; the officer puts it to an assembly', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a.maeul-tile', { hasText: '자치계획' }).click()]);
    assert.match(await page.locator('main').innerText(), /작성 중/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '자치계획' }).first().click()]);
    const plan = page.url().split('?')[0];
    const shown = await page.locator('main').innerText();
    assert.match(shown, /골목 화단 가꾸기/);
    assert.match(shown, /마을문화분과/);
    assert.equal(await page.locator('main form[action$="/items"]').count(), 0, 'visitors see no drafting form');
    await axe(page, found);
    const xlsx = await page.request.get(`${plan}?format=xlsx`);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'], /spreadsheetml/);

    // A council member takes a resident's agenda item into the draft.
    await logIn(page, 'demo.council', PASSWORD);
    await page.goto(url('/r/1111051500/agenda?sort=new'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main ul a', { hasText: '청소년 공부방 운영시간 연장' }).click()]);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '자치계획에 담기' }).first().click()]);
    assert.equal(await page.getByLabel('사업명').inputValue(), '청소년 공부방 운영시간 연장');
    // A budget that is not an amount: refused, and what was typed stays.
    await page.getByLabel('예산(원)').fill('많이');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/items"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /금액은 0원 이상/);
    assert.equal(await page.getByLabel('사업명').inputValue(), '청소년 공부방 운영시간 연장');
    await axe(page, found);
    await page.getByLabel('예산(원)').fill('200만원');
    await page.getByLabel('재원').selectOption('participatory_budget');
    await page.getByLabel('담당 분과').selectOption({ label: '복지분과' });
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/items"] button[type=submit]').click()]);
    const added = await page.locator('main').innerText();
    assert.match(added, /사업을 담았습니다/);
    assert.match(added, /2,000,000원/);
    await axe(page, found);
    await screenshot(page, 'o-plan-draft');

    // The officer sets up an assembly (through the API) and puts the plan to it.
    const token = await (await page.request.post(url('/api/v1/tokens'), {
      data: { login: 'demo.officer', password: PASSWORD },
    })).json();
    const now = Date.now();
    const created = await page.request.post(url('/api/v1/regions/1111051500/assemblies'), {
      headers: { Authorization: `Bearer ${token.token}` },
      data: {
        title: '내년 청운효자동 주민총회',
        opens_at: new Date(now + 86400000).toISOString(),
        closes_at: new Date(now + 2 * 86400000).toISOString(),
        eligibility: { min_age: 16 },
        eligible_population: 9800,
        quorum: { min_turnout_percent: 0.5 },
        items: [{ title: '주민자치회 운영 세칙 개정', rule: 'majority' }],
      },
    });
    assert.equal(created.status(), 201);
    await logIn(page, 'demo.officer', PASSWORD);
    await page.goto(plan);
    await page.getByLabel('상정할 주민총회(투표 시작 전)').selectOption({ label: '내년 청운효자동 주민총회' });
    await page.locator('label[for="ballot-each"]').click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/assembly"] button[type=submit]').click()]);
    const put = await page.locator('main').innerText();
    assert.match(put, /주민총회에 상정했습니다/);
    assert.match(await page.locator('.krds-step-wrap li.active').innerText(), /^총회 상정/);
    await axe(page, found);
    // The decision waits for the vote to close.
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/decision"] button').click()]);
    assert.match(await page.locator('main [role=alert]').innerText(), /투표/);
    await axe(page, found);
    const assembly = await (await page.request.get(url(`/api/v1/assemblies/${(await created.json()).id}`), {
      headers: { Authorization: `Bearer ${token.token}` },
    })).json();
    assert.ok(assembly.items.some((i) => i.title === '청소년 공부방 운영시간 연장'), 'the item is on the ballot');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(q) projects: residents follow what they voted for; the officer plans a milestone, marks it done and posts an update', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '사업 추진 현황' }).click()]);
    assert.match((await page.locator('h1').innerText()).trim(), /사업 추진 현황/);
    const list = await page.locator('main').innerText();
    assert.match(list, /경로당 안전손잡이/);
    assert.match(list, /지연 1/, 'a late milestone shows');
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '골목 화단 가꾸기' }).click()]);
    const shown = await page.locator('main').innerText();
    assert.match(shown, /추진 소식/);
    assert.match(shown, /가을 꽃까지 심어/);
    assert.equal(await page.locator('main form').count(), 0, 'no forms for residents');
    await axe(page, found);
    const projectPath = new URL(page.url()).pathname;
    // The organisation that carries it out, with its reports.
    await Promise.all([page.waitForLoadState('load'), page.locator('main dd a', { hasText: '사회적협동조합' }).click()]);
    assert.match(await page.locator('main').innerText(), /봄꽃 식재를 마쳤습니다/);
    await axe(page, found);
    const corporationPath = new URL(page.url()).pathname;

    await logIn(page, 'demo.officer', PASSWORD);
    await page.goto(url(projectPath));
    // A due day far from the plan's year: refused with the reason, nothing added.
    await page.getByLabel('일정', { exact: true }).fill('겨울 화단 덮개');
    await page.getByLabel('예정일').fill('2030-01-15');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/milestones"] button[type=submit]').click()]);
    assert.match(await page.locator('main [role=alert]').first().innerText(), /예정일은/);
    await axe(page, found);
    await page.getByLabel('예정일').fill('2026-12-10');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/milestones"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /추진 일정을 추가했습니다/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/completion"] button[type=submit]', { hasText: '겨울 화단 덮개' }).click()]);
    assert.match(await page.locator('main').innerText(), /완료로 표시했습니다/);
    await page.getByLabel('추진 내용').fill('겨울 덮개를 씌웠습니다.');
    await page.getByLabel('추진률 (%)').fill('95');
    await page.getByLabel('지금까지 집행액 (원)').fill('5,800,000');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/updates"] button[type=submit]').click()]);
    const updated = await page.locator('main').innerText();
    assert.match(updated, /추진 소식을 올렸습니다/);
    assert.match(updated, /겨울 덮개를 씌웠습니다/);
    assert.match(updated, /5,800,000/);
    await axe(page, found);
    await screenshot(page, 'q-project');
    await page.goto(url(corporationPath));
    await page.getByLabel(/보고 내용/).fill('겨울 덮개 작업을 마쳤습니다.');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/reports"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /보고를 기록했습니다/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(r) certificates: a resident who voted prints a participation certificate; anyone checks it; the council issues one for a meeting', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/r/1111051500/assemblies'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '2026년 청운효자동 주민총회' }).click()]);
    const code = server.votingCodes[1];
    await page.getByLabel('투표 코드').fill(code);
    await page.locator('main form label', { hasText: '찬성' }).click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '투표가 접수되었습니다');
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '참여 확인서 발급' }).click()]);
    await axe(page, found);
    // A code nobody voted with: refused with the reason.
    await page.getByLabel('투표할 때 쓴 투표 코드').fill('AAAA-BBBB-CCCC');
    await page.getByLabel('성명').fill('김민수');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main [role=alert]').innerText(), /참여한 기록을 찾을 수 없습니다/);
    await axe(page, found);
    await page.getByLabel('투표할 때 쓴 투표 코드').fill(code);
    await page.getByLabel('성명').fill('김민수');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    const certificate = await page.locator('main').innerText();
    assert.match(certificate, /주민총회 참여 확인서/);
    assert.match(certificate, /김민수/);
    assert.match(certificate, /참여하였음을 확인합니다/);
    await axe(page, found);
    await screenshot(page, 'r-certificate');
    const number = (await page.locator('main article code').innerText()).trim();

    await page.goto(url('/certificates'));
    await page.getByLabel('확인번호').fill(number.toLowerCase());
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    const checked = await page.locator('main').innerText();
    assert.match(checked, /유효/);
    assert.match(checked, /김\*수/);
    assert.doesNotMatch(checked, /김민수/, 'the name is masked for verifiers');
    await axe(page, found);

    await logIn(page, 'demo.officer', PASSWORD);
    await page.goto(url('/work/council'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '회의 참석 확인서 발급' }).click()]);
    await axe(page, found);
    await page.getByLabel('성명').fill('최위원');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /주민자치회 회의 참석 확인서/);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(s) signed-in voting: the demo resident, verified at the community centre, votes without a code; the staff list of verified residents', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.resident', PASSWORD);
    await page.goto(url('/r/1111051500/assemblies'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '2026년 청운효자동 주민총회' }).click()]);
    assert.match(await page.locator('main').innerText(), /투표 코드 없이 투표합니다/);
    assert.equal(await page.getByLabel('투표 코드').count(), 0, 'no code field');
    await axe(page, found);
    await page.locator('main form label', { hasText: '반대' }).click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), '투표가 접수되었습니다');
    await page.goBack();
    await page.reload();
    await page.locator('main form label', { hasText: '찬성' }).click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main [role=alert]').first().innerText(), /이미/, 'once only');
    await axe(page, found);

    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url('/r/1111051500/resident-verifications'));
    assert.match(await page.locator('main table').innerText(), /demo\.resident/);
    await axe(page, found);
    await page.getByLabel('주민 계정 아이디').fill('nobody');
    await page.getByLabel('주민 명부 번호').fill('2026-0017');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main [role=alert]').innerText(), /계정을 찾을 수 없습니다/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(p) programme linkage: the si/gun/gu sees the demo linkage, records the next step and files a document', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.programme', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '지역사업 연계' }).first().click()]);
    assert.match(await page.locator('main').innerText(), /빈집을 고쳐 마을 사랑방으로/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '빈집을 고쳐 마을 사랑방으로' }).click()]);
    const shown = await page.locator('main').innerText();
    assert.match(shown, /시·군·구 협의/);
    assert.match(shown, /주민참여형 소규모 도시재생/);
    await axe(page, found);

    // An amount at a stage that takes none: refused with the reason, nothing recorded.
    await page.getByLabel('단계', { exact: true }).selectOption('preparing');
    await page.getByLabel('금액(원)').fill('1000');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/steps"] button[type=submit]').click()]);
    assert.match(await page.locator('main [role=alert]').first().innerText(), /금액은/);
    await axe(page, found);
    await page.getByLabel('단계', { exact: true }).selectOption('preparing');
    await page.getByLabel('금액(원)').fill('');
    await page.getByLabel('다음 담당').fill('주민자치회 마을문화분과 이위원');
    await page.getByLabel('내용').fill('신청서 초안을 분과에서 작성합니다.');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/steps"] button[type=submit]').click()]);
    const stepped = await page.locator('main').innerText();
    assert.match(stepped, /단계를 기록했습니다/);
    assert.match(stepped, /신청 준비/);

    await page.getByLabel('올릴 문서').setInputFiles({ name: '신청서_초안.hwp', mimeType: 'application/x-hwp', buffer: Buffer.from('HWP') });
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[enctype] button[type=submit]').click()]);
    const filed = await page.locator('main').innerText();
    assert.match(filed, /문서를 올렸습니다/);
    assert.match(filed, /신청서_초안\.hwp/);
    await axe(page, found);
    await screenshot(page, 'p-linkage');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(t) grant calls: anyone reads the 2019 results and an award notice; 종로구 applies; the ministry closes the call, the expert scores, the ministry selects', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/'));
    await Promise.all([page.waitForLoadState('load'), page.locator('header a', { hasText: '공모사업' }).first().click()]);
    assert.match((await page.locator('h1').innerText()).trim(), /공모사업/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '2019년' }).click()]);
    const results = await page.locator('main').innerText();
    assert.match(results, /신청 60건 가운데 49건을 선정했습니다/);
    assert.match(results, /예산 부족/);
    assert.match(results, /최저 점수 미달/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table tr', { hasText: '서울특별시 종로구' }).locator('a').click()]);
    assert.match(await page.locator('main').innerText(), /위기가구 120곳을 방문했습니다/);
    assert.equal(await page.locator('main form').count(), 0, 'no forms for the public');
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main dd a', { hasText: '2019-' }).click()]);
    assert.match(await page.locator('main h1').innerText(), /선정 통지서/);
    await axe(page, found);
    await screenshot(page, 't-notice');

    // 종로구's programme officer applies for 청운효자동; too large a request is refused first.
    await logIn(page, 'demo.programme', PASSWORD);
    await page.goto(url('/grant-calls'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '연계 공모 (예시)' }).click()]);
    const callPath = new URL(page.url()).pathname;
    await page.getByLabel('대상 읍·면·동').selectOption({ label: '청운효자동' });
    await page.getByLabel('사업명').fill('청운효자동 돌봄 사랑방');
    await page.getByLabel('사업 계획').fill('총회에서 정한 돌봄 사랑방을 맞춤형복지팀과 함께 운영합니다.');
    await page.getByLabel('신청액(원)').fill('60,000,000');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/applications"] button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /개소당 지원 한도/);
    assert.equal(await page.getByLabel('사업명').inputValue(), '청운효자동 돌봄 사랑방', 'the form keeps what was typed');
    await axe(page, found);
    await page.getByLabel('신청액(원)').fill('45,000,000');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/applications"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /신청했습니다/);
    assert.match(await page.locator('main').innerText(), /종로구 · 청운효자동/);
    await axe(page, found);

    // The ministry: a resident is no expert; then it closes the call for review.
    await logIn(page, 'demo.ministry', PASSWORD);
    await page.goto(url(callPath));
    assert.equal(await page.locator('main table a', { hasText: '청운효자동 돌봄 사랑방' }).count(), 1);
    await page.getByLabel('전문가 아이디').fill('demo.resident');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/reviewers"] button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /전문가가 없습니다/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/closing"] button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /접수를 마감했습니다/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/selection"] button[type=submit]').click()]);
    assert.match(await page.locator('main [role=alert]').first().innerText(), /끝나지 않은 심사/);
    await axe(page, found);

    // The expert scores every application of the call.
    await logIn(page, 'demo.expert', PASSWORD);
    await page.goto(url(callPath));
    const links = await page.locator('main table a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, 3, 'the expert sees every application');
    for (const [n, href] of links.entries()) {
      await page.goto(url(href));
      const fields = page.locator('main input[name=score]');
      for (let i = 0; i < await fields.count(); i += 1) {
        await fields.nth(i).fill(String(70 + n * 5 + i));
      }
      await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/scorecard"] button[type=submit]').click()]);
      assert.match(await page.locator('main').innerText(), /심사 점수를 저장했습니다/);
    }
    await axe(page, found);
    await screenshot(page, 't-scorecard');

    await logIn(page, 'demo.ministry', PASSWORD);
    await page.goto(url(callPath));
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/selection"] button[type=submit]').click()]);
    const selected = await page.locator('main').innerText();
    assert.match(selected, /선정을 마치고 결과를 발표했습니다/);
    assert.match(selected, /신청 3건 가운데 3건을 선정했습니다/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(u) good practice: anyone searches the library; the autonomy staff write a case up; the ministry returns it with a note, then publishes the revision', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/'));
    await Promise.all([page.waitForLoadState('load'), page.locator('header a', { hasText: '우수사례' }).first().click()]);
    assert.match(await page.locator('main').innerText(), /골목 화단을 주민이 함께 가꾸다/);
    await page.getByLabel('검색어').fill('돌봄');
    await page.getByLabel('분야').selectOption('ageing');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[role=search] button[type=submit]').click()]);
    const searched = await page.locator('main').innerText();
    assert.match(searched, /사례 1건/);
    assert.match(searched, /면 단위 마을 돌봄 이웃/);
    await axe(page, found);
    await page.goto(url('/practices?q=화단'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main .c-tit a', { hasText: '골목 화단' }).click()]);
    const shown = await page.locator('main').innerText();
    assert.match(shown, /성과와 교훈/);
    assert.match(shown, /바탕이 된 마을 의제/);
    assert.equal(await page.locator('main form').count(), 0, 'no forms for the public');
    await axe(page, found);

    // The autonomy staff of 청운효자동 write a case up; a summary left empty is refused.
    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url('/practices'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '우수사례 쓰기' }).first().click()]);
    await page.getByLabel('사례 제목').fill('주민 공유 부엌');
    await page.getByLabel('분야').selectOption('community');
    await page.getByLabel('추진 과정').fill('빈 점포를 빌려 주민이 함께 쓰는 부엌을 열었습니다.');
    await page.getByLabel('요약').fill(' ');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /요약을/);
    assert.equal(await page.getByLabel('사례 제목').inputValue(), '주민 공유 부엌', 'the form keeps what was typed');
    await axe(page, found);
    await page.getByLabel('요약').fill('빈 점포가 주민 공유 부엌이 되었습니다.');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /사례를 제출했습니다/);
    const casePath = new URL(page.url()).pathname;
    await axe(page, found);

    // The ministry returns it with a note; the staff revise; the ministry publishes.
    await logIn(page, 'demo.ministry', PASSWORD);
    await page.goto(url('/practices?status=submitted'));
    assert.match(await page.locator('main').innerText(), /주민 공유 부엌/);
    await axe(page, found);
    await page.goto(url(casePath));
    await page.locator('label[for="decision-return"]').click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /검토 의견을/);
    await page.locator('label[for="decision-return"]').click();
    await page.getByLabel('검토 의견').fill('이용한 주민 수를 적어 주세요.');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /보완을 요청했습니다/);
    await axe(page, found);

    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url(casePath));
    assert.match(await page.locator('main').innerText(), /이용한 주민 수를 적어 주세요/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '사례 고치기' }).click()]);
    await page.getByLabel('성과와 교훈').fill('석 달 동안 주민 140명이 이용했습니다.');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /고쳐 다시 제출했습니다/);

    await logIn(page, 'demo.ministry', PASSWORD);
    await page.goto(url(casePath));
    await page.locator('label[for="decision-publish"]').click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /사례를 공개했습니다/);
    await axe(page, found);
    await screenshot(page, 'u-practice');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(v) officer network: a dong welfare officer finds the programme leads; 종로구 adds and edits an officer', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.welfare', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '담당자 네트워크' }).click()]);
    await page.getByLabel('분야').selectOption('programme');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[role=search] button[type=submit]').click()]);
    const leads = await page.locator('main table').innerText();
    assert.match(leads, /윤총괄/);
    assert.match(leads, /행정안전부/);
    assert.equal(await page.locator('main a', { hasText: '담당자 추가' }).count(), 0, 'welfare staff read only');
    await axe(page, found);

    await logIn(page, 'demo.programme', PASSWORD);
    await page.goto(url('/work/officers'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '담당자 추가' }).click()]);
    await page.getByLabel('기관').selectOption({ label: '서울특별시 종로구 사직동' });
    await page.getByLabel('분야').selectOption('resident_autonomy');
    await page.getByLabel('이름').fill('서자치');
    await page.getByLabel('부서').fill('사직동 행정민원팀');
    await page.getByLabel('전화').fill('02-21x8');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').first().click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /전화번호는/);
    assert.equal(await page.getByLabel('이름').inputValue(), '서자치', 'the form keeps what was typed');
    await axe(page, found);
    await page.getByLabel('전화').fill('02-2148-5100');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').first().click()]);
    assert.match(await page.locator('main').innerText(), /담당자를 추가했습니다/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '고치기' }).first().click()]);
    await page.getByLabel('직위').fill('팀장');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').first().click()]);
    assert.match(await page.locator('main').innerText(), /서자치 팀장/);
    await axe(page, found);
    await screenshot(page, 'v-officers');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(w) organisation models: anyone walks the national progress down to a dong; 종로구 records a transition, refused once for a missing day', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/org-models/0000000000'));
    assert.match(await page.locator('main h1').innerText(), /조직 모형 전환 현황/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '서울특별시' }).click()]);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '종로구' }).click()]);
    const table = await page.locator('main table').innerText();
    assert.match(table, /청운효자동/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '사직동' }).click()]);
    const facts = await page.locator('main dl').innerText();
    assert.match(facts, /기본형/);
    assert.match(facts, /목표일 이후 계획/);
    await axe(page, found);

    await logIn(page, 'demo.programme', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '조직 모형 전환 현황' }).first().click()]);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '사직동' }).click()]);
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '조직 모형 관리' }).click()]);
    await axe(page, found);
    await page.getByLabel('전환 예정일').fill('');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /예정 모형과 예정일을 함께/);
    await axe(page, found);
    await page.getByLabel('전환 예정일').fill('2026-12-01');
    await page.locator('label', { hasText: '주민자치팀' }).click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /조직 모형을 저장했습니다/);
    assert.match(await page.locator('main table').innerText(), /직접 입력/);
    await screenshot(page, 'w-org-models');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(x) staffing: anyone reads the headcount of 종로구; its programme officer adds a nurse and fills a welfare vacancy', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/staffing/1111000000'));
    assert.match(await page.locator('main h1').innerText(), /인력 배치 현황/);
    assert.match(await page.locator('main table').innerText(), /본청·보건소/);
    await axe(page, found);

    await logIn(page, 'demo.programme', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main a', { hasText: '인력 배치 관리' }).first().click()]);
    await axe(page, found);
    await page.getByLabel('인력 구분', { exact: true }).last().selectOption('nurse');
    await page.getByLabel('기관').selectOption({ label: '서울특별시 종로구' });
    await page.getByLabel('담당자').fill('한간호');
    await Promise.all([page.waitForLoadState('load'), page.locator('main section form button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /읍·면·동에 배치/);
    assert.equal(await page.getByLabel('담당자').inputValue(), '한간호', 'the form keeps what was typed');
    await axe(page, found);
    await page.getByLabel('기관').selectOption({ label: '서울특별시 종로구 사직동' });
    await Promise.all([page.waitForLoadState('load'), page.locator('main section form button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /인력을 추가했습니다/);

    await page.locator('#filter-kind').selectOption('welfare');
    await page.locator('label[for=vacant]').click();
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[role=search] button[type=submit]').click()]);
    assert.match(await page.locator('main table').innerText(), /복지인력/);
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '고치기' }).first().click()]);
    await axe(page, found);
    await page.getByLabel('담당자').fill('이복지');
    await page.getByLabel('배치일').fill('2026-11-02');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type=submit]').first().click()]);
    assert.match(await page.locator('main').innerText(), /저장했습니다/);
    await screenshot(page, 'x-staffing');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(y) promotion council: anyone reads 종로구 council and its decisions; its programme officer adds a member and records a meeting', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/promotion-councils/1111000000'));
    const main = await page.locator('main').innerText();
    assert.match(main, /윤총괄/);
    assert.match(main, /2026년 실시계획 확정/);
    assert.equal(await page.locator('main form').count(), 0, 'no forms for the public');
    await axe(page, found);

    await logIn(page, 'demo.programme', PASSWORD);
    await page.goto(url('/promotion-councils/1111000000'));
    await page.getByLabel('이름', { exact: true }).fill('최위원');
    await page.locator('#affiliation').selectOption('local_organisation');
    await page.getByLabel('소속').fill('종로 마을공동체지원센터');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form', { hasText: '위원 추가' }).locator('button[type=submit]').click()]);
    assert.match(await page.locator('#members').locator('..').innerText(), /최위원/);
    // A title of spaces passes the browser's check and is refused by the server.
    await page.getByLabel('회의 이름').fill('   ');
    await page.getByLabel('회의 날짜').fill('2026-11-20');
    await page.getByLabel('참석 인원').fill('9');
    await page.getByLabel('결정 구분').selectOption('ordinance');
    await page.getByLabel('결정 사항', { exact: true }).fill('주민자치회 조례 개정안 의견 제출');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form', { hasText: '회의 기록 저장' }).locator('button[type=submit]').click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /100자/);
    assert.equal(await page.getByLabel('결정 사항', { exact: true }).inputValue(), '주민자치회 조례 개정안 의견 제출', 'the form keeps what was typed');
    await axe(page, found);
    await page.getByLabel('회의 이름').fill('2026년 제2차 추진협의회');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form', { hasText: '회의 기록 저장' }).locator('button[type=submit]').click()]);
    assert.match(await page.locator('main').innerText(), /조례 개정안 의견 제출/);
    await axe(page, found);
    await screenshot(page, 'y-promotion-council');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(z) dashboards: the si/do programme officer reads 서울특별시, goes down to 종로구, downloads its workbook; a dong welfare worker reads only her dong', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.sido', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '서울특별시 대시보드' }).click()]);
    assert.match(await page.locator('h1').innerText(), /대시보드 · 서울특별시/);
    assert.equal(await page.locator('svg.maeul-chart').count(), 14, 'a chart per topic');
    assert.equal(await page.locator('svg.maeul-chart[aria-hidden="true"]').count(), 14, 'the tables carry the numbers');
    // Every chart has a table beside it whose rows name what the bars show.
    const cases = page.locator('#cases');
    assert.match(await cases.locator('table').first().innerText(), /초기상담·접수/);
    await axe(page, found);

    await Promise.all([page.waitForLoadState('load'), page.locator('#cases table').nth(1).getByRole('link', { name: '종로구' }).click()]);
    assert.match(await page.locator('h1').innerText(), /서울특별시 종로구/);
    const staff = await page.locator('#staff_posts').innerText();
    assert.match(staff, /이 지역 자체/, 'posts held by the 구 itself are shown apart from the dong');
    assert.match(staff, /청운효자동/);
    await axe(page, found);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /엑셀로 내려받기/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'dashboard-1111000000.xlsx');
    await screenshot(page, 'z-dashboard');

    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  const worker = await newPage();
  try {
    await logIn(worker.page, 'demo.welfare', PASSWORD);
    await worker.page.goto(url('/dashboards/1111051500'));
    assert.match(await worker.page.locator('h1').innerText(), /청운효자동/);
    assert.equal(await worker.page.locator('#cases table').count(), 1, 'a place has no level below');
    await axe(worker.page, found);
    const outside = await worker.page.goto(url('/dashboards/1111000000'));
    assert.equal(outside.status(), 403);
    assertNoConsoleErrors(worker.consoleErrors);
  } finally {
    await worker.context.close();
  }
  assertNoViolations(found);
});

test('(aa) guides: a visitor finds the lottery guide by searching and jumps through its contents; a welfare worker opens her guide from the discovery list; the ministry revises a guide and is told the line of refused HTML', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await page.goto(url('/'));
    await Promise.all([page.waitForLoadState('load'), page.locator('.krds-main-menu').getByRole('link', { name: '안내서' }).click()]);
    assert.match(await page.locator('h1').innerText(), /안내서/);
    await axe(page, found);
    const search = page.locator('main form[role=search]');
    await search.getByLabel('검색어').fill('추첨');
    await Promise.all([page.waitForURL(/q=/), search.getByRole('button', { name: '찾기' }).click()]);
    assert.match(await page.locator('main [role=status]').innerText(), /안내서 \d+건/);
    assert.ok(await page.locator('main mark', { hasText: '추첨' }).count() > 0, 'the words are marked');
    await Promise.all([page.waitForLoadState('load'), page.locator('main .c-tit a').first().click()]);
    assert.match(await page.locator('h1').innerText(), /위원 추첨/);
    const contents = page.locator('nav.maeul-guide-contents');
    assert.ok(await contents.locator('a').count() > 2, 'a contents list');
    const second = contents.locator('a').nth(1);
    const target = (await second.getAttribute('href')).slice(1);
    await second.click();
    await page.waitForURL(new RegExp(`#${target}$`));
    assert.equal(await page.locator(`#${target}`).evaluate((h) => h.tagName), 'H2');
    assert.equal(await page.getByRole('link', { name: '안내서 고치기' }).count(), 0, 'no editing for visitors');
    await axe(page, found);
    await screenshot(page, 'aa-guide');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }

  const worker = await newPage();
  try {
    await logIn(worker.page, 'demo.welfare', PASSWORD);
    await worker.page.goto(url('/work/discovery/places/1111051500'));
    await Promise.all([worker.page.waitForLoadState('load'), worker.page.locator('aside.maeul-guide-links a').first().click()]);
    assert.match(await worker.page.locator('h1').innerText(), /발굴/);
    assertNoConsoleErrors(worker.consoleErrors);
  } finally {
    await worker.context.close();
  }

  const ministry = await newPage();
  try {
    const p = ministry.page;
    await logIn(p, 'demo.ministry', PASSWORD);
    await p.goto(url('/guides/assembly'));
    await Promise.all([p.waitForLoadState('load'), p.getByRole('link', { name: '안내서 고치기' }).click()]);
    const body = p.getByLabel('본문');
    const original = await body.inputValue();
    await body.fill(`${original}\n\n<b>굵게</b>`);
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: '저장' }).click()]);
    assert.match(await p.locator('main .form-hint-invalid').first().innerText(), /HTML/);
    assert.match(await p.locator('main').innerText(), /번째 줄을 확인하세요/);
    assert.match(await body.inputValue(), /<b>굵게<\/b>/, 'the form keeps what was typed');
    await axe(p, found);
    await body.fill(`${original}\n\n# 문의\n\n**행정안전부 주민자치형 공공서비스 추진단**으로 문의하십시오.`);
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: '저장' }).click()]);
    assert.match(await p.locator('main [role=status]').innerText(), /저장했습니다/);
    assert.match(await p.locator('article.maeul-guide-body strong').last().innerText(), /추진단/);
    assert.match(await p.locator('main').innerText(), /제2판/);
    await axe(p, found);
    assertNoConsoleErrors(ministry.consoleErrors);
  } finally {
    await ministry.context.close();
  }
  assertNoViolations(found);
});

test('(ab) courses: the autonomy staff of 청운효자동 open an autonomy school from the workspace, add a session, enrol a resident, tick her attendance and print her certificate of completion; a visitor reads the course without names and checks the certificate', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  let courseUrl;
  let code;
  try {
    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: /교육 과정/ }).first().click()]);
    assert.match(await page.locator('h1').innerText(), /교육 과정/);
    await axe(page, found);
    await page.getByLabel('과정 이름').fill('2026 청운효자동 주민자치학교');
    // KRDS draws its check box over the input: the label is what one clicks.
    await page.locator('main form label', { hasText: '주민자치학교' }).click();
    assert.ok(await page.getByLabel('주민자치학교').isChecked());
    // Hours as words pass the browser and are refused by the server, the form kept.
    await page.getByLabel('이수에 필요한 시간').fill('여섯 시간');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '과정 열기' }).click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /숫자로/);
    assert.equal(await page.getByLabel('과정 이름').inputValue(), '2026 청운효자동 주민자치학교');
    await axe(page, found);
    await page.getByLabel('이수에 필요한 시간').fill('2');
    await Promise.all([page.waitForURL(/\/courses\/\d+$/), page.getByRole('button', { name: '과정 열기' }).click()]);
    courseUrl = page.url();
    await page.getByLabel('회차 이름').fill('1회차 주민자치의 이해');
    await page.getByLabel('날짜').fill('2026-03-05');
    await page.getByLabel('교육 시간').fill('2');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '회차 추가' }).click()]);
    await page.getByLabel('이름', { exact: true }).fill('한주민');
    await page.getByLabel('소속').fill('청운효자동 통장협의회');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '등록', exact: true }).click()]);
    await page.locator('main label', { hasText: '한주민 · 1회차 주민자치의 이해' }).click();
    assert.ok(await page.getByLabel('한주민 · 1회차 주민자치의 이해').isChecked());
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '출석 저장' }).click()]);
    const roster = await page.locator('#roster').locator('..').innerText();
    assert.match(roster, /이수 1명/);
    assert.match(roster, /2시간/);
    await axe(page, found);
    await screenshot(page, 'ab-course');
    // She completed: her certificate, signed by the head of the dong, to print.
    await Promise.all([page.waitForURL(/\/certificates$/), page.getByRole('button', { name: '이수증 발급' }).click()]);
    const printed = await page.locator('main article').innerText();
    assert.match(printed, /교육 이수증/);
    assert.match(printed, /한주민/);
    assert.match(printed, /청운효자동장/);
    code = await page.locator('main article code').innerText();
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  const visitor = await newPage();
  try {
    await visitor.page.goto(courseUrl);
    const main = await visitor.page.locator('main').innerText();
    assert.match(main, /1회차 주민자치의 이해/);
    assert.doesNotMatch(main, /한주민/, 'names are not public');
    await axe(visitor.page, found);
    // Whoever is handed the certificate checks its code.
    await visitor.page.goto(url('/certificates'));
    await visitor.page.getByLabel('확인번호').fill(code);
    await Promise.all([visitor.page.waitForLoadState('load'), visitor.page.getByRole('button', { name: '확인하기' }).click()]);
    const checked = await visitor.page.locator('main').innerText();
    assert.match(checked, /한\*민/);
    assert.doesNotMatch(checked, /한주민|통장협의회/);
    await axe(visitor.page, found);
    assertNoConsoleErrors(visitor.consoleErrors);
  } finally {
    await visitor.context.close();
  }
  assertNoViolations(found);
});

test('(ac) MOUs: the autonomy staff of 청운효자동 record an MOU from the place page, the parties one to a line, a wrong day refused with the form kept; a visitor finds it in the 구 list', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  let mouUrl;
  try {
    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '업무협약' }).first().click()]);
    assert.match(await page.locator('h1').innerText(), /업무협약/);
    assert.match(await page.locator('main table').innerText(), /마을 정원 공동 운영 협약/);
    await axe(page, found);
    await page.getByLabel('협약 이름').fill('청년 공간 공동 운영 협약');
    await page.getByLabel('협약 구분', { exact: true }).selectOption('public_private');
    await page.getByLabel('협약 당사자').fill('청운효자동 주민자치회\n종로구 청년센터');
    await page.getByLabel('체결일').fill('2099-01-01');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '협약 기록' }).click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /오늘이나 그 전/);
    assert.equal(await page.getByLabel('협약 이름').inputValue(), '청년 공간 공동 운영 협약');
    await axe(page, found);
    await page.getByLabel('체결일').fill('2026-05-02');
    await Promise.all([page.waitForURL(/\/mous\/\d+$/), page.getByRole('button', { name: '협약 기록' }).click()]);
    mouUrl = page.url();
    assert.match(await page.locator('main').innerText(), /청운효자동 주민자치회 · 종로구 청년센터/);
    await axe(page, found);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  const visitor = await newPage();
  try {
    await visitor.page.goto(url('/r/1111000000/mous'));
    await Promise.all([visitor.page.waitForURL(mouUrl), visitor.page.getByRole('link', { name: '청년 공간 공동 운영 협약' }).click()]);
    await axe(visitor.page, found);
    assertNoConsoleErrors(visitor.consoleErrors);
  } finally {
    await visitor.context.close();
  }
  assertNoViolations(found);
});

test('(ad) expert pool: the 서울 programme officer registers a facilitator by ticking boxes, is told a contact is missing with the form kept, then marks her busy and corrects her entry; the dong autonomy officer finds her by specialty', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.sido', PASSWORD);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '민간 전문인력 풀' }).click()]);
    assert.match(await page.locator('h1').innerText(), /민간 전문인력 풀/);
    await axe(page, found);
    const form = page.locator('main form[action^="/work/expert-pool/"]');
    await form.getByLabel('이름', { exact: true }).fill('한공론');
    // KRDS draws its check box over the input: the label is what one clicks.
    await form.locator('label', { hasText: '퍼실리테이션·공론장' }).click();
    await form.locator('label', { hasText: '서울특별시' }).click();
    await Promise.all([page.waitForLoadState('load'), form.getByRole('button', { name: '등록' }).click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /전자우편이나 전화/);
    assert.equal(await page.locator('main form[action^="/work/expert-pool/"]').getByLabel('이름', { exact: true }).inputValue(), '한공론');
    assert.ok(await page.getByLabel('퍼실리테이션·공론장').last().isChecked(), 'the ticked box stays ticked');
    await axe(page, found);
    await page.locator('main form[action^="/work/expert-pool/"]').getByLabel('전화').fill('02-000-0000');
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action^="/work/expert-pool/"]').getByRole('button', { name: '등록' }).click()]);
    const row = page.locator('main table tr', { hasText: '한공론' });
    await row.getByLabel(/활동 가능 여부/).selectOption('limited');
    await Promise.all([page.waitForLoadState('load'), row.getByRole('button', { name: /저장/ }).click()]);
    assert.equal(await page.locator('main table tr', { hasText: '한공론' }).getByLabel(/활동 가능 여부/).inputValue(), 'limited');
    await Promise.all([page.waitForLoadState('load'), page.locator('main table tr', { hasText: '한공론' }).getByRole('link', { name: /고치기/ }).click()]);
    const edit = page.locator('main form[action^="/work/experts/"]').first();
    assert.equal(await edit.getByLabel('전화').inputValue(), '02-000-0000');
    await axe(page, found);
    await edit.getByLabel('소속').fill('마을공론연구소');
    await Promise.all([page.waitForLoadState('load'), edit.getByRole('button', { name: '저장' }).click()]);
    assert.match(await page.locator('main table tr', { hasText: '한공론' }).innerText(), /마을공론연구소/);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  const staff = await newPage();
  try {
    await logIn(staff.page, 'demo.autonomy', PASSWORD);
    await staff.page.goto(url('/work/experts'));
    const search = staff.page.locator('main form[role=search]');
    await search.getByLabel('전문 분야').selectOption('facilitation');
    await Promise.all([staff.page.waitForLoadState('load'), search.getByRole('button', { name: '찾기' }).click()]);
    const table = await staff.page.locator('main table').innerText();
    assert.match(table, /한공론/);
    assert.match(table, /일부 가능/);
    assert.equal(await staff.page.locator('main form[action^="/work/expert-pool/"]').count(), 0, 'a dong keeps no pool');
    await axe(staff.page, found);
    assertNoConsoleErrors(staff.consoleErrors);
  } finally {
    await staff.context.close();
  }
  assertNoViolations(found);
});

test('(ae) consulting: the dong asks (a day wanted in the past refused, the form kept), 서울 assigns the pool\'s facilitator with her account, and she writes the report', async () => {
  const found = [];
  const title = '주민총회 분임 토의 운영 (예시)';
  const place = await newPage();
  try {
    await logIn(place.page, 'demo.autonomy', PASSWORD);
    await place.page.goto(url('/work'));
    await Promise.all([place.page.waitForLoadState('load'), place.page.getByRole('link', { name: '컨설팅', exact: true }).click()]);
    assert.match(await place.page.locator('main table').innerText(), /주민총회 분임 토의 운영/);
    await axe(place.page, found);
    const form = place.page.locator('main form[method=post][action="/work/consultations"]');
    await form.getByLabel('컨설팅 주제').fill('마을계획단 첫 회의');
    await form.getByLabel('전문 분야').selectOption('community_planning');
    await form.getByLabel('요청 내용').fill('마을계획단 첫 회의의 진행과 의제 정리');
    const yesterday = new Date(Date.now() + 9 * 3600 * 1000 - 86400000).toISOString().slice(0, 10);
    await form.getByLabel(/희망 시기/).fill(yesterday);
    await Promise.all([place.page.waitForLoadState('load'), form.getByRole('button', { name: '요청' }).click()]);
    assert.match(await place.page.locator('main .form-hint-invalid').first().innerText(), /희망 시기는 오늘/);
    const again = place.page.locator('main form[method=post]');
    assert.equal(await again.getByLabel('컨설팅 주제').inputValue(), '마을계획단 첫 회의');
    await axe(place.page, found);
    await again.getByLabel(/희망 시기/).fill('');
    await Promise.all([place.page.waitForLoadState('load'), again.getByRole('button', { name: '요청' }).click()]);
    assert.match(await place.page.locator('h1').innerText(), /마을계획단 첫 회의[\s\S]*요청/);
    await axe(place.page, found);
    assertNoConsoleErrors(place.consoleErrors);
  } finally {
    await place.context.close();
  }
  const sido = await newPage();
  try {
    await logIn(sido.page, 'demo.sido', PASSWORD);
    await sido.page.goto(url('/work/consultations'));
    await Promise.all([sido.page.waitForLoadState('load'), sido.page.getByRole('link', { name: title }).click()]);
    const assign = sido.page.locator('main form[action$="/expert"]');
    await assign.getByLabel('배정 전문가').selectOption(await assign.locator('option', { hasText: '한전문' }).getAttribute('value'));
    await assign.getByLabel(/전문가 계정 아이디/).fill('demo.expert');
    await axe(sido.page, found);
    await Promise.all([sido.page.waitForLoadState('load'), assign.getByRole('button', { name: '배정' }).click()]);
    assert.match(await sido.page.locator('main dl').innerText(), /한전문[\s\S]*demo\.expert/);
    assertNoConsoleErrors(sido.consoleErrors);
  } finally {
    await sido.context.close();
  }
  const expert = await newPage();
  try {
    await logIn(expert.page, 'demo.expert', PASSWORD);
    await expert.page.goto(url('/work'));
    await Promise.all([expert.page.waitForLoadState('load'), expert.page.getByRole('link', { name: '컨설팅', exact: true }).click()]);
    await Promise.all([expert.page.waitForLoadState('load'), expert.page.getByRole('link', { name: title }).click()]);
    assert.equal(await expert.page.locator('main form[action$="/withdrawal"]').count(), 0, 'the expert does not withdraw');
    const report = expert.page.locator('main form[action$="/report"]');
    const today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
    await report.getByLabel('실시일').fill(today);
    await report.getByLabel('컨설팅 시간').fill('3');
    await report.getByLabel('진단 결과').fill('분임 구성이 주제별로 나뉘지 않음');
    await report.getByLabel('개선 제안').fill('주제별 분임 4개, 진행자 사전 교육 2회');
    await Promise.all([expert.page.waitForLoadState('load'), report.getByRole('button', { name: '보고 저장' }).click()]);
    assert.match(await expert.page.locator('h1').innerText(), /완료/);
    assert.match(await expert.page.locator('main').innerText(), /진행자 사전 교육 2회/);
    assert.equal(await expert.page.locator('main form[action$="/report"]').count(), 0, 'reported once');
    await axe(expert.page, found);
    assertNoConsoleErrors(expert.consoleErrors);
  } finally {
    await expert.context.close();
  }
  assertNoViolations(found);
});

test('(af) forums: a visitor finds the place\'s roundtable and is offered the log-in; a resident signs up; the autonomy officer sees her name and announces a debate', async () => {
  const found = [];
  const title = '마을 정원 원탁회의 (예시)';
  const visitor = await newPage();
  try {
    await visitor.page.goto(url('/r/1111051500'));
    await Promise.all([visitor.page.waitForLoadState('load'), visitor.page.getByRole('link', { name: '공론장(포럼·토론회)' }).first().click()]);
    await axe(visitor.page, found);
    await Promise.all([visitor.page.waitForLoadState('load'), visitor.page.getByRole('link', { name: title }).click()]);
    assert.match(await visitor.page.locator('main').innerText(), /로그인하고 참가 신청하기/);
    await axe(visitor.page, found);
    assertNoConsoleErrors(visitor.consoleErrors);
  } finally {
    await visitor.context.close();
  }
  const resident = await newPage();
  try {
    await logIn(resident.page, 'demo.resident', PASSWORD);
    await resident.page.goto(url('/r/1111051500/forums'));
    await Promise.all([resident.page.waitForLoadState('load'), resident.page.getByRole('link', { name: title }).click()]);
    await Promise.all([resident.page.waitForLoadState('load'), resident.page.getByRole('button', { name: '참가 신청' }).click()]);
    assert.match(await resident.page.locator('main').innerText(), /참가 신청했습니다/);
    assert.match(await resident.page.locator('main dl').innerText(), /1 \/ 40명/);
    await axe(resident.page, found);
    assertNoConsoleErrors(resident.consoleErrors);
  } finally {
    await resident.context.close();
  }
  const staff = await newPage();
  try {
    await logIn(staff.page, 'demo.autonomy', PASSWORD);
    await staff.page.goto(url('/r/1111051500/forums'));
    await Promise.all([staff.page.waitForLoadState('load'), staff.page.getByRole('link', { name: title }).click()]);
    assert.match(await staff.page.locator('main table').innerText(), /김주민/);
    await axe(staff.page, found);
    await staff.page.goto(url('/r/1111051500/forums'));
    const form = staff.page.locator('main form[action="/work/regions/1111051500/forums"]');
    await form.getByLabel('제목').fill('주민총회 의제 토론회');
    await form.getByLabel('형식').selectOption('debate');
    await form.getByLabel('주제와 진행 방식').fill('올해 의제 후보 다섯 건을 놓고 찬반 토론');
    const day = new Date(Date.now() + 9 * 3600 * 1000 + 14 * 86400000).toISOString().slice(0, 10);
    await form.getByLabel('날짜').fill(day);
    await form.getByLabel('시작 시각').fill('19:00');
    await form.getByLabel('장소').fill('청운효자동 행정복지센터');
    await Promise.all([staff.page.waitForLoadState('load'), form.getByRole('button', { name: '공지' }).click()]);
    assert.match(await staff.page.locator('h1').innerText(), /주민총회 의제 토론회/);
    assert.match(await staff.page.locator('main dl').innerText(), /19:00/);
    await axe(staff.page, found);
    assertNoConsoleErrors(staff.consoleErrors);
  } finally {
    await staff.context.close();
  }
  assertNoViolations(found);
});

test('(ag) partner projects: the autonomy officer reads the demo project with its consultant and MOU, records a support organisation\'s project from the place page (a fund line that cannot be read named, the form kept), then moves it to the resource survey', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.autonomy', PASSWORD);
    await page.goto(url('/r/1111051500'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '민간 지원조직 사업' }).first().click()]);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '골목 돌봄 마을 (예시)' }).click()]);
    const demo = await page.locator('main').innerText();
    assert.match(demo, /한전문/, 'the consultant from the pool');
    assert.match(demo, /마을 정원 공동 운영 협약/, 'the MOU it was agreed under');
    await axe(page, found);
    await page.goto(url('/r/1111051500/partner-projects'));
    const form = page.locator('main form[action="/work/regions/1111051500/partner-projects"]');
    await form.getByLabel('사업명').fill('골목 돌봄 마을');
    await form.getByLabel('민간 지원조직').fill('마을지원센터');
    await form.getByLabel('대상지 선정일').fill('2026-03-02');
    await form.getByLabel('대상지를 함께 고른 곳').fill('종로구\n청운효자동 주민자치회');
    await form.getByLabel(/지역 주체/).fill('청운경로당\n마을 협동조합');
    await form.getByLabel('민간 기금').fill('사회복지공동모금회 | 삼천만');
    await Promise.all([page.waitForLoadState('load'), form.getByRole('button', { name: '기록' }).click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /금액을 읽을 수 없습니다/);
    const again = page.locator('main form[action="/work/regions/1111051500/partner-projects"]');
    assert.equal(await again.getByLabel('사업명').inputValue(), '골목 돌봄 마을');
    await axe(page, found);
    await again.getByLabel('민간 기금').fill('사회복지공동모금회 | 30,000,000');
    await Promise.all([page.waitForLoadState('load'), again.getByRole('button', { name: '기록' }).click()]);
    assert.match(await page.locator('h1').innerText(), /골목 돌봄 마을[\s\S]*대상지 선정/);
    assert.match(await page.locator('main dl').innerText(), /30,000,000원/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '고치기' }).click()]);
    const edit = page.locator('main form[action^="/work/partner-projects/"]');
    await edit.getByLabel('단계').selectOption('survey');
    await edit.getByLabel(/지역자원 조사 결과/).fill('주민센터 3층 강당\n빈 점포 2곳');
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), edit.getByRole('button', { name: '저장' }).click()]);
    assert.match(await page.locator('h1').innerText(), /지역자원 조사/);
    assert.match(await page.locator('main').innerText(), /빈 점포 2곳/);
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});

test('(ah) planned visits: demo.nurse plans the next visit of a person in her care (a past day refused, the form kept), finds it on her schedule and cancels it', async () => {
  const found = [];
  const { context, page, consoleErrors } = await newPage();
  try {
    await logIn(page, 'demo.nurse', PASSWORD);
    await page.goto(url('/work/health'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main table a', { hasText: '한**' }).click()]);
    const personPage = page.url();
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '방문 일정 잡기' }).click()]);
    await axe(page, found);
    const day = (offset) => new Date(Date.now() + 9 * 3600 * 1000 + offset * 86400000).toISOString().slice(0, 10);
    const form = page.locator('main form[action="/work/visits/new"]');
    await form.getByLabel('방문일').evaluate((el) => el.removeAttribute('min'));
    await form.getByLabel('방문일').fill(day(-1));
    await form.getByLabel('시간').fill('14:30');
    await form.getByLabel('방문 목적').fill('혈압 재측정과 복약 확인');
    await Promise.all([page.waitForLoadState('load'), form.getByRole('button', { name: '일정 잡기' }).click()]);
    assert.match(await page.locator('main .form-hint-invalid').first().innerText(), /오늘부터 1년/);
    const again = page.locator('main form[action="/work/visits/new"]');
    assert.equal(await again.getByLabel('방문 목적').inputValue(), '혈압 재측정과 복약 확인');
    await axe(page, found);
    await again.getByLabel('방문일').fill(day(2));
    await Promise.all([page.waitForLoadState('load'), again.getByRole('button', { name: '일정 잡기' }).click()]);
    assert.equal(page.url(), personPage);
    const plans = page.locator('main section[aria-labelledby="plans-title"] table');
    assert.match(await plans.innerText(), /혈압 재측정과 복약 확인[\s\S]*예정/);
    await axe(page, found);
    await page.goto(url('/work'));
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '방문 일정', exact: true }).click()]);
    assert.match(await page.locator('main table').innerText(), /한\*\*[\s\S]*14:30|14:30[\s\S]*한\*\*/);
    await axe(page, found);
    // The week view: Monday to Sunday, today marked, and on to the next week.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '주간 일정으로 보기' }).click()]);
    const week = await page.locator('main table').innerText();
    assert.match(week, /\(월\)[\s\S]*\(화\)[\s\S]*\(수\)[\s\S]*\(목\)[\s\S]*\(금\)[\s\S]*\(토\)[\s\S]*\(일\)/);
    assert.match(week, /오늘/);
    await axe(page, found);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '다음 주' }).click()]);
    assert.doesNotMatch(await page.locator('main table').innerText(), /오늘/);
    await page.goto(personPage);
    await Promise.all([page.waitForLoadState('load'), plans.getByRole('button', { name: /취소/ }).first().click()]);
    assert.match(await plans.innerText(), /혈압 재측정과 복약 확인\s+취소/);
    assert.equal(await plans.getByRole('button', { name: /취소/ }).count(), 0, 'a cancelled plan offers no cancel');
    assertNoConsoleErrors(consoleErrors);
  } finally {
    await context.close();
  }
  assertNoViolations(found);
});
