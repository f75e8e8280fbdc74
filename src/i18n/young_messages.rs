//! Messages of 雏雁 (reserve cadres, reserve pool, home-coming, career posts).

messages! {
    /// A UI text of 雏雁 (reserve cadres, reserve pool, home-coming, career posts).
    YoungMsg;

    YoungMsgPlaceholder => "（建设中）", "(being built)";
}
