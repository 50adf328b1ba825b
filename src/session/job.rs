//! Unix job control, for suspending the explorer the way Ctrl-z suspends a shell
//! command: the whole job stops, and the shell that started it gets the terminal.

/// Whether a shell with job control is there to resume the explorer after a stop.
/// POSIX calls a process group without one "orphaned": the kernel drops a stop
/// signal sent to it, and a group stopped some other way would stay stopped for
/// good. The group is not orphaned when its first ancestor outside the group is
/// in the same session (the shell that put the job in the foreground).
pub fn has_job_control() -> bool {
    // SAFETY: these calls only read process ids.
    let (me, group, session) = unsafe { (libc::getpid(), libc::getpgrp(), libc::getsid(0)) };
    if me == session {
        // The session's leader: started by a terminal or tmux, not by a shell.
        return false;
    }
    // SAFETY: as above.
    let mut pid = unsafe { libc::getppid() };
    // Wrappers (`sh -c`, `cargo run`) share the group: look past them.
    for _ in 0..32 {
        // 0: a parent outside our PID namespace. (A shell may be PID 1 itself, in a
        // container: it counts like any other, by its group and session.)
        if pid <= 0 {
            return false;
        }
        // SAFETY: as above; an id that is gone gives -1, which matches nothing.
        let (their_group, their_session) = unsafe { (libc::getpgid(pid), libc::getsid(pid)) };
        if their_group != group {
            return their_session == session;
        }
        match parent_of(pid) {
            Some(parent) => pid = parent,
            // No /proc to ask: not a session leader, so most likely a shell's job.
            None => return true,
        }
    }
    false
}

/// The parent of `pid`, from /proc.
fn parent_of(pid: libc::pid_t) -> Option<libc::pid_t> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parent_in_stat(&stat)
}

/// The parent id in a /proc/PID/stat line: "pid (name) state ppid …". The name
/// may hold spaces and parentheses, so the fields are counted after its last ')'.
fn parent_in_stat(stat: &str) -> Option<libc::pid_t> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Stops the whole job with SIGTSTP, as the terminal's Ctrl-z would, and returns
/// once it is continued (`fg`). The explorer's own SIGTSTP handler is set aside
/// meanwhile, so that the signal stops this process too.
pub fn stop_job() {
    // SAFETY: sigaction with zeroed structs (an empty mask, no flags) and SIG_DFL
    // is a valid call; the old action is put back exactly as it was.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut saved: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGTSTP, &default, &mut saved);
        // The stop takes effect before kill returns to this thread.
        libc::kill(0, libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &saved, std::ptr::null_mut());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_is_read_after_the_command_name() {
        assert_eq!(parent_in_stat("42 (annals) S 7 42 42 0"), Some(7));
        assert_eq!(parent_in_stat("42 (a) b (c) R 9 42 42"), Some(9));
        assert_eq!(parent_in_stat("garbage"), None);
    }
}
