//! Messages of 归雁 (appointments, contact duty, investment leads, rural talent).

messages! {
    /// A UI text of 归雁 (appointments, contact duty, investment leads, rural talent).
    ReturningMsg;

    ReturningMsgPlaceholder => "（建设中）", "(being built)";
}
