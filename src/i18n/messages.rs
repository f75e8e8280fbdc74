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
}
