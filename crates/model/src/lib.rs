//! Yanzhen's domain model: the records of the 群雁工程 programme, their
//! validation, the programme's rules and their mapping onto Automerge
//! documents. No IO, no Leptos, no tokio: this crate is what the programme
//! *is*, shared by the web app, the sync layer and the server.
