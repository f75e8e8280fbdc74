//! Fresh record ids from the browser's random numbers.

use yanzhen_model::Id;

/// A fresh record id from the browser's random numbers.
pub fn new_id() -> Id {
    #[cfg(target_arch = "wasm32")]
    {
        let mut b = [0u8; 16];
        let ok = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .is_some_and(|c| c.get_random_values_with_u8_array(&mut b).is_ok());
        if !ok {
            for x in b.iter_mut() {
                *x = (js_sys::Math::random() * 256.0) as u8;
            }
        }
        Id::from_random_bytes(b)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Id::from_random_bytes([0; 16])
    }
}
