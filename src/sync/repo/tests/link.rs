//! The link: connecting with the token, backoff, late events of an old
//! socket, refusals and revocation, offline, ticks, the silent link.

use super::*;

#[test]
fn an_enrolled_tablet_connects_with_its_token_and_gets_the_document() {
    let d = doc(3);
    let w = connected(d);
    let connects = World::connects(&w.seen);
    assert_eq!(connects.len(), 1);
    assert_eq!(connects[0].1, "wss://sync.example.test/sync?token=tok-1");
    assert_eq!(w.tab.connection(), Connection::Connected);
    assert!(w.seen.iter().any(|a| matches!(a, Action::Bootstrap { .. })));
    // No district keys in the enrolment: `GET /api/me` is asked once connected.
    assert!(
        w.seen
            .iter()
            .any(|a| matches!(a, Action::CheckToken { .. }))
    );
    assert_eq!(w.row_ack(d), Some(Ack::Acked));
    let am = w.tab.node().document(&d).unwrap();
    assert_eq!(value(am, "v").as_deref(), Some("server"));
    // What came from the server is stored.
    assert!(w.idb.keys().any(|k| k[0] == d.to_string()));
}

#[test]
fn a_socket_closing_before_the_handshake_asks_why_and_backs_off() {
    let d = doc(8);
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.auto_open = false;
    w.start(Some(enrolment("tok", vec![grant(d, "write")])));
    let (conn, _) = World::connects(&w.seen)[0].clone();
    w.feed(Input::Opened { conn });
    let closed = w.feed(Input::Closed { conn, random: 0.5 });
    assert!(
        closed
            .iter()
            .any(|a| matches!(a, Action::CheckToken { .. }))
    );
    // Full jitter: attempt 0's bound is 1 s; half of it here.
    let at = w.now + 500.0;
    assert_eq!(w.tab.connection(), Connection::Retrying { at });
    assert!(World::connects(&w.tick(499.0)).is_empty());
    let again = World::connects(&w.tick(1.0));
    assert_eq!(again.len(), 1);
    assert_ne!(again[0].0, conn, "a new connection id");
    // The second failure waits up to 2 s.
    w.feed(Input::Closed {
        conn: again[0].0,
        random: 0.75,
    });
    assert_eq!(
        w.tab.connection(),
        Connection::Retrying {
            at: w.now + 1_500.0
        }
    );
}

#[test]
fn a_socket_closing_mid_sync_reconnects_and_the_change_gets_through() {
    let d = doc(9);
    let mut w = connected(d);
    // The server is cut off: the change stays pending.
    let (conn, s) = w.link.unwrap();
    w.link = None;
    let _ = w
        .server
        .handle(w.now as u64, Event::Disconnected { conn: s });
    w.change(d, "v", "offline edit");
    assert_eq!(w.row_ack(d), Some(Ack::Pending));
    let closed = w.feed(Input::Closed { conn, random: 0.0 });
    // Handshaken before: nothing to ask, and backoff starts again at 0.
    assert!(
        !closed
            .iter()
            .any(|a| matches!(a, Action::CheckToken { .. }))
    );
    assert_eq!(w.tab.connection(), Connection::Retrying { at: w.now });
    w.tick(0.0);
    assert_eq!(w.tab.connection(), Connection::Connected);
    assert_eq!(w.server_value(d, "v").as_deref(), Some("offline edit"));
    assert_eq!(w.row_ack(d), Some(Ack::Acked));
}

#[test]
fn events_of_an_old_socket_are_ignored() {
    let d = doc(10);
    let mut w = connected(d);
    let (old, _) = w.link.unwrap();
    // A new enrolment (new token) replaces the socket.
    w.feed(Input::Enrolment {
        online: true,
        enrolment: Some(enrolment("tok-2", vec![grant(d, "write")])),
    });
    let (new, _) = w.link.unwrap();
    assert_ne!(old, new);
    assert!(w.seen.contains(&Action::Drop { conn: old }));
    let late = w.feed(Input::Opened { conn: old });
    assert!(late.is_empty());
    let late = w.feed(Input::Closed {
        conn: old,
        random: 0.0,
    });
    assert!(World::connects(&late).is_empty());
    assert!(!late.iter().any(|a| matches!(a, Action::CheckToken { .. })));
    assert_eq!(w.tab.connection(), Connection::Connected);
    // Messages still sent go on the new socket only.
    let sent = w.change(d, "v", "after");
    assert!(sent.iter().all(|a| match a {
        Action::Send { conn, .. } => *conn == new,
        _ => true,
    }));
}

#[test]
fn a_refused_token_stops_the_link_until_enrolled_again() {
    let d = doc(11);
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.auto_open = false;
    w.me_refusal = Some(Refusal::Unknown);
    w.start(Some(enrolment("tok", vec![grant(d, "write")])));
    let (conn, _) = World::connects(&w.seen)[0].clone();
    w.feed(Input::Closed { conn, random: 0.0 });
    assert_eq!(w.tab.connection(), Connection::Refused(Refusal::Unknown));
    assert!(World::connects(&w.tick(120_000.0)).is_empty(), "no retries");
    assert!(World::connects(&w.feed(Input::Online)).is_empty());
    // Enrolled again: a new token, at once.
    w.me_refusal = None;
    let again = w.feed(Input::Enrolment {
        online: true,
        enrolment: Some(enrolment("tok-new", vec![grant(d, "write")])),
    });
    let connects = World::connects(&again);
    assert_eq!(connects.len(), 1);
    assert!(connects[0].1.ends_with("token=tok-new"));
}

#[test]
fn a_refusal_of_an_old_token_is_ignored() {
    let d = doc(12);
    let mut w = connected(d);
    let answer = w.feed(Input::TokenRefused {
        token: "someone-else".into(),
        refusal: Refusal::Revoked,
    });
    assert!(!answer.iter().any(|a| matches!(a, Action::Revoked { .. })));
    assert_eq!(w.tab.connection(), Connection::Connected);
}

#[test]
fn a_revocation_erases_only_over_a_secure_channel() {
    let d = doc(13);
    let mut w = connected(d);
    w.link = None; // the server no longer answers: the edit stays unconfirmed
    w.change(d, "v", "unsynced");
    let revoked = w.feed(Input::TokenRefused {
        token: "tok-1".into(),
        refusal: Refusal::Revoked,
    });
    assert!(revoked.contains(&Action::Revoked { unsynced: true }));

    // Over plain http to another host, a "revoked" is only an unknown token.
    let mut w = connected(doc(14));
    w.feed(Input::Server {
        base: "http://sync.example.test".into(),
    });
    let answer = w.feed(Input::TokenRefused {
        token: "tok-1".into(),
        refusal: Refusal::Revoked,
    });
    assert!(!answer.iter().any(|a| matches!(a, Action::Revoked { .. })));
    assert_eq!(w.tab.connection(), Connection::Refused(Refusal::Unknown));
}

#[test]
fn a_revocation_with_everything_confirmed_says_so() {
    let d = doc(15);
    let mut w = connected(d);
    let revoked = w.feed(Input::TokenRefused {
        token: "tok-1".into(),
        refusal: Refusal::Revoked,
    });
    assert!(revoked.contains(&Action::Revoked { unsynced: false }));
}

#[test]
fn an_insecure_server_is_never_sent_the_token() {
    let d = doc(16);
    let mut w = World::new();
    w.feed(Input::Server {
        base: "http://sync.example.test".into(),
    });
    w.start(Some(enrolment("tok", vec![grant(d, "write")])));
    assert!(World::connects(&w.seen).is_empty());
    assert!(matches!(
        w.tab.problem_shown(),
        Some(Problem::Insecure(base)) if base == "http://sync.example.test"
    ));
    assert_eq!(w.tab.connection(), Connection::NotEnrolled);
}

#[test]
fn offline_closes_and_waits_online_reconnects_at_once() {
    let d = doc(17);
    let mut w = connected(d);
    let (conn, _) = w.link.unwrap();
    let off = w.feed(Input::Offline);
    assert!(off.contains(&Action::Close { conn }));
    assert_eq!(w.tab.connection(), Connection::Offline);
    assert!(World::connects(&w.tick(600_000.0)).is_empty());
    let on = w.feed(Input::Online);
    assert_eq!(World::connects(&on).len(), 1);
    assert_eq!(w.tab.connection(), Connection::Connected);
}

#[test]
fn a_duplicate_or_late_tick_opens_one_socket() {
    let d = doc(18);
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.auto_open = false;
    w.start(Some(enrolment("tok", vec![grant(d, "write")])));
    let (conn, _) = World::connects(&w.seen)[0].clone();
    w.feed(Input::Closed { conn, random: 1.0 });
    let first = World::connects(&w.tick(1_000.0));
    let second = World::connects(&w.feed(Input::Tick));
    assert_eq!((first.len(), second.len()), (1, 0));
    // A socket that does not open is given up after 15 s.
    let given_up = w.tick(15_000.0);
    assert!(given_up.contains(&Action::Close { conn: first[0].0 }));
}

#[test]
fn a_silent_link_with_pending_changes_is_closed() {
    let d = doc(19);
    let mut w = connected(d);
    let (conn, _) = w.link.unwrap();
    // The server stops answering (its messages are lost).
    let saved = w.link.take();
    w.change(d, "v", "pending");
    w.link = saved;
    assert!(!w.tick(29_000.0).contains(&Action::Close { conn }));
    assert!(w.tick(1_000.0).contains(&Action::Close { conn }));
}

#[test]
fn an_idle_link_in_step_is_never_closed() {
    let d = doc(20);
    let mut w = connected(d);
    let (conn, _) = w.link.unwrap();
    assert!(!w.tick(600_000.0).contains(&Action::Close { conn }));
}

#[test]
fn a_server_error_is_shown_but_a_refused_read_only_write_is_not() {
    let d = doc(30);
    let mut w = connected(d);
    let (conn, _) = w.link.unwrap();
    let error = |message: &str| {
        yanzhen_sync::Message::Error {
            sender_id: PeerId::new("server-test"),
            target_id: PeerId::new("tablet-test"),
            message: message.to_owned(),
        }
        .encode()
    };
    w.feed(Input::Received {
        conn,
        bytes: error("you may not write this document"),
    });
    assert_eq!(w.tab.problem_shown(), None);
    w.feed(Input::Received {
        conn,
        bytes: error("schema.invalid"),
    });
    assert_eq!(
        w.tab.problem_shown(),
        Some(&Problem::Server("schema.invalid".into()))
    );
    // A protocol error naming a refusal stops the link.
    let (conn, _) = w.link.unwrap_or((conn, conn));
    w.feed(Input::Received {
        conn,
        bytes: error("access.token.expired"),
    });
    assert_eq!(w.tab.connection(), Connection::Refused(Refusal::Expired));
}

#[test]
fn a_late_open_of_an_old_socket_does_not_count_for_the_new_one() {
    let d = doc(34);
    let mut w = World::with_server_docs(&[(d, "server")]);
    w.auto_open = false;
    w.start(Some(enrolment("tok", vec![grant(d, "write")])));
    let (old, _) = World::connects(&w.seen)[0].clone();
    w.feed(Input::Closed {
        conn: old,
        random: 0.0,
    });
    let (new, _) = World::connects(&w.tick(0.0))[0].clone();
    assert!(w.feed(Input::Opened { conn: old }).is_empty());
    // The new socket still has to open in time: given up after 15 s.
    assert!(w.tick(15_000.0).contains(&Action::Close { conn: new }));
}
