// Starts the Yanzhen web app. Trunk writes the hashed names of the
// wasm-bindgen module and the wasm file into this script tag's data
// attributes (Trunk.toml `pattern_script`); loading them from here keeps the
// page free of inline script, so the Content-Security-Policy can forbid it.
const tag = document.querySelector("script[data-js][data-wasm]");
const bindings = await import(tag.dataset.js);
await bindings.default({ module_or_path: tag.dataset.wasm });
