//! 头雁 (lead geese): 资格联审 and 备案 ([`review`]), 考核, 承诺, 集体经济 and 薪酬 ([`rank`]),
//! their words ([`messages`]), screens and view pieces.

pub mod components;
pub mod messages;
pub mod pages;
pub mod rank;
pub mod review;
