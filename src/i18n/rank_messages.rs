//! Messages of 年度考核、任期承诺与述职评议、集体经济与薪酬 (the lead-geese ranking, commitment and economy screens).

messages! {
    /// A UI text of 年度考核、任期承诺与述职评议、集体经济与薪酬 (the lead-geese ranking, commitment and economy screens).
    RankMsg;

    RankMsgPlaceholder => "（建设中）", "(being built)";
}
