//! Devices, tokens and enrolment codes (the SQL side of access control).
//!
//! * An **enrolment code** is issued by the district admin (CLI `enrol` or
//!   `POST /api/admin/codes`) for a [`Role`] (and unit): 10 characters from
//!   [`CODE_ALPHABET`] (no `I`, `O`, `0`, `1`), shown as `ABCDE-FGHJK`;
//!   [`normalise_code`] ignores case, spaces and dashes. Single use, expiring
//!   ([`DEFAULT_CODE_HOURS`]), stored only as a SHA-256 hash.
//! * Enrolling with a code creates a **device** and returns its **token**
//!   (`yz_` + 32 bytes from the OS RNG, base64url), stored only as a SHA-256
//!   hash; a token is high-entropy, so a plain hash is enough. Devices can be
//!   listed and revoked; a revoked token is refused from then on.
//! * **Rate limit**: every enrolment attempt is recorded in `enrol_attempts`
//!   with the client IP as a failure before it is made (check and record in
//!   one SQL statement, so concurrent attempts cannot all pass the check),
//!   and marked a success if it succeeds; after [`RateLimits::per_ip`]
//!   failures from one IP within [`RateLimits::window_ms`], or
//!   [`RateLimits::global`] from anyone, enrolment is refused until the
//!   window moves on. Behind a reverse proxy the IP is the forwarded
//!   client's ([`crate::proxy`], `--trusted-proxy`).
//!
//! Nothing here logs or returns a secret after creating it.
//!
//! Long file: devices, tokens, enrolment codes and the rate limit share one
//! set of tables and their SQL; its unit tests sit beside it and run on both
//! backends.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::{
    Error, Result,
    policy::{Directory, Role},
    storage::{Db, with_db},
};

/// The characters of enrolment codes: digits and capitals without the
/// look-alikes `0`/`O` and `1`/`I` (32 characters, so 5 bits each).
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Characters in a code (50 bits).
pub const CODE_LEN: usize = 10;
/// Hours a code stays valid unless told otherwise.
pub const DEFAULT_CODE_HOURS: u32 = 72;
/// Longest validity one may ask for (30 days).
pub const MAX_CODE_HOURS: u32 = 24 * 30;
/// Longest device name kept.
pub const MAX_DEVICE_NAME: usize = 100;

/// Why a token was refused; [`TokenError::key`] is the message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No token was given.
    #[error("access.token.missing")]
    Missing,
    /// Not a token of ours.
    #[error("access.token.unknown")]
    Unknown,
    /// The device was revoked.
    #[error("access.token.revoked")]
    Revoked,
    /// The device has not been seen for longer than the server's token
    /// idle limit ([`AuthStore::with_token_idle`]): it must enrol again.
    #[error("access.token.expired")]
    Expired,
}

impl TokenError {
    /// The message key (`access.token.missing|unknown|revoked|expired`).
    pub fn key(self) -> &'static str {
        match self {
            TokenError::Missing => "access.token.missing",
            TokenError::Unknown => "access.token.unknown",
            TokenError::Revoked => "access.token.revoked",
            TokenError::Expired => "access.token.expired",
        }
    }
}

/// Why an enrolment was refused; [`EnrolError::key`] is the message key.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// No such code (or not even shaped like one).
    #[error("access.code.invalid")]
    Invalid,
    /// The code was used already.
    #[error("access.code.used")]
    Used,
    /// The code expired.
    #[error("access.code.expired")]
    Expired,
    /// The device name is empty or too long.
    #[error("access.device_name.invalid")]
    BadName,
    /// Too many failures: retry after this many seconds.
    #[error("access.enrol.rate_limited")]
    RateLimited {
        /// Seconds until the oldest counted failure leaves the window.
        retry_after_s: u64,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] Error),
}

impl EnrolError {
    /// The message key.
    pub fn key(&self) -> &'static str {
        match self {
            EnrolError::Invalid => "access.code.invalid",
            EnrolError::Used => "access.code.used",
            EnrolError::Expired => "access.code.expired",
            EnrolError::BadName => "access.device_name.invalid",
            EnrolError::RateLimited { .. } => "access.enrol.rate_limited",
            EnrolError::Db(_) => "server.error",
        }
    }
}

/// Fills `buf` from the operating system's RNG.
pub fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::Random(e.to_string()))
}

/// A fresh code from `random` bytes (one byte per character, low 5 bits):
/// `ABCDE-FGHJK`.
pub fn code_from_bytes(random: &[u8; CODE_LEN]) -> String {
    let mut out = String::with_capacity(CODE_LEN + 1);
    for (i, b) in random.iter().enumerate() {
        if i == CODE_LEN / 2 {
            out.push('-');
        }
        out.push(CODE_ALPHABET[usize::from(b & 31)] as char);
    }
    out
}

/// A fresh code from the OS RNG.
pub fn new_code() -> Result<String> {
    let mut bytes = [0u8; CODE_LEN];
    random_bytes(&mut bytes)?;
    Ok(code_from_bytes(&bytes))
}

/// The canonical form of a typed code: upper case, spaces and dashes
/// removed; `None` unless that is [`CODE_LEN`] characters of
/// [`CODE_ALPHABET`].
pub fn normalise_code(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (s.len() == CODE_LEN && s.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(s)
}

/// SHA-256 of a normalised code (domain-separated).
pub fn hash_code(normalised: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"yanzhen enrolment code\0");
    h.update(normalised.as_bytes());
    h.finalize().to_vec()
}

/// A fresh device token: `yz_` + base64url(32 random bytes).
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    random_bytes(&mut bytes)?;
    Ok(format!(
        "yz_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    ))
}

/// SHA-256 of a token (domain-separated).
pub fn hash_token(token: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"yanzhen device token\0");
    h.update(token.as_bytes());
    h.finalize().to_vec()
}

/// How fresh "last seen" is kept (ms). A device's sync connections and API
/// calls within this time of the stored value write nothing: a reconnect
/// storm of 200 tablets was otherwise 200 write transactions competing with
/// the sync hub for SQLite's one writer (bench/NOTES.md, section 1).
pub const LAST_SEEN_RESOLUTION_MS: i64 = 60_000;

/// Whether a stored "last seen" time is old enough to be written again.
fn last_seen_is_stale(stored: Option<i64>, now: i64) -> bool {
    stored.is_none_or(|t| now.saturating_sub(t) >= LAST_SEEN_RESOLUTION_MS || t > now)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// An enrolled device (no secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Its id (a UUID).
    pub id: String,
    /// The name given at enrolment.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its unit (village and township roles).
    pub unit_id: Option<String>,
    /// Its district (every role but the city's).
    pub district_id: Option<String>,
    /// Enrolled at (ms since the epoch).
    pub created_at: i64,
    /// Last authenticated at (ms).
    pub last_seen_at: Option<i64>,
    /// Revoked at (ms).
    pub revoked_at: Option<i64>,
}

impl Device {
    /// What its sync connections and relayed changes may do: its role,
    /// unit and district.
    pub fn grant(&self) -> crate::policy::Grant {
        crate::policy::Grant {
            device_id: self.id.clone(),
            role: self.role,
            unit: self.unit_id.clone(),
            district: self.district_id.clone(),
        }
    }

    /// The JSON of the device list.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "deviceId": self.id,
            "name": self.name,
            "role": self.role.as_str(),
            "unitId": self.unit_id,
            "districtId": self.district_id,
            "createdAt": self.created_at,
            "lastSeenAt": self.last_seen_at,
            "revokedAt": self.revoked_at,
        })
    }
}

/// A code just issued (the only time the code itself is seen).
#[derive(Debug, Clone)]
pub struct IssuedCode {
    /// The code, `ABCDE-FGHJK`.
    pub code: String,
    /// For this role.
    pub role: Role,
    /// For this unit.
    pub unit_id: Option<String>,
    /// For this district.
    pub district_id: Option<String>,
    /// Expires at (ms).
    pub expires_at: i64,
}

/// A device just enrolled, with its token (the only time it is seen).
#[derive(Debug, Clone)]
pub struct Enrolled {
    /// The new device.
    pub device: Device,
    /// Its bearer token.
    pub token: String,
}

/// Enrolment rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Failures counted per client IP within the window.
    pub per_ip: u32,
    /// Failures counted from everyone within the window.
    pub global: u32,
    /// The window, in ms.
    pub window_ms: i64,
}

impl Default for RateLimits {
    /// 5 failures per IP and 100 overall per 10 minutes.
    fn default() -> Self {
        Self {
            per_ip: 5,
            global: 100,
            window_ms: 10 * 60 * 1000,
        }
    }
}

/// The access-control tables over the server's database (SQLite or
/// PostgreSQL, the storage's pool). Cheap to clone.
#[derive(Debug, Clone)]
pub struct AuthStore {
    db: Db,
    limits: RateLimits,
    /// A token unused for longer than this (ms) is refused as expired
    /// (0: never).
    token_idle_ms: i64,
}

/// Default token idle limit: a device not seen for 180 days must enrol again.
pub const DEFAULT_TOKEN_IDLE_DAYS: u32 = 180;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A `devices` row as [`DEVICE_COLUMNS`] selects it.
type DeviceRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
);

fn device_from_row(row: DeviceRow) -> Result<Device> {
    let (id, name, role, unit_id, district_id, created_at, last_seen_at, revoked_at) = row;
    Ok(Device {
        id,
        name,
        role: role.parse()?,
        unit_id,
        district_id,
        created_at,
        last_seen_at,
        revoked_at,
    })
}

const DEVICE_COLUMNS: &str =
    "id, name, role, unit_id, district_id, created_at, last_seen_at, revoked_at";

/// Where the device a code enrols will belong.
#[derive(Debug, Clone, Copy)]
pub enum CodeScope<'a> {
    /// District `id`, whose units are those of `directory`: for the
    /// district roles.
    District {
        /// The district's id.
        id: &'a str,
        /// Its unit directory (the unit of a code must be one of it).
        directory: &'a Directory,
    },
    /// The city: for the city roles.
    City,
}

impl<'a> From<&'a crate::policy::CityDistrict> for CodeScope<'a> {
    fn from(d: &'a crate::policy::CityDistrict) -> Self {
        CodeScope::District {
            id: &d.id,
            directory: &d.directory,
        }
    }
}

impl AuthStore {
    /// Over the database `db` (a [`Db`], or a SQLite or PostgreSQL pool;
    /// migrated by [`crate::storage::open`]) with default rate limits.
    pub fn new(db: impl Into<Db>) -> Self {
        Self {
            db: db.into(),
            limits: RateLimits::default(),
            token_idle_ms: i64::from(DEFAULT_TOKEN_IDLE_DAYS) * DAY_MS,
        }
    }

    /// The same store with another token idle limit, in days (0: tokens
    /// never expire). A device token expires when the device has not
    /// connected or called the API for that long (from its last contact,
    /// or its enrolment if it never made one): a tablet lost in a drawer,
    /// or a token copied and forgotten, stops working by itself. Every use
    /// moves the limit on, so a tablet in use never sees it; an expired one
    /// enrols again with a new code and keeps its records.
    pub fn with_token_idle(mut self, days: u32) -> Self {
        self.token_idle_ms = i64::from(days) * DAY_MS;
        self
    }

    /// The same store with other rate limits.
    pub fn with_limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Issues a code for `role` and `unit` in `scope` (a district role in
    /// a district, a city role in the city; the unit checked against the
    /// district's directory: it must exist and fit the role; other roles
    /// take no unit), valid for `hours` (1..=[`MAX_CODE_HOURS`]).
    pub async fn issue_code(
        &self,
        scope: CodeScope<'_>,
        role: Role,
        unit: Option<&str>,
        hours: u32,
    ) -> Result<IssuedCode> {
        let no_units = Directory::default();
        let (district_id, directory) = match (scope, role.has_district()) {
            (CodeScope::District { id, directory }, true) => (Some(id.to_owned()), directory),
            (CodeScope::City, false) => (None, &no_units),
            (CodeScope::District { id, .. }, false) => {
                return Err(Error::Access(format!(
                    "role {role} is the city's, not district {id:?}'s"
                )));
            }
            (CodeScope::City, true) => {
                return Err(Error::Access(format!("role {role} needs a district")));
            }
        };
        let unit_id = match (role.has_unit(), unit) {
            (true, Some(u)) => {
                let entry = directory
                    .find_unit(u)
                    .ok_or_else(|| Error::Access(format!("no unit {u:?} in the directory")))?;
                if !role.fits_unit(entry.kind) {
                    return Err(Error::Access(format!(
                        "unit {u:?} is a {:?}, not a unit for role {role}",
                        entry.kind
                    )));
                }
                Some(entry.id.clone())
            }
            (true, None) => return Err(Error::Access(format!("role {role} needs a unit"))),
            (false, Some(_)) => {
                return Err(Error::Access(format!("role {role} takes no unit")));
            }
            (false, None) => None,
        };
        if hours == 0 || hours > MAX_CODE_HOURS {
            return Err(Error::Access(format!(
                "expiry must be 1 to {MAX_CODE_HOURS} hours"
            )));
        }
        let code = new_code()?;
        let now = now_ms();
        let expires_at = now + i64::from(hours) * 3_600_000;
        let code_hash = hash_code(&normalise_code(&code).unwrap_or_default());
        with_db!(&self.db, pool => sqlx::query(
            "INSERT INTO enrolment_codes (code_hash, role, unit_id, district_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&code_hash)
        .bind(role.as_str())
        .bind(&unit_id)
        .bind(&district_id)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        tracing::info!(%role, unit = ?unit_id, district = ?district_id, hours, "enrolment code issued");
        Ok(IssuedCode {
            code,
            role,
            unit_id,
            district_id,
            expires_at,
        })
    }

    /// Counts an attempt from `ip` as a failure **before** it is made, if
    /// the limits allow one more: `Ok(attempt)` (its row id, to settle it
    /// with [`AuthStore::settle_attempt`]) or `Err(retry_after_s)`.
    ///
    /// Check and record are atomic, so concurrent attempts are counted one
    /// after the other and no more than the limit can pass (checking first
    /// and recording after the attempt let every attempt of a concurrent
    /// burst pass the check). SQLite: one SQL statement, `INSERT … SELECT …
    /// WHERE count < limit`, for which SQLite holds its single write lock.
    /// PostgreSQL: the same statement would not do (under READ COMMITTED
    /// two transactions may both count before either inserts), so it runs
    /// in a transaction that first takes `LOCK TABLE enrol_attempts IN SHARE
    /// ROW EXCLUSIVE MODE` (a mode that conflicts with itself and with every
    /// write of the table): reservations queue one after the other, readers
    /// are not blocked. An attempt in flight counts as a failure until it
    /// is settled.
    async fn reserve_attempt(&self, ip: &str, now: i64) -> Result<Result<i64, u64>> {
        let since = now - self.limits.window_ms;
        const PRUNE: &str = "DELETE FROM enrol_attempts WHERE at <= $1";
        let reserve = format!(
            "INSERT INTO enrol_attempts (ip, at, ok)
             SELECT $1, $2, 0
             WHERE (SELECT count(*) FROM enrol_attempts
                    WHERE ok = 0 AND at > $3 AND ip = $1) < $4
               AND (SELECT count(*) FROM enrol_attempts
                    WHERE ok = 0 AND at > $3) < $5
             RETURNING {}",
            self.attempt_id()
        );
        let reserved: Option<i64> = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query(PRUNE).bind(since).execute(pool).await?;
                sqlx::query_scalar(&reserve)
                    .bind(ip)
                    .bind(now)
                    .bind(since)
                    .bind(i64::from(self.limits.per_ip))
                    .bind(i64::from(self.limits.global))
                    .fetch_optional(pool)
                    .await?
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("LOCK TABLE enrol_attempts IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(PRUNE).bind(since).execute(&mut *tx).await?;
                let reserved = sqlx::query_scalar(&reserve)
                    .bind(ip)
                    .bind(now)
                    .bind(since)
                    .bind(i64::from(self.limits.per_ip))
                    .bind(i64::from(self.limits.global))
                    .fetch_optional(&mut *tx)
                    .await?;
                tx.commit().await?;
                reserved
            }
        };
        if let Some(id) = reserved {
            return Ok(Ok(id));
        }
        // Refused: when may it try again? (Only informative, so more
        // statements are fine.)
        let (n, mut oldest): (i64, Option<i64>) = with_db!(&self.db, pool => sqlx::query_as(
            "SELECT count(*), min(at) FROM enrol_attempts WHERE ok = 0 AND at > $1 AND ip = $2",
        )
        .bind(since)
        .bind(ip)
        .fetch_one(pool)
        .await?);
        if n < i64::from(self.limits.per_ip) {
            oldest = with_db!(&self.db, pool => sqlx::query_scalar(
                "SELECT min(at) FROM enrol_attempts WHERE ok = 0 AND at > $1",
            )
            .bind(since)
            .fetch_one(pool)
            .await?);
        }
        let ms = oldest.unwrap_or(now) + self.limits.window_ms - now;
        Ok(Err(u64::try_from(ms.max(1000) / 1000).unwrap_or(1)))
    }

    /// The column identifying an `enrol_attempts` row: SQLite's implicit
    /// `rowid`, PostgreSQL's `id` (see the migrations).
    fn attempt_id(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "rowid",
            Db::Postgres(_) => "id",
        }
    }

    /// Settles a reserved attempt: a success stops counting as a failure;
    /// an attempt that was not really made (a bad device name, a database
    /// error) is removed.
    async fn settle_attempt(&self, attempt: i64, ok: bool) -> Result<()> {
        let statement = if ok {
            format!(
                "UPDATE enrol_attempts SET ok = 1 WHERE {} = $1",
                self.attempt_id()
            )
        } else {
            format!(
                "DELETE FROM enrol_attempts WHERE {} = $1",
                self.attempt_id()
            )
        };
        with_db!(&self.db, pool => sqlx::query(&statement)
            .bind(attempt)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Enrols a device named `name` with `code`, from client `ip`: all or
    /// nothing (the code is marked used and the device created in one
    /// transaction). Every attempt is counted for the rate limit before it
    /// is made ([`RateLimits`]; atomically, so a concurrent burst cannot
    /// exceed it) and stays counted unless it succeeds; failures are logged
    /// (without the code).
    pub async fn enrol(
        &self,
        code: &str,
        name: &str,
        ip: &str,
    ) -> std::result::Result<Enrolled, EnrolError> {
        let now = now_ms();
        let attempt = match self.reserve_attempt(ip, now).await? {
            Ok(attempt) => attempt,
            Err(retry_after_s) => {
                tracing::warn!(%ip, retry_after_s, "enrolment refused: rate limited");
                return Err(EnrolError::RateLimited { retry_after_s });
            }
        };
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_DEVICE_NAME {
            self.settle_attempt(attempt, false).await?;
            tracing::info!(%ip, reason = EnrolError::BadName.key(), "enrolment refused");
            return Err(EnrolError::BadName);
        }
        let result = self.try_enrol(code, name, now).await;
        match &result {
            Ok(e) => {
                // The device exists and its token is only in this answer:
                // failing to un-count the attempt must not lose it.
                if let Err(err) = self.settle_attempt(attempt, true).await {
                    tracing::warn!(%err, "enrolment: cannot record the success");
                }
                tracing::info!(
                    %ip,
                    device = %e.device.id,
                    role = %e.device.role,
                    unit = ?e.device.unit_id,
                    "device enrolled"
                );
            }
            Err(EnrolError::Db(_)) => {
                // Not the client's failure; best effort (the database is
                // failing anyway).
                let _ = self.settle_attempt(attempt, false).await;
            }
            Err(err) => {
                // Stays counted as a failure.
                tracing::warn!(%ip, reason = err.key(), "enrolment failed");
            }
        }
        result
    }

    async fn try_enrol(
        &self,
        code: &str,
        name: &str,
        now: i64,
    ) -> std::result::Result<Enrolled, EnrolError> {
        let code = normalise_code(code).ok_or(EnrolError::Invalid)?;
        let hash = hash_code(&code);
        let device_id = uuid::Uuid::new_v4().to_string();
        let token = new_token()?;
        let (role, unit_id, district_id) = with_db!(&self.db, pool => {
            let mut tx = pool.begin().await.map_err(Error::from)?;
            let (role, unit_id, district_id, expires_at, used_at): (
                String,
                Option<String>,
                Option<String>,
                i64,
                Option<i64>,
            ) = sqlx::query_as(
                    "SELECT role, unit_id, district_id, expires_at, used_at FROM enrolment_codes
                     WHERE code_hash = $1",
                )
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await
                .map_err(Error::from)?
                .ok_or(EnrolError::Invalid)?;
            let role: Role = role.parse()?;
            if used_at.is_some() {
                return Err(EnrolError::Used);
            }
            if expires_at <= now {
                return Err(EnrolError::Expired);
            }
            let used = sqlx::query(
                "UPDATE enrolment_codes SET used_at = $1, device_id = $2
                 WHERE code_hash = $3 AND used_at IS NULL",
            )
            .bind(now)
            .bind(&device_id)
            .bind(&hash)
            .execute(&mut *tx)
            .await
            .map_err(Error::from)?;
            if used.rows_affected() != 1 {
                return Err(EnrolError::Used);
            }
            sqlx::query(
                "INSERT INTO devices (id, name, role, unit_id, district_id, token_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&device_id)
            .bind(name)
            .bind(role.as_str())
            .bind(&unit_id)
            .bind(&district_id)
            .bind(hash_token(&token))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(Error::from)?;
            tx.commit().await.map_err(Error::from)?;
            (role, unit_id, district_id)
        });
        Ok(Enrolled {
            device: Device {
                id: device_id,
                name: name.to_owned(),
                role,
                unit_id,
                district_id,
                created_at: now,
                last_seen_at: None,
                revoked_at: None,
            },
            token,
        })
    }

    /// The device of a bearer `token` (refused if unknown or revoked);
    /// records it as seen now.
    pub async fn authenticate(
        &self,
        token: Option<&str>,
    ) -> std::result::Result<Device, AuthFailure> {
        let token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthFailure::Token(TokenError::Missing))?;
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE token_hash = $1");
        let hash = hash_token(token);
        let row: Option<DeviceRow> = with_db!(&self.db, pool => sqlx::query_as(&sql)
            .bind(&hash)
            .fetch_optional(pool)
            .await)
        .map_err(|e| AuthFailure::Db(e.into()))?;
        let row = row.ok_or(AuthFailure::Token(TokenError::Unknown))?;
        let mut device = device_from_row(row).map_err(AuthFailure::Db)?;
        if device.revoked_at.is_some() {
            return Err(AuthFailure::Token(TokenError::Revoked));
        }
        let now = now_ms();
        let seen = device.last_seen_at.unwrap_or(device.created_at);
        if self.token_idle_ms > 0 && now.saturating_sub(seen) > self.token_idle_ms {
            return Err(AuthFailure::Token(TokenError::Expired));
        }
        if last_seen_is_stale(device.last_seen_at, now) {
            with_db!(&self.db, pool => sqlx::query(
                "UPDATE devices SET last_seen_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(&device.id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
            .map_err(|e| AuthFailure::Db(e.into()))?;
            device.last_seen_at = Some(now);
        }
        Ok(device)
    }

    /// Every device, oldest first.
    pub async fn devices(&self) -> Result<Vec<Device>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices ORDER BY created_at, id");
        let rows: Vec<DeviceRow> =
            with_db!(&self.db, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(device_from_row).collect()
    }

    /// The devices of district `district` (`None`: the city's), oldest
    /// first.
    pub async fn devices_in(&self, district: Option<&str>) -> Result<Vec<Device>> {
        Ok(self
            .devices()
            .await?
            .into_iter()
            .filter(|d| d.district_id.as_deref() == district)
            .collect())
    }

    /// One device.
    pub async fn device(&self, id: &str) -> Result<Option<Device>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = $1");
        let row: Option<DeviceRow> =
            with_db!(&self.db, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        row.map(device_from_row).transpose()
    }

    /// The database the store is on (the sync hub uses it to talk to the
    /// other server nodes on PostgreSQL).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Revokes a device: `Ok(false)` if there is no such device. Revoking
    /// again keeps the first time.
    pub async fn revoke(&self, id: &str) -> Result<bool> {
        let affected = with_db!(&self.db, pool => sqlx::query(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2",
        )
        .bind(now_ms())
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected());
        let found = affected == 1;
        if found {
            tracing::info!(device = %id, "device revoked");
            if let Db::Postgres(pool) = &self.db {
                // Every server node on this database checks its connected
                // devices at once (`sync::nodes`); a lost notice is
                // caught by each node's periodic check.
                if let Err(err) = crate::sync::notify_revoked(pool, id).await {
                    tracing::warn!(%err, "cannot notify the other server nodes of a revocation");
                }
            }
        }
        Ok(found)
    }

    /// Which of `ids` are revoked (or gone).
    pub async fn revoked_among(&self, ids: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for id in ids {
            let revoked: Option<Option<i64>> = with_db!(&self.db, pool => sqlx::query_scalar(
                "SELECT revoked_at FROM devices WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?);
            if !matches!(revoked, Some(None)) {
                out.push(id.clone());
            }
        }
        Ok(out)
    }

    /// Whether any enrolment code was ever issued (for `--demo`'s first start).
    pub async fn any_code_issued(&self) -> Result<bool> {
        let any = with_db!(&self.db, pool => sqlx::query("SELECT 1 FROM enrolment_codes LIMIT 1")
            .fetch_optional(pool)
            .await?
            .is_some());
        Ok(any)
    }

    /// Test hook: move a code's expiry (by its plain text) to `expires_at`.
    #[doc(hidden)]
    pub async fn set_code_expiry(&self, code: &str, expires_at: i64) -> Result<()> {
        let hash = hash_code(&normalise_code(code).unwrap_or_default());
        with_db!(&self.db, pool => sqlx::query(
            "UPDATE enrolment_codes SET expires_at = $1 WHERE code_hash = $2",
        )
        .bind(expires_at)
        .bind(&hash)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }
}

/// Why [`AuthStore::authenticate`] failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthFailure {
    /// The token was refused.
    #[error(transparent)]
    Token(TokenError),
    /// The database failed.
    #[error(transparent)]
    Db(Error),
}

/// `ms` since the epoch as `YYYY-MM-DD HH:MM UTC` (for the CLI).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        policy::UnitEntry,
        storage::{
            Opened,
            testing::{Backend, TestDb, on_both_backends},
        },
    };
    use yanzhen_model::entities::UnitKind;

    #[test]
    fn codes_are_grouped_and_parse_back_loosely() {
        let code = code_from_bytes(&[0, 1, 2, 3, 4, 31, 30, 29, 32, 255]);
        assert_eq!(code, "23456-ZYX2Z");
        assert_eq!(normalise_code(&code).as_deref(), Some("23456ZYX2Z"));
        assert_eq!(
            normalise_code(" 23456 zyx2z ").as_deref(),
            Some("23456ZYX2Z")
        );
        assert_eq!(
            normalise_code("2-3-4-5-6-Z-Y-X-2-Z").as_deref(),
            Some("23456ZYX2Z")
        );
        assert_eq!(normalise_code("23456-ZYX2"), None, "too short");
        assert_eq!(normalise_code("23456-ZYX2ZZ"), None, "too long");
        assert_eq!(
            normalise_code("O1456-ZYX2Z"),
            None,
            "look-alikes are not in codes"
        );
        for _ in 0..100 {
            let c = new_code().unwrap();
            assert_eq!(c.len(), CODE_LEN + 1);
            assert!(normalise_code(&c).is_some(), "{c}");
        }
        assert_ne!(new_code().unwrap(), new_code().unwrap());
    }

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let t = new_token().unwrap();
        assert!(t.starts_with("yz_"));
        assert_eq!(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&t[3..])
                .unwrap()
                .len(),
            32
        );
        assert_ne!(t, new_token().unwrap());
        assert_eq!(hash_token(&t), hash_token(&t));
        assert_eq!(hash_token(&t).len(), 32);
        assert_ne!(hash_token(&t), hash_token("yz_other"));
        // Codes and tokens hash in separate domains.
        assert_ne!(hash_code("ABC"), hash_token("ABC"));
    }

    #[test]
    fn utc_formatting() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_709_210_096_000), "2024-02-29 12:34 UTC");
    }

    fn scope(dir: &Directory) -> CodeScope<'_> {
        CodeScope::District {
            id: "d1",
            directory: dir,
        }
    }

    fn directory() -> Directory {
        Directory::new(
            None,
            [
                UnitEntry {
                    id: "t1".into(),
                    name: "东镇".into(),
                    kind: UnitKind::Township,
                    parent: None,
                    doc: None,
                },
                UnitEntry {
                    id: "v1".into(),
                    name: "东村".into(),
                    kind: UnitKind::Village,
                    parent: Some("t1".into()),
                    doc: Some(yanzhen_sync::DocumentId::from_bytes([1; 16])),
                },
            ],
        )
    }

    async fn store(backend: Backend) -> (TestDb, Opened, AuthStore) {
        let db = TestDb::new(backend);
        let s = db.open().await;
        let a = AuthStore::new(s.db.clone());
        (db, s, a)
    }

    on_both_backends! {
    async fn codes_enrol_once_and_tokens_authenticate_until_revoked(backend) {
        let (_dir, s, auth) = store(backend).await;
        let dir = directory();
        assert!(!auth.any_code_issued().await.unwrap());
        // Bad requests for codes.
        assert!(
            auth.issue_code(scope(&dir), Role::Village, None, 72)
                .await
                .is_err()
        );
        assert!(
            auth.issue_code(scope(&dir), Role::Village, Some("t1"), 72)
                .await
                .is_err()
        );
        assert!(
            auth.issue_code(scope(&dir), Role::Admin, Some("t1"), 72)
                .await
                .is_err()
        );
        assert!(
            auth.issue_code(scope(&dir), Role::Village, Some("nope"), 72)
                .await
                .is_err()
        );
        assert!(auth.issue_code(scope(&dir), Role::Viewer, None, 0).await.is_err());

        let issued = auth
            .issue_code(scope(&dir), Role::Village, Some("东村"), 72)
            .await
            .unwrap();
        assert_eq!(issued.unit_id.as_deref(), Some("v1"));
        assert!(auth.any_code_issued().await.unwrap());
        // Only the hash is stored.
        let stored: Vec<u8> = with_db!(&s.db, pool => sqlx::query_scalar("SELECT code_hash FROM enrolment_codes").fetch_one(pool).await.unwrap());
        assert_eq!(stored, hash_code(&normalise_code(&issued.code).unwrap()));

        assert!(matches!(
            auth.enrol(&issued.code, "  ", "1.1.1.1").await,
            Err(EnrolError::BadName)
        ));
        let typed = issued.code.to_lowercase().replace('-', " ");
        let enrolled = auth.enrol(&typed, "平板 1", "1.1.1.1").await.unwrap();
        assert_eq!(enrolled.device.role, Role::Village);
        assert_eq!(enrolled.device.unit_id.as_deref(), Some("v1"));
        assert!(matches!(
            auth.enrol(&issued.code, "平板 2", "1.1.1.1").await,
            Err(EnrolError::Used)
        ));
        assert_eq!(auth.devices().await.unwrap().len(), 1);
        let token_hash: Vec<u8> = with_db!(&s.db, pool => sqlx::query_scalar("SELECT token_hash FROM devices").fetch_one(pool).await.unwrap());
        assert_eq!(token_hash, hash_token(&enrolled.token));

        let me = auth.authenticate(Some(&enrolled.token)).await.unwrap();
        assert_eq!(me.id, enrolled.device.id);
        assert!(me.last_seen_at.is_some());
        // Unseen for longer than the idle limit: expired (also without a
        // last contact: from the enrolment); a shorter or no limit lets it in.
        with_db!(&s.db, pool => sqlx::query("UPDATE devices SET last_seen_at = $1")
            .bind(now_ms() - 181 * DAY_MS).execute(pool).await.unwrap().rows_affected());
        assert!(matches!(
            auth.authenticate(Some(&enrolled.token)).await,
            Err(AuthFailure::Token(TokenError::Expired))
        ));
        assert_eq!(TokenError::Expired.key(), "access.token.expired");
        let lenient = auth.clone().with_token_idle(365);
        assert!(lenient.authenticate(Some(&enrolled.token)).await.is_ok());
        with_db!(&s.db, pool => sqlx::query("UPDATE devices SET last_seen_at = NULL, created_at = $1")
            .bind(now_ms() - 400 * DAY_MS).execute(pool).await.unwrap().rows_affected());
        assert!(matches!(
            lenient.authenticate(Some(&enrolled.token)).await,
            Err(AuthFailure::Token(TokenError::Expired))
        ));
        let me = auth
            .clone()
            .with_token_idle(0)
            .authenticate(Some(&enrolled.token))
            .await
            .unwrap();
        // Within the resolution, a second connection writes nothing.
        let again = auth.authenticate(Some(&enrolled.token)).await.unwrap();
        assert_eq!(again.last_seen_at, me.last_seen_at);
        let stored: Option<i64> = with_db!(&s.db, pool => sqlx::query_scalar("SELECT last_seen_at FROM devices").fetch_one(pool).await.unwrap());
        assert_eq!(stored, me.last_seen_at);
        assert!(matches!(
            auth.authenticate(None).await,
            Err(AuthFailure::Token(TokenError::Missing))
        ));
        assert!(matches!(
            auth.authenticate(Some("yz_forged")).await,
            Err(AuthFailure::Token(TokenError::Unknown))
        ));
        assert!(
            auth.revoked_among(std::slice::from_ref(&me.id))
                .await
                .unwrap()
                .is_empty()
        );
        assert!(auth.revoke(&me.id).await.unwrap());
        assert!(!auth.revoke("no-such-device").await.unwrap());
        assert!(matches!(
            auth.authenticate(Some(&enrolled.token)).await,
            Err(AuthFailure::Token(TokenError::Revoked))
        ));
        assert_eq!(
            auth.revoked_among(std::slice::from_ref(&me.id))
                .await
                .unwrap(),
            [me.id]
        );

        // Expired codes are refused and create nothing.
        let old = auth.issue_code(scope(&dir), Role::Viewer, None, 1).await.unwrap();
        auth.set_code_expiry(&old.code, now_ms() - 1).await.unwrap();
        assert!(matches!(
            auth.enrol(&old.code, "late", "1.1.1.2").await,
            Err(EnrolError::Expired)
        ));
        assert_eq!(auth.devices().await.unwrap().len(), 1);
        s.storage.close().await;
    }

    async fn failures_are_rate_limited_per_ip_and_globally(backend) {
        let (_dir, s, auth) = store(backend).await;
        let auth = auth.with_limits(RateLimits {
            per_ip: 3,
            global: 5,
            window_ms: 60_000,
        });
        let dir = directory();
        for _ in 0..3 {
            assert!(matches!(
                auth.enrol("22222-22222", "x", "9.9.9.9").await,
                Err(EnrolError::Invalid)
            ));
        }
        let good = auth.issue_code(scope(&dir), Role::Viewer, None, 1).await.unwrap();
        let limited = auth.enrol(&good.code, "x", "9.9.9.9").await;
        assert!(
            matches!(limited, Err(EnrolError::RateLimited { retry_after_s }) if (1..=60).contains(&retry_after_s))
        );
        // Another IP is still welcome, with the very same code.
        auth.enrol(&good.code, "x", "8.8.8.8").await.unwrap();
        // Globally: two more failures from elsewhere fill the global budget.
        for ip in ["7.7.7.7", "6.6.6.6"] {
            assert!(auth.enrol("nonsense", "x", ip).await.is_err());
        }
        assert!(matches!(
            auth.enrol("22222-22222", "x", "5.5.5.5").await,
            Err(EnrolError::RateLimited { .. })
        ));
        s.storage.close().await;
    }

    /// A burst of concurrent bad attempts from one IP: no more than the
    /// limit are tried, the rest are refused (checking before and recording
    /// after each attempt let the whole burst through).
    async fn concurrent_failures_never_exceed_the_limit(backend) {
        let (_dir, s, auth) = store(backend).await;
        let auth = auth.with_limits(RateLimits {
            per_ip: 3,
            global: 1000,
            window_ms: 60_000,
        });
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..24 {
            let auth = auth.clone();
            tasks.spawn(async move { auth.enrol("22222-22222", "x", "9.9.9.9").await });
        }
        let (mut tried, mut limited) = (0, 0);
        while let Some(result) = tasks.join_next().await {
            match result.unwrap() {
                Err(EnrolError::Invalid) => tried += 1,
                Err(EnrolError::RateLimited { .. }) => limited += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((tried, limited), (3, 21));
        // A bad device name is not counted (it was never tried).
        let (_dir2, s2, auth) = store(backend).await;
        let auth = auth.with_limits(RateLimits {
            per_ip: 1,
            global: 1000,
            window_ms: 60_000,
        });
        assert!(matches!(
            auth.enrol("22222-22222", " ", "9.9.9.9").await,
            Err(EnrolError::BadName)
        ));
        assert!(matches!(
            auth.enrol("22222-22222", "x", "9.9.9.9").await,
            Err(EnrolError::Invalid)
        ));
        assert!(matches!(
            auth.enrol("22222-22222", "x", "9.9.9.9").await,
            Err(EnrolError::RateLimited { .. })
        ));
        s.storage.close().await;
        s2.storage.close().await;
    }

    async fn codes_belong_to_a_district_or_to_the_city(backend) {
        let (_dir, s, auth) = store(backend).await;
        let dir = directory();
        // A district role needs a district; a city role takes none.
        for (scope, role) in [
            (CodeScope::City, Role::Admin),
            (CodeScope::City, Role::Village),
            (scope(&dir), Role::CityViewer),
            (scope(&dir), Role::CityAdmin),
        ] {
            assert!(
                auth.issue_code(scope, role, None, 1).await.is_err(),
                "{role} {scope:?}"
            );
        }
        let city = auth
            .issue_code(CodeScope::City, Role::CityViewer, None, 1)
            .await
            .unwrap();
        assert_eq!(city.district_id, None);
        let village = auth
            .issue_code(scope(&dir), Role::Village, Some("v1"), 1)
            .await
            .unwrap();
        assert_eq!(village.district_id.as_deref(), Some("d1"));
        let c = auth.enrol(&city.code, "市", "10.0.0.1").await.unwrap();
        let v = auth.enrol(&village.code, "村", "10.0.0.1").await.unwrap();
        assert_eq!(
            (c.device.district_id.clone(), v.device.district_id.clone()),
            (None, Some("d1".to_owned()))
        );
        // Stored so: what a token authenticates as, and the lists.
        let again = auth.authenticate(Some(&v.token)).await.unwrap();
        assert_eq!(again.district_id.as_deref(), Some("d1"));
        assert_eq!(again.grant().district.as_deref(), Some("d1"));
        let in_d1: Vec<String> = auth
            .devices_in(Some("d1"))
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(in_d1, vec![v.device.id.clone()]);
        assert_eq!(auth.devices_in(None).await.unwrap()[0].id, c.device.id);
        assert!(auth.devices_in(Some("d2")).await.unwrap().is_empty());
        s.storage.close().await;
    }
    }
}
