//! The one key table. The event loop dispatches on it and the help screen is
//! drawn from it, so the two cannot disagree.

use terminput::{KeyCode, KeyEvent, KeyModifiers};

use crate::explorer::app::{Action, Mode};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// In the list and in the article.
    Browse,
    List,
    Article,
    Filter,
    Picker,
    /// On the help screen.
    Help,
    /// Everywhere, even while typing.
    Always,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Browse => "Browsing",
            Context::List => "Chronology",
            Context::Article => "Article",
            Context::Filter => "Filter (typing)",
            Context::Picker => "Pickers",
            Context::Help => "Help screen",
            Context::Always => "Anywhere",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CTRL,
    }
}
const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}
const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

impl Key {
    /// How a key is written on screen: "j", "Ctrl-d", "PgDn", "Space".
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CTRL) {
            format!("Ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::SHIFT) {
            format!("Shift-{base}")
        } else {
            base
        }
    }
}

impl Binding {
    /// Every key of the binding, as the help screen and hints write them.
    pub fn label(&self) -> String {
        self.keys
            .iter()
            .map(Key::name)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        help,
    }
}

use Context::*;
use KeyCode::*;

pub static BINDINGS: &[Binding] = &[
    bind(Always, &[ctrl('c')], Action::Quit, "quit"),
    bind(
        Always,
        &[ctrl('z')],
        Action::Suspend,
        "suspend (fg comes back)",
    ),
    bind(Browse, &[k('q')], Action::Quit, "quit"),
    bind(Browse, &[k('?'), code(F(1))], Action::ToggleHelp, "help"),
    bind(Browse, &[k('/')], Action::OpenFilter, "filter"),
    bind(Browse, &[k('a')], Action::OpenActorPicker, "pick actors"),
    bind(Browse, &[k('t')], Action::OpenTopicPicker, "pick topics"),
    bind(Browse, &[k('p')], Action::OpenGroupPicker, "pick groups"),
    bind(Browse, &[k('y')], Action::CopyCitation, "copy citation"),
    bind(
        Browse,
        &[k('Y')],
        Action::CopyMarkdown,
        "copy citation, Markdown",
    ),
    bind(
        Browse,
        &[code(Tab), shift(Tab)],
        Action::ToggleFocus,
        "switch pane",
    ),
    bind(Browse, &[k(']')], Action::NextSource, "next source"),
    bind(Browse, &[k('[')], Action::PrevSource, "previous source"),
    bind(Browse, &[k('m')], Action::ToggleMouse, "mouse on/off"),
    bind(Browse, &[code(Esc)], Action::Back, "back / clear filter"),
    bind(List, &[code(Down), k('j')], Action::Down, "next event"),
    bind(List, &[code(Up), k('k')], Action::Up, "previous event"),
    bind(
        List,
        &[code(PageDown), ctrl('f')],
        Action::PageDown,
        "page down",
    ),
    bind(List, &[code(PageUp), ctrl('b')], Action::PageUp, "page up"),
    bind(List, &[ctrl('d')], Action::HalfPageDown, "half page down"),
    bind(List, &[ctrl('u')], Action::HalfPageUp, "half page up"),
    bind(List, &[code(Home), k('g')], Action::Top, "first event"),
    bind(List, &[code(End), k('G')], Action::Bottom, "last event"),
    bind(List, &[k('}')], Action::NextYear, "next year"),
    bind(List, &[k('{')], Action::PrevYear, "previous year"),
    bind(
        List,
        &[code(Enter), code(Right), k('l')],
        Action::OpenArticle,
        "read the article",
    ),
    bind(Article, &[code(Down), k('j')], Action::Down, "scroll down"),
    bind(Article, &[code(Up), k('k')], Action::Up, "scroll up"),
    bind(
        Article,
        &[code(PageDown), k(' ')],
        Action::PageDown,
        "page down",
    ),
    bind(Article, &[code(PageUp)], Action::PageUp, "page up"),
    bind(
        Article,
        &[ctrl('d')],
        Action::HalfPageDown,
        "half page down",
    ),
    bind(Article, &[ctrl('u')], Action::HalfPageUp, "half page up"),
    bind(
        Article,
        &[code(Home), k('g')],
        Action::Top,
        "top of the pane",
    ),
    bind(
        Article,
        &[code(End), k('G')],
        Action::Bottom,
        "end of the article",
    ),
    bind(Article, &[k('n')], Action::ShowQuote, "back to the quote"),
    bind(
        Article,
        &[code(Left), k('h'), code(Enter)],
        Action::Back,
        "back to the list",
    ),
    bind(Filter, &[code(Enter)], Action::Accept, "keep the filter"),
    bind(Filter, &[code(Esc)], Action::Back, "clear the filter"),
    bind(
        Filter,
        &[code(Backspace)],
        Action::Backspace,
        "delete a character",
    ),
    bind(Filter, &[ctrl('w')], Action::DeleteWord, "delete a word"),
    bind(Filter, &[ctrl('u')], Action::ClearInput, "clear the line"),
    bind(
        Filter,
        &[code(Down), ctrl('n')],
        Action::Down,
        "move in the list",
    ),
    bind(
        Filter,
        &[code(Up), ctrl('p')],
        Action::Up,
        "move in the list",
    ),
    bind(
        Picker,
        &[code(Enter), code(Tab)],
        Action::PickerToggle,
        "pick / unpick",
    ),
    bind(Picker, &[code(Down), ctrl('n')], Action::Down, "next entry"),
    bind(Picker, &[code(Up), ctrl('p')], Action::Up, "previous entry"),
    bind(
        Picker,
        &[code(Backspace)],
        Action::Backspace,
        "delete a character",
    ),
    bind(Picker, &[ctrl('u')], Action::ClearInput, "clear the line"),
    bind(Picker, &[ctrl('x')], Action::PickerClear, "unpick all"),
    bind(Picker, &[code(Esc)], Action::Back, "close the picker"),
    bind(Help, &[code(Down), k('j')], Action::Down, "scroll down"),
    bind(Help, &[code(Up), k('k')], Action::Up, "scroll up"),
    bind(
        Help,
        &[code(PageDown), k(' ')],
        Action::PageDown,
        "page down",
    ),
    bind(Help, &[code(PageUp)], Action::PageUp, "page up"),
];

impl Key {
    /// SHIFT is already in the code of a capital letter, and terminals differ on
    /// whether they report it too, so it is not compared (Shift-Tab is Tab).
    fn matches(&self, ev: &KeyEvent) -> bool {
        self.code == ev.code
            && ev.modifiers - KeyModifiers::SHIFT == self.mods - KeyModifiers::SHIFT
    }
}

fn contexts(mode: &Mode) -> &'static [Context] {
    match mode {
        Mode::Browse { article: false } => &[List, Browse, Always],
        Mode::Browse { article: true } => &[Article, Browse, Always],
        Mode::Filter => &[Filter, Always],
        Mode::Picker(_) => &[Picker, Always],
        Mode::Help => &[Help, Always],
    }
}

/// The action for a key in a mode. Typing modes turn unbound characters into input.
pub fn action_for(mode: &Mode, ev: &KeyEvent) -> Option<Action> {
    for ctx in contexts(mode) {
        if let Some(b) = BINDINGS
            .iter()
            .find(|b| b.context == *ctx && b.keys.iter().any(|k| k.matches(ev)))
        {
            return Some(b.action.clone());
        }
    }
    match (mode, ev.code) {
        // Any other key closes the help screen.
        (Mode::Help, _) => Some(Action::ToggleHelp),
        (Mode::Filter | Mode::Picker(_), KeyCode::Char(c))
            if !ev
                .modifiers
                .intersects(KeyModifiers::CTRL | KeyModifiers::ALT) =>
        {
            Some(Action::Insert(c))
        }
        _ => None,
    }
}

/// The keys the user pressed. A quick Esc then a letter reaches us as one Alt-letter
/// (the terminal sends the same bytes for both), and no binding uses Alt, so while
/// browsing it is read as the two keys: Esc going back, then `j` moving down, say.
/// Only characters are split: Alt with an arrow is a chord, never a hurried Esc.
/// Where text is typed, and in help, Alt-b and the like are left alone.
pub fn pressed(mode: &Mode, ev: KeyEvent) -> Vec<KeyEvent> {
    let browsing = matches!(mode, Mode::Browse { .. });
    // Shift is part of a capital letter ("G" may come as Alt+Shift+G), not a chord.
    let chord = ev.modifiers - KeyModifiers::SHIFT;
    let hurried_esc = chord == KeyModifiers::ALT && matches!(ev.code, KeyCode::Char(_));
    // Esc twice in a hurry is Alt-Esc to the terminal, in every mode.
    let double_esc = chord == KeyModifiers::ALT && ev.code == KeyCode::Esc;
    if !(browsing && hurried_esc || double_esc) {
        return vec![ev];
    }
    let esc = KeyEvent::new(KeyCode::Esc).kind(ev.kind);
    let key = KeyEvent::new(ev.code)
        .modifiers(ev.modifiers - KeyModifiers::ALT)
        .kind(ev.kind);
    vec![esc, key]
}

/// The key table as Markdown, for README.md (a test keeps the two equal).
pub fn markdown_table() -> String {
    let mut out = String::from("| keys | where | does |\n|---|---|---|\n");
    for b in BINDINGS {
        let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.name())).collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            keys.join(" "),
            b.context.title(),
            b.help
        ));
    }
    out
}

/// Short hints for the status line, from the same table: those of the actions
/// `offered` lets through.
pub fn hints(mode: &Mode, offered: impl Fn(&Action) -> bool) -> Vec<(String, &'static str)> {
    let wanted: &[Action] = match mode {
        Mode::Browse { article: false } => &[
            Action::OpenFilter,
            Action::OpenActorPicker,
            Action::OpenTopicPicker,
            Action::OpenGroupPicker,
            Action::OpenArticle,
            Action::CopyCitation,
            Action::ToggleHelp,
            Action::Quit,
        ],
        Mode::Browse { article: true } => &[
            Action::Down,
            Action::ShowQuote,
            Action::NextSource,
            Action::CopyCitation,
            Action::Back,
            Action::ToggleHelp,
        ],
        Mode::Filter => &[Action::Accept, Action::Back, Action::DeleteWord],
        Mode::Picker(_) => &[Action::PickerToggle, Action::PickerClear, Action::Back],
        Mode::Help => &[Action::Down, Action::PageDown],
    };
    let ctxs = contexts(mode);
    wanted
        .iter()
        .filter(|a| offered(a))
        .filter_map(|a| {
            // The binding of the most specific context wins: `q` before `Ctrl-c`.
            ctxs.iter()
                .find_map(|c| BINDINGS.iter().find(|b| &b.action == a && b.context == *c))
        })
        // The first key is enough on the status line; the help screen lists them all.
        .map(|b| (b.keys[0].name(), b.help))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c).modifiers(m)
    }

    #[test]
    fn typing_in_the_filter_is_input_not_commands() {
        assert_eq!(
            action_for(&Mode::Filter, &key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Insert('q'))
        );
        assert_eq!(
            action_for(
                &Mode::Browse { article: false },
                &key(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(&Mode::Filter, &key(KeyCode::Char('c'), KeyModifiers::CTRL)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn a_quick_esc_then_a_key_is_both_keys() {
        let alt_j = key(KeyCode::Char('j'), KeyModifiers::ALT);
        let keys = pressed(&Mode::Browse { article: true }, alt_j);
        assert_eq!(
            keys.iter()
                .map(|k| (k.code, k.modifiers))
                .collect::<Vec<_>>(),
            [
                (KeyCode::Esc, KeyModifiers::NONE),
                (KeyCode::Char('j'), KeyModifiers::NONE)
            ]
        );
        // Reading an article, then Esc and j in a hurry: back to the list, and down it.
        let mut mode = Mode::Browse { article: true };
        let actions: Vec<Option<Action>> = keys
            .iter()
            .map(|k| {
                let a = action_for(&mode, k);
                if a == Some(Action::Back) {
                    mode = Mode::Browse { article: false };
                }
                a
            })
            .collect();
        assert_eq!(actions, [Some(Action::Back), Some(Action::Down)]);
        let plain = key(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(pressed(&mode, plain), [plain]);
        // In the filter an Alt-key is not split: Esc there would throw the query away.
        assert_eq!(pressed(&Mode::Filter, alt_j), [alt_j]);
        assert_eq!(pressed(&Mode::Help, alt_j), [alt_j]);
        // Alt with an arrow is a chord the terminal reports, not a hurried Esc.
        let alt_up = key(KeyCode::Up, KeyModifiers::ALT);
        assert_eq!(pressed(&mode, alt_up), [alt_up]);
        // A capital letter may come with Shift as well: Esc, then G goes to the end.
        let alt_g = key(KeyCode::Char('G'), KeyModifiers::ALT | KeyModifiers::SHIFT);
        let keys = pressed(&mode, alt_g);
        assert_eq!(keys[0].code, KeyCode::Esc);
        assert_eq!(action_for(&mode, &keys[1]), Some(Action::Bottom));
        let ctrl_alt_g = key(KeyCode::Char('g'), KeyModifiers::ALT | KeyModifiers::CTRL);
        assert_eq!(pressed(&mode, ctrl_alt_g), [ctrl_alt_g]);
        // Esc Esc in a hurry is two Escs, typing or not.
        let alt_esc = key(KeyCode::Esc, KeyModifiers::ALT);
        for mode in [Mode::Filter, Mode::Browse { article: false }] {
            let keys = pressed(&mode, alt_esc);
            assert!(
                keys.len() == 2
                    && keys
                        .iter()
                        .all(|k| k.code == KeyCode::Esc && k.modifiers.is_empty())
            );
        }
    }

    #[test]
    fn shifted_characters_match() {
        assert_eq!(
            action_for(
                &Mode::Browse { article: false },
                &key(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(
                &Mode::Browse { article: false },
                &key(KeyCode::Char('}'), KeyModifiers::SHIFT)
            ),
            Some(Action::NextYear)
        );
        // Shift-Tab arrives as Tab with SHIFT; plain Tab does the same.
        for mods in [KeyModifiers::SHIFT, KeyModifiers::NONE] {
            assert_eq!(
                action_for(&Mode::Browse { article: false }, &key(KeyCode::Tab, mods)),
                Some(Action::ToggleFocus)
            );
        }
        // Ctrl still counts: Ctrl-f pages, a plain f does nothing.
        assert_eq!(
            action_for(
                &Mode::Browse { article: false },
                &key(KeyCode::Char('f'), KeyModifiers::CTRL)
            ),
            Some(Action::PageDown)
        );
        assert_eq!(
            action_for(
                &Mode::Browse { article: false },
                &key(KeyCode::Char('f'), KeyModifiers::NONE)
            ),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        let modes = [
            Mode::Browse { article: false },
            Mode::Browse { article: true },
            Mode::Filter,
            Mode::Picker(crate::explorer::app::PickerKind::Actors),
        ];
        for mode in modes {
            let ctxs = contexts(&mode);
            let keys: Vec<(KeyCode, KeyModifiers)> = BINDINGS
                .iter()
                .filter(|b| ctxs.contains(&b.context))
                .flat_map(|b| b.keys.iter().map(|k| (k.code, k.mods)))
                .collect();
            for (i, a) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(a),
                    "{a:?} is bound twice in {mode:?}"
                );
            }
        }
    }

    #[test]
    fn every_action_in_the_hints_is_bound() {
        let keys = |mode: Mode| {
            hints(&mode, |_| true)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        // A hint whose action lost its binding would silently drop out of these lists.
        assert_eq!(
            keys(Mode::Browse { article: false }),
            ["/", "a", "t", "p", "Enter", "y", "?", "q"]
        );
        assert_eq!(
            keys(Mode::Browse { article: true }),
            ["↓", "n", "]", "y", "←", "?"]
        );
        assert_eq!(keys(Mode::Filter), ["Enter", "Esc", "Ctrl-w"]);
        assert_eq!(
            keys(Mode::Picker(crate::explorer::app::PickerKind::Topics)),
            ["Enter", "Ctrl-x", "Esc"]
        );
    }
}
