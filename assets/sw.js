// Yanzhen's service worker: the app starts and routes with no network.
//
// * One cache per build, "yanzhen-<BUILD>". `cargo xtask build`
//   (xtask/src/webapp.rs) replaces the BUILD and ASSETS placeholders below
//   with a hash of the built files and the list of every file in dist/ (the
//   hashed js/wasm/css and every module's chunk included), so a new build is
//   a new worker script: the browser installs it in the background and it
//   waits. A tablet that installed the app opens every module offline, the
//   first time too.
// * install: precache the whole app (all or nothing; files named by the
//   hash of their bytes that an older build's cache holds, checked, are
//   copied from it, not downloaded again), then wait: a new build is announced by the page (assets/boot.js →
//   src/components/update_notice.rs) and used at the next start — when the
//   app is opened afresh with no other window of it, the page asks the
//   waiting worker to take over ("yanzhen:activate-if-alone") and reloads
//   once. Never swapped in under a running session.

// * activate: delete the caches of other builds.
// * navigations: network first with a short timeout, falling back to the
//   cached index.html (deep links included: routing is client-side). A
//   network answer from a different build than this worker's is not used,
//   so one session never mixes builds; the cached index.html of this build
//   is served instead and the new build arrives as a waiting worker.
// * precached and content-hashed files: cache first.
// * never touched (always network, never cached): /sync, /api/*, /healthz,
//   other origins, non-GET requests.

const BUILD = "__YANZHEN_BUILD__";
const ASSETS = ["__YANZHEN_ASSETS__"];
const CACHE = "yanzhen-" + BUILD;
const PREFIX = "yanzhen-";
const NAV_TIMEOUT_MS = 3000;
const INDEX = "index.html";
// Without the build hook (a plain copy of this file) only the shell page
// and its loader are precached; everything else is cached on first use.
const STAMPED = !BUILD.startsWith("__");
const PRECACHE = STAMPED ? ASSETS : [INDEX, "boot.js"];

const scope = new URL(self.registration.scope);
const url = (path) => new URL(path, scope).href;

function bypass(request) {
  if (request.method !== "GET") return true;
  const u = new URL(request.url);
  if (u.origin !== scope.origin) return true;
  const p = u.pathname;
  return p === "/sync" || p.startsWith("/sync/") || p === "/api" || p.startsWith("/api/") || p === "/healthz";
}

// A content hash in the name (xtask/src/webapp.rs): "name-<hex>.ext",
// "name-<hex>_bg.wasm".
function hashed(pathname) {
  return /-[0-9a-f]{8,16}(_bg)?\.[a-z0-9]+$/.test(pathname);
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});
// Fills this build's cache. A file named by a hash of its own bytes that an
// older build's cache already holds (checked against the name) is copied
// from there, not downloaded again, so an update costs a tablet only the files
// that changed (a module's change: its chunk, the main module if it
// changed, the loader, index.html and this script). The rest is fetched
// with addAll; if anything fails, this build's cache is dropped and the
// install fails as a whole (the old build keeps running; the browser tries
// again later).
async function precache() {
  const cache = await caches.open(CACHE);
  try {
    const older = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
    const fetchList = [];
    for (const p of PRECACHE) {
      const copy = STAMPED ? await fromOlder(older, url(p)) : null;
      if (copy) {
        await cache.put(url(p), copy);
      } else {
        fetchList.push(p);
      }
    }
    await cache.addAll(fetchList.map((p) => new Request(url(p), { cache: "no-cache" })));
  } catch (e) {
    await caches.delete(CACHE);
    throw e;
  }
}
// The response an older build's cache holds for `href`, if its name is a
// hash of its own bytes and the bytes still match it (a damaged copy is
// downloaded afresh, never carried into the new build); else null.
async function fromOlder(older, href) {
  const want = ownHash(new URL(href).pathname);
  if (!want) return null;
  for (const name of older) {
    const hit = await (await caches.open(name)).match(href);
    if (hit && hit.ok && (await contentHash(await hit.clone().arrayBuffer())) === want) return hit;
  }
  return null;
}
// The hash in the name of a file named by its own bytes (the .wasm modules
// and the stylesheet; the JS glue and link module share a hash of both).
function ownHash(pathname) {
  const m = /-([0-9a-f]{16})(?:_bg)?\.(?:wasm|css)$/.exec(pathname);
  return m ? m[1] : null;
}
// xtask/src/webapp.rs `hash_of`: SHA-256 over the length (8 bytes, little
// endian) and the bytes; the first 8 bytes in hex.
async function contentHash(bytes) {
  const all = new Uint8Array(8 + bytes.byteLength);
  new DataView(all.buffer).setBigUint64(0, BigInt(bytes.byteLength), true);
  all.set(new Uint8Array(bytes), 8);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)))
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "yanzhen:build" && event.source) {
    event.source.postMessage({ type: "yanzhen:build", build: BUILD });
  }
  // Sent to the waiting worker by a page that is starting afresh (see
  // assets/boot.js): the next start is when a new build takes over.
  if (event.data === "yanzhen:activate-if-alone") {
    event.waitUntil(activateIfAlone(event.source));
  }
});

// Takes over only if the starting page is the app's one window, so no open
// session is ever switched to another build. A tab that was just closed can
// still be listed for a moment: look again for up to 5 s. The page is told
// the decision ("yanzhen:activating" before the switch, or
// "yanzhen:not-alone"), so it never has to guess from a timer.
async function activateIfAlone(source) {
  const tell = (type) => {
    if (source) source.postMessage({ type });
  };
  for (let i = 0; i < 25; i++) {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    if (windows.length <= 1) {
      tell("yanzhen:activating");
      await self.skipWaiting();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  tell("yanzhen:not-alone");
}


function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function navigate(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(url(INDEX));
  try {
    const response = await Promise.race([fetch(request), timeout(NAV_TIMEOUT_MS)]);
    if (!response.ok) return cached || response;
    if (!STAMPED) {
      // No build to pin to: plain network first, keeping the last copy.
      await cache.put(url(INDEX), response.clone());
      return response;
    }
    if (!cached) return response;
    // Same build: the fresh copy. Another build: this worker's own copy.
    const [fresh, ours] = await Promise.all([response.clone().text(), cached.clone().text()]);
    return fresh === ours ? response : cached;
  } catch (_) {
    if (cached) return cached;
    return new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  const path = new URL(request.url).pathname;
  if (response.ok && (hashed(path) || !STAMPED)) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (bypass(request)) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else {
    event.respondWith(asset(request));
  }
});
