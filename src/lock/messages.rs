//! Messages of the lock: the office PIN at enrolment, the unlock screen,
//! auto-lock settings, changing the PIN, and the wiped-tablet screen.

use crate::i18n::message_table;

message_table! {
    /// A UI text of the lock (personal data at rest).
    LockMsg;

    PinLabel => "办公室 PIN 码（6–12 位数字）", "Office PIN (6–12 digits)";
    PinAgainLabel => "再输一次 PIN 码", "The PIN again";
    PinIntro => "本平板上的人员档案会用这个 PIN 码加密保存。每次打开应用、或一段时间不操作后，都要输入它。请告诉办公室里用这台平板的同事，不要写在平板上。", "The records on this tablet are kept encrypted with this PIN. It is asked for each time the app opens and after a while without use. Tell the colleagues who use this tablet; do not write it on the tablet.";
    PinErrEmpty => "请输入 PIN 码。", "Enter a PIN.";
    PinErrNotDigits => "PIN 码只能是数字。", "The PIN may only hold digits.";
    PinErrTooShort => "PIN 码至少要 6 位数字。", "The PIN needs at least 6 digits.";
    PinErrTooLong => "PIN 码最多 12 位数字。", "The PIN may have at most 12 digits.";
    PinErrGuessable => "这个 PIN 码太容易被猜到（同一个数字、顺序或交替的数字），请换一个。", "This PIN is too easy to guess (one digit repeated, a run or two digits alternating); choose another.";
    PinErrDiffer => "两次输入的 PIN 码不一样。", "The two PINs differ.";
    PinErrCrypto => "这个浏览器无法加密数据（需要 HTTPS 或本机地址），未做任何更改。", "This browser cannot encrypt the data (it needs HTTPS or a local address); nothing was changed.";
    PinErrStorage => "无法在本平板上保存 PIN 设置，未做任何更改。", "The PIN setting could not be kept on this tablet; nothing was changed.";

    UnlockTitle => "平板已锁定", "This tablet is locked";
    UnlockIntro => "本平板上的人员档案已加密。请输入办公室 PIN 码解锁。", "The records on this tablet are encrypted. Enter the office PIN to unlock.";
    UnlockPin => "PIN 码", "PIN";
    UnlockSubmit => "解锁", "Unlock";
    UnlockBusy => "正在解锁…", "Unlocking…";
    UnlockWrong => "PIN 不正确", "Wrong PIN";
    UnlockWait => "PIN 连续输错太多次，请等待后再试。剩余秒数：", "Too many wrong PINs in a row; wait before trying again. Seconds left: ";
    UnlockBroken => "本平板的锁定记录已损坏，无法解锁。请联系区委组织部管理员。", "This tablet's lock record is damaged and cannot be unlocked. Ask the district administrator.";

    SetPinTitle => "请设置办公室 PIN 码", "Set the office PIN";
    SetPinIntro => "这次更新后，本平板上的人员档案要加密保存。请设置一个办公室 PIN 码，以后打开应用时输入。", "Since this update the records on this tablet are kept encrypted. Set an office PIN to type when the app opens.";
    SetPinSubmit => "设置并加密", "Set and encrypt";

    LockNow => "锁定", "Lock";
    LockNowTitle => "锁定本平板（保存完成后）", "Lock this tablet (after saving)";
    Locking => "正在保存并锁定…", "Saving, then locking…";

    SettingsTitle => "锁定与 PIN 码", "Lock and PIN";
    LockAfterLabel => "多久不操作后自动锁定", "Lock automatically after no use for";
    Minutes1 => "1 分钟", "1 minute";
    Minutes5 => "5 分钟", "5 minutes";
    Minutes10 => "10 分钟", "10 minutes";
    Minutes30 => "30 分钟", "30 minutes";
    LockAfterSaved => "已保存", "Saved";
    ChangePinTitle => "修改 PIN 码", "Change the PIN";
    OldPinLabel => "原 PIN 码", "Current PIN";
    NewPinLabel => "新 PIN 码（6–12 位数字）", "New PIN (6–12 digits)";
    NewPinAgainLabel => "再输一次新 PIN 码", "The new PIN again";
    ChangePinSubmit => "修改 PIN 码", "Change the PIN";
    ChangePinDone => "PIN 码已修改。", "The PIN is changed.";
    ChangePinWrongOld => "原 PIN 码不正确，PIN 码没有修改。", "The current PIN is wrong; the PIN is not changed.";
    NoLock => "本平板还没有注册，没有 PIN 码。注册时会设置。", "This tablet is not enrolled and has no PIN yet; it is set when enrolling.";

    WipedTitle => "本平板已被停用，本机数据已清除", "This tablet was withdrawn and its data erased";
    WipedWhy => "区委组织部已停用这台平板（例如平板丢失、转交他人或不再使用）。为保护群众和干部的个人信息，本平板上的所有档案都已删除。", "The district organisation department withdrew this tablet (for example because it was lost, handed on or no longer used). To protect people's personal data, all records on this tablet have been erased.";
    WipedNext => "如需继续使用，请向区委组织部管理员要一个新的注册码，再到“设置”中注册。服务器上的档案没有受影响。", "To go on, ask the district administrator for a new enrolment code and enrol under Settings. The records on the server are not affected.";
    WipedUnsynced => "注意：本平板上还有未同步到服务器的修改，也随之删除了。如需补录，请与区委组织部联系。", "Note: this tablet held edits the server had not received yet; they were erased too. Ask the district organisation department how to enter them again.";
    WipedErasing => "正在清除本机数据…", "Erasing the data on this tablet…";
    WipedDone => "本机数据已全部清除。", "All data on this tablet is erased.";
    WipedAt => "时间：", "When: ";
    WipedOk => "知道了", "Understood";

    EnrolAgainTitle => "本平板需要重新注册", "This tablet must be enrolled again";
    EnrolAgainWhy => "本平板的锁定记录不见了或已损坏。没有它，本机加密保存的档案和注册信息再也无法打开，输入新的 PIN 码也不行。", "This tablet's lock record is missing or damaged. Without it the records and the enrolment kept encrypted on this tablet can never be opened again, not with a new PIN either.";
    EnrolAgainNext => "请向区委组织部管理员要一个新的注册码。点下面的按钮会清除本机这些无法读取的数据（服务器上的档案不受影响，尚未同步的修改已无法找回），然后到“设置”中用新注册码重新注册。", "Ask the district administrator for a new enrolment code. The button below erases the unreadable data on this tablet (the records on the server are not affected; edits not yet synced cannot be recovered), then enrol again under Settings with the new code.";
    EnrolAgainErase => "清除并重新注册", "Erase and enrol again";
    EnrolAgainErasing => "正在清除…", "Erasing…";
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_has_both_languages_in_chinese_first() {
        crate::i18n::check::table(super::LockMsg::ALL, &[]);
    }
}
