//! Authorship: who may be named as the maker of a change (issue 14).
//!
//! The sync server accepts a change to the district or a unit document only
//! if its commit message ([`ChangeMessage`]) names the device that delivered
//! it: `d` must be that device's server device id and `r` its role name
//! (`village`, `township`, `admin`, `viewer`). A change relayed by another
//! device, or one claiming another device or a higher role, is refused.
//!
//! The one exception is a schema migration ([`ChangeOp::Migrate`],
//! `d == "migration"`): [`crate::migrate::migrate`] makes it with a
//! deterministic actor and time 0, so any tablet migrating the same heads
//! makes the identical change. Such a change is accepted only if it can be
//! reproduced exactly: the document forked at the change's dependencies and
//! migrated by this build must end at the change's hash
//! ([`reproduces_migration`]). A hostile writer cannot hide other content
//! behind the name "migration".
//!
//! [`check_claim`] is the pure rule on a commit message;
//! [`check_change`] applies it (and the migration check) to a change in a
//! document.

use automerge::{Automerge, ChangeHash};
use thiserror::Error;

use crate::store::{ChangeMessage, ChangeOp, Scope};

/// The device name a migration change carries (see [`crate::migrate`]).
pub const MIGRATION_DEVICE: &str = "migration";

/// Why a change's authorship is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthorshipError {
    /// The change has no commit message.
    #[error("the change has no commit message")]
    NoMessage,
    /// The commit message is not a model [`ChangeMessage`].
    #[error("the commit message is not a model change message")]
    NotAModelMessage,
    /// `d` names another device than the one that sent the change.
    #[error("the change names device {claimed:?}, but was sent by {expected:?}")]
    WrongDevice {
        /// The device the message names.
        claimed: String,
        /// The sending device's server id.
        expected: String,
    },
    /// `r` names another role than the sending device's.
    #[error("the change names role {claimed:?}, but the sending device's role is {expected:?}")]
    WrongRole {
        /// The role the message names.
        claimed: String,
        /// The sending device's role name.
        expected: String,
    },
    /// A change named "migration" that this build does not make from the
    /// change's dependencies.
    #[error("the change claims to be a migration, but migrating its dependencies does not make it")]
    MigrationNotReproduced,
    /// The change is not in the document.
    #[error("the change is not in the document")]
    UnknownChange,
}

/// What a commit message claims, once it passed [`check_claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Made by the sending device, in its role.
    Device,
    /// A schema migration: accepted only if reproduced
    /// ([`reproduces_migration`]).
    Migration,
}

/// The rule on a change's commit message: it must decode as a
/// [`ChangeMessage`] whose `d` is `device_id` and `r` is `role`, or be a
/// migration claim (`op` migrate, `d` [`MIGRATION_DEVICE`]), which the
/// caller must then reproduce.
pub fn check_claim(
    message: Option<&str>,
    device_id: &str,
    role: &str,
) -> Result<Claim, AuthorshipError> {
    let msg = message.ok_or(AuthorshipError::NoMessage)?;
    let msg = ChangeMessage::decode(msg).ok_or(AuthorshipError::NotAModelMessage)?;
    if msg.op == ChangeOp::Migrate && msg.d == MIGRATION_DEVICE {
        return Ok(Claim::Migration);
    }
    if msg.d != device_id {
        return Err(AuthorshipError::WrongDevice {
            claimed: msg.d,
            expected: device_id.into(),
        });
    }
    if msg.r != role {
        return Err(AuthorshipError::WrongRole {
            claimed: msg.r,
            expected: role.into(),
        });
    }
    Ok(Claim::Device)
}

/// Whether migrating `doc` forked at `deps` (as a document of kind `S`)
/// makes exactly the change `hash`.
pub fn reproduces_migration<S: Scope>(
    doc: &Automerge,
    deps: &[ChangeHash],
    hash: &ChangeHash,
) -> bool {
    let Ok(mut fork) = doc.fork_at(deps) else {
        return false;
    };
    if crate::migrate::migrate::<S>(&mut fork).is_err() {
        return false;
    }
    fork.get_heads() == [*hash]
}

/// Checks the change `hash` of `doc` (a document of kind `S`), sent by
/// the device `device_id` with the role name `role`: its message must name
/// that device and role, or it must be a migration this build reproduces.
pub fn check_change<S: Scope>(
    doc: &Automerge,
    hash: &ChangeHash,
    device_id: &str,
    role: &str,
) -> Result<(), AuthorshipError> {
    let meta = doc
        .get_change_meta_by_hash(hash)
        .ok_or(AuthorshipError::UnknownChange)?;
    match check_claim(meta.message.as_deref(), device_id, role)? {
        Claim::Device => Ok(()),
        Claim::Migration if reproduces_migration::<S>(doc, &meta.deps, hash) => Ok(()),
        Claim::Migration => Err(AuthorshipError::MigrationNotReproduced),
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, ROOT, ReadDoc};

    use super::*;
    use crate::store::{ChangeMeta, DistrictScope, UnitDocument, UnitScope};
    use crate::{DistrictDocument, Id};

    const DEVICE: &str = "dev-7f3a";

    fn meta(device: &str, role: &str) -> ChangeMeta {
        ChangeMeta::new(device, "东风村", role, 1_700_000_000_000)
    }

    fn message(device: &str, role: &str, op: ChangeOp) -> String {
        ChangeMessage::new(&meta(device, role), op, "people", "x", vec!["name".into()]).encode()
    }

    #[test]
    fn a_message_naming_the_sender_and_its_role_passes() {
        let m = message(DEVICE, "village", ChangeOp::Update);
        assert_eq!(check_claim(Some(&m), DEVICE, "village"), Ok(Claim::Device));
    }

    #[test]
    fn another_device_is_refused() {
        let m = message("dev-other", "village", ChangeOp::Update);
        assert_eq!(
            check_claim(Some(&m), DEVICE, "village"),
            Err(AuthorshipError::WrongDevice {
                claimed: "dev-other".into(),
                expected: DEVICE.into()
            })
        );
    }

    #[test]
    fn a_higher_role_is_refused() {
        let m = message(DEVICE, "admin", ChangeOp::Update);
        assert_eq!(
            check_claim(Some(&m), DEVICE, "village"),
            Err(AuthorshipError::WrongRole {
                claimed: "admin".into(),
                expected: "village".into()
            })
        );
    }

    #[test]
    fn no_message_or_a_foreign_one_is_refused() {
        assert_eq!(
            check_claim(None, DEVICE, "village"),
            Err(AuthorshipError::NoMessage)
        );
        assert_eq!(
            check_claim(Some("fix typo"), DEVICE, "village"),
            Err(AuthorshipError::NotAModelMessage)
        );
    }

    #[test]
    fn a_migration_is_only_a_claim() {
        let m = message(MIGRATION_DEVICE, "system", ChangeOp::Migrate);
        assert_eq!(
            check_claim(Some(&m), DEVICE, "village"),
            Ok(Claim::Migration)
        );
        // "migration" with another op is just another device.
        let m = message(MIGRATION_DEVICE, "village", ChangeOp::Update);
        assert!(matches!(
            check_claim(Some(&m), DEVICE, "village"),
            Err(AuthorshipError::WrongDevice { .. })
        ));
    }

    /// A unit document at schema 2 (no `nominations`), made by `DEVICE`.
    fn v2_unit() -> Automerge {
        let doc = UnitDocument::new_unit(
            &Id::from_random_bytes([3; 16]),
            &[0x22; 16],
            &meta(DEVICE, "village"),
        )
        .unwrap();
        let mut am = doc.into_automerge();
        let mut tx = am.transaction();
        tx.put(ROOT, "schema_version", 2u64).unwrap();
        tx.delete(ROOT, "nominations").unwrap();
        tx.commit();
        am
    }

    #[test]
    fn a_genuine_migration_is_reproduced_and_accepted() {
        let mut am = v2_unit();
        let before = am.get_heads();
        crate::migrate::migrate::<UnitScope>(&mut am).unwrap();
        let new = am.get_changes_meta(&before);
        assert_eq!(new.len(), 1);
        let hash = new[0].hash;
        assert_eq!(
            check_change::<UnitScope>(&am, &hash, DEVICE, "village"),
            Ok(())
        );
        // The same change is not a district document's migration.
        assert_eq!(
            check_change::<DistrictScope>(&am, &hash, DEVICE, "village"),
            Err(AuthorshipError::MigrationNotReproduced)
        );
    }

    #[test]
    fn a_forged_migration_is_refused() {
        let mut am = v2_unit();
        let forged = ChangeMessage::migration(2, 3);
        am.set_actor(ActorId::from(&[0xff; 16][..]));
        let before = am.get_heads();
        am.transact_with::<_, _, automerge::AutomergeError, _>(
            |_| forged.commit_options(0),
            |tx| {
                tx.put(ROOT, "schema_version", 3u64)?;
                tx.put_object(ROOT, "nominations", automerge::ObjType::Map)?;
                tx.put(ROOT, "unit_id", "someone-else")?;
                Ok(())
            },
        )
        .unwrap();
        let hash = am.get_changes_meta(&before)[0].hash;
        assert_eq!(
            check_change::<UnitScope>(&am, &hash, DEVICE, "village"),
            Err(AuthorshipError::MigrationNotReproduced)
        );
        assert_eq!(
            am.get(ROOT, "unit_id")
                .unwrap()
                .unwrap()
                .0
                .into_string()
                .ok()
                .as_deref(),
            Some("someone-else")
        );
    }

    #[test]
    fn a_migration_claim_on_a_current_document_is_refused() {
        let doc =
            DistrictDocument::new_district("区", &[0x33; 16], &meta(DEVICE, "admin")).unwrap();
        let mut am = doc.into_automerge();
        let before = am.get_heads();
        let claim = message(MIGRATION_DEVICE, "system", ChangeOp::Migrate);
        am.transact_with::<_, _, automerge::AutomergeError, _>(
            |_| automerge::transaction::CommitOptions::default().with_message(claim.clone()),
            |tx| tx.put(ROOT, "name", "改名"),
        )
        .unwrap();
        let hash = am.get_changes_meta(&before)[0].hash;
        assert_eq!(
            check_change::<DistrictScope>(&am, &hash, DEVICE, "admin"),
            Err(AuthorshipError::MigrationNotReproduced)
        );
    }

    #[test]
    fn an_honest_change_in_a_document_passes() {
        let unit = Id::from_random_bytes([4; 16]);
        let mut doc = UnitDocument::new_unit(&unit, &[0x44; 16], &meta(DEVICE, "village")).unwrap();
        let before = doc.heads();
        let p = crate::demo::minimal_person(Id::from_random_bytes([5; 16]), &unit, 1);
        doc.put(&p, &meta(DEVICE, "village")).unwrap();
        let am = doc.automerge();
        let hash = am.get_changes_meta(&before)[0].hash;
        assert_eq!(
            check_change::<UnitScope>(am, &hash, DEVICE, "village"),
            Ok(())
        );
        assert!(matches!(
            check_change::<UnitScope>(am, &hash, "dev-other", "village"),
            Err(AuthorshipError::WrongDevice { .. })
        ));
    }
}
