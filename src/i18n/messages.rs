//! The message table: one line per UI text, zh-CN then English.

use super::Lang;

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A UI text. Its translations are in this table and nowhere else.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        impl Msg {
            /// Every message, for completeness tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// The text in `lang`.
            pub const fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::ZhCn => match self { $(Msg::$key => $zh),* },
                    Lang::En => match self { $(Msg::$key => $en),* },
                }
            }
        }
    };
}

messages! {
    AppName => "雁阵", "Yanzhen";
    AppTagline => "群雁工程 · 村（社区）干部队伍建设", "Flock of Geese · village and community cadres";
    NavHome => "首页", "Home";
    NavRoster => "花名册", "Roster";
    NavLead => "头雁", "Lead geese";
    NavFlock => "群雁", "The flock";
    NavReturning => "归雁", "Returning geese";
    NavYoung => "雏雁", "Young geese";
    NavDashboard => "数据看板", "Dashboard";
    NavSync => "同步状态", "Sync status";
    NavSettings => "设置", "Settings";
    NavLabel => "主导航", "Main navigation";
    SwitchLanguage => "English", "中文";
    SwitchLanguageHint => "切换到英文界面", "Switch to Chinese";

    HomeWelcome => "欢迎使用雁阵", "Welcome to Yanzhen";
    HomeIntro => "村（社区）党组织书记和文书在平板上记录本单位的干部档案，离线也能工作；联网后与镇（街道）和区委组织部自动同步。",
        "Village and community secretaries keep their unit's cadre records on this tablet, offline too; when a connection is available the records sync with the township and the district organisation department.";
    HomeOffice => "本机单位", "This tablet's office";
    HomeOfficeUnset => "尚未设置本机单位，请到“设置”中填写。", "No office set for this tablet yet: fill it in under Settings.";
    HomeModules => "四个模块", "The four modules";

    RosterIntro => "一人一档：本单位“两委”成员和社区工作者的档案、任职和变更记录。",
        "One file per person: the records, posts and change history of the unit's two-committee members and community workers.";
    LeadIntro => "头雁：资格联审、书记备案、年度考核排名、任期承诺与述职评议、集体经济奖励、社区工作者薪酬。",
        "Lead geese: joint qualification review, secretary filing, annual ranking, term commitments and duty reports, collective-economy rewards, community-worker pay.";
    FlockIntro => "群雁：“两委”成员全覆盖培训、社会工作者持证上岗、名师工作室与跟班学习。",
        "The flock: full-coverage training of two-committee members, certified social workers, master studios and shadowing.";
    ReturningIntro => "归雁：荣誉书记与发展顾问的聘任、每月联络、招商线索到资金到村，以及乡村人才。",
        "Returning geese: honorary secretaries and development advisors, monthly contact, investment leads to funds, rural talent.";
    YoungIntro => "雏雁：村级后备干部、社区工作者储备库、“回家工程”和职业发展通道。",
        "Young geese: village reserve cadres, the community-worker reserve pool, the home-coming programme and career paths.";
    DashboardIntro => "数据看板：全区各项指标，均由同步后的档案记录实时计算。",
        "Dashboard: the programme's figures for the district, computed live from the synced records.";
    SyncIntro => "同步状态：本机与服务器的连接情况。", "Sync status: this tablet's connection to the server.";
    ModuleNoRecords => "本机还没有该模块的记录。与服务器同步后，本单位的记录会显示在这里。",
        "This tablet has no records for this module yet. After a sync with the server, the unit's records appear here.";

    SyncNetwork => "网络", "Network";
    SyncOnline => "已联网", "Online";
    SyncOffline => "未联网：修改会先保存在本机，联网后再同步。", "Offline: changes are kept on this tablet and sync when the network is back.";
    SyncServer => "同步服务器", "Sync server";
    SyncServerSameOrigin => "与本页面相同的服务器", "The server this page came from";

    SettingsIntro => "本机的设置只保存在这台平板上。", "These settings are kept on this tablet only.";
    SettingsServerUrl => "同步服务器地址", "Sync server address";
    SettingsServerUrlHint => "留空表示使用打开本页面的服务器，例如 https://yanzhen.example.cn", "Leave empty to use the server this page came from, e.g. https://yanzhen.example.cn";
    SettingsOffice => "本机单位名称", "Office name";
    SettingsOfficeHint => "例如：某某村党总支", "For example: the party branch of a village";
    SettingsLanguage => "界面语言", "Language";
    LangNameZh => "中文（简体）", "Chinese (Simplified)";
    LangNameEn => "英文", "English";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    ErrServerUrl => "服务器地址须以 http://、https://、ws:// 或 wss:// 开头，并包含主机名。", "The server address must start with http://, https://, ws:// or wss:// and name a host.";
    ErrOfficeTooLong => "单位名称不能超过 40 个字。", "The office name can have at most 40 characters.";
    ErrStorage => "无法保存设置：浏览器存储不可用或已满。已保存的设置没有改变。", "Could not save the settings: the browser's storage is unavailable or full. The settings saved before are unchanged.";
    ErrSettingsUnreadable => "本机保存的设置无法读取，已使用默认设置。", "The settings saved on this tablet could not be read; defaults are in use.";

    NotFoundTitle => "找不到该页面", "Page not found";
    NotFoundBody => "地址有误或页面已移动。", "The address is wrong or the page has moved.";
    BackHome => "返回首页", "Back to home";

    UpdateReady => "新版本已下载，下次启动时生效", "A new version has been downloaded and will be used next time you open the app";

    SyncConnection => "连接", "Connection";
    SyncConnConnecting => "正在连接服务器……", "Connecting to the server…";
    SyncConnOffline => "未联网，联网后会自动连接", "Offline: connects by itself when the network is back";
    SyncConnConnected => "已连接服务器", "Connected to the server";
    SyncConnRetrying => "连接中断，将在", "Connection lost, retrying in";
    SyncSecondsLater => "秒后重试", "s";
    SyncRetryNow => "立即重试", "Retry now";
    SyncLastError => "最近的问题", "Last problem";
    SyncNoError => "没有问题", "No problems";
    SyncErrQuota => "本机存储空间已满，最新的修改没能保存到本机。之前保存的记录没有丢失；请清理空间，系统会自动重试。", "This tablet's storage is full, so the latest changes could not be saved on it. Records saved before are not lost; free some space and it retries by itself.";
    SyncErrStorageClosed => "本机数据库已关闭，最新的修改没能保存到本机。之前保存的记录没有丢失；系统会自动重试，若仍失败请刷新页面。", "This tablet's database was closed, so the latest changes could not be saved on it. Records saved before are not lost; it retries by itself, reload the page if it keeps failing.";
    SyncErrStorageUnavailable => "浏览器不允许在本机保存数据，修改无法离线保存。", "The browser does not allow saving data on this tablet, so changes cannot be kept offline.";
    SyncErrStorage => "保存到本机时出错。之前保存的记录没有丢失，系统会自动重试。", "Saving on this tablet failed. Records saved before are not lost; it retries by itself.";
    SyncErrBootstrap => "暂时无法从服务器获取配置，先使用本机已有的数据。", "Could not get the set-up from the server; the data on this tablet is used meanwhile.";
    SyncErrServer => "服务器报告了一个错误。", "The server reported an error.";
    SyncErrDocument => "本机保存的一个文档无法读取，将从服务器重新获取。", "A document saved on this tablet cannot be read; it is fetched from the server again.";
    SyncDocuments => "文档", "Documents";
    SyncColDocument => "文档名称", "Document";
    SyncColLastSync => "最近同步", "Last sync";
    SyncColState => "状态", "State";
    SyncNever => "本次启动后尚未同步", "Not since the app started";
    SyncDocAcked => "服务器已有全部修改", "All changes are on the server";
    SyncDocPending => "有本机修改尚未被服务器确认", "Local changes not yet confirmed by the server";
    SyncDocUnknown => "等待服务器确认", "Waiting for the server";
    SyncDocMissing => "正在从服务器获取", "Being fetched from the server";
    SyncDocUnavailable => "服务器上没有此文档", "The server does not have this document";
    SyncDocUnsaved => "正在保存到本机", "Saving on this tablet";
    SyncDistrictDoc => "区级文档", "District document";
    SyncNoDocuments => "本机还没有文档，连接服务器后会自动获取。", "No documents on this tablet yet; they arrive once the server is reached.";
    SyncUnnamed => "未命名文档", "Unnamed document";

    // Access control: roles, enrolment, refusals (appended by the access work).
    RoleVillage => "村（社区）办公室", "Village or community office";
    RoleTownship => "镇（街道）办公室", "Township or street office";
    RoleAdmin => "区委组织部管理员", "District administrator";
    RoleViewer => "只读查看", "Viewer (read only)";
    AccessRevokedExplain => "管理员已停用本机，本机不再与服务器同步。本机上的数据仍然保留。如需继续使用，请向区委组织部管理员要一个新的注册码，到“设置”中重新注册。", "The administrator has revoked this tablet, so it no longer syncs with the server. The data on it is kept. To go on, ask the district administrator for a new enrolment code and enrol again under Settings.";
    AccessUnknownExplain => "服务器不认识本机（可能换了服务器）。请向管理员要一个新的注册码，到“设置”中重新注册。", "The server does not know this tablet (perhaps the server changed). Ask the administrator for a new enrolment code and enrol again under Settings.";
    AccessMissingExplain => "本机尚未注册，不能同步。", "This tablet is not enrolled, so it cannot sync.";
    EnrolErrCodeShape => "注册码应为 10 位字母和数字（例如 ABCDE-FGHJK），请核对。", "An enrolment code has 10 letters and digits (like ABCDE-FGHJK): please check it.";
    EnrolErrDeviceName => "请给本机起一个名字（不超过 100 个字）。", "Give this tablet a name (at most 100 characters).";
    EnrolTitle => "本机注册", "Enrol this tablet";
    EnrolIntro => "向区委组织部管理员要一个一次性注册码，输入后本机就能与服务器同步。", "Ask the district administrator for a one-time enrolment code; once it is entered, this tablet syncs with the server.";
    EnrolCode => "注册码", "Enrolment code";
    EnrolCodeHint => "例如 ABCDE-FGHJK，大小写、空格和横线都可以", "e.g. ABCDE-FGHJK; case, spaces and dashes do not matter";
    EnrolDeviceName => "本机名称", "Tablet name";
    EnrolDeviceNameHint => "例如 东风村党总支平板", "e.g. Dongfeng village office tablet";
    EnrolSubmit => "注册本机", "Enrol this tablet";
    EnrolBusy => "正在注册……", "Enrolling…";
    EnrolDone => "注册成功，本机开始同步。", "Enrolled: this tablet now syncs.";
    EnrolAgain => "用新的注册码重新注册", "Enrol again with a new code";
    EnrolNetworkError => "无法连接服务器，请检查网络和服务器地址后再试。", "The server cannot be reached: check the network and the server address, then try again.";
    DeviceRole => "本机身份", "This tablet's role";
    DeviceUnit => "所属单位", "Unit";
    DeviceName => "本机名称", "Tablet name";
    DeviceNotEnrolled => "本机尚未注册。", "This tablet is not enrolled yet.";
    DeviceWholeDistrict => "全区", "The whole district";
    SyncConnNotEnrolled => "本机尚未注册，还不能同步", "Not enrolled yet: this tablet cannot sync";
    SyncNotEnrolledHowTo => "请向区委组织部管理员要一个注册码，然后在“设置”页面的“本机注册”中输入注册码和本机名称。注册前，本机的数据只保存在本机。", "Ask the district administrator for an enrolment code, then enter it with a name for this tablet under Settings → Enrol this tablet. Until then, data stays on this tablet only.";
    SyncConnRefused => "服务器不再接受本机，已停止同步", "The server no longer accepts this tablet: syncing stopped";
    SyncGoToSettings => "去“设置”", "Go to Settings";
    SyncDocReadOnly => "只读", "Read only";
    SyncDocReadOnlyEdits => "本机修改只保存在本机（本机只有查看权限，服务器不接受）", "Edits kept on this tablet only (read-only here: the server does not take them)";
    SyncReadOnlyNotice => "有的文档本机只能查看，但本机上对它做了修改。这些修改保存在本机，不会丢失，但不会同步到服务器。如需修改，请联系有权限的单位。", "Some documents are read-only on this tablet, yet were edited here. Those edits are kept on this tablet and not lost, but they do not sync to the server. Ask an office that may edit them.";
    HomeDevice => "本机身份", "This tablet";
    NavAdmin => "管理", "Admin";
    AdminIntro => "为各单位发放一次性注册码，查看已注册的设备，停用丢失或不再使用的设备。", "Issue one-time enrolment codes to offices, see enrolled tablets, and revoke lost or retired ones.";
    AdminIssueTitle => "发放注册码", "Issue an enrolment code";
    AdminRole => "身份", "Role";
    AdminUnit => "单位", "Unit";
    AdminUnitPick => "请选择单位", "Choose a unit";
    AdminExpiry => "有效期", "Valid for";
    AdminHours24 => "1 天", "1 day";
    AdminHours72 => "3 天", "3 days";
    AdminHours168 => "7 天", "7 days";
    AdminIssue => "生成注册码", "Issue code";
    AdminCodeTitle => "注册码（只显示这一次，请念给对方或抄下来）", "Enrolment code (shown only now: read it out or write it down)";
    AdminCodeExpires => "有效至", "Valid until";
    AdminErrUnit => "请选择这个注册码所属的单位。", "Choose the unit this code is for.";
    AdminDevicesTitle => "已注册的设备", "Enrolled tablets";
    AdminColName => "名称", "Name";
    AdminColCreated => "注册时间", "Enrolled";
    AdminColLastSeen => "最近联系", "Last seen";
    AdminColStatus => "状态", "Status";
    AdminActive => "使用中", "Active";
    AdminRevoked => "已停用", "Revoked";
    AdminNever => "从未", "Never";
    AdminRevoke => "停用", "Revoke";
    AdminRevokeConfirm => "确定停用这台设备吗？停用后它立即断开，不能再同步。", "Revoke this tablet? It is disconnected at once and cannot sync any more.";
    AdminRevokeYes => "确定停用", "Yes, revoke";
    AdminCancel => "取消", "Cancel";
    AdminRefresh => "刷新", "Refresh";
    AdminNoDevices => "还没有注册的设备。", "No tablets enrolled yet.";
    AdminErrLoad => "无法从服务器读取，请检查网络后点“刷新”。", "Could not read from the server: check the network and tap Refresh.";
    FileTitle => "同步文件（无网络时使用）", "Sync file (when there is no network)";
    FileIntro => "没有网络时，可以把本机的数据导出成一个同步文件，用U盘或微信带给另一台平板导入；导入后的修改会保存在那台平板上，联网后再同步到服务器。", "With no network, export this tablet's data as a sync file and take it to another tablet (USB stick, messenger) to import there; the changes are kept on that tablet and sync to the server once it is online.";
    FileExport => "导出同步文件", "Export sync file";
    FileExportReady => "文件已生成，点下面的链接保存：", "The file is ready: tap the link below to save it:";
    FileDownload => "保存同步文件", "Save sync file";
    FileNoDocs => "本机还没有可以导出的文档。", "There are no documents on this tablet to export yet.";
    FileImport => "导入同步文件", "Import sync file";
    FileChoose => "选择一个 .yanzhen 文件", "Choose a .yanzhen file";
    FilePreviewTitle => "这个文件会带来以下修改：", "This file brings these changes:";
    FileFrom => "导出自", "Exported from";
    FileColChanges => "文件中的修改", "Changes in the file";
    FileColNew => "本机还没有的修改", "New to this tablet";
    FileApply => "确认导入", "Import";
    FileNothingNew => "文件里的修改本机都已经有了，导入不会改变任何内容。", "This tablet already has every change in the file: importing changes nothing.";
    FileImported => "已导入，修改已保存在本机，联网后会同步到服务器。", "Imported: the changes are saved on this tablet and sync to the server once it is online.";
    FileSkipped => "不属于本机的文档，不会导入", "Not a document of this tablet: not imported";
    FileReadError => "无法读取所选的文件。", "The chosen file cannot be read.";
    FileWaiting => "有些修改要依赖更早的同步文件：请先导入更早的文件，再把这个文件导入一次。", "Some changes depend on an earlier sync file: import the earlier file first, then this one again.";
    AdminThisTablet => "本机（不能停用自己）", "This tablet (cannot revoke itself)";
    DeviceCardTitle => "本机注册信息", "This tablet's enrolment";
    // (end of access-control messages)

    RosterUnit => "单位", "Unit";
    RosterPickUnit => "请选择单位", "Choose a unit";
    RosterNoUnits => "本机还没有任何村（社区）的档案。连接服务器同步后，可选择的单位会显示在这里。", "This tablet has no village or community records yet. After a sync with the server, the units appear here.";
    RosterLoading => "正在读取本单位的档案……", "Reading the unit's records…";
    RosterSearch => "搜索", "Search";
    RosterSearchHint => "姓名、拼音或拼音首字母，如 wxl", "Name, pinyin or pinyin initials, e.g. wxl";
    RosterAllPosts => "全部职务", "All posts";
    RosterAllStatuses => "全部状态", "Any status";
    RosterCount => "人", "people";
    RosterNoPeople => "本单位还没有人员档案。点“新增人员”添加第一位。", "This unit has no person files yet. Tap “Add a person” to add the first.";
    RosterNoMatch => "没有符合条件的人员，请换个关键字或筛选条件。", "Nobody matches: try another name or filter.";
    RosterAddPerson => "新增人员", "Add a person";
    RosterNoPost => "无现任职务", "No current post";
    PersonNewTitle => "新增人员档案", "New person file";
    PersonBack => "返回花名册", "Back to the roster";
    PersonNotFound => "找不到这份档案，可能尚未同步到本机。", "This file is not on this tablet, perhaps not synced yet.";
    PersonBasics => "基本信息", "Personal details";
    PersonEducation => "学历学位", "Education";
    PersonWork => "工作情况", "Work";
    IdReveal => "显示完整号码", "Show the full number";
    IdHide => "隐藏号码", "Hide the number";
    IdEmpty => "未采集", "Not collected yet";
    FieldName => "姓名", "Name";
    FieldSex => "性别", "Sex";
    FieldEthnicity => "民族", "Ethnicity";
    FieldBirthDate => "出生年月", "Date of birth";
    FieldNativePlace => "籍贯", "Native place";
    FieldIdNumber => "身份证号", "Resident ID number";
    FieldPolitical => "政治面貌", "Political status";
    FieldPartyJoin => "入党时间", "Joined the Party";
    FieldWorkStart => "参加工作时间", "Started work";
    FieldEduFullTime => "全日制学历", "Full-time education";
    FieldEduInService => "在职学历", "In-service education";
    FieldProfTitle => "专业技术职称/资格", "Professional title or qualification";
    FieldPhone => "联系电话", "Mobile number";
    FieldResidence => "现居住地", "Lives in";
    FieldWorkUnit => "工作单位", "Works in";
    FieldCategory => "人员类别", "Group";
    FieldStatus => "状态", "Status";
    FieldResume => "简历", "Résumé";
    FieldRewards => "奖惩", "Rewards and penalties";
    EduLevel => "学历", "Level";
    EduDegree => "学位", "Degree";
    EduSchool => "毕业院校", "School";
    EduMajor => "专业", "Subject";
    EduNone => "无", "None";
    ResumeFrom => "起始年月", "From";
    ResumeTo => "截止年月（空表示至今）", "To (empty: until now)";
    ResumeText => "所在单位及职务", "Where and what";
    ResumeAdd => "添加一行简历", "Add a résumé row";
    RowRemove => "删除此行", "Remove this row";
    RewardDate => "日期", "Date";
    RewardIsReward => "奖励", "Reward";
    RewardIsPunishment => "惩处", "Penalty";
    RewardText => "内容", "What";
    RewardAdd => "添加奖惩", "Add a reward or penalty";
    SexMale => "男", "Male";
    SexFemale => "女", "Female";
    PolParty => "中共党员", "CPC member";
    PolProbationary => "中共预备党员", "CPC probationary member";
    PolLeague => "共青团员", "Youth League member";
    PolNonParty => "民主党派或无党派人士", "Other party or non-party";
    PolMasses => "群众", "No affiliation";
    CatTwoCommittee => "“两委”成员", "Two-committee member";
    CatCommunityWorker => "社区工作者", "Community worker";
    CatOther => "其他人员", "Other staff";
    StatusActive => "在岗", "In post";
    StatusLeft => "已离职", "Left";
    StatusMovedOut => "已调出", "Moved to another unit";
    EduPrimary => "小学", "Primary school";
    EduJuniorHigh => "初中", "Junior high school";
    EduSeniorHigh => "高中", "Senior high school";
    EduVocational => "中专或职高", "Vocational school";
    EduCollege => "大专", "College";
    EduBachelor => "大学本科", "Bachelor";
    EduMaster => "硕士研究生", "Master";
    EduDoctor => "博士研究生", "Doctorate";
    PostSecretary => "党组织书记", "Party secretary";
    PostDeputySecretary => "党组织副书记", "Deputy party secretary";
    PostDirector => "村（居）委会主任", "Committee director";
    PostDeputyDirector => "村（居）委会副主任", "Deputy committee director";
    PostCommitteeMember => "委员", "Committee member";
    PostOther => "其他职务", "Other post";
    HowElection => "选举产生", "Elected";
    HowByElection => "补选产生", "By-election";
    HowAppointment => "任命", "Appointed";
    HowOther => "其他方式", "Other";
    PersonSave => "保存档案", "Save the file";
    PersonSaving => "正在保存到本机……", "Saving on this tablet…";
    PersonSavedLocal => "已保存到本机", "Saved on this tablet";
    PersonFixErrors => "请按红字提示修改，档案还没有保存。", "Please fix what is marked in red: nothing has been saved yet.";
    PersonWriteFailed => "无法写入：本单位的文档还没有读到本机。", "Cannot write: the unit's document is not on this tablet yet.";
    PostsTitle => "任职情况", "Posts";
    PostNone => "暂无任职记录", "No posts recorded";
    PostTitleLabel => "职务", "Post";
    PostStart => "任职时间", "Took office";
    PostEnd => "离任时间（空表示现任）", "Left office (empty: holds it now)";
    PostCurrent => "至今", "now";
    PostHow => "产生方式", "How obtained";
    PostConcurrent => "一肩挑（书记兼任主任）", "Secretary is also the director";
    PostAdd => "添加职务", "Add a post";
    PostSaveNew => "保存职务", "Save the post";
    HistoryTitle => "变更记录", "Change history";
    HistoryNone => "暂无变更记录", "No changes recorded";
    HistoryHint => "点一行，查看那次修改后的档案。", "Tap a row to see the file as it was after that change.";
    HistoryAllFields => "全部项目", "every field";
    HistoryAsOf => "此次修改后的档案", "The file after this change";
    HistoryClose => "关闭", "Close";
    HistoryUnknown => "未记录", "not recorded";
    OpInit => "建档", "Created the document";
    OpImport => "导入", "Imported";
    OpCreate => "新建", "Created";
    OpUpdate => "修改", "Changed";
    OpRemove => "删除", "Removed";
    OpResolve => "处理冲突", "Resolved a conflict";
    OpMigrate => "升级格式", "Upgraded";
    ConflictsTitle => "待处理的冲突", "Conflicts to resolve";
    ConflictsIntro => "以下项目在两台平板上被同时修改，请选择保留哪个值。", "These fields were changed on two tablets at once: choose the value to keep.";
    ConflictKeep => "保留此值", "Keep this value";
    ConflictUnknownWriter => "未知设备", "Unknown tablet";
    ConflictEmpty => "（空）", "(empty)";
    DeviceLabel => "设备", "Tablet";
}
