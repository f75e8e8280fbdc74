//! One field edit: two clients have the same unit document; A changes one
//! person's phone number (one validated model write = one Automerge change);
//! measured: bytes each way on A's and B's links, A's round trips, and the
//! time until B has the change. The floor is the encoded change itself.

use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use automerge::Automerge;
use loadgen::report::{Figure, Target};
use loadgen::workload;
use yanzhen_model::store::UnitDocument;

use crate::procs::{Kind, Server, ServerPaths};
use crate::storm::doc_id;
use yanzhen_testkit::tablet::{LOADGEN_CONNECT, Tablet, Traffic};

const SECTION: &str = "4. One field edit";
/// A link counts as quiet after this long without a message.
const QUIET: Duration = Duration::from_millis(300);

/// What one edit cost.
#[derive(Clone, Copy, Debug, Default)]
struct EditResult {
    floor: u64,
    a: Traffic,
    b: Traffic,
    ack_ms: f64,
    seen_ms: f64,
}

async fn measure(kind: Kind, paths: &ServerPaths) -> Result<EditResult> {
    let server = Server::start(kind, paths, "edit")?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let doc = 0;
    let id = doc_id(doc);
    let base = workload::base_document(doc)?;
    let mut a = Tablet::loadgen(500);
    let mut b = Tablet::loadgen(501);
    for (c, tablet) in [(&mut a, 900u32), (&mut b, 901)] {
        c.try_connect(&server.url, LOADGEN_CONNECT).await?;
        c.wait_until(deadline, "peer", Tablet::handshaken).await?;
        let replica = workload::tablet_replica(&base, doc, tablet, 0)?;
        c.try_add(id, replica.into_automerge()).await?;
        c.wait_until(deadline, "the server to have the document", |c| {
            c.server_heads(&id) == c.heads(&id)
        })
        .await?;
    }
    a.pump_quiet(QUIET, deadline).await?;
    b.pump_quiet(QUIET, deadline).await?;
    a.traffic = Traffic::default();
    b.traffic = Traffic::default();

    // The edit, exactly as the app writes it.
    let (floor, fx) = a.node.change(id, |am| -> Result<u64> {
        let mut d = UnitDocument::from_automerge(std::mem::replace(am, Automerge::new()))?;
        workload::offline_edits(&mut d, doc, 900, 1)?;
        *am = d.into_automerge();
        let change = am
            .get_last_local_change()
            .context("the edit made no change")?;
        Ok(change.raw_bytes().len() as u64)
    })?;
    let floor = floor?;
    let t0 = Instant::now();
    a.apply(fx).await?;
    let want = a.heads(&id);
    let (ra, rb) = tokio::join!(
        async {
            a.wait_until(deadline, "the server's acknowledgement", |c| {
                c.server_heads(&id) == want
            })
            .await?;
            let ack = t0.elapsed();
            a.pump_quiet(QUIET, deadline).await?;
            anyhow::Ok(ack)
        },
        async {
            b.wait_until(deadline, "the edit to arrive", |c| c.heads(&id) == want)
                .await?;
            let seen = t0.elapsed();
            b.pump_quiet(QUIET, deadline).await?;
            anyhow::Ok(seen)
        }
    );
    let (ack, seen) = (ra?, rb?);
    a.close().await;
    b.close().await;
    Ok(EditResult {
        floor,
        a: a.traffic,
        b: b.traffic,
        ack_ms: ack.as_secs_f64() * 1000.0,
        seen_ms: seen.as_secs_f64() * 1000.0,
    })
}

/// The figures, ours against the reference.
pub async fn run(paths: &ServerPaths) -> Result<Vec<Figure>> {
    let o = measure(Kind::Ours, paths).await?;
    let r = measure(Kind::Reference, paths).await?;
    let limit = 2.0 * o.floor as f64 + 200.0;
    let msgs = |t: &Traffic| format!("{} / {} messages", t.sent_msgs, t.recv_msgs);
    // Bytes on one leg of the edit, ours and the reference's, at most `limit`.
    let bytes = |name: &str, ours: u64, reference: u64| {
        Figure::new(SECTION, name, "B", ours as f64)
            .reference(reference as f64)
            .target(Target::Max(limit))
    };
    Ok(vec![
        Figure::new(SECTION, "the change itself (floor)", "B", o.floor as f64)
            .note("encoded Automerge change of one validated model write (phone number, with its commit message)"),
        bytes("writer → server", o.a.wire_sent, r.a.wire_sent)
            .note(format!("WebSocket frames (payload + header); target 2 × floor + 200 B; ours {}, reference {}", msgs(&o.a), msgs(&r.a))),
        bytes("server → writer", o.a.wire_recv, r.a.wire_recv)
            .note("the acknowledgement (and anything else the server sends back)"),
        bytes("server → second client", o.b.wire_recv, r.b.wire_recv)
            .note(format!("second client sent / received: ours {}, reference {}", msgs(&o.b), msgs(&r.b))),
        bytes("second client → server", o.b.wire_sent, r.b.wire_sent),
        Figure::new(SECTION, "writer's round trips", "", o.a.sent_msgs.max(o.a.recv_msgs) as f64)
            .reference(r.a.sent_msgs.max(r.a.recv_msgs) as f64)
            .target(Target::Max(2.0))
            .note("max(messages sent, received) by the writer until its link is quiet for 300 ms"),
        Figure::new(SECTION, "until the second client has it", "ms", o.seen_ms)
            .reference(r.seen_ms)
            .target(Target::Max(300.0))
            .note(format!("loopback; the writer had the server's acknowledgement after {:.1} ms (reference {:.1} ms)", o.ack_ms, r.ack_ms)),
    ])
}
