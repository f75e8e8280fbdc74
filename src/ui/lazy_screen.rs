//! A screen whose code is downloaded when it is first opened (issue 16:
//! code splitting by module). The split build (`cargo xtask build`, which
//! sets `--cfg yanzhen_split`) moves each module's screens into a chunk of
//! their own; [`lazy_view!`](crate::lazy_view) makes a route's view from a
//! page component in one line:
//! - with the cfg, the page is built inside a `#[wasm_split(chunk,
//!   fallible)]` function and [`LazyScreen`] shows a calm loading line
//!   while the chunk downloads, a clear message and a 重试 / Retry button
//!   when it fails (nothing is cached on failure, so a retry downloads it
//!   again), and the screen once it is there;
//! - without it (native tests, clippy, the wasm tests) the route calls
//!   the page directly, exactly as before.
//!
//! The decisions are [`LoadState::on`], pure and tested natively; the
//! component only carries them out. A chunk sets the performance mark
//! `yanzhen:chunk:<name>` when it first arrives in the page (for the
//! browser tests and the benchmark).

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::i18n::{Msg, t};

/// Where a lazily loaded screen stands (`attempt`: the download counted
/// from 1, shown to the browser tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadState {
    /// Its chunk is being downloaded (or the download is being tried again).
    Loading { attempt: u32 },
    /// The download failed: the retry is offered.
    Failed { attempt: u32 },
    /// The chunk is there and the screen is shown (for good).
    Ready,
}

/// What happens to a lazily loaded screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadEvent {
    /// The chunk arrived and the screen was built.
    Loaded,
    /// The chunk could not be downloaded or instantiated.
    LoadFailed,
    /// The person pressed 重试 / Retry.
    Retry,
}

impl LoadState {
    /// Where a screen starts: its first download.
    pub const START: LoadState = LoadState::Loading { attempt: 1 };

    /// The state after `event`, or `None` when the event changes nothing
    /// (a second tap on Retry while loading, a late answer once shown).
    /// Moving into [`LoadState::Loading`] means: start a download.
    pub fn on(self, event: LoadEvent) -> Option<LoadState> {
        match (self, event) {
            (LoadState::Loading { .. }, LoadEvent::Loaded) => Some(LoadState::Ready),
            (LoadState::Loading { attempt }, LoadEvent::LoadFailed) => {
                Some(LoadState::Failed { attempt })
            }
            (LoadState::Failed { attempt }, LoadEvent::Retry) => Some(LoadState::Loading {
                attempt: attempt.saturating_add(1),
            }),
            _ => None,
        }
    }
}

/// A chunk's download failed (the loader logs why to the console).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadFailed;

/// Downloads a chunk and builds its screen.
pub type Loader = fn() -> Pin<Box<dyn Future<Output = Result<AnyView, LoadFailed>>>>;

thread_local! {
    /// The chunks that have arrived in this page.
    static ARRIVED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `chunk` arrives for the first time (each screen of a chunk has
/// its own loader; the chunk is downloaded once); notes it in `arrived`.
pub fn first_arrival(arrived: &mut Vec<&'static str>, chunk: &'static str) -> bool {
    if arrived.contains(&chunk) {
        return false;
    }
    arrived.push(chunk);
    true
}

/// The performance mark set when the chunk `name` has loaded.
pub fn chunk_mark(name: &str) -> String {
    format!("yanzhen:chunk:{name}")
}

/// A route's screen that lives in the chunk `chunk`, built by `load`.
#[component]
pub fn LazyScreen(
    /// The chunk's name (for the performance mark).
    chunk: &'static str,
    /// Downloads the chunk and builds the screen.
    load: Loader,
) -> impl IntoView {
    let state = RwSignal::new(LoadState::START);
    let screen = StoredValue::new_local(None::<AnyView>);
    let step = move |event: LoadEvent| {
        let next = state.get_untracked().on(event);
        if let Some(next) = next {
            state.set(next);
        }
        next
    };
    let finish = move |built: Result<AnyView, LoadFailed>| match built {
        Ok(view) => {
            screen.set_value(Some(view));
            if ARRIVED.with_borrow_mut(|arrived| first_arrival(arrived, chunk)) {
                crate::sync::repo::performance_mark(&chunk_mark(chunk));
            }
            step(LoadEvent::Loaded);
        }
        Err(LoadFailed) => {
            step(LoadEvent::LoadFailed);
        }
    };
    // The download (or, for a chunk already here, the loader's answer a
    // few microtasks later: no loading line is painted) runs under this
    // screen's owner, also when a retry's click (which runs under none)
    // starts it: the screen finds its contexts, and the download of a
    // screen that was left is cancelled.
    let owner = StoredValue::new_local(Owner::current());
    let start = move || {
        let run = move || {
            let loading = load();
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                finish(loading.await);
            });
        };
        match owner.get_value() {
            Some(owner) => owner.with(run),
            None => run(),
        }
    };
    start();
    let retry = move |_| {
        if let Some(LoadState::Loading { .. }) = step(LoadEvent::Retry) {
            start();
        }
    };
    move || {
        match state.get() {
        LoadState::Loading { .. } => view! {
            <p class="empty-state lazy-loading" id="lazy-loading" role="status">{t(Msg::ChunkLoading)}</p>
        }
        .into_any(),
        LoadState::Failed { attempt } => view! {
            <div class="notice notice-error lazy-failed" id="lazy-failed" role="alert" data-attempt=attempt.to_string()>
                <p>{t(Msg::ChunkFailed)}</p>
                <button type="button" class="button primary" id="lazy-retry" on:click=retry>
                    {t(Msg::ChunkRetry)}
                </button>
            </div>
        }
        .into_any(),
        LoadState::Ready => screen
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    }
    }
}

/// Defines `fn $name() -> impl IntoView`, a route's view showing the page
/// component `$page` from the chunk `$chunk` (a split point of the split
/// build; several routes may share a chunk), or calling `$page` directly
/// without `--cfg yanzhen_split`.
#[macro_export]
macro_rules! lazy_view {
    ($chunk:ident, $name:ident, $page:ident) => {
        #[cfg(yanzhen_split)]
        fn $name() -> impl ::leptos::prelude::IntoView {
            // The split point: its body, and all code only it reaches, is
            // moved into the chunk.
            #[::wasm_split_helpers::wasm_split($chunk, fallible)]
            fn $name() -> ::std::result::Result<
                ::leptos::prelude::AnyView,
                ::wasm_split_helpers::SplitLoaderError,
            > {
                ::std::result::Result::Ok(::leptos::prelude::IntoAny::into_any(
                    ::leptos::view! { <$page/> },
                ))
            }
            use $crate::ui::lazy_screen::LazyScreen;
            ::leptos::view! {
                <LazyScreen
                    chunk=stringify!($chunk)
                    load=|| ::std::boxed::Box::pin(async {
                        $name().await.map_err(|_| $crate::ui::lazy_screen::LoadFailed)
                    })
                />
            }
        }
        #[cfg(not(yanzhen_split))]
        fn $name() -> impl ::leptos::prelude::IntoView {
            ::leptos::view! { <$page/> }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_that_arrives_shows_its_screen_for_good() {
        assert_eq!(
            LoadState::START.on(LoadEvent::Loaded),
            Some(LoadState::Ready)
        );
        for late in [LoadEvent::Loaded, LoadEvent::LoadFailed, LoadEvent::Retry] {
            assert_eq!(
                LoadState::Ready.on(late),
                None,
                "{late:?} after the screen is shown"
            );
        }
    }

    #[test]
    fn a_failed_download_offers_the_retry_which_downloads_again() {
        let failed = LoadState::START.on(LoadEvent::LoadFailed).unwrap();
        assert_eq!(failed, LoadState::Failed { attempt: 1 });
        let again = failed.on(LoadEvent::Retry).unwrap();
        assert_eq!(again, LoadState::Loading { attempt: 2 });
        // The second attempt can fail again, and the third work.
        let failed = again.on(LoadEvent::LoadFailed).unwrap();
        assert_eq!(failed, LoadState::Failed { attempt: 2 });
        let third = failed.on(LoadEvent::Retry).unwrap();
        assert_eq!(third, LoadState::Loading { attempt: 3 });
        assert_eq!(third.on(LoadEvent::Loaded), Some(LoadState::Ready));
    }

    #[test]
    fn retry_while_loading_starts_no_second_download() {
        let loading = LoadState::Loading { attempt: 2 };
        assert_eq!(loading.on(LoadEvent::Retry), None);
        // Nor does an answer arrive for a screen that failed and was not retried.
        let failed = LoadState::Failed { attempt: 1 };
        assert_eq!(failed.on(LoadEvent::Loaded), None);
        assert_eq!(failed.on(LoadEvent::LoadFailed), None);
    }

    #[test]
    fn a_chunk_is_marked_when_it_first_arrives_only() {
        let mut arrived = Vec::new();
        assert!(first_arrival(&mut arrived, "lead"));
        assert!(!first_arrival(&mut arrived, "lead"), "the next lead screen");
        assert!(first_arrival(&mut arrived, "flock"));
        assert_eq!(arrived, ["lead", "flock"]);
    }

    #[test]
    fn each_chunk_has_its_own_mark() {
        assert_eq!(chunk_mark("lead"), "yanzhen:chunk:lead");
        assert_ne!(chunk_mark("lead"), chunk_mark("flock"));
    }
}
