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

use std::io::{self, Write};

use crossterm::cursor;
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
use crossterm::execute;
use crossterm::style::{Attribute, Print, SetAttribute};
use crossterm::terminal::{EndSynchronizedUpdate, LeaveAlternateScreen};

/// Puts a terminal back as the explorer found it, local or a visitor's. A frame
/// cut short (a panic mid-write) may leave a sequence open: CAN ends it, then the
/// update and the colours are closed, the mouse and paste modes turned off, and
/// the alternate screen left with the cursor shown.
pub(crate) fn leave_screen(out: &mut impl Write) -> io::Result<()> {
    execute!(
        out,
        Print("\x18"),
        EndSynchronizedUpdate,
        SetAttribute(Attribute::Reset),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    )
}
