//! Entry point of the Yanzhen web app: installs the panic hook and mounts the
//! root component into `<body>`.

fn main() {
    // The wasm module is downloaded, compiled and running (cold-open bench).
    yanzhen::sync::repo::performance_mark(yanzhen::sync::repo::APP_STARTED_MARK);
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(yanzhen::app::App);
}
