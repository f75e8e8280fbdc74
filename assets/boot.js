// Starts the Yanzhen web app. Trunk writes the hashed names of the
// wasm-bindgen module and the wasm file into this script tag's data
// attributes (Trunk.toml `pattern_script`); loading them from here keeps the
// page free of inline script, so the Content-Security-Policy can forbid it.
const tag = document.querySelector("script[data-js][data-wasm]");
const bindings = await import(tag.dataset.js);
await bindings.default({ module_or_path: tag.dataset.wasm });

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

if ("serviceWorker" in navigator) {
  registerWorker().catch((e) => console.warn("service worker not registered:", e));
}
