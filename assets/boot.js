// Starts the Yanzhen web app. `cargo xtask build` (xtask/src/webapp.rs)
// writes the hashed names of the wasm-bindgen module and the main wasm file
// into this script tag's data attributes; loading them from here keeps the
// page free of inline script, so the Content-Security-Policy can forbid it.
const tag = document.querySelector("script[data-js][data-wasm]");

// A new build that is installed and waiting is applied when the app starts
// afresh (opened, not reloaded) and no other window of it is open: the
// waiting worker takes over and the page reloads once into the new build
// before the app starts. A reload during a session keeps the running build.
async function applyWaitingBuildAtStart() {
  const sw = navigator.serviceWorker;
  if (!sw || !sw.controller) return false;
  const nav = performance.getEntriesByType("navigation")[0];
  if (!nav || nav.type !== "navigate") return false;
  const reg = await sw.getRegistration();
  if (!reg || !reg.waiting) return false;
  // The waiting worker answers: it takes over (then the page waits for the
  // switch) or another window is open (the app starts on the running
  // build). The timer is only for a worker that never answers.
  const switched = new Promise((resolve) => {
    sw.addEventListener("controllerchange", () => resolve(true), { once: true });
    sw.addEventListener("message", (event) => {
      if (event.data && event.data.type === "yanzhen:not-alone") resolve(false);
    });
    setTimeout(() => resolve(false), 20000);
  });
  sw.startMessages();
  reg.waiting.postMessage("yanzhen:activate-if-alone");
  return switched;
}



// The service worker (assets/sw.js) keeps the app usable offline. A new
// build installs in the background and waits; it is announced here and used
// at the next start (never swapped in under a running session). The
// announcement is an attribute on <html> (for a component mounted later)
// plus a window event (for one already mounted): both names are constants
// in src/components/update_notice.rs.
const UPDATE_ATTR = "data-update-ready";
const UPDATE_EVENT = "yanzhen:update-ready";
const HOUR_MS = 60 * 60 * 1000;

function announce() {
  if (document.documentElement.hasAttribute(UPDATE_ATTR)) return;
  document.documentElement.setAttribute(UPDATE_ATTR, "");
  window.dispatchEvent(new CustomEvent(UPDATE_EVENT));
}

async function registerWorker() {
  const sw = navigator.serviceWorker;
  const reg = await sw.register(new URL("sw.js", import.meta.url), { scope: "/" });
  // An update (not the first install) once a worker is installed and waits.
  const watch = (worker) => {
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && sw.controller) announce();
    });
  };
  if (reg.waiting && sw.controller) announce();
  watch(reg.installing);
  reg.addEventListener("updatefound", () => watch(reg.installing));
  // Tablets keep the app open for days: look for a new build now and then.
  const check = () => reg.update().catch(() => {});
  setInterval(check, HOUR_MS);
  window.addEventListener("online", check);
}

// Start: a waiting build first, otherwise the app and its service worker.
if (await applyWaitingBuildAtStart().catch(() => false)) {
  location.reload();
} else {
  const bindings = await import(tag.dataset.js);
  await bindings.default({ module_or_path: tag.dataset.wasm });
  if ("serviceWorker" in navigator) {
    registerWorker().catch((e) => console.warn("service worker not registered:", e));
  }
}
