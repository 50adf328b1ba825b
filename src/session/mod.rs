//! Terminal sessions: where the explorer meets a terminal. The explorer itself
//! (`app`, `ui`, `keys`) does no I/O; a session reads the terminal's bytes, draws
//! frames into it, and carries out the effects the explorer asks for.

pub mod compact;
pub mod filter_pool;
pub mod input;
pub(crate) mod job;
pub mod local;
pub mod run_loop;
pub mod ssh;
