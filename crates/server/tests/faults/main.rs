//! Fault and abuse tests (`yanzhen_testkit::chaos`): SIGKILL of the real
//! binary mid-storm (`fault_kill`), a cutting and flapping link
//! (`fault_flap`), hostile messages (`fault_hostile`), access refusals
//! logged and nothing leaked (`fault_access`), one of two server nodes
//! behind HAProxy killed mid-storm (`fault_failover`). One test binary, a module
//! per fault; `cargo xtask soak` runs `fault_access` and `fault_hostile`
//! by filter. The long versions are `loadgen kill|flap|load`.

mod fault_access;
mod fault_failover;
mod fault_flap;
mod fault_hostile;
mod fault_kill;
