//! The actor, topic and group pickers: narrowing their names, and picking.

use crate::data::text::fold;
use crate::query::index::name_score;
use crate::query::parse::MAX_TERM_CHARS;

use super::{Action, App, Mode, Picker, PickerKind, one_line};

impl App {
    pub(super) fn open_picker(&mut self, kind: PickerKind) {
        self.picker = Picker::default();
        self.mode = Mode::Picker(kind);
        self.refresh_picker(kind);
    }

    /// Names, event counts and whether picked, for the picker's entries.
    pub fn picker_entry(&self, kind: PickerKind, i: usize) -> (&str, usize, bool) {
        match kind {
            PickerKind::Actors => (
                &self.timeline.actors[i].name,
                self.matcher.index.actor_count(i),
                self.selection.actors.contains(&i),
            ),
            PickerKind::Topics => (
                &self.timeline.topics[i].name,
                self.matcher.index.topic_count(i),
                self.selection.topics.contains(&i),
            ),
            PickerKind::Groups => (
                self.matcher.index.group_name(i),
                self.matcher.index.group_count(i),
                self.selection.groups.contains(&i),
            ),
        }
    }

    fn refresh_picker(&mut self, kind: PickerKind) {
        let term = fold(self.picker.input.trim());
        let index = &self.matcher.index;
        let names = match kind {
            PickerKind::Actors => index.folded_actor_names(),
            PickerKind::Topics => index.folded_topic_names(),
            PickerKind::Groups => index.folded_group_names(),
        };
        let m = self.matcher.index.matcher();
        let mut scored: Vec<(i64, usize, usize)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, ns)| {
                let score = if term.is_empty() {
                    Some(0)
                } else {
                    ns.iter().filter_map(|n| name_score(m, &term, n)).max()
                }?;
                Some((score, self.picker_entry(kind, i).1, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        self.picker.entries = scored.into_iter().map(|(_, _, i)| i).collect();
        self.picker.cursor = self
            .picker
            .cursor
            .min(self.picker.entries.len().saturating_sub(1));
    }

    /// Adds typed text to the picker's search, up to the length of one query term.
    fn pick_in(&mut self, text: &str) {
        let room = MAX_TERM_CHARS.saturating_sub(self.picker.input.chars().count());
        let taken: String = text.chars().take(room).collect();
        if taken.len() < text.len() {
            self.status = Some(format!(
                "a name to pick is at most {MAX_TERM_CHARS} characters: the search takes no more"
            ));
        }
        self.picker.input.push_str(&taken);
    }

    pub(super) fn picker_key(&mut self, kind: PickerKind, action: Action) {
        match action {
            Action::Insert(c) => self.pick_in(c.encode_utf8(&mut [0; 4])),
            Action::Type(s) => self.pick_in(&s),
            Action::Paste(s) => self.pick_in(&one_line(&s)),
            Action::Backspace => {
                self.picker.input.pop();
            }
            Action::ClearInput => self.picker.input.clear(),
            Action::Down => {
                self.picker.cursor =
                    (self.picker.cursor + 1).min(self.picker.entries.len().saturating_sub(1));
                return;
            }
            Action::Up => {
                self.picker.cursor = self.picker.cursor.saturating_sub(1);
                return;
            }
            Action::PickerToggle => {
                if let Some(&i) = self.picker.entries.get(self.picker.cursor) {
                    let list = match kind {
                        PickerKind::Actors => &mut self.selection.actors,
                        PickerKind::Topics => &mut self.selection.topics,
                        PickerKind::Groups => &mut self.selection.groups,
                    };
                    match list.iter().position(|&x| x == i) {
                        Some(p) => {
                            list.remove(p);
                        }
                        None => list.push(i),
                    }
                    self.refilter();
                }
                return;
            }
            Action::PickerClear => {
                match kind {
                    PickerKind::Actors => self.selection.actors.clear(),
                    PickerKind::Topics => self.selection.topics.clear(),
                    PickerKind::Groups => self.selection.groups.clear(),
                }
                self.refilter();
                return;
            }
            Action::Back | Action::Accept => {
                self.mode = Mode::Browse { article: false };
                return;
            }
            _ => return,
        }
        self.picker.cursor = 0;
        self.refresh_picker(kind);
    }
}

#[cfg(test)]
mod tests {

    use crate::explorer::app::Action;
    use crate::explorer::app::tests::{app, type_text};

    #[test]
    fn picking_an_actor_narrows_the_list() {
        let mut a = app();
        a.update(Action::OpenActorPicker);
        type_text(&mut a, "putin");
        let first = a.picker.entries[0];
        assert_eq!(a.timeline.actors[first].name, "Vladimir Putin");
        a.update(Action::PickerToggle);
        assert_eq!(a.view.visible.len(), a.matcher.index.actor_count(first));
        a.update(Action::PickerToggle);
        assert_eq!(a.view.visible.len(), a.timeline.events.len());
    }

    #[test]
    fn picking_a_group_narrows_the_list_to_its_events() {
        let mut t = (*app().timeline).clone();
        for (i, e) in t.events.iter_mut().enumerate() {
            e.group = Some(if i % 3 == 0 { "Thirds" } else { "Others" }.into());
        }
        let mut a = crate::explorer::app::App::new(std::sync::Arc::new(t));
        assert!(a.offers(&Action::OpenGroupPicker));
        a.update(Action::OpenGroupPicker);
        assert_eq!(a.picker.entries.len(), 2);
        type_text(&mut a, "third");
        a.update(Action::PickerToggle);
        let thirds = a.timeline.events.len().div_ceil(3);
        assert_eq!(a.view.visible.len(), thirds);
        a.update(Action::PickerClear);
        assert_eq!(a.view.visible.len(), a.timeline.events.len());
        // The built-in chronology has no groups: the key is not offered.
        assert!(!app().offers(&Action::OpenGroupPicker));
    }
}
