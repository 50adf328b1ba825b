//! The manual page, in roff.

use std::io::{self, Write};

use clap::CommandFactory;

use super::args::Cli;

/// One manual page: the options, every subcommand with its own options, and the
/// explorer's keys (clap_mangen alone would point at an annals-search(1) and so on,
/// which do not exist).
pub(super) fn manual(w: &mut impl Write) -> io::Result<()> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    writeln!(w, ".SH COMMANDS")?;
    for sub in cmd.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = format!("annals {}", sub.get_name());
        let sub = clap_mangen::Man::new(sub.clone().bin_name(name.clone()));
        writeln!(w, ".SS \"{name}\"")?;
        let mut part = Vec::new();
        sub.render_synopsis_section(&mut part)?;
        sub.render_description_section(&mut part)?;
        sub.render_options_section(&mut part)?;
        // Their own section headings would split the page: each becomes a paragraph.
        for line in String::from_utf8_lossy(&part).lines() {
            writeln!(
                w,
                "{}",
                if line.starts_with(".SH ") {
                    ".PP"
                } else {
                    line
                }
            )?;
        }
    }
    writeln!(w, ".SH KEYS")?;
    writeln!(w, "In the explorer (the same table as the help screen, ?):")?;
    let mut context = None;
    for b in crate::explorer::keys::BINDINGS {
        if context != Some(b.context) {
            context = Some(b.context);
            writeln!(w, ".SS \"{}\"", b.context.title())?;
        }
        let keys: Vec<String> = b.keys.iter().map(|k| k.name()).collect();
        writeln!(w, ".TP\n\\fB{}\\fR", roff_text(&keys.join(" ")))?;
        writeln!(w, "{}", roff_text(b.help))?;
    }
    man.render_extra_section(w)?;
    man.render_version_section(w)
}

/// Text safe in a roff line: backslashes doubled, hyphens as minus signs, and a
/// leading dot or quote kept from being read as a request.
fn roff_text(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}
