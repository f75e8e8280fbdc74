//! Messages of 年度考核、任期承诺与述职评议、集体经济与薪酬 (the lead-geese ranking, commitment and economy screens).

use crate::i18n::message_table;
use crate::ui::save_note::SaveWords;

message_table! {
    /// A UI text of 年度考核、任期承诺与述职评议、集体经济与薪酬 (the lead-geese ranking, commitment and economy screens).
    RankMsg;

    // ---- shared
    Loading => "正在读取本机数据……", "Reading this tablet's records…";
    Year => "年度", "Year";
    Unit => "村（社区）", "Village / community";
    Township => "镇（街道）", "Township / street";
    Name => "姓名", "Name";
    Save => "保存", "Save";
    Cancel => "取消", "Cancel";
    Saving => "正在保存到本机……", "Saving on this tablet…";
    SavedLocal => "已保存到本机", "Saved on this tablet";
    FixErrors => "请先改正标出的内容，未保存任何数据。", "Please fix the marked fields; nothing was saved.";
    WriteFailed => "保存失败：本机没有这份文档。之前保存的记录没有改变。", "Saving failed: this document is not on this tablet. Nothing saved before changed.";
    NotANumber => "请输入数字。", "Please enter a number.";
    NotAWholeNumber => "请输入整数。", "Please enter a whole number.";
    Unknown => "（未知）", "(unknown)";
    Yuan => "元", "yuan";
    RecordTitle => "记录详情", "Record details";
    Close => "关闭", "Close";
    TapForDetails => "点一行可查看计算过程、修改历史和冲突。", "Tap a row for the computation, change history and conflicts.";

    // ---- 年度考核
    AssessIntro => "录入村（社区）书记的年度考核得分，系统在本镇（街道）内自动重新排名；连续两年排名末位的书记列入调整名单。", "Enter the secretaries' annual assessment scores; the township / street ranking updates by itself. Secretaries ranked last two years running are listed for adjustment.";
    Group => "排名范围（镇/街道）", "Ranking group (township / street)";
    NoAssessments => "本年度本镇（街道）还没有考核记录。", "No assessments for this group and year yet.";
    RankCol => "名次", "Rank";
    Score => "得分", "Score";
    Grade => "等次", "Grade";
    Votes => "民主测评（赞成/总票）", "Democratic vote (for / total)";
    Status => "情况", "Status";
    Tied => "并列", "Tied";
    Adjusted => "已调整", "Adjusted";
    TieRule => "排名规则：按得分从高到低；得分相同的，民主测评赞成率高者在前；得分和赞成率都相同的并列同一名次，下一名次顺延（如 1、2、2、4）。", "Ranking rule: higher score first; on equal scores the higher approval rate (votes for / total) comes first; equal on both share a rank and the next rank is skipped (e.g. 1, 2, 2, 4).";
    ScoreTitle => "录入考核得分", "Enter a score";
    ScoreHint => "选择书记并填写得分（0–100）和等次。已有本年度得分的，保存后替换原得分。", "Choose a secretary and enter the score (0–100) and grade. An existing score for this year is replaced.";
    Secretary => "书记", "Secretary";
    PickSecretary => "请选择书记", "Choose a secretary";
    PickGrade => "请选择等次", "Choose a grade";
    VotesFor => "赞成票", "Votes for";
    VotesTotal => "总票数", "Total votes";
    ScoreRange => "得分应在 0 到 100 之间。", "The score must be between 0 and 100.";
    VotesForOverTotal => "赞成票不能多于总票数。", "Votes for cannot exceed the total votes.";
    ScoreLocked => "考核记录属于区级文档，只有区委组织部（管理员）平板可以录入；本机只能查看。", "Assessments are district records: only the district organisation department's (admin) tablet enters them; this tablet can only view them.";
    GradeExcellent => "优秀", "Excellent";
    GradeCompetent => "称职", "Competent";
    GradeBasic => "基本称职", "Basically competent";
    GradeIncompetent => "不称职", "Incompetent";
    BottomTitle => "连续两年排名末位", "Ranked last two years running";
    BottomIntro => "在本镇（街道）排名中连续两年排在最后一名的书记应予调整。调整记在第二个末位年度的考核记录上（调整日期、决定单位、原因），修改历史记下是哪台平板、何时录入。", "A secretary ranked last in the group two years running is adjusted. The adjustment is kept on the assessment of the second bottom year (date, deciding office, reason); the history records which tablet entered it and when.";
    PendingTitle => "待调整", "Still to adjust";
    NonePending => "目前没有待调整的书记。", "Nobody is waiting for adjustment.";
    DoneTitle => "已调整", "Adjusted";
    NoneDone => "还没有调整记录。", "No adjustment recorded yet.";
    BottomYears => "末位年度", "Bottom years";
    Adjust => "调整", "Adjust";
    AdjustDate => "调整日期", "Date of adjustment";
    AdjustBy => "决定单位", "Decided by";
    AdjustReason => "调整原因", "Reason";
    AdjustReasonHint => "例如：连续两年考核排名末位，按规定调整", "e.g. ranked last two years running, adjusted under the rules";
    AdjustSubmit => "确认调整", "Record the adjustment";
    AdjustNotBottom => "此人不是连续两年排名末位，不能调整。", "This person was not ranked last two years running and cannot be adjusted.";
    DistrictDept => "区委组织部", "District organisation department";

    // ---- 任期承诺与述职评议
    DutyIntro => "各村（社区）书记的任期承诺完成进度和年度述职评议票数；区平板可查看全区汇总。", "Term commitments' progress and the annual duty-report votes of each secretary; a district tablet sees the district overview.";
    OverviewTitle => "全区汇总", "District overview";
    Commitments => "承诺项数", "Commitments";
    MeanProgress => "平均进度", "Mean progress";
    Fulfilled => "已完成", "Fulfilled";
    LatestReport => "最近述职好评率", "Latest report approval";
    CommitmentsTitle => "任期承诺", "Term commitments";
    NoCommitments => "本单位还没有任期承诺。", "No term commitments in this unit yet.";
    Commitment => "承诺内容", "Commitment";
    TermStart => "任期起始", "Term from";
    Progress => "完成进度", "Progress";
    Updated => "更新日期", "Updated";
    ProgressValue => "完成进度（%）", "Progress (%)";
    ProgressRange => "进度应在 0 到 100 之间。", "Progress must be between 0 and 100.";
    ProgressSubmit => "保存进度", "Save progress";
    DutyTitle => "述职评议", "Duty reports";
    NoDutyReports => "本单位还没有述职评议记录。", "No duty reports in this unit yet.";
    ReportDate => "述职日期", "Report date";
    VotesExcellent => "优秀票", "Excellent";
    VotesCompetent => "称职票", "Competent";
    VotesBasic => "基本称职票", "Basically competent";
    VotesIncompetent => "不称职票", "Incompetent";
    VotesBallots => "参评总票数", "Ballots cast";
    Approval => "好评率（优秀+称职）", "Approval (excellent + competent)";
    VotesNegative => "票数不能为负数。", "A vote count cannot be negative.";
    VotesRequired => "请填写票数（没有请填 0）。", "Enter the count (0 if none).";
    VotesOverTotal => "四项票数之和不能超过参评总票数。", "The four counts together cannot exceed the ballots cast.";
    VotesSubmit => "保存票数", "Save votes";
    UnitLocked => "本机不能修改这个村（社区）的记录（只能由本村平板、所属镇街平板或区管理员修改）。", "This tablet cannot change this unit's records (only the unit's own tablet, its township / street or the district admin can).";

    // ---- 集体经济与薪酬
    EconomyIntro => "村集体经济收入、按区奖励政策计算的奖励和村排名；社区工作者薪酬和年均增长。", "Villages' collective income, the reward under the district's policy and the ranking; community workers' pay and its average annual rise.";
    PolicyTitle => "奖励政策", "Reward policy";
    NoPolicy => "区里没有该年度的奖励政策，无法计算奖励。", "The district has no reward policy for this year: no reward can be computed.";
    PolicyBase => "基础奖励（收入达到门槛即发）", "Base reward (paid at or above the threshold)";
    PolicyThreshold => "基础奖励门槛（年收入）", "Base-reward threshold (annual income)";
    PolicyPermille => "增量奖励：比上年增收部分的千分之", "Incremental reward: per mille of the increase over last year";
    PolicyCap => "增量奖励封顶", "Incremental reward cap";
    PolicyTopN => "排名奖励名额（收入前几名）", "Ranking bonus places (top villages by income)";
    PolicyTop => "排名奖励", "Ranking bonus";
    RankingTitle => "村集体经济排名", "Village ranking";
    NoIncomes => "该年度还没有村集体收入记录。", "No village income recorded for this year.";
    PartialRanking => "本机只有部分村的数据，全区排名请在区平板上查看。", "This tablet holds only some villages: see the district ranking on a district tablet.";
    Income => "本年收入", "Income";
    Previous => "上年收入", "Last year";
    Increase => "增收", "Increase";
    BaseCol => "基础", "Base";
    IncrementCol => "增量", "Increment";
    TopCol => "排名奖", "Top bonus";
    TotalCol => "奖励合计", "Total reward";
    AmountsInYuan => "金额单位：元。", "Amounts in yuan.";
    ComputeTitle => "奖励计算", "How the reward is computed";
    ComputeBase => "基础奖励：收入 ≥ 门槛 → ", "Base: income ≥ threshold → ";
    ComputeIncrement => "增量奖励：增收 × 千分比（封顶）= ", "Increment: increase × per mille (capped) = ";
    ComputeTop => "排名奖励：名次在前列 → ", "Ranking bonus: ranked in the top → ";
    ComputeTotal => "合计：", "Total: ";
    IncomeTitle => "录入集体收入", "Record collective income";
    IncomeHint => "填写该年度村集体经济收入（元）。该年度已有记录的，保存后替换。", "Enter the village's collective income for the year (yuan). An existing record for the year is replaced.";
    IncomeAmount => "收入金额（元）", "Income (yuan)";
    IncomeSubmit => "保存收入", "Save income";
    IncomeLocked => "集体收入记在各村的文档里，只能由本村平板、所属镇平板或区管理员录入；本机没有可录入的村。", "Incomes are kept in each village's document: only the village's tablet, its township or the district admin enter them; this tablet has no village it may write.";
    IncomeRecorded => "已录入的收入", "Incomes recorded";
    YearInvalid => "年度应为 1949 到 2100 之间的四位数。", "The year must be a four-digit year between 1949 and 2100.";
    PayTitle => "社区工作者薪酬", "Community workers' pay";
    PayAverage => "年均增长（元/人）", "Average annual rise (yuan per worker)";
    PayRises => "计入人数", "Workers counted";
    PayScope => "按本机上有数据的社区统计：同一人上一年和本年都有薪酬记录的，取差额的平均值。", "Over the communities on this tablet: the mean of this year's pay minus last year's, for every worker with a record in both years.";
    PayNone => "该年度没有可比较的薪酬记录。", "No comparable pay records for this year.";
    PayPrevious => "上年薪酬（元）", "Last year (yuan)";
    PayThis => "本年薪酬（元）", "This year (yuan)";
    PayRise => "增长（元）", "Rise (yuan)";
    PayNoWorkers => "该社区没有该年度的薪酬记录。", "No pay records in this community for this year.";
    PayUnit => "社区", "Community";
    PayFormTitle => "录入薪酬", "Record pay";
    PayFormHint => "填写社区工作者该年度的薪酬（元）。同一人该年度已有记录的，保存后替换。", "Enter a community worker's pay for the year (yuan). An existing record of that worker for the year is replaced.";
    PayWorker => "社区工作者", "Community worker";
    PayWorkerMissing => "请选择社区工作者。", "Choose a community worker.";
    PayAmount => "年薪酬（元）", "Annual pay (yuan)";
    PaySubmit => "保存薪酬", "Save pay";
    PayLocked => "薪酬记在各社区的文档里，只能由本社区平板、所属街道平板或区管理员录入；本机没有可录入的社区。", "Pay is kept in each community's document: only the community's tablet, its street or the district admin enter it; this tablet has no community it may write.";
    PayNoWorkersHere => "该社区还没有社区工作者，请先在花名册中登记。", "This community has no community workers yet: add them in the roster first.";
    PolicyEditTitle => "修改奖励政策", "Edit the reward policy";
    PolicyEditHint => "按年度填写。该年度已有政策的，保存后替换；其他年度不受影响。各村的奖励随即按新政策重新计算。", "Per year. An existing policy for the year is replaced; other years are untouched. Every village's reward is recomputed with it at once.";
    PolicyEdit => "修改政策", "Edit policy";
    PolicyNew => "新增年度政策", "Add a year's policy";
    PolicySubmit => "保存政策", "Save policy";
    PolicyCancel => "取消", "Cancel";
    PolicyRequired => "请填写（没有请填 0）。", "Required (0 if none).";
    PolicyNegative => "不能为负数。", "Cannot be negative.";
    PolicyLocked => "奖励政策记在区里的文档里，只有区管理员平板可以修改。", "The reward policy is kept in the district's document: only the district admin's tablet can change it.";
}

/// The rank screens' words (头雁 assessment, commitments, economy) — for [`SaveNote`](crate::ui::save_note::SaveNote).
pub const SAVE_WORDS: SaveWords<RankMsg> = SaveWords {
    invalid: RankMsg::FixErrors,
    failed: RankMsg::WriteFailed,
    saving: RankMsg::Saving,
    saved: RankMsg::SavedLocal,
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_has_both_languages_in_chinese_first() {
        crate::i18n::check::table(super::RankMsg::ALL, &[]);
    }
}
