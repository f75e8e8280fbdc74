//! Messages of 雏雁 (reserve cadres, reserve pool, home-coming, career posts).

use crate::i18n::message_table;
use crate::ui::save_note::SaveWords;

message_table! {
    /// A UI text of 雏雁 (reserve cadres, reserve pool, home-coming, career posts).
    YoungMsg;

    Loading => "正在读取数据…", "Loading the records…";
    NoUnits => "本平板上还没有村（社区）的档案。", "No village or community records are on this tablet yet.";
    PickUnitFirst => "请先选择村（社区）。", "Pick a village or community first.";
    ScopeHint => "按本平板上已同步的村（社区）档案统计。", "Counted over the village and community records on this tablet.";
    RowHint => "点一行查看详情、记录和修改历史。", "Tap a row for its details, records and change history.";
    Close => "关闭", "Close";
    SaveSaved => "已保存在本平板", "Saved on this tablet";
    SaveSaving => "正在保存…", "Saving…";
    SaveInvalid => "请先改正标出的问题，未保存任何内容。", "Fix the marked problems first; nothing was saved.";
    SaveFailed => "保存失败：这份档案不在本平板上。", "Not saved: this record is not on this tablet.";
    LockedDistrict => "储备库和回家工程是区级数据，只有区委组织部的平板可以修改；本平板只能查看。", "The reserve pool and home-coming cases are district records: only the district organisation department's tablet can change them; this tablet can only view them.";
    LockedUnit => "本平板对这个村（社区）的档案只有查看权限，不能修改。", "This tablet may only view this unit's records, not change them.";
    LockedMove => "回家调动要同时修改区级数据和两个社区的档案，只有区委组织部的平板可以办理。", "A home-coming move changes the district records and two communities' records: only the district organisation department's tablet can record it.";
    ErrOutcomeBeforeSelection => "进入两委（或退出）的日期不能早于选拔日期。", "The outcome date cannot be before the selection date.";
    ErrNoteBeforeSelection => "帮带日期不能早于选拔日期。", "A mentoring note cannot be dated before the selection.";
    ErrRecruitBeforeRegistered => "录用日期不能早于入库日期。", "The recruitment date cannot be before the registration date.";
    ErrMoveBeforeIdentified => "调动日期不能早于发现异地工作的日期。", "The move cannot be dated before the case was identified.";
    ErrNotWaiting => "只有待录用的人员可以登记录用。", "Only a waiting candidate can be recruited.";
    ErrPickPerson => "请选择人员。", "Pick a person.";
    ErrPickUnit => "请选择录用的社区。", "Pick the community recruiting them.";
    ErrBirthOrId => "请填写出生日期，或填写正确的身份证号。", "Enter the birth date, or a valid resident ID number.";

    FunnelTitle => "后备干部培养漏斗", "Reserve cadre funnel";
    FunnelSelected => "公开选拔", "Selected";
    FunnelMentored => "已传帮带", "Mentored";
    FunnelEntered => "进入两委", "Entered the two committees";
    FunnelAria => "后备干部：选拔、传帮带、进入两委的人数", "Reserve cadres selected, mentored and entered the two committees";
    ReserveListTitle => "本单位后备干部", "Reserve cadres of this unit";
    ReserveNone => "这个村（社区）还没有后备干部。", "This unit has no reserve cadres yet.";
    ColName => "姓名", "Name";
    ColSelected => "选拔日期", "Selected";
    ColNotes => "帮带记录", "Notes";
    ColOutcome => "去向", "Outcome";
    OutcomeInTraining => "培养中", "In training";
    OutcomeEntered => "已进入两委", "Entered the two committees";
    OutcomeLeft => "已退出", "Left";
    AddReserveTitle => "新增后备干部（选拔记录）", "Add a reserve cadre (selection record)";
    FieldName => "姓名", "Name";
    FieldSex => "性别", "Sex";
    FieldBirth => "出生日期", "Birth date";
    FieldIdNumber => "身份证号（可不填）", "Resident ID (optional)";
    FieldSelected => "选拔日期", "Selection date";
    FieldMentor => "帮带导师", "Mentor";
    MentorNone => "（未指定）", "(none)";
    SaveReserve => "保存选拔记录", "Save the selection";
    LogTitle => "传帮带记录", "Mentoring log (传帮带)";
    LogNone => "还没有帮带记录。", "No mentoring notes yet.";
    QuickHint => "点一下常用内容，或自己填写：", "Tap a common entry, or write your own:";
    Quick1 => "谈心谈话", "Heart-to-heart talk";
    Quick2 => "跟班学习", "Shadowing";
    Quick3 => "交办任务", "Task assigned";
    Quick4 => "走访群众", "Visited residents";
    NoteDate => "日期", "Date";
    NoteMentor => "导师", "Mentor";
    NoteText => "帮带内容", "What was done";
    SaveNote => "记一笔", "Add the note";
    OutcomeTitle => "培养去向", "Outcome";
    OutcomeKind => "去向", "Outcome";
    OutcomeDate => "日期（进入两委或退出）", "Date (entered or left)";
    SaveOutcome => "保存去向", "Save the outcome";

    PoolTotal => "入库人数", "In the pool";
    PoolWaiting => "待录用", "Waiting";
    PoolRecruited => "已录用为社区工作者", "Recruited as community workers";
    PoolWithdrawn => "已退出", "Withdrawn";
    StatusAll => "全部", "All";
    PoolFilter => "状态", "Status";
    PoolListTitle => "社区工作者储备库", "Community-worker reserve pool";
    ColRegistered => "入库日期", "Registered";
    ColStatus => "状态", "Status";
    ColUnit => "录用社区", "Recruited by";
    ColDate => "录用日期", "Recruited on";
    RecruitTitle => "登记录用", "Record the recruitment";
    RecruitUnit => "录用社区", "Recruiting community";
    RecruitDate => "录用日期", "Recruitment date";
    SaveRecruit => "登记录用", "Record the recruitment";
    PickUnit => "请选择社区", "Pick a community";
    AddPoolTitle => "新增储备人员", "Add a candidate to the pool";
    FieldRegistered => "入库日期", "Registered on";
    SavePool => "加入储备库", "Add to the pool";
    PoolNone => "没有符合条件的人员。", "No candidates match.";

    HomeMoved => "已回家（已调动）", "Moved home";
    HomeOpen => "居住地与工作地不一致", "Working away from home";
    HomeCross => "其中跨街道", "Of which across streets";
    HomeListTitle => "异地工作的社区工作者（跨街道的排在前面）", "Community workers working away from home (across streets first)";
    HomeNone => "没有异地工作的社区工作者。", "No community worker works away from home.";
    ColWork => "工作社区", "Works in";
    ColResidence => "居住社区", "Lives in";
    ColSuggest => "建议", "Suggestion";
    CrossBadge => "跨街道", "Across streets";
    SameBadge => "同街道", "Same street";
    SuggestMove => "建议调到居住社区工作：", "Suggested move to where they live:";
    MoveTitle => "办理回家调动", "Record the home-coming move";
    MoveDate => "调动日期", "Date of the move";
    SaveMove => "登记调动", "Record the move";
    HomeCaseNone => "区里还没有这个人的回家工程记录；登记调动时会新建一条。", "The district has no home-coming case for this person yet; recording the move creates one.";
    HomeCaseTitle => "回家工程记录", "Home-coming case";
    HomeMovedDone => "调动已登记：这位社区工作者已到居住社区工作。", "Move recorded: this community worker now works where they live.";

    CareerPosts => "纳入事业岗位管理", "Brought into career posts";
    CareerCivil => "考录为公务员", "Recruited into the civil service";
    CareerListTitle => "本单位的职业发展记录", "Career moves of this unit";
    CareerNone => "这个村（社区）还没有职业发展记录。", "This unit has no career moves yet.";
    ColPerson => "人员", "Person";
    ColKind => "类别", "Kind";
    ColPost => "岗位", "Post";
    KindCareerPost => "事业岗位", "Career post";
    KindCivil => "公务员", "Civil service";
    AddCareerTitle => "登记职业发展", "Record a career move";
    FieldPerson => "人员", "Person";
    FieldKind => "类别", "Kind";
    FieldDate => "日期", "Date";
    FieldPost => "岗位名称", "Post";
    SaveCareer => "保存", "Save";

    TrailOutcomeDate => "去向日期", "Outcome date";
    TrailStatus => "状态", "Status";
    TrailIdentified => "发现日期", "Identified on";
    TrailMovedDate => "调动日期", "Moved on";
    TrailPersonRef => "人员", "Person";
    TrailLog => "传帮带记录", "Mentoring log";
    StatusOpen => "待调动", "Open";
    StatusMovedCase => "已调动", "Moved";
    StatusDeclined => "不调动", "Declined";
}

/// 雏雁's words — for [`SaveNote`](crate::ui::save_note::SaveNote).
pub const SAVE_WORDS: SaveWords<YoungMsg> = SaveWords {
    invalid: YoungMsg::SaveInvalid,
    failed: YoungMsg::SaveFailed,
    saving: YoungMsg::SaveSaving,
    saved: YoungMsg::SaveSaved,
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_has_both_languages_in_chinese_first() {
        crate::i18n::check::table(super::YoungMsg::ALL, &[]);
    }
}
