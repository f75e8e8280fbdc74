//! Messages of the dashboard, Excel import/export and the A4 print layouts.

messages! {
    /// A UI text of the dashboard, Excel import/export and the A4 print layouts.
    DashMsg;

    DashMsgPlaceholder => "（建设中）", "(being built)";
}
