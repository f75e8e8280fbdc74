//! Messages of 归雁 (appointments, contact duty, investment leads, rural talent).

use crate::i18n::message_table;
use crate::ui::save_note::SaveWords;

message_table! {
    /// A UI text of 归雁 (appointments, contact duty, investment leads, rural talent).
    ReturningMsg;

    KindHonorary => "荣誉书记", "Honorary secretary";
    KindAdvisor => "发展顾问", "Development advisor";
    ContactTalk => "恳谈", "Talk";
    ContactGreeting => "节日问候", "Holiday greeting";
    ContactVisit => "拜访亲属", "Visit to relatives";
    StageLead => "线索", "Lead";
    StageVisited => "实地考察", "Inspection visit";
    StageProject => "项目落地", "Project placed";
    StageFunds => "资金到位", "Funds arrived";
    AdvanceToVisited => "记为已考察", "Mark as visited";
    AdvanceToProject => "记为项目落地", "Mark project as placed";
    AdvanceToFunds => "记录到位资金", "Record funds arrived";
    ExSchoolPair => "城乡学校结对", "School pairs";
    ExTeacher => "交流教师", "Teachers exchanged";
    ExMedical => "医务人员培训", "Medical staff trained";
    ExTech => "科技特派员", "Tech commissioners";
    ExHousehold => "农业示范户", "Demonstration households";

    CertificateDuplicate => "该聘书编号已被使用，请核对后重新填写。", "This certificate number is already in use; please check it.";
    NotAnAmount => "请输入金额（万元），例如 12.5。", "Enter an amount in 10,000 yuan, e.g. 12.5.";
    Loading => "正在载入本平板上的数据……", "Loading the data on this tablet…";
    NoUnits => "本平板上还没有村（社区）的数据。", "There is no village or community data on this tablet yet.";
    NoneYet => "还没有记录。", "No records yet.";
    ReadOnlyUnit => "本平板对该村（社区）只有查看权限，不能在这里登记；请由该村（社区）或所属镇（街道）的平板登记。", "This tablet may only view this village; it has to be recorded on the village's or its township's tablet.";
    ReadOnlyDistrict => "乡村人才登记保存在区级数据中，只有区委组织部（管理员）的平板可以录入；本平板只能查看。", "The rural-talent register is district data: only the district organisation department's (admin) tablet can add to it; this tablet can only view it.";
    Saving => "已保存到本平板，正在写入存储……", "Saved on this tablet, writing to storage…";
    Saved => "已保存在本平板上（联网后自动同步）。", "Saved on this tablet (synced when online).";
    WriteFailed => "保存失败：本平板上没有这份数据或存储出错，未保存任何内容。", "Not saved: this tablet does not have the document or storage failed. Nothing was saved.";
    FixErrors => "请先改正标红的内容，未保存任何内容。", "Please correct the marked fields. Nothing was saved.";
    Close => "关闭", "Close";

    ApptTotals => "聘任总数（本平板上的村）", "Appointments (villages on this tablet)";
    ApptListTitle => "荣誉书记与发展顾问", "Honorary secretaries and advisors";
    ApptKind => "类别", "Kind";
    ApptName => "姓名", "Name";
    ApptOrigin => "现工作地/单位", "Works now at";
    ApptPhone => "联系电话", "Phone";
    ApptCertificate => "聘书编号", "Certificate no.";
    ApptAppointed => "聘任日期", "Appointed on";
    ApptTermEnd => "聘期至", "Term ends";
    ApptTermNone => "未记录", "not recorded";
    ApptAddTitle => "新增聘任", "New appointment";
    ApptSave => "保存聘任", "Save appointment";
    ApptDetail => "聘任详情", "Appointment";

    DueTitle => "本月待联络", "To contact this month";
    DueIntro => "每位荣誉书记、发展顾问每月至少联络一次。点一下联络方式即记录今天的联络。", "Contact each honorary secretary and advisor at least once a month. One tap on a kind records today's contact.";
    DueNone => "本月的联络都已完成。", "Everyone has been contacted this month.";
    DueCount => "待联络人数", "To contact";
    DueOverdueCount => "其中逾期", "of them overdue";
    DueOverdue => "逾期", "Overdue";
    DueOverdueSince => "起未联络", "no contact since";
    DueMonths => "个月", "month(s)";
    DueThisMonth => "本月待联络", "Due this month";
    DueDone => "本月已联络", "Contacted this month";
    DueLast => "上次联络", "Last contact";
    DueNever => "从未联络", "never";
    LoggedContact => "已记录联络", "Contact recorded";
    ContactNote => "备注（可选，记录时一并保存）", "Note (optional, saved with the next contact)";
    ContactListTitle => "联络名单", "Contact list";
    RecentTitle => "最近的联络记录", "Recent contacts";
    ContactDate => "日期", "Date";
    ContactKindLabel => "方式", "Kind";
    ContactWho => "联络对象", "With";
    UnitCompliance => "本月联络完成率", "Contacted this month";
    DistrictTitle => "各村本月联络完成率", "Contact compliance per village this month";
    DistrictIntro => "按今天的日期计算：本月已联络的荣誉书记、发展顾问占该村全部聘任人员的比例。", "Computed from today's date: the share of each village's appointees contacted this month.";
    ColVillage => "村（社区）", "Village";
    ColTownship => "镇（街道）", "Township";
    ColAppointees => "聘任人数", "Appointees";
    ColContacted => "本月已联络", "Contacted";
    ColPercent => "完成率", "Share";
    DistrictTotal => "合计", "Total";
    ChartLabel => "各村联络完成率条形图", "Bar chart of contact compliance per village";

    FunnelTitle => "招商引资漏斗", "Investment funnel";
    FunnelLeads => "有效线索", "Valid leads";
    FunnelVisits => "实地考察", "Inspection visits";
    FunnelProjects => "项目落地", "Projects placed";
    FunnelFunds => "到位资金", "Funds arrived";
    FunnelLabel => "招商线索漏斗图", "Funnel chart of investment leads";
    Wan => "万元", "×10,000 yuan";
    LeadsTitle => "招商线索", "Investment leads";
    LeadTitle => "线索名称", "Lead";
    LeadUnit => "村", "Village";
    LeadAdvisor => "引荐人", "Brought by";
    LeadStageLabel => "进展", "Stage";
    LeadDate => "线索日期", "Lead date";
    LeadVisitDate => "考察日期", "Visit date";
    LeadProjectDate => "落地日期", "Project date";
    LeadFunds => "到位资金（万元）", "Funds arrived (×10,000 yuan)";
    LeadInvalid => "无效线索", "Not valid";
    LeadDetail => "线索详情", "Lead";
    LeadAdvance => "推进到下一阶段", "Advance";
    LeadFinal => "该线索已完成全部阶段。", "This lead has reached its last stage.";
    LeadAddTitle => "新增招商线索", "New investment lead";
    LeadSave => "保存线索", "Save lead";
    LeadPickAdvisor => "请选择引荐人", "Choose who brought it";
    LeadNoAdvisors => "该村还没有荣誉书记或发展顾问，请先登记聘任。", "This village has no honorary secretary or advisor yet; record an appointment first.";

    TalentTitle => "乡村人才登记", "Rural talent register";
    TalentKind => "类别", "Kind";
    TalentName => "名称/姓名", "Name";
    TalentFrom => "派出单位", "From";
    TalentTo => "接收单位", "To";
    TalentPlace => "服务对象", "Serves";
    TalentStart => "开始日期", "Start date";
    TalentVillage => "服务的村", "Village served";
    TalentPair => "所属结对学校", "School pair";
    TalentPick => "请选择", "Choose";
    TalentAddTitle => "新增人才登记", "New register entry";
    TalentSave => "保存登记", "Save entry";
    TalentDetail => "登记详情", "Entry";
    TalentShown => "显示类别", "Showing";
}

/// 归雁's words — for [`SaveNote`](crate::ui::save_note::SaveNote).
pub const SAVE_WORDS: SaveWords<ReturningMsg> = SaveWords {
    invalid: ReturningMsg::FixErrors,
    failed: ReturningMsg::WriteFailed,
    saving: ReturningMsg::Saving,
    saved: ReturningMsg::Saved,
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_has_both_languages_in_chinese_first() {
        crate::i18n::check::table(super::ReturningMsg::ALL, &[]);
    }
}
