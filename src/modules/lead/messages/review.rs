//! Messages of 资格联审与书记备案 (the lead-geese review and filing screens).

use crate::i18n::message_table;

message_table! {
    /// A UI text of 资格联审与书记备案 (the lead-geese review and filing screens).
    ReviewMsg;

    Loading => "正在读取本机数据…", "Reading the data on this tablet…";
    ReviewIntro => "各村（社区）提名候选人，区委组织部受理后由各部门逐一联审；任一部门不通过即不得任职。", "Units nominate candidates; once the district accepts them, every department signs off. A candidate failed by any department cannot take the seat.";

    // nomination (unit tablets)
    NominateTitle => "提名候选人", "Nominate a candidate";
    NominateIntro => "提名保存在本村（社区）档案中，区委组织部同步后受理。", "The nomination is kept in your unit's document; the district accepts it after sync.";
    NominateUnit => "提名单位", "Nominating unit";
    NominateBatch => "联审批次", "Review batch";
    NominatePickBatch => "请选择批次", "Choose a batch";
    NominateNoBatch => "区里还没有开设联审批次，暂不能提名。", "The district has not opened a review batch yet: nothing to nominate for.";
    NominateName => "候选人姓名", "Candidate's name";
    NominateIdNumber => "身份证号", "Resident ID number";
    NominateSeat => "拟任职务", "Seat";
    NominateSubmit => "提交提名", "Submit nomination";
    MyNominationsTitle => "本单位的提名", "Our nominations";
    MyNominationsNone => "还没有提名。", "No nominations yet.";
    NominationWaiting => "待区里受理", "Awaiting the district";
    SubmittedOn => "提交日期", "Submitted";

    // district queue
    QueueTitle => "待受理的提名", "Nominations to accept";
    QueueNone => "没有待受理的提名。", "No nominations waiting.";
    QueueAccept => "受理入批次", "Accept into the batch";
    QueueAccepted => "已受理", "Accepted";
    ColUnit => "单位", "Unit";
    ColName => "姓名", "Name";
    ColIdNumber => "身份证号", "ID number";
    ColSeat => "职务", "Seat";
    ColBatch => "批次", "Batch";
    ColStatus => "状态", "Status";
    ColAction => "操作", "Action";

    // batches
    BatchesTitle => "联审批次", "Review batches";
    BatchesNone => "还没有联审批次。", "No review batches yet.";
    BatchOpenTitle => "开设批次", "Open a batch";
    BatchKind => "类型", "Kind";
    BatchYear => "年度", "Year";
    BatchName => "批次名称", "Batch name";
    BatchSubmit => "开设批次", "Open batch";
    BatchShow => "查看", "Show";
    KindElection => "换届", "Election";
    KindByElection => "补选", "By-election";
    CountSubmitted => "报送", "Submitted";
    CountInReview => "审核中", "In review";
    CountPassed => "通过", "Passed";
    CountBlocked => "不通过", "Blocked";
    CountInPublicity => "公示中", "In publicity";
    CountConcluded => "已办结", "Concluded";

    // candidates
    CandidatesTitle => "候选人联审情况", "Candidates of the batch";
    CandidatesNone => "本批次还没有候选人。", "No candidates in this batch yet.";
    CandidatesPick => "点选一个批次查看候选人。", "Tap a batch to see its candidates.";
    CandidateShow => "详情", "Details";
    DaysLeft => "公示剩余天数", "Publicity days left";
    StatusSubmitted => "已报送", "Submitted";
    StatusInReview => "审核中", "In review";
    StatusBlocked => "不通过", "Blocked";
    StatusPassed => "各部门通过", "Passed";
    StatusInPublicity => "公示中", "In publicity";
    StatusPublicityOver => "公示期满", "Publicity over";
    StatusApproved => "已通过", "Approved";

    // departments and verdicts
    DeptDiscipline => "纪委监委", "Discipline inspection";
    DeptPoliticalLegal => "政法委", "Political-legal committee";
    DeptPolice => "公安", "Police";
    DeptCourt => "法院", "Court";
    DeptProcuratorate => "检察", "Procuratorate";
    DeptJustice => "司法", "Justice bureau";
    DeptPetitions => "信访", "Petitions bureau";
    DeptHealth => "卫健", "Health commission";
    DeptCivilAffairs => "民政", "Civil affairs";
    VerdictPending => "待审", "Pending";
    VerdictPass => "通过", "Pass";
    VerdictFail => "不通过", "Fail";

    // candidate panel
    CandidateTitle => "候选人", "Candidate";
    BoardTitle => "部门联审", "Department sign-offs";
    ColDepartment => "部门", "Department";
    ColVerdict => "意见", "Verdict";
    ColReviewer => "审核人", "Reviewer";
    ColDate => "日期", "Date";
    ColReason => "理由", "Reason";
    Publicity => "公示期", "Publicity";
    PublicityNone => "未公示", "Not in publicity";
    PublicityDaysLeft => "天后结束", "days left";
    SignOffTitle => "部门签署意见", "Department sign-off";
    SignOffDepartment => "部门", "Department";
    SignOffPickDepartment => "请选择部门", "Choose a department";
    SignOffResult => "意见", "Verdict";
    SignOffReviewer => "审核人", "Reviewer";
    SignOffDate => "日期", "Date";
    SignOffReason => "不通过理由", "Reason for failing";
    SignOffSubmit => "保存意见", "Save sign-off";
    PublicityStart => "开始公示", "Start publicity";
    Conclude => "办结", "Conclude";
    GiveSeat => "确认任职", "Give the seat";
    GiveSeatHint => "确认任职会在该村（社区）档案中登记其职务。", "Giving the seat records the post in the unit's document.";
    SeatGiven => "已在该单位档案中登记职务。", "The post is recorded in the unit's document.";
    ActionDone => "已保存。", "Saved.";
    SeatRefusedBlocked => "不能任职：联审未通过。", "Cannot take the seat: failed the joint review.";
    SeatRefusedPending => "不能任职：还有部门未签署意见。", "Cannot take the seat: departments have not signed off yet.";
    SeatRefusedNoPublicity => "不能任职：尚未公示。", "Cannot take the seat: no publicity yet.";
    SeatRefusedPublicity => "不能任职：公示期未满。", "Cannot take the seat: publicity is still running.";
    SeatRefusedWrongUnit => "不能任职：不是该候选人的单位。", "Cannot take the seat: not the candidate's unit.";
    SeatRefusedAlreadySeated => "该候选人已登记此职务。", "The candidate already holds this seat.";
    RefusedInvalid => "记录不完整，未保存。", "The record is incomplete: nothing saved.";
    RefusedConcluded => "该候选人已办结，不能再修改。", "This review is concluded: no more changes.";
    RefusedPending => "还有部门未签署意见。", "Departments have not signed off yet.";
    RefusedBlocked => "有部门不通过，不能公示。", "A department failed the candidate: no publicity.";
    RefusedPublicityStarted => "已开始公示，部门意见不能再改。", "Publicity has started: sign-offs can no longer change.";
    RefusedNoPublicity => "尚未公示，不能办结。", "No publicity yet: cannot conclude.";
    RefusedPublicityNotOver => "公示期未满，不能办结。", "Publicity is still running: cannot conclude.";

    // field names (history, conflicts)
    FieldRecordId => "记录编号", "Record id";
    FieldStage => "阶段", "Stage";
    FieldPublicityStart => "公示开始", "Publicity from";
    FieldPublicityEnd => "公示结束", "Publicity until";
    FieldFinalResult => "联审结论", "Outcome";
    FieldPostId => "职务记录", "Post record";
    FieldNote => "备注", "Note";

    // access
    ReadOnlyDistrict => "本机只能查看区级档案：受理、签署意见和备案由区委组织部的平板办理。", "This tablet may only read the district's records: accepting, signing off and filing are done on the district's tablet.";
    ReadOnlyUnit => "本机不能写入该单位的档案，不能确认任职。", "This tablet cannot write this unit's document: it cannot give the seat.";
    UnitNotHere => "该单位的档案不在本机上。", "This unit's document is not on this tablet.";

    // filing
    FilingIntro => "每个村（社区）党组织书记都要在区委组织部备案；书记变动后须重新备案。", "Every village/community party secretary is filed with the district; a new secretary must be filed again.";
    FilingSummaryUnits => "单位", "Units";
    FilingSummaryFiled => "已备案", "Filed";
    FilingSummaryTodo => "待备案", "To file";
    FilingTodoTitle => "未备案的书记", "Secretaries not filed yet";
    FilingTodoNone => "所有书记均已备案。", "Every secretary is filed.";
    FilingFile => "备案", "File";
    FilingAllTitle => "书记备案情况", "Filing of every secretary";
    FilingFiled => "已备案", "Filed";
    FilingChanged => "已备案，书记已变动", "Filed, secretary changed since";
    FilingNotFiled => "未备案", "Not filed";
    FilingNoSecretary => "暂无书记", "No secretary";
    ColSecretary => "书记", "Secretary";
    ColFiledPerson => "备案人", "Filed person";
    ColFiledDate => "备案日期", "Filed on";
    FilingPrint => "打印备案表", "Print filing form";
    FilingShow => "记录", "Record";
    FilingRecordTitle => "备案记录", "Filing record";
    FilingDone => "已备案。", "Filed.";
    FilingRefusedNoSecretary => "该单位暂无书记，无需备案。", "The unit has no secretary: nothing to file.";
    FilingRefusedAlreadyFiled => "该书记已备案。", "This secretary is already filed.";
    FilingNoUnits => "本机还没有村（社区）档案。", "No village/community documents on this tablet yet.";
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_has_both_languages_in_chinese_first() {
        crate::i18n::check::table(super::ReviewMsg::ALL, &[]);
    }
}
