// App download and low-end start benchmark driver (run by cargo xtask bench
// and cargo xtask bench download): drives headless Chromium through
// ChromeDriver (./driver.mjs) against the app as our server serves it
// (precompressed .br/.gz siblings, chosen by Accept-Encoding).
//
// 1. First visit, fresh profile: opens --url until the home screen is painted
//    (the app's mark "yanzhen:home-painted") and lists what the page fetched
//    until then from resource timing: the navigation entry and every
//    resource entry that ended before the mark, with transferSize (bytes on
//    the wire: headers plus the body as served). /api and /sync are left
//    out. What the service worker fetches to precache meanwhile is not in
//    the page's timing (see 3).
// 2. Waits until the service worker is ready and lists the paths in its
//    cache ("yanzhen-<build>").
// 3. For each path of --assets (the list stamped into dist/sw.js) and sw.js
//    itself, asks the server the way a browser does (Accept-Encoding: br,
//    gzip) and counts the body bytes it sends and their coding.
// 4. Shell-only start, installed and not enrolled (the service worker serves
//    the app): --runs fresh page loads of --url until the home screen is
//    painted, with the CPU unthrottled and then throttled 4× (DevTools
//    Emulation.setCPUThrottlingRate through ChromeDriver), each with a
//    fixed busy loop timed in the page to show the throttling applied.
// 5. Whole-app start: enrols the tablet in the demo district with --code,
//    waits until it is synced into IndexedDB, then --runs fresh page loads
//    of the dashboard, unlocked with the PIN, at both rates: navigation start
//    → "yanzhen:app-started", plus "yanzhen:unlocked" → "yanzhen:dashboard-
//    painted" (the typing and the PIN's key derivation left out, as in
//    cold-open.mjs).
// Prints one JSON object on stdout.
import http from "node:http";
import { mark, options, session } from "./driver.mjs";

const o = options({ assets: { type: "string" } });
const runs = Number(o.runs);
const assets = JSON.parse(o.assets);
const HOME = "yanzhen:home-painted";
const DASHBOARD = "yanzhen:dashboard-painted";
const RATES = [1, 4];

// What the page fetched until the home screen was painted, and after.
const FETCHED = `const painted = performance.getEntriesByName(${JSON.stringify(HOME)})[0].startTime;
const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
  .filter((e) => /^https?:/.test(e.name))
  .map((e) => ({ path: new URL(e.name).origin === location.origin ? new URL(e.name).pathname : e.name,
    transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
    type: e.initiatorType, end: e.responseEnd }))
  .filter((e) => !/^\\/(api|sync)(\\/|$)/.test(e.path));
return { painted, files: all.filter((e) => e.end <= painted), after: all.filter((e) => e.end > painted) };`;

const CACHED = `return navigator.serviceWorker.ready.then(async () => {
  const name = (await caches.keys()).find((k) => k.startsWith("yanzhen-"));
  if (!name) return null;
  const keys = await (await caches.open(name)).keys();
  return { cache: name, paths: keys.map((r) => new URL(r.url).pathname) };
});`;

// A fixed amount of work, timed in the page (ms).
const BUSY = `const t = performance.now(); let x = 0; for (let i = 0; i < 3e7; i++) x = (x + i * 7) % 1000003; return [performance.now() - t, x];`;

// The body bytes the server sends for `path` to a browser accepting brotli
// and gzip (node's http leaves the content coding alone).
function served(path) {
  return new Promise((done, fail) => {
    const req = http.get(new URL(path, o.url), { headers: { "accept-encoding": "br, gzip" } }, (res) => {
      let bytes = 0;
      res.on("data", (c) => (bytes += c.length));
      res.on("end", () => {
        if (res.statusCode !== 200) return fail(new Error(`GET ${path}: ${res.statusCode}`));
        done({ path, bytes, coding: res.headers["content-encoding"] || "identity" });
      });
      res.on("error", fail);
    });
    req.on("error", fail);
  });
}

const d = await session(o);
try {
  // 1. First visit.
  await d.go(o.url);
  await d.awaitMark(HOME);
  const firstPaint = await d.js(FETCHED);

  // 2. The installed worker's cache.
  const cached = await d.until("the service worker's cache", () => d.js(CACHED), 120);

  // 3. The install download as served.
  const install = [];
  for (const path of [...assets, "sw.js"]) install.push(await served(path));

  // 4. Shell-only start, served by the worker.
  const start = async (page, rate, unlock) => {
    await d.go("about:blank");
    await d.go(o.url + page);
    if (unlock) await d.unlock();
    const painted = await d.awaitMark(unlock ? DASHBOARD : HOME, 180);
    const started = await d.js(mark("yanzhen:app-started"));
    const unlocked = unlock ? await d.js(mark("yanzhen:unlocked")) : painted;
    const controlled = await d.js("return !!navigator.serviceWorker.controller");
    const busy = (await d.js(BUSY))[0];
    return { ms: unlock ? started + (painted - unlocked) : painted, started, controlled, busy };
  };
  const shell = {};
  for (const rate of RATES) {
    await d.cdp("Emulation.setCPUThrottlingRate", { rate });
    shell[rate] = [];
    for (let i = 0; i < runs; i++) shell[rate].push(await start("", rate, false));
  }
  await d.cdp("Emulation.setCPUThrottlingRate", { rate: 1 });

  // 5. Whole-app start with the demo district.
  const stored = await d.enrol(o.url, o.code);
  const whole = {};
  for (const rate of RATES) {
    await d.cdp("Emulation.setCPUThrottlingRate", { rate });
    whole[rate] = [];
    for (let i = 0; i < runs; i++) whole[rate].push(await start("dashboard", rate, true));
  }
  await d.cdp("Emulation.setCPUThrottlingRate", { rate: 1 });
  console.log(JSON.stringify({ first_paint: firstPaint, cached, install, shell, whole, stored }));
} finally {
  await d.close();
}
