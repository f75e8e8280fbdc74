//! Logging: every line (on stderr) names the node that wrote it
//! (`--node-id`, by default `HOSTNAME-PID`), as text (the default) or as one
//! JSON object per line (`--log-format json`). The filter is `RUST_LOG`
//! (default `info`). What is logged never includes tokens, codes or
//! personal data (see SECURITY.md); the node id is an operator's name.

use std::fmt;

use tracing::{Event, Subscriber, field::Field};
use tracing_subscriber::{
    EnvFilter,
    fmt::{
        FmtContext, FormatEvent, FormatFields, FormattedFields,
        format::Writer,
        time::{FormatTime as _, SystemTime},
    },
    registry::LookupSpan,
};

/// Longest node id accepted.
pub const MAX_NODE_ID: usize = 64;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `TIME node=ID LEVEL target: message fields`.
    #[default]
    Text,
    /// One JSON object per line: `timestamp`, `level`, `target`, `node`,
    /// `message`, `fields`, `spans`.
    Json,
}

/// `--node-id`'s parser: 1 to [`MAX_NODE_ID`] characters of
/// `A-Z a-z 0-9 . _ -` (it goes into every log line and a metrics label).
pub fn parse_node_id(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > MAX_NODE_ID {
        return Err(format!("a node id has 1 to {MAX_NODE_ID} characters"));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err("a node id may hold only A-Z, a-z, 0-9, '.', '_' and '-'".into());
    }
    Ok(s.to_owned())
}

/// The default node id: `HOSTNAME-PID` (the host name cut to the allowed
/// characters; `node` if there is none).
pub fn default_node_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    let mut host: String = host
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    if host.is_empty() {
        host = "node".into();
    }
    let pid = std::process::id().to_string();
    host.truncate(MAX_NODE_ID - 1 - pid.len());
    format!("{host}-{pid}")
}

/// Installs the global subscriber: stderr, `RUST_LOG` (default `info`),
/// every line naming `node_id`. Call once, first thing in `main`.
pub fn init(format: LogFormat, node_id: &str) {
    let builder = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        // stdout carries only the "listening" line; logs go to stderr.
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .event_format(TextWithNode {
                node: node_id.to_owned(),
                inner: tracing_subscriber::fmt::format().without_time(),
            })
            .init(),
        LogFormat::Json => builder
            .with_ansi(false)
            .event_format(JsonLines {
                node: node_id.to_owned(),
            })
            .init(),
    }
}

/// The usual text line with the time and `node=ID` in front.
pub struct TextWithNode<F> {
    node: String,
    inner: F,
}

impl<S, N, F> FormatEvent<S, N> for TextWithNode<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        SystemTime.format_time(&mut writer)?;
        write!(writer, " node={} ", self.node)?;
        self.inner.format_event(ctx, writer, event)
    }
}

/// One JSON object per event.
pub struct JsonLines {
    node: String,
}

/// Collects an event's fields into a JSON object.
#[derive(Default)]
struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl tracing::field::Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_owned(), format!("{value:?}").into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), value.into());
    }
}

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut time = String::new();
        SystemTime.format_time(&mut Writer::new(&mut time))?;
        let meta = event.metadata();
        let mut fields = JsonFields::default();
        event.record(&mut fields);
        let mut fields = fields.0;
        let message = fields.remove("message").unwrap_or_default();
        let spans: Vec<serde_json::Value> = ctx
            .event_scope()
            .into_iter()
            .flat_map(|scope| scope.from_root())
            .map(|span| {
                let ext = span.extensions();
                let formatted = ext
                    .get::<FormattedFields<N>>()
                    .map(|f| f.fields.as_str())
                    .unwrap_or("");
                serde_json::json!({ "name": span.name(), "fields": formatted })
            })
            .collect();
        let line = serde_json::json!({
            "timestamp": time,
            "level": meta.level().as_str(),
            "target": meta.target(),
            "node": self.node,
            "message": message,
            "fields": fields,
            "spans": spans,
        });
        writeln!(writer, "{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids() {
        assert_eq!(parse_node_id("node-a.1_b").unwrap(), "node-a.1_b");
        assert!(parse_node_id("").is_err());
        assert!(parse_node_id("a b").is_err());
        assert!(parse_node_id("a\"b").is_err());
        assert!(parse_node_id(&"x".repeat(MAX_NODE_ID + 1)).is_err());
        let default = default_node_id();
        assert!(parse_node_id(&default).is_ok(), "{default}");
        assert!(
            default.ends_with(&format!("-{}", std::process::id())),
            "{default}"
        );
    }
}
