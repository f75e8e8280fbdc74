// Cold-open benchmark driver (run by cargo xtask bench): drives headless
// Chromium through ChromeDriver's WebDriver HTTP API.
//
// 1. Enrols the app at --url with the district-admin --code (Settings, as a
//    person would) and waits until the demo district is synced into
//    IndexedDB (the number of stored chunks stops changing).
// 2. Opens --page (the dashboard) --runs times, each a fresh page load in the
//    same browser (the service worker serves the app; the documents come
//    from IndexedDB), and reads the app's performance marks:
//    "yanzhen:docs-loaded" and --mark (the page painted with them).
// 3. Unregisters the service worker and opens the reference page
//    (ref-cold-open.html: JS automerge-repo + its IndexedDB adapter loading
//    the same documents from the same database) --runs times, reading
//    "ref:docs-loaded".
// Prints one JSON object on stdout.
import { parseArgs } from "node:util";

const { values: o } = parseArgs({
  options: {
    webdriver: { type: "string" },
    url: { type: "string" },
    code: { type: "string" },
    chromium: { type: "string" },
    args: { type: "string" },
    profile: { type: "string" },
    page: { type: "string", default: "dashboard" },
    mark: { type: "string", default: "yanzhen:dashboard-painted" },
    runs: { type: "string", default: "5" },
  },
});
const runs = Number(o.runs);
const W3C_ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
const session = (
  await wd("POST", "/session", {
    capabilities: { alwaysMatch: { "goog:chromeOptions": { binary: o.chromium, args } } },
  })
).sessionId;
const s = (p) => `/session/${session}${p}`;
const go = (url) => wd("POST", s("/url"), { url });
const js = (script) => wd("POST", s("/execute/sync"), { script, args: [] });

async function until(what, f, secs = 120) {
  const deadline = Date.now() + secs * 1000;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function element(css) {
  return until(css, async () => (await wd("POST", s("/element"), { using: "css selector", value: css }))[W3C_ELEMENT]);
}

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

const mark = (name) => `const e = performance.getEntriesByName(${JSON.stringify(name)}); return e.length ? e[0].startTime : null;`;

try {
  // 1. Enrol and sync the district in.
  await go(o.url + "settings");
  await wd("POST", s(`/element/${await element("#enrol-code")}/value`), { text: o.code });
  await wd("POST", s(`/element/${await element("#enrol-device-name")}/value`), { text: "bench" });
  await wd("POST", s(`/element/${await element("#enrol-submit")}/click`), {});
  await element("#enrol-done");
  let last = null;
  let stableSince = Date.now();
  const syncStart = Date.now();
  for (;;) {
    const now = await js(STORED);
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now;
      stableSince = Date.now();
    } else if (now && now.docs > 1 && Date.now() - stableSince > 4000) {
      break;
    }
    if (Date.now() - syncStart > 300000) throw new Error("the demo district did not sync in 5 min");
    await sleep(250);
  }

  // 2. Ours: fresh page loads of the app.
  const ours = [];
  for (let i = 0; i < runs; i++) {
    await go("about:blank");
    await go(o.url + o.page);
    const painted = await until(o.mark, () => js(mark(o.mark)), 60);
    const loaded = await js(mark("yanzhen:docs-loaded"));
    ours.push({ docs_loaded_ms: loaded, painted_ms: painted });
  }

  // 3. The reference, same browser, same IndexedDB.
  await js(`return navigator.serviceWorker.getRegistrations()
    .then((rs) => Promise.all(rs.map((r) => r.unregister()))).then(() => true)`);
  const reference = [];
  for (let i = 0; i < runs; i++) {
    await go("about:blank");
    await go(o.url + "ref-cold-open.html");
    const loaded = await until("ref:docs-loaded", async () => {
      const err = await js("return document.body.dataset.error || null");
      if (err) throw new Error("reference page: " + err);
      return js(mark("ref:docs-loaded"));
    }, 120).catch((e) => { throw e; });
    const documents = Number(await js("return document.body.dataset.documents"));
    reference.push({ docs_loaded_ms: loaded, documents });
  }
  console.log(JSON.stringify({ stored: last, ours, reference }));
} finally {
  await wd("DELETE", s("")).catch(() => {});
}
