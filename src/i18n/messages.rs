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
}
