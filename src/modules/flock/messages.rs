//! Messages of 群雁 (training, certificates, studios).

use crate::i18n::message_table;
use crate::ui::save_note::SaveWords;

message_table! {
    /// A UI text of 群雁 (training, certificates, studios).
    FlockMsg;

    // ---- shared
    Loading => "正在读取本机的记录……", "Reading the records on this tablet…";
    Year => "年度", "Year";
    SavedLocal => "已保存到本机", "Saved on this tablet";
    Saving => "正在保存到本机……", "Saving on this tablet…";
    FixErrors => "请按红字提示修改，还没有保存。", "Please fix what is marked in red: nothing has been saved yet.";
    SaveFailed => "保存失败：本机没有这份记录所在的文档。", "Not saved: the document holding this record is not on this tablet.";
    Cancel => "取消", "Cancel";
    Close => "关闭", "Close";
    UnitsCounted => "个单位的记录在本机", "units' records are on this tablet";
    People => "人", "people";
    Yes => "是", "yes";
    No => "否", "no";
    NotNumber => "请输入整数。", "Please enter a whole number.";
    PickUnit => "请选择单位", "Pick a unit";
    ReadOnlyDistrict => "本机只能查看区级记录：培训班次、工作室和跟班安排由区委组织部（区级管理员平板）录入。", "This tablet can only read district records: sessions, studios and placements are entered on the district organisation department's (admin) tablet.";
    ReadOnlyUnit => "本机只能查看这个单位的记录，不能修改（只读平板，或不是本单位的平板）。", "This tablet can only read this unit's records (a read-only tablet, or not this unit's tablet).";
    RecordId => "记录编号", "Record id";
    HistoryOfRecord => "这条记录的修改历史", "History of this record";

    // ---- training
    TrainingIntro => "每年对村（社区）“两委”成员全覆盖培训，第一议题为政治理论学习。点选班次，逐人点名登记参训。", "Every two-committee member is trained each year; the first topic is political theory. Pick a session and tap each member who attended.";
    CoverageTitle => "培训覆盖率", "Training coverage";
    CoverageDistrict => "全区（本机所有单位）", "District (all units on this tablet)";
    CoverageTrained => "已参训", "trained";
    CoverageMembers => "“两委”成员", "two-committee members";
    BelowFullTitle => "未达 100% 的单位", "Units below 100%";
    BelowFullHint => "点一个单位，查看还没有参训的人。", "Tap a unit to see who has not been trained yet.";
    BelowFullNone => "本年度所有单位均已全覆盖。", "Every unit is fully covered this year.";
    MissingTitle => "本年度尚未参训", "Not trained yet this year";
    SessionsTitle => "培训班次", "Training sessions";
    SessionsNone => "这一年还没有培训班次。", "No sessions this year yet.";
    SessionNew => "新建班次", "New session";
    SessionNewTitle => "新建培训班次", "New training session";
    SessionEditTitle => "修改班次", "Edit the session";
    SessionSave => "保存班次", "Save the session";
    SessionTitle => "班次名称", "Title";
    SessionKind => "类型", "Kind";
    SessionDate => "日期", "Date";
    SessionHours => "学时", "Class hours";
    SessionFirstTopic => "第一议题（政治理论）", "First topic: political theory";
    SessionTeacher => "师资来源", "Teachers from";
    SessionExamPrep => "社工考前辅导", "Social-worker exam preparation";
    SessionPlace => "地点", "Place";
    SessionAttended => "本机参训人数", "Attended (this tablet)";
    HoursPositive => "学时必须大于 0。", "Class hours must be more than 0.";
    AttendanceTitle => "点名登记", "Attendance";
    AttendanceHint => "点一下名字即登记参训（立即保存），再点一下取消。", "Tap a name to mark them present (saved at once); tap again to undo.";
    AttendanceNoMembers => "这个单位没有在任的“两委”成员。", "This unit has no active two-committee members.";
    AttendancePickSession => "先在上面的列表里点选一个培训班次。", "First tap a session in the list above.";
    UnitCoverage => "本单位本年度覆盖率", "This unit's coverage this year";
    Present => "已到", "present";
    Absent => "未到", "absent";
    KindPreJob => "岗前培训", "Pre-job";
    KindOnDuty => "履职培训", "On-duty";
    KindProfessional => "专业培训", "Professional";
    TeacherPartySchool => "区委党校", "Party school";
    TeacherAgriculture => "农业农村局", "Agriculture bureau";
    TeacherCivilAffairs => "民政局", "Civil-affairs bureau";
    TeacherFinance => "财政局", "Finance bureau";
    TeacherUniversity => "高校（长江大学等）", "University (e.g. Yangtze University)";
    TeacherOther => "其他", "Other";

    // ---- certificates
    CertIntro => "社区工作者持证上岗：登记每人的社会工作者职业资格证书，统计持证比例；考前辅导讲座来自区级培训班次。", "Certified social workers: record each community worker's certificate and follow the certified share; the exam-preparation lectures are district training sessions.";
    ShareTitle => "持证比例", "Certified share";
    ShareCertified => "已持证", "certified";
    ShareWorkers => "社区工作者", "community workers";
    LecturesTitle => "考前辅导讲座", "Exam-preparation lectures";
    LecturesCount => "场", "lectures";
    WorkersTitle => "本单位社区工作者", "Community workers of the unit";
    WorkersNone => "这个单位没有在岗的社区工作者。", "This unit has no active community workers.";
    WorkerUncertified => "未持证", "not certified";
    CertAddTitle => "登记证书", "Add a certificate";
    CertFor => "持证人", "Holder";
    CertPickWorker => "请先在名单里点选一位社区工作者。", "First tap a community worker in the list.";
    CertLevel => "等级", "Level";
    CertObtained => "取得日期", "Date obtained";
    CertNumber => "证书编号", "Certificate number";
    CertSave => "保存证书", "Save the certificate";
    CertsOfWorker => "已登记的证书", "Certificates on record";
    LevelAssistant => "助理社会工作师", "Assistant social worker";
    LevelIntermediate => "社会工作师", "Social worker";
    LevelSenior => "高级社会工作师", "Senior social worker";

    // ---- studios
    StudiosIntro => "名师工作室开展导师帮带和跟班学习：登记每一次安排的起止日期和结果。", "Master studios run mentoring and shadowing: record each placement's start, end and outcome.";
    StudiosCount => "个名师工作室", "master studios";
    ShadowingCount => "人经跟班学习培养", "trained by shadowing";
    StudioLeader => "导师（领办人）", "Mentor (leader)";
    StudioUnit => "所在社区", "Community";
    StudioFounded => "成立", "Founded";
    StudioPlacements => "帮带/跟班安排", "Placements";
    PlacementsNone => "这个工作室还没有安排。", "No placements in this studio yet.";
    PlacementNew => "新增安排", "New placement";
    PlacementNewTitle => "新增帮带/跟班安排", "New mentoring or shadowing placement";
    PlacementEditTitle => "修改安排（结束日期与结果）", "Edit the placement (end and outcome)";
    PlacementSave => "保存安排", "Save the placement";
    PlacementStudio => "工作室", "Studio";
    PlacementKind => "方式", "Kind";
    PlacementUnit => "学员所在单位", "Mentee's unit";
    PlacementMentee => "学员", "Mentee";
    PlacementStart => "开始日期", "Start";
    PlacementEnd => "结束日期", "End";
    PlacementOutcome => "结果", "Outcome";
    PlacementNote => "备注", "Note";
    PlacementPickStudio => "请选择工作室。", "Please pick a studio.";
    PlacementPickMentee => "请选择学员。", "Please pick a mentee.";
    PlacementUnknownMentee => "（学员档案不在本机）", "(mentee's file not on this tablet)";
    KindMentoring => "导师帮带", "Mentoring";
    KindShadowing => "跟班学习", "Shadowing";
    OutcomeNone => "尚无结果", "No outcome yet";
    OutcomeCompleted => "结业合格", "Completed";
    OutcomeExtended => "延期继续", "Extended";
    OutcomeDiscontinued => "中止", "Discontinued";
    StatusPlanned => "未开始", "Planned";
    StatusOngoing => "进行中", "Ongoing";
    StatusEnded => "已结束", "Ended";
}

/// 群雁's words — for [`SaveNote`](crate::ui::save_note::SaveNote).
pub const SAVE_WORDS: SaveWords<FlockMsg> = SaveWords {
    invalid: FlockMsg::FixErrors,
    failed: FlockMsg::SaveFailed,
    saving: FlockMsg::Saving,
    saved: FlockMsg::SavedLocal,
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_has_both_languages_in_chinese_first() {
        crate::i18n::check::table(super::FlockMsg::ALL, &[]);
    }
}
