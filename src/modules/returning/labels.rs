//! The words for the model's 归雁 enums (appointment kinds, contact kinds,
//! lead stages, talent-exchange kinds) and for a contact-duty status.

use yanzhen_model::entities::{AppointmentKind, ContactKind, ExchangeKind, LeadStage};

use crate::modules::returning::messages::ReturningMsg as M;

/// 荣誉书记 / 发展顾问.
pub fn appointment_kind(k: AppointmentKind) -> M {
    match k {
        AppointmentKind::HonorarySecretary => M::KindHonorary,
        AppointmentKind::DevelopmentAdvisor => M::KindAdvisor,
    }
}

/// 恳谈 / 节日问候 / 拜访亲属.
pub fn contact_kind(k: ContactKind) -> M {
    match k {
        ContactKind::Talk => M::ContactTalk,
        ContactKind::HolidayGreeting => M::ContactGreeting,
        ContactKind::RelativesVisit => M::ContactVisit,
    }
}

/// 线索 / 实地考察 / 项目落地 / 资金到位.
pub fn lead_stage(s: LeadStage) -> M {
    match s {
        LeadStage::Lead => M::StageLead,
        LeadStage::Visited => M::StageVisited,
        LeadStage::Project => M::StageProject,
        LeadStage::FundsArrived => M::StageFunds,
    }
}

/// The button that moves a lead to stage `s`.
pub fn advance_to(s: LeadStage) -> M {
    match s {
        LeadStage::Lead => M::StageLead,
        LeadStage::Visited => M::AdvanceToVisited,
        LeadStage::Project => M::AdvanceToProject,
        LeadStage::FundsArrived => M::AdvanceToFunds,
    }
}

/// 城乡学校结对 / 交流教师 / 医务人员培训 / 科技特派员 / 农业示范户.
pub fn exchange_kind(k: ExchangeKind) -> M {
    match k {
        ExchangeKind::SchoolPair => M::ExSchoolPair,
        ExchangeKind::Teacher => M::ExTeacher,
        ExchangeKind::MedicalTraining => M::ExMedical,
        ExchangeKind::TechCommissioner => M::ExTech,
        ExchangeKind::DemoHousehold => M::ExHousehold,
    }
}

/// A stable machine name of a value, for `data-*` attributes and tests.
pub fn slug<T: std::fmt::Debug>(v: T) -> String {
    format!("{v:?}")
}
