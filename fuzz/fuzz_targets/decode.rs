//! Fuzz target: `yanzhen_sync::Message::decode` on arbitrary bytes (what
//! the server's hub decodes from every peer's first message, and the node
//! from every message). It must never panic, and whatever decodes must
//! encode and decode again to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yanzhen_sync::Message;

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = Message::decode(data) {
        let again = Message::decode(&msg.encode()).expect("a decoded message re-encodes");
        assert_eq!(again, msg, "decode ∘ encode is the identity");
        // The automerge sync payload the node would decode next.
        if let Message::Sync { data, .. } | Message::Request { data, .. } = &msg {
            let _ = automerge::sync::Message::decode(data);
        }
    }
});
