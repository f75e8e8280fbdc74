//! Messages of 群雁 (training, certificates, studios).

messages! {
    /// A UI text of 群雁 (training, certificates, studios).
    FlockMsg;

    FlockMsgPlaceholder => "（建设中）", "(being built)";
}
