//! The view pieces of 头雁's screens, one component per file.

pub mod economy_compute;
pub mod economy_pay_form;
pub mod economy_pay_table;
pub mod economy_policy;
pub mod economy_policy_form;
pub mod economy_ranking;
pub mod filing_table;
pub mod filing_todo;
pub mod rank_adjust_case;
pub mod rank_adjust_done;
pub mod rank_adjust_form;
pub mod rank_adjust_pending;
pub mod rank_detail;
pub mod rank_locked;
pub mod rank_progress_bar;
pub mod rank_score_form;
pub mod rank_table;
pub mod review_batches;
pub mod review_candidate;
pub mod review_candidates;
pub mod review_nominate;
pub mod review_nomination_cells;
pub mod review_queue;
