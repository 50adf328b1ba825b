//! Styles, with and without colour.

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

/// Styles. Without colour, every state is shown through modifiers and symbols.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    pub(super) fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub(super) fn matched(&self) -> Style {
        self.fg(Color::Red)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub(super) fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub(super) fn date(&self) -> Style {
        self.fg(Color::Green)
    }
    pub(super) fn tag(&self) -> Style {
        if self.color {
            self.fg(Color::Magenta)
        } else {
            Style::new().add_modifier(Modifier::ITALIC)
        }
    }
    pub(super) fn quote(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub(super) fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    /// A doubt about a quote: it must not read as part of the quote.
    pub(super) fn caveat(&self) -> Style {
        if self.color {
            self.fg(Color::Yellow).add_modifier(Modifier::ITALIC)
        } else {
            Style::new().add_modifier(Modifier::ITALIC | Modifier::BOLD)
        }
    }
    pub(super) fn border(&self, focused: bool) -> (Style, BorderType) {
        if focused {
            (
                self.fg(Color::Green).add_modifier(Modifier::BOLD),
                BorderType::Thick,
            )
        } else {
            (Style::new(), BorderType::Plain)
        }
    }
}
