// Cold-open benchmark driver (run by cargo xtask bench): drives headless
// Chromium through ChromeDriver's WebDriver HTTP API.
//
// 1. Enrols the app at --url with the district-admin --code and the office
//    PIN (Settings, as a person would) and waits until the demo district is
//    synced into IndexedDB (the number of stored chunks stops changing).
// 2. From the app's page, writes the demo district as the server stores it
//    (ref-seed.bin, made by `loadgen ref-seed`: the same documents the app
//    synced, under automerge-repo's keys) into a database of its own,
//    "automerge-ref", for the reference: the app's own database is
//    encrypted and its file export sealed, so the JS repo can read neither.
// 3. Opens --page (the dashboard) --runs times, each a fresh page load in the
//    same browser (the service worker serves the app; the documents come
//    from IndexedDB), types the PIN on the unlock screen, and reads the
//    app's performance marks "yanzhen:docs-loaded" and --mark (the page
//    painted with them), both counted from "yanzhen:unlocked" (the PIN
//    accepted), so the typing is not measured; and "yanzhen:app-started"
//    (navigation → the app's code running: download, compile, instantiate).
// 4. Unregisters the service worker and opens the reference page
//    (ref-cold-open.html: JS automerge-repo + its IndexedDB adapter loading
//    the same documents from "automerge-ref") --runs times, reading
//    "ref:wasm-ready" (its code running) and "ref:docs-loaded" (counted from
//    it, like ours from the unlock).
// Prints one JSON object on stdout.
import { mark, options, session } from "./driver.mjs";

const o = options({
  page: { type: "string", default: "dashboard" },
  mark: { type: "string", default: "yanzhen:dashboard-painted" },
});
const runs = Number(o.runs);
const d = await session(o);
const { go, js, until } = d;
const unlock = d.unlock;

// Fetches ref-seed.bin (entries: u16 key length, "/"-joined key, u32 data
// length, data; little-endian) and writes every entry into "automerge-ref"
// the way automerge-repo's IndexedDB adapter keeps it ({key: [docId, kind,
// hash], binary}).
const SEED_REFERENCE = `return (async () => {
  const r = await fetch("ref-seed.bin");
  if (!r.ok) throw new Error("ref-seed.bin: " + r.status);
  const b = new Uint8Array(await r.arrayBuffer());
  const dv = new DataView(b.buffer);
  const records = [];
  for (let p = 0; p < b.length; ) {
    const kl = dv.getUint16(p, true); p += 2;
    const key = new TextDecoder().decode(b.slice(p, p + kl)).split("/"); p += kl;
    const dl = dv.getUint32(p, true); p += 4;
    records.push({ key, binary: b.slice(p, p + dl) }); p += dl;
  }
  await new Promise((done, fail) => { const d = indexedDB.deleteDatabase("automerge-ref"); d.onsuccess = done; d.onerror = fail; });
  const db = await new Promise((done, fail) => {
    const r = indexedDB.open("automerge-ref", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("documents");
    r.onsuccess = () => done(r.result); r.onerror = fail;
  });
  await new Promise((done, fail) => {
    const tx = db.transaction("documents", "readwrite");
    for (const r of records) tx.objectStore("documents").put(r, r.key);
    tx.oncomplete = done; tx.onerror = fail;
  });
  db.close();
  return { docs: new Set(records.map((r) => r.key[0])).size, records: records.length };
})();`;

try {
  // 1. Enrol and sync the district in.
  const last = await d.enrol(o.url, o.code);

  // 2. The same documents for the reference (see above).
  await go(o.url);
  const seeded = await js(SEED_REFERENCE);
  if (!last || seeded.docs !== last.docs) {
    throw new Error(`the reference got ${JSON.stringify(seeded)}, the app stored ${JSON.stringify(last)}`);
  }

  // 3. Ours: fresh page loads of the app, unlocked with the PIN; the marks
  //    are counted from the unlock.
  const ours = [];
  for (let i = 0; i < runs; i++) {
    await go("about:blank");
    await go(o.url + o.page);
    await unlock();
    const painted = await until(o.mark, () => js(mark(o.mark)), 60);
    const loaded = await js(mark("yanzhen:docs-loaded"));
    const unlocked = await js(mark("yanzhen:unlocked"));
    const started = await js(mark("yanzhen:app-started"));
    ours.push({
      docs_loaded_ms: loaded - unlocked,
      painted_ms: painted - unlocked,
      unlocked_ms: unlocked,
      started_ms: started,
    });
  }

  // 4. The reference, same browser, the same documents' bytes.
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
    const ready = await js(mark("ref:wasm-ready"));
    reference.push({ docs_loaded_ms: loaded - ready, started_ms: ready, documents });
  }
  console.log(JSON.stringify({ stored: last, seeded, ours, reference }));
} finally {
  await d.close();
}
