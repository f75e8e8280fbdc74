//! The tablet's clock and calendar (its own time zone): now, today, and
//! how a time is shown.

use yanzhen_model::Date;

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// The date of `ms` (since the epoch) on the tablet's calendar, in its own
/// time zone (07:00 in Beijing is today there, still yesterday in UTC).
pub fn local_date(ms: i64) -> Option<Date> {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        Date::new(
            u16::try_from(d.get_full_year()).ok()?,
            u8::try_from(d.get_month() + 1).ok()?,
            u8::try_from(d.get_date()).ok()?,
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Date::from_unix_ms(ms)
    }
}

/// Today on the tablet's calendar (the demo's "today" if the clock is
/// unreadable).
pub fn today() -> Date {
    local_date(now_ms()).unwrap_or_else(yanzhen_model::demo::today)
}

/// `YYYY-MM-DD HH:MM` of a time (ms since the epoch) in the tablet's time
/// zone (UTC outside the browser).
pub fn local_time(ms: i64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes()
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let day = yanzhen_model::Date::from_unix_ms(ms)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let m = ms.rem_euclid(86_400_000) / 60_000;
        format!("{day} {:02}:{:02}", m / 60, m % 60)
    }
}
