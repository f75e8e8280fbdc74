//! Messages of 资格联审与书记备案 (the lead-geese review and filing screens).

messages! {
    /// A UI text of 资格联审与书记备案 (the lead-geese review and filing screens).
    ReviewMsg;

    ReviewMsgPlaceholder => "（建设中）", "(being built)";
}
