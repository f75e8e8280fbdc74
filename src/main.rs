//! Entry point of the Yanzhen web app: installs the panic hook and mounts the
//! root component into `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(yanzhen::app::App);
}
