// The reference for the cold-open benchmark (cargo xtask bench): the same
// documents loaded by the JS automerge-repo with its IndexedDB storage
// adapter, in the same browser, from the database "automerge-ref" (the app's
// own database is encrypted; cold-open.mjs seeds this one in automerge-repo's
// layout with the plaintext bytes of the app's export of the same documents). Bundled by esbuild into
// ref-cold-open.js and served beside the app by cargo xtask bench.
import { Repo, initializeBase64Wasm } from "@automerge/automerge-repo/slim";
import { automergeWasmBase64 } from "@automerge/automerge/automerge.wasm.base64";
import { IndexedDBStorageAdapter } from "@automerge/automerge-repo-storage-indexeddb";

const DATABASE = "automerge-ref";

// The document ids in the store (keys are [docId, kind, hash]).
function storedDocumentIds() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DATABASE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const keys = db.transaction("documents", "readonly").objectStore("documents").getAllKeys();
      keys.onerror = () => reject(keys.error);
      keys.onsuccess = () => {
        const ids = new Set();
        for (const k of keys.result) {
          if (Array.isArray(k) && k.length === 3) ids.add(k[0]);
        }
        db.close();
        resolve([...ids]);
      };
    };
  });
}

async function main() {
  // The wasm is inlined (base64), so it loads with the script like ours.
  await initializeBase64Wasm(automergeWasmBase64);
  // Code running: what the app's "yanzhen:app-started" is (its automerge is
  // compiled into its own wasm module, instantiated before its code runs).
  performance.mark("ref:wasm-ready");
  const ids = await storedDocumentIds();
  const repo = new Repo({ storage: new IndexedDBStorageAdapter(DATABASE, "documents"), network: [] });
  const handles = await Promise.all(ids.map((id) => repo.find(id)));
  let keys = 0;
  for (const h of handles) keys += Object.keys(h.doc() || {}).length;
  performance.mark("ref:docs-loaded");
  document.body.dataset.documents = String(handles.length);
  document.body.dataset.keys = String(keys);
}

main().catch((e) => {
  document.body.dataset.error = String(e && e.stack ? e.stack : e);
});
