//! A code just issued, shown once, large and grouped for reading aloud:
//! its role, what it is for (a unit or a district) and its expiry.

use crate::access::code::group_code;
use crate::access::device::{IssuedCode, local_datetime};
use crate::access::role::Role;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn IssuedCodeCard(
    code: IssuedCode,
    /// What the code is for (the unit's or the district's name), if shown.
    #[prop(default = None)]
    target: Option<String>,
    /// A line above the code (the default: "enrolment code").
    #[prop(default = Msg::AdminCodeTitle)]
    title: Msg,
) -> impl IntoView {
    let role = Role::parse(&code.role);
    view! {
        <div class="issued-code" id="issued" role="status">
            <p>{t(title)}</p>
            <p class="code-big" id="issued-code" lang="en">{group_code(&code.code)}</p>
            <p>
                {role.map(|r| t(r.msg()))}
                {target.map(|u| view! { " · " <span id="issued-unit">{u}</span> })}
            </p>
            <p>{t(Msg::AdminCodeExpires)} " " <span id="issued-expires">{local_datetime(code.expires_at)}</span></p>
        </div>
    }
}
