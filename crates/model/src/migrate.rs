//! Schema versions and migrations.
//!
//! * **v1** (first field trial): unit documents had no `career_moves`
//!   collection and stored an investment lead's funds as `funds_wan` (a
//!   float number of 万元).
//! * **v2**: `career_moves` exists; funds are `funds_yuan` (integer yuan,
//!   exact sums).
//! * **v3** (current): unit documents have a `nominations` collection (a
//!   unit's candidates for the joint review, see
//!   [`crate::entities::Nomination`]); district documents only change
//!   their version.
//!
//! A document of any older version is brought to the current one in one
//! change (v1 runs the v1→v2 step, then the v2→v3 step).
//!
//! A migration is one change made by a *deterministic* actor derived from
//! the document's heads, with time 0 and a fixed message, so two devices
//! migrating the same v1 state offline produce the byte-identical change
//! (same hash) and merging them creates no duplicate collection objects.
//! The tested v1 fixture is `tests/fixtures/unit_v1.automerge`.

use crate::sorting;
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, Automerge, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::store::{ChangeMessage, ModelError, SCHEMA_VERSION, Scope};

/// Reads `schema_version` from a document's root.
pub fn schema_version<D: ReadDoc>(doc: &D) -> Result<u64, ModelError> {
    match doc.get(ROOT, "schema_version")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(v) => Ok(*v),
            ScalarValue::Int(v) if *v >= 0 => Ok(*v as u64),
            _ => Err(ModelError::Corrupt("schema_version is not a number".into())),
        },
        _ => Err(ModelError::Corrupt("no schema_version".into())),
    }
}

fn migration_actor(doc: &Automerge, from: u64) -> ActorId {
    // FNV-1a over the sorted heads and the source version, widened to 16 bytes.
    let mut heads = doc.get_heads();
    sorting::sort(&mut heads);
    let mut out = [0u8; 16];
    for (half, seed) in [
        (0usize, 0xcbf2_9ce4_8422_2325u64),
        (8, 0x8422_2325_cbf2_9ce4),
    ] {
        let mut h = seed;
        for b in heads.iter().flat_map(|h| h.0).chain(from.to_le_bytes()) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        out[half..half + 8].copy_from_slice(&h.to_le_bytes());
    }
    out[0] = 0xff; // never equal to a device actor made from a v4 UUID
    ActorId::from(&out[..])
}

/// Migrates `doc` in place to [`SCHEMA_VERSION`]. No-op if current; error if
/// newer than this build.
pub fn migrate<S: Scope>(doc: &mut Automerge) -> Result<(), ModelError> {
    let v = schema_version(doc)?;
    if v == SCHEMA_VERSION {
        return Ok(());
    }
    if v > SCHEMA_VERSION {
        return Err(ModelError::SchemaTooNew(v));
    }
    if !(1..SCHEMA_VERSION).contains(&v) {
        return Err(ModelError::SchemaUnsupported(v));
    }
    let local = doc.get_actor().clone();
    doc.set_actor(migration_actor(doc, v));
    let msg = ChangeMessage::migration(v, SCHEMA_VERSION);
    let res = doc.transact_with(
        |_| {
            CommitOptions::default()
                .with_message(msg.encode())
                .with_time(0)
        },
        |tx| {
            if S::NAME == "unit" {
                if v < 2 {
                    migrate_unit_v1(tx)?;
                }
                migrate_unit_v2(tx)?;
            }
            tx.put(ROOT, "schema_version", SCHEMA_VERSION)?;
            Ok::<_, ModelError>(())
        },
    );
    doc.set_actor(local);
    res.map_err(|f| f.error)?;
    Ok(())
}

/// v2 → v3: the empty `nominations` collection.
fn migrate_unit_v2(tx: &mut automerge::transaction::Transaction<'_>) -> Result<(), ModelError> {
    if tx.get(ROOT, "nominations")?.is_none() {
        tx.put_object(ROOT, "nominations", ObjType::Map)?;
    }
    Ok(())
}

fn migrate_unit_v1(tx: &mut automerge::transaction::Transaction<'_>) -> Result<(), ModelError> {
    if tx.get(ROOT, "career_moves")?.is_none() {
        tx.put_object(ROOT, "career_moves", ObjType::Map)?;
    }
    if let Some((Value::Object(ObjType::Map), leads)) = tx.get(ROOT, "leads")? {
        let ids: Vec<String> = tx.keys(&leads).collect();
        for id in ids {
            let Some((Value::Object(ObjType::Map), lead)) = tx.get(&leads, id.as_str())? else {
                continue;
            };
            let wan = match tx.get(&lead, "funds_wan")? {
                Some((Value::Scalar(s), _)) => match s.as_ref() {
                    ScalarValue::F64(f) => *f,
                    ScalarValue::Int(i) => *i as f64,
                    ScalarValue::Uint(u) => *u as f64,
                    _ => 0.0,
                },
                _ => 0.0,
            };
            tx.put(&lead, "funds_yuan", (wan * 10_000.0).round() as i64)?;
            tx.delete(&lead, "funds_wan").ok();
        }
    }
    Ok(())
}
