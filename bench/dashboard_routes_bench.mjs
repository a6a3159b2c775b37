#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// Time from a click to a page's content, for every route of the dashboard and
// every role. Starts its own hub with the demo federation (as
// tests/browser/run_browser_test.sh does), opens the dashboard in Debian's
// chromium, and for each route changes location.hash on the loaded app (what a
// click on a navigation link does), then waits until <main> says nothing is
// loading (no `.loading`, no aria-busy="true") and no /api/ request is in
// flight. A benchmark, not a test: it always exits 0.
//
//   node bench/dashboard_routes_bench.mjs [--binary build/dannevirke] [--runs 5]
//        [--web-root web/dist] [--routes '#/risk,#/map'] [--roles 'cfcs-analyst']
//        [--json FILE] [--trace]
//
// --trace prints each run's /api/ requests (start after the click, duration,
// server time) to stderr: requests that wait for one another show there.
//
// Run from the repository root; web/node_modules must hold playwright-core.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, loadavg, cpus } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROUTE_TIMEOUT_MS = 20_000;
// How long the page must stay quiet (nothing loading, no request in flight)
// before a measurement counts as finished; the figure itself ends when the
// page became quiet, not when this window closes.
const QUIET_MS = 300;
const POLL_MS = 25;
const BUDGET_MS = 500;
// A route that renders no request and shows nothing loading: the page the
// benchmark returns to between two runs, so each run is a real route change.
const IDLE_ROUTE = '#/bench-idle';

function parseArgs(argv) {
  const options = { binary: 'build/dannevirke', runs: 5, webRoot: 'web/dist', routes: null, roles: null, json: null, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--binary') options.binary = value();
    else if (arg === '--runs') options.runs = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (arg === '--web-root') options.webRoot = value();
    else if (arg === '--routes') options.routes = value().split(',').filter(Boolean);
    else if (arg === '--roles') options.roles = value().split(',').filter(Boolean);
    else if (arg === '--json') options.json = value();
    else if (arg === '--trace') options.trace = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node bench/dashboard_routes_bench.mjs [--binary build/dannevirke] [--runs 5] [--web-root web/dist] [--routes R1,R2] [--roles anonymous,0101-soc,cfcs-analyst] [--json FILE] [--trace]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startHub(binary, webRoot) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dv-routebench-'));
  const portFile = path.join(dir, 'port');
  const tokenFile = path.join(dir, 'tokens.json');
  const log = [];
  const hub = spawn(
    binary,
    ['hub', '--db', `sqlite:${dir}/hub.db`, '--seed-demo', '--port', '0', '--port-file', portFile, '--token-file', tokenFile,
      '--web-root', webRoot, '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  hub.stdout.on('data', (chunk) => log.push(chunk));
  hub.stderr.on('data', (chunk) => log.push(chunk));
  let exited = null;
  hub.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  for (let i = 0; i < 100 && !exited; i++) {
    if (existsSync(portFile) && readFileSync(portFile, 'utf8').trim() && existsSync(tokenFile)) break;
    await sleep(100);
  }
  const port = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
  if (!port || exited) {
    hub.kill();
    throw new Error(`the hub did not start:\n${Buffer.concat(log).toString()}`);
  }
  const stop = async () => {
    if (!exited) {
      hub.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) hub.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}/`, tokenFile, stop };
}

/** Marks, in the page, when <main> last turned from loading (or empty) to showing content. */
function installProbe() {
  const probe = { t0: 0, mutated: false, busy: true, readyAt: 0 };
  window.__bench = probe;
  const now = () => performance.timeOrigin + performance.now();
  const check = () => {
    const main = document.querySelector('main');
    const busy = !main || main.childElementCount === 0 || !!main.querySelector('.loading, [aria-busy="true"]');
    if (!busy && (probe.busy || !probe.readyAt)) probe.readyAt = now();
    probe.busy = busy;
  };
  const start = () => {
    new MutationObserver(() => {
      if (probe.t0) probe.mutated = true;
      check();
    }).observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['class', 'aria-busy'],
    });
    check();
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
}

/** Follows the page's /api/ requests: how many are in flight and what each took. */
function trackRequests(page) {
  const tracker = { inflight: 0, done: [], lastEnd: 0 };
  const isApi = (request) => {
    try {
      return new URL(request.url()).pathname.startsWith('/api/');
    } catch {
      return false;
    }
  };
  page.on('request', (request) => {
    if (isApi(request)) tracker.inflight += 1;
  });
  const finish = (request, failed) => {
    if (!isApi(request)) return;
    tracker.inflight = Math.max(0, tracker.inflight - 1);
    const timing = request.timing();
    const url = new URL(request.url());
    // startTime: wall clock (ms since the epoch); the rest relative to it, -1 when unknown.
    const end = timing.responseEnd >= 0 ? timing.startTime + timing.responseEnd : Date.now();
    const server = timing.responseStart >= 0 && timing.requestStart >= 0 ? timing.responseStart - timing.requestStart : null;
    tracker.lastEnd = Math.max(tracker.lastEnd, end);
    tracker.done.push({ path: url.pathname + url.search, start: timing.startTime, end, duration: end - timing.startTime, server, failed });
  };
  page.on('requestfinished', (request) => finish(request, false));
  page.on('requestfailed', (request) => finish(request, true));
  return tracker;
}

/** Changes the hash to `hash` and answers how long until the page's content was there. */
async function measure(page, tracker, hash) {
  tracker.done = [];
  tracker.lastEnd = 0;
  const t0 = await page.evaluate((target) => {
    const probe = window.__bench;
    probe.t0 = performance.timeOrigin + performance.now();
    probe.mutated = false;
    probe.readyAt = 0;
    location.hash = target;
    return probe.t0;
  }, hash);
  const deadline = Date.now() + ROUTE_TIMEOUT_MS;
  let quietSince = 0;
  while (Date.now() < deadline) {
    const probe = await page.evaluate(() => ({ ...window.__bench }));
    const quiet = probe.mutated && !probe.busy && tracker.inflight === 0;
    if (!quiet) quietSince = 0;
    else if (!quietSince) quietSince = Date.now();
    else if (Date.now() - quietSince >= QUIET_MS) {
      const end = Math.max(probe.readyAt, tracker.lastEnd);
      return { ms: Math.max(0, end - t0), t0, requests: tracker.done.slice() };
    }
    await sleep(POLL_MS);
  }
  return { ms: null, t0, requests: tracker.done.slice() };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The request path that took longest (by median over the runs), with its duration and server time. */
function slowestRequest(runs) {
  const byPath = new Map();
  for (const run of runs) {
    for (const request of run.requests) {
      const key = request.path.split('?')[0];
      if (!byPath.has(key)) byPath.set(key, []);
      byPath.get(key).push(request);
    }
  }
  let best = null;
  for (const [key, requests] of byPath) {
    const duration = median(requests.map((r) => r.duration));
    const servers = requests.map((r) => r.server).filter((s) => s !== null);
    const candidate = { path: key, duration, server: servers.length ? median(servers) : null };
    if (!best || candidate.duration > best.duration) best = candidate;
  }
  return best;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const root = process.cwd();
  const webDir = path.join(root, 'web');
  const binary = path.resolve(options.binary);
  const webRoot = path.resolve(options.webRoot);
  for (const need of [binary, path.join(webRoot, 'index.html'), path.join(webDir, 'node_modules/playwright-core'), '/usr/bin/chromium']) {
    if (!existsSync(need)) {
      console.log(`SKIP: ${need} is missing (run from the repository root; build the dashboard with npm run build in web/)`);
      return;
    }
  }
  const hub = await startHub(binary, webRoot);
  let browser = null;
  try {
    // web/tests/routes.mjs reads the hub's address and token file from the
    // environment when it is loaded: set them first, then load it.
    process.env.DANNEVIRKE_URL = hub.url;
    process.env.DANNEVIRKE_TOKENS = hub.tokenFile;
    const { ROUTES, ROLES, roleName } = await import(pathToFileURL(path.join(webDir, 'tests/routes.mjs')).href);
    const tokens = JSON.parse(readFileSync(hub.tokenFile, 'utf8'));
    const routes = options.routes ?? ROUTES;
    const roles = options.roles ? options.roles.map((r) => (r === 'anonymous' ? null : r)) : ROLES;

    const { chromium } = createRequire(path.join(webDir, 'package.json'))('playwright-core');
    // The flags of web/tests/support.mjs launch().
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });

    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`dashboard routes: ${routes.length} routes × ${roles.length} roles × ${options.runs} runs; ${cpus().length} cores, load ${load}`);
    console.log(`hub ${binary} at ${hub.url}, chromium ${browser.version()}`);

    const results = [];
    for (const role of roles) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(() => window.localStorage.setItem('dannevirke.lang', 'da'));
      await context.addInitScript(installProbe);
      const page = await context.newPage();
      const tracker = trackRequests(page);
      if (role) {
        if (!tokens[role]) throw new Error(`no demo token for ${role}`);
        await page.goto(new URL(`#/login/${encodeURIComponent(tokens[role])}`, hub.url).toString());
        await page.waitForSelector('[data-testid="login-done"]', { timeout: ROUTE_TIMEOUT_MS });
      } else {
        await page.goto(new URL('#/', hub.url).toString());
      }
      await measure(page, tracker, IDLE_ROUTE);
      for (const route of routes) {
        const runs = [];
        for (let i = 0; i < options.runs; i++) {
          const run = await measure(page, tracker, route);
          runs.push(run);
          process.stderr.write(`  ${roleName(role).padEnd(13)} ${route.padEnd(34)} ${run.ms === null ? 'timeout' : `${Math.round(run.ms)} ms`}\n`);
          if (options.trace) {
            for (const r of [...run.requests].sort((a, b) => a.start - b.start)) {
              const server = r.server === null ? '-' : Math.round(r.server);
              process.stderr.write(`      +${Math.round(r.start - run.t0)} ms  ${Math.round(r.duration)} ms (server ${server})  ${r.path}${r.failed ? ' FAILED' : ''}\n`);
            }
          }
          if (run.ms === null) break; // the rest would time out too
          // Back to a page that loads nothing, so the next run is a route change again.
          const back = await measure(page, tracker, IDLE_ROUTE);
          if (back.ms === null) {
            await page.goto(new URL(IDLE_ROUTE, hub.url).toString());
            await measure(page, tracker, '#/');
            await measure(page, tracker, IDLE_ROUTE);
          }
        }
        const times = runs.map((r) => r.ms);
        const timedOut = times.some((t) => t === null);
        const finished = times.filter((t) => t !== null);
        results.push({
          route,
          role: roleName(role),
          timedOut,
          first: times[0],
          median: timedOut ? null : median(finished),
          max: timedOut ? null : Math.max(...finished),
          requests: median(runs.map((r) => r.requests.length)),
          slowest: slowestRequest(runs),
        });
      }
      await context.close();
    }

    const rank = (r) => (r.timedOut ? Number.POSITIVE_INFINITY : r.median);
    results.sort((a, b) => rank(b) - rank(a));
    const fmt = (ms) => (ms === null ? 'timeout' : `${Math.round(ms)}`);
    const header = ['route', 'role', 'median ms', 'max ms', 'first ms', 'api reqs', 'slowest api request', 'its ms', 'server ms'];
    const rows = results.map((r) => [
      r.route,
      r.role,
      fmt(r.median),
      fmt(r.max),
      fmt(r.first),
      String(r.requests),
      r.slowest?.path ?? '-',
      r.slowest ? fmt(r.slowest.duration) : '-',
      r.slowest?.server != null ? fmt(r.slowest.server) : '-',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells) => cells.map((c, i) => (i >= 2 && i !== 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    console.log();
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
    console.log();
    const top = results[0];
    if (top) console.log(`slowest: ${top.route} ${top.role} ${fmt(top.median)}${top.timedOut ? '' : ' ms'}`);
    const over = results.filter((r) => r.timedOut || r.median > BUDGET_MS);
    const overRoutes = new Set(over.map((r) => r.route));
    console.log(`over ${BUDGET_MS} ms (median): ${over.length} of ${results.length} route×role pairs, ${overRoutes.size} of ${routes.length} routes${overRoutes.size ? `: ${[...overRoutes].join(' ')}` : ''}`);
    console.log(`load at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await hub.stop();
  }
}

main()
  .catch((error) => {
    console.error(`dashboard_routes_bench: ${error.stack ?? error}`);
  })
  .finally(() => process.exit(0));
