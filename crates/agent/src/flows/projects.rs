//! Which project the customer means: by id, order number, trade words (typos tolerated), the
//! list just shown, or the project being talked about.
//!
//! Only the customer's own projects are searched, so an id that belongs to someone else is
//! exactly as unknown as one that does not exist.

use pf360::Project;

use crate::state::{ConversationState, Offer};
use crate::understand::lexicon::trade_word;
use crate::understand::{Command, ListKind, Pick, ProjectRef, Understanding};

/// The outcome of looking for the project a message names.
#[derive(Debug, Clone, PartialEq)]
pub enum Named {
    /// The message names no project.
    Nothing,
    One(String),
    /// Several fit equally well.
    Several(Vec<String>),
    /// It names one that is not on the account.
    Unknown,
}

/// The project named by `u`, among `projects`.
pub fn named(u: &Understanding, state: &ConversationState, projects: &[Project]) -> Named {
    // "the grab bars": a project called by its own name, when no trade word said it or one
    // said another ("bathroom" read as the walk-in tub).
    let said = stems(&u.words);
    let by_name = called_by_name(&said, projects);
    for command in &u.commands {
        if let Command::SetProject { project } = command {
            let found = resolve(project, state.focus.as_deref(), projects);
            if let (Some(id), ProjectRef::Words(_)) = (&by_name, project) {
                let own_words_said = |id: &str| {
                    projects
                        .iter()
                        .find(|p| p.id == id)
                        .is_some_and(|p| name_stems(p).iter().any(|w| said.contains(w)))
                };
                let candidates = match &found {
                    Named::One(one) => vec![one.clone()],
                    Named::Several(ids) => ids.clone(),
                    _ => Vec::new(),
                };
                // "the vinyl plank floors" among two flooring projects: the one named; a
                // synonym that found another whose name was not said: the one named.
                let named_among = candidates.len() > 1 && candidates.contains(id);
                if named_among
                    || !candidates
                        .iter()
                        .any(|other| other == id || own_words_said(other))
                {
                    return Named::One(id.clone());
                }
            }
            // "the installation one" while the two windows projects are on show: the one of
            // those it fits.
            if let (Named::Several(ids), Some(Offer::Projects(shown))) = (&found, &state.offer) {
                let on_show: Vec<String> = ids
                    .iter()
                    .filter(|id| shown.contains(id))
                    .cloned()
                    .collect();
                if let [one] = on_show.as_slice() {
                    return Named::One(one.clone());
                }
            }
            return found;
        }
    }
    if let Some(Offer::Projects(ids)) = &state.offer
        && let Some(index) = picked_index(u, ids.len(), ListKind::Projects)
    {
        return Named::One(ids[index].clone());
    }
    match by_name {
        Some(id) => Named::One(id),
        None => Named::Nothing,
    }
}

/// Words of a project's name that say nothing of which one it is.
const NAME_FILLERS: &[&str] = &[
    "and",
    "of",
    "the",
    "a",
    "in",
    "on",
    "for",
    "with",
    "installation",
    "install",
    "repair",
    "replacement",
    "measurement",
    "new",
    "service",
    "project",
    "system",
];

/// A word without its ending: "floors", "flooring" → "floor"; "bars" → "bar".
fn stem(word: &str) -> String {
    let word = word.to_lowercase();
    let word = match word.strip_suffix("ing") {
        Some(base) if base.len() >= 3 => base.to_string(),
        _ => word,
    };
    match word.strip_suffix('s') {
        Some(base) if base.len() >= 3 && !base.ends_with('s') => base.to_string(),
        _ => word,
    }
}

fn stems(words: &[String]) -> Vec<String> {
    words.iter().map(|w| stem(w)).collect()
}

/// The words of a project's category that tell it apart ("Grab Bars" → grab, bar).
fn name_stems(p: &Project) -> Vec<String> {
    p.category
        .as_deref()
        .unwrap_or_default()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && !NAME_FILLERS.contains(&w.to_lowercase().as_str()))
        .map(stem)
        .collect()
}

/// The one project the message calls by name: the only one whose whole name it says, else the
/// only one with a word of its name no other project of theirs has ("the pavers" for "Pavers
/// & Patio" beside a "Patio Door"). `said`: the message's words, stemmed.
fn called_by_name(said: &[String], projects: &[Project]) -> Option<String> {
    if said.is_empty() {
        return None;
    }
    let only = |ids: Vec<&Project>| match ids.as_slice() {
        [one] => Some(one.id.clone()),
        _ => None,
    };
    let whole: Vec<&Project> = projects
        .iter()
        .filter(|p| {
            let name = name_stems(p);
            !name.is_empty() && name.iter().all(|w| said.contains(w))
        })
        .collect();
    if !whole.is_empty() {
        return only(whole);
    }
    let names: Vec<Vec<String>> = projects.iter().map(name_stems).collect();
    let own_word_said = |k: usize| {
        names[k].iter().any(|w| {
            said.contains(w)
                && names
                    .iter()
                    .enumerate()
                    .all(|(o, other)| o == k || !other.contains(w))
        })
    };
    only(
        projects
            .iter()
            .enumerate()
            .filter(|(k, _)| own_word_said(*k))
            .map(|(_, p)| p)
            .collect(),
    )
}

/// A position in a list of `len` items the message picks: "the second one", "option 2", "2".
pub fn picked_index(u: &Understanding, len: usize, kind: ListKind) -> Option<usize> {
    u.commands.iter().find_map(|c| match *c {
        Command::Choose { pick, list } if list == kind || list == ListKind::Any => match pick {
            Pick::Nth(i) if i < len => Some(i),
            Pick::Last if len > 0 => Some(len - 1),
            Pick::BeforeLast if len > 1 => Some(len - 2),
            _ => None,
        },
        Command::Number { value } if (1..=len).contains(&(value as usize)) => {
            Some(value as usize - 1)
        }
        _ => None,
    })
}

pub fn resolve(reference: &ProjectRef, focus: Option<&str>, projects: &[Project]) -> Named {
    let one_of = |ids: Vec<String>| match ids.len() {
        0 => Named::Unknown,
        1 => Named::One(ids.into_iter().next().unwrap_or_default()),
        _ => Named::Several(ids),
    };
    match reference {
        ProjectRef::Id(id) => one_of(
            projects
                .iter()
                .filter(|p| &p.id == id)
                .map(|p| p.id.clone())
                .collect(),
        ),
        ProjectRef::OrderNumber(order) => {
            let wanted = normalize(order);
            let exact: Vec<String> = projects
                .iter()
                .filter(|p| {
                    p.order_number
                        .as_deref()
                        .is_some_and(|o| normalize(o) == wanted)
                })
                .map(|p| p.id.clone())
                .collect();
            if !exact.is_empty() || !wanted.chars().all(|c| c.is_ascii_digit()) || wanted.len() < 3
            {
                return one_of(exact);
            }
            // "Order 1001": the order number that ends with those digits.
            one_of(
                projects
                    .iter()
                    .filter(|p| {
                        p.order_number.as_deref().is_some_and(|o| {
                            o.chars()
                                .filter(char::is_ascii_digit)
                                .collect::<String>()
                                .ends_with(&wanted)
                        })
                    })
                    .map(|p| p.id.clone())
                    .collect(),
            )
        }
        ProjectRef::InFocus => match focus {
            Some(id) if projects.iter().any(|p| p.id == id) => Named::One(id.to_string()),
            _ => Named::Nothing,
        },
        ProjectRef::Words(words) => {
            // "my garage door install" with no garage or door project: a trade they do not
            // have is a project they do not have, not any of their installations.
            let trades: Vec<&String> = words
                .iter()
                .filter(|w| !JOB_WORDS.contains(&w.as_str()))
                .collect();
            let any_trade_matches = trades.iter().any(|w| {
                projects.iter().any(|p| {
                    categories(p).contains(&w.as_str())
                        || forms(p.project_type.as_deref()).contains(&w.as_str())
                })
            });
            if !trades.is_empty() && !any_trade_matches {
                return Named::Unknown;
            }
            // "the window repair … the cabinets": two projects named, not the better scored.
            let by_category: Vec<Vec<&str>> = words
                .iter()
                .map(|w| {
                    projects
                        .iter()
                        .filter(|p| categories(p).contains(&w.as_str()))
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                })
                .filter(|ids| !ids.is_empty())
                .collect();
            let shared = projects
                .iter()
                .any(|p| by_category.iter().all(|ids| ids.contains(&p.id.as_str())));
            if !shared {
                let mut ids: Vec<String> = by_category
                    .concat()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                ids.sort();
                ids.dedup();
                return one_of(ids);
            }
            let scored: Vec<(u32, &Project)> =
                projects.iter().map(|p| (score(p, words), p)).collect();
            let best = scored.iter().map(|(s, _)| *s).max().unwrap_or(0);
            if best == 0 {
                return Named::Unknown;
            }
            one_of(
                scored
                    .iter()
                    .filter(|(s, _)| *s == best)
                    .map(|(_, p)| p.id.clone())
                    .collect(),
            )
        }
    }
}

/// Words that say what kind of job, not which trade: "installation" alone names no project.
const JOB_WORDS: &[&str] = &["installation", "repair", "measurement", "replacement"];

/// The trade words of a text ("Kitchen Cabinets" → kitchen, cabinets).
fn forms(text: Option<&str>) -> Vec<&'static str> {
    text.unwrap_or_default()
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| trade_word(&w.to_lowercase()))
        .collect()
}

fn categories(p: &Project) -> Vec<&'static str> {
    forms(p.category.as_deref())
}

/// Category words count double: "windows" says more than "installation".
fn score(p: &Project, words: &[String]) -> u32 {
    let category = categories(p);
    let kind = forms(p.project_type.as_deref());
    words
        .iter()
        .map(|w| {
            if category.contains(&w.as_str()) {
                2
            } else if kind.contains(&w.as_str()) {
                1
            } else {
                0
            }
        })
        .sum()
}

fn normalize(order: &str) -> String {
    order
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pf360::ProjectStatus;

    fn project(id: &str, category: &str, status: ProjectStatus) -> Project {
        Project {
            id: id.into(),
            order_number: None,
            project_type: Some("Installation".into()),
            category: Some(category.into()),
            status,
            store_number: None,
            address: None,
            date_sold: None,
            scheduled: None,
            completed_on: None,
            technician: None,
            duration: None,
            detail_url: String::new(),
        }
    }

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn projects_are_found_by_their_own_names() {
        let projects = [
            project("1", "Hardwood Flooring", ProjectStatus::ReadyToSchedule),
            project("2", "Grab Bars", ProjectStatus::ReadyToSchedule),
            project("3", "Walk-in Tub", ProjectStatus::Scheduled),
            project("4", "Pavers & Patio", ProjectStatus::ReadyToSchedule),
            project("5", "Patio Door", ProjectStatus::ReadyToSchedule),
        ];
        let called = |text: &str| called_by_name(&stems(&words(text)), &projects);
        // The whole name said.
        assert_eq!(
            called("the grab bars put in the bathroom").as_deref(),
            Some("2")
        );
        assert_eq!(called("the hardwood floors").as_deref(), Some("1"));
        // A word only one project's name has.
        assert_eq!(called("the pavers at 9").as_deref(), Some("4"));
        // A word two names share names neither.
        assert_eq!(called("the patio"), None);
        assert_eq!(called("yes"), None);
    }
}
