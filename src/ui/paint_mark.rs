//! Sets a performance mark once, after the frame in which `when` first
//! became true is painted: how `cargo xtask bench` times a cold open (the
//! page shows data from every loaded document). Renders nothing.

use leptos::prelude::*;

use crate::sync::repo::performance_mark;

#[component]
pub fn PaintMark(
    /// The performance entry's name.
    name: &'static str,
    /// The condition (e.g. the documents are loaded and the page shows them).
    #[prop(into)]
    when: Signal<bool>,
) -> impl IntoView {
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        if when.get() && !done.get_value() {
            done.set_value(true);
            // After the next frame is painted.
            request_animation_frame(move || {
                set_timeout(move || performance_mark(name), std::time::Duration::ZERO)
            });
        }
    });
}
