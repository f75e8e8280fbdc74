// Cold-open benchmark driver (run by cargo xtask bench): drives headless
// Chromium through ChromeDriver's WebDriver HTTP API.
//
// 1. Enrols the app at --url with the district-admin --code and the office
//    PIN (Settings, as a person would) and waits until the demo district is
//    synced into IndexedDB (the number of stored chunks stops changing).
// 2. Exports the whole tablet as a .yanzhen file (the app's "sync by file"
//    export, decrypted by the app) and, from the app's page, writes each
//    document's plaintext bytes into a database of its own, "automerge-ref"
//    (automerge-repo's layout), for the reference: the app's own database is
//    encrypted and the JS repo cannot read it.
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
import { mark, options, session, sleep } from "./driver.mjs";

const o = options({
  page: { type: "string", default: "dashboard" },
  mark: { type: "string", default: "yanzhen:dashboard-painted" },
});
const runs = Number(o.runs);
const d = await session(o);
const { go, js, until, element } = d;
const unlock = d.unlock;

// Reads the exported .yanzhen file (format: crates/sync/src/file.rs) that the
// app handed to URL.createObjectURL for its #file-download link and writes every document into "automerge-ref":
// a saved document as one snapshot, changes as incrementals, under the
// document's automerge-repo id (bs58check of its 16 bytes).
const SEED_REFERENCE = `return (async () => {
  // The page's CSP refuses fetch() of blob: URLs: the Blob itself, kept by
  // the createObjectURL hook installed before the export.
  const b = new Uint8Array(await window.__exported.at(-1).arrayBuffer());
  const dv = new DataView(b.buffer);
  let p = 8 + 2 + 2 + 8;
  p += 2 + dv.getUint16(p, true);
  const entries = dv.getUint32(p, true); p += 4;
  const A = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const bs58check = async (bytes) => {
    const h = new Uint8Array(await crypto.subtle.digest("SHA-256", await crypto.subtle.digest("SHA-256", bytes)));
    const all = [...bytes, ...h.slice(0, 4)];
    let n = 0n; for (const x of all) n = n * 256n + BigInt(x);
    let s = ""; while (n > 0n) { s = A[Number(n % 58n)] + s; n /= 58n; }
    for (const x of all) { if (x !== 0) break; s = "1" + s; }
    return s;
  };
  const records = [];
  for (let e = 0; e < entries; e++) {
    const id = await bs58check(b.slice(p, p + 16)); p += 16;
    const kind = b[p]; p += 1;
    const items = dv.getUint32(p, true); p += 4;
    for (let i = 0; i < items; i++) {
      const len = dv.getUint32(p, true); p += 4;
      const bytes = b.slice(p, p + len); p += len;
      const key = kind === 2 ? [id, "snapshot", "file-" + i] : [id, "incremental", "file-" + String(i).padStart(8, "0")];
      records.push({ key, binary: bytes });
    }
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

  // 2. The same documents in plaintext for the reference (see above).
  await go("about:blank");
  await go(o.url + "sync-status");
  await unlock();
  await until("yanzhen:docs-loaded", () => js(mark("yanzhen:docs-loaded")), 120);
  // The sync screen may re-render (revoking the download link) while rows
  // settle: export again if the link went stale.
  let seeded = null;
  for (let attempt = 0; !seeded; attempt++) {
    await js(`window.__exported = window.__exported || [];
      if (!window.__hooked) {
        const create = URL.createObjectURL;
        URL.createObjectURL = (blob) => { window.__exported.push(blob); return create.call(URL, blob); };
        window.__hooked = true;
      }
      return true;`);
    await d.click("#file-export");
    await element("#file-download");
    seeded = await js(SEED_REFERENCE).catch((e) => {
      if (attempt >= 4) throw e;
      return null;
    });
    if (!seeded) await sleep(1000);
  }
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
