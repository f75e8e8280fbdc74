// What the browser benchmark drivers (cold-open.mjs, download.mjs) share:
// a headless Chromium session through ChromeDriver's WebDriver HTTP API,
// DevTools commands through ChromeDriver's goog/cdp/execute, the app's
// performance marks, and enrolling the bench tablet into the demo district
// (Settings, as a person would) until it is synced into IndexedDB.

import { parseArgs } from "node:util";

// The command line every driver takes (webdriver, url, code, chromium,
// args, profile, runs), plus `extra` parseArgs options.
export function options(extra = {}) {
  const string = { type: "string" };
  return parseArgs({
    options: {
      webdriver: string,
      url: string,
      code: string,
      chromium: string,
      args: string,
      profile: string,
      runs: { type: "string", default: "5" },
      ...extra,
    },
  }).values;
}

// The office PIN the benchmark tablet is enrolled with.
export const PIN = "240517";
const W3C_ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The number of documents (and stored records) in the app's IndexedDB.
const STORED = `return new Promise((done) => {
  const open = indexedDB.open("automerge");
  open.onerror = () => done(null);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("documents")) { db.close(); return done({ docs: 0, keys: 0 }); }
    const r = db.transaction("documents").objectStore("documents").getAllKeys();
    r.onsuccess = () => { const ids = new Set(r.result.map((k) => k[0])); db.close(); done({ docs: ids.size, keys: r.result.length }); };
    r.onerror = () => { db.close(); done(null); };
  };
});`;

// A script returning the start time of the performance entry `name` (ms
// from navigation start), or null.
export const mark = (name) =>
  `const e = performance.getEntriesByName(${JSON.stringify(name)}); return e.length ? e[0].startTime : null;`;

// Opens a browser session: `o` has webdriver (URL), chromium (binary), args
// (JSON array of flags) and profile (a fresh --user-data-dir).
export async function session(o) {
  async function wd(method, path, body) {
    const res = await fetch(o.webdriver + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  }
  const args = [...JSON.parse(o.args), `--user-data-dir=${o.profile}`, "--window-size=1280,800"];
  const id = (
    await wd("POST", "/session", {
      capabilities: { alwaysMatch: { "goog:chromeOptions": { binary: o.chromium, args } } },
    })
  ).sessionId;
  const s = (p) => `/session/${id}${p}`;
  const d = {
    wd,
    s,
    go: (url) => wd("POST", s("/url"), { url }),
    js: (script) => wd("POST", s("/execute/sync"), { script, args: [] }),
    // A DevTools protocol command on the page's target.
    cdp: (cmd, params = {}) => wd("POST", s("/goog/cdp/execute"), { cmd, params }),
    close: () => wd("DELETE", s("")).catch(() => {}),
    async until(what, f, secs = 120) {
      const deadline = Date.now() + secs * 1000;
      for (;;) {
        const v = await f().catch(() => undefined);
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
      }
    },
    // The start time of mark `name` once it is set.
    awaitMark: (name, secs = 120) => d.until(name, () => d.js(mark(name)), secs),
    element: (css) =>
      d.until(css, async () => (await wd("POST", s("/element"), { using: "css selector", value: css }))[W3C_ELEMENT]),
    async type(css, text) {
      await wd("POST", s(`/element/${await d.element(css)}/value`), { text });
    },
    async click(css) {
      await wd("POST", s(`/element/${await d.element(css)}/click`), {});
    },
    async unlock() {
      await d.type("#unlock-pin", PIN);
      await d.click("#unlock-submit");
    },
    // Enrols the tablet at `url` with the district-admin `code` and waits
    // until the district is synced in (the stored chunks stop changing for
    // 4 s); returns what is stored.
    async enrol(url, code) {
      await d.go(url + "settings");
      await d.type("#enrol-code", code);
      await d.type("#enrol-device-name", "bench");
      await d.type("#enrol-pin", PIN);
      await d.type("#enrol-pin-again", PIN);
      await d.click("#enrol-submit");
      await d.element("#enrol-done");
      let last = null;
      let stableSince = Date.now();
      const syncStart = Date.now();
      for (;;) {
        const now = await d.js(STORED);
        if (JSON.stringify(now) !== JSON.stringify(last)) {
          last = now;
          stableSince = Date.now();
        } else if (now && now.docs > 1 && Date.now() - stableSince > 4000) {
          return last;
        }
        if (Date.now() - syncStart > 300000) throw new Error("the demo district did not sync in 5 min");
        await sleep(250);
      }
    },
  };
  return d;
}
