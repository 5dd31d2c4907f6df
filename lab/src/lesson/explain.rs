//! A check's unmet items in the learner's language: what the step still wants, and
//! what the cluster answers now. The lesson pane shows them while a step does not
//! hold; `swarmlab check --answers` prints them for a graded answer that fails.

use super::check::{Expect, Gap, Unmet};
use super::slips::Slip;
use crate::i18n::Texts;

/// What a step that does not hold tells the learner: the slips the lab can name, then
/// each check item still unmet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feedback {
    pub slips: Vec<Slip>,
    pub unmet: Vec<Unmet>,
}

impl Feedback {
    pub fn is_empty(&self) -> bool {
        self.slips.is_empty() && self.unmet.is_empty()
    }

    /// Whether the way back is to redo the step: a slip changed the cluster.
    pub fn needs_redo(&self) -> bool {
        self.slips.iter().any(Slip::needs_redo)
    }
}

/// A slip, in the learner's language.
pub fn slip(s: &Slip, t: &Texts) -> String {
    match s {
        Slip::WrongNode { command, want, ran_on, .. } if command == "docker swarm init" => {
            t.args("slip-init-elsewhere", &[("want", &want.join(", ")), ("node", ran_on)])
        }
        Slip::WrongNode { command, want, ran_on, changed } => {
            let key = if *changed { "slip-wrong-node-changed" } else { "slip-wrong-node" };
            t.args(key, &[("command", command), ("want", &want.join(", ")), ("node", ran_on)])
        }
        Slip::Swarms(swarms) => {
            let list: Vec<String> = swarms.iter().map(|s| s.join(", ")).collect();
            t.args("slip-swarms", &[("count", &swarms.len().to_string()), ("swarms", &list.join(" | "))])
        }
    }
}

/// Lines of the cluster's answer shown under an explanation.
const SHOWN: usize = 6;

/// One unmet item, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The author's words when they wrote some, else a sentence made from the query
    /// and what it expects.
    pub headline: String,
    /// What the cluster answers, a few lines of it, when the query printed something.
    pub answer: Vec<String>,
}

pub fn explain(u: &Unmet, t: &Texts) -> Explanation {
    let generated = match &u.gap {
        Gap::NotRun { node, command } => t.args("check-not-run", &[("command", command), ("node", node)]),
        Gap::NoNode(n) => t.args("check-no-node", &[("node", n)]),
        Gap::NoManager => t.get("check-no-manager"),
        Gap::Exit { command, want: 0, got, .. } => {
            t.args("check-exit-ok", &[("command", command), ("got", &got.to_string())])
        }
        Gap::Exit { command, want, got, .. } => {
            t.args("check-exit", &[("command", command), ("want", &want.to_string()), ("got", &got.to_string())])
        }
        Gap::Output { command, expect, output } => match expect {
            Expect::Equals(w) => t.args("check-equals", &[("command", command), ("want", w)]),
            Expect::Contains(w) => t.args("check-contains", &[("command", command), ("want", w)]),
            Expect::Matches(w) => t.args("check-matches", &[("command", command), ("want", w.0.as_str())]),
            Expect::Lines(n) => {
                let got = output.lines().filter(|l| !l.trim().is_empty()).count();
                let key = if *n == 1 { "check-lines-one" } else { "check-lines" };
                t.args(key, &[("command", command), ("want", &n.to_string()), ("got", &got.to_string())])
            }
            Expect::Exit(_) => String::new(),
        },
    };
    let headline = u.why.clone().unwrap_or(generated);
    let answer = match &u.gap {
        Gap::Exit { output, .. } | Gap::Output { output, .. } => answer(output, t),
        _ => Vec::new(),
    };
    Explanation { headline, answer }
}

/// "The cluster answers:" and the first lines of `output`.
fn answer(output: &str, t: &Texts) -> Vec<String> {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return vec![t.get("check-now-empty")];
    }
    let mut out = vec![t.get("check-now")];
    out.extend(lines.iter().take(SHOWN).map(|l| format!("  {}", l.trim_end())));
    if lines.len() > SHOWN {
        out.push(format!("  {}", t.args("check-more", &[("n", &(lines.len() - SHOWN).to_string())])));
    }
    out
}

/// The slips, then every unmet item, as plain text lines (for `swarmlab check`).
pub fn lines(feedback: &Feedback, t: &Texts) -> Vec<String> {
    let mut out: Vec<String> = feedback.slips.iter().map(|s| format!("- {}", slip(s, t))).collect();
    for u in &feedback.unmet {
        let e = explain(u, t);
        out.push(format!("- {}", e.headline));
        out.extend(e.answer.into_iter().map(|l| format!("  {l}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn lines_gap() -> Unmet {
        let command = "docker node ls --filter role=manager --format '{{.Hostname}}'".to_string();
        Unmet {
            line: 3,
            why: None,
            gap: Gap::Output { command, expect: Expect::Lines(2), output: "node1\nnode3\nnode4\n".into() },
        }
    }

    #[test]
    fn an_unmet_count_says_what_was_wanted_and_what_the_cluster_has_in_either_language() {
        let en = explain(&lines_gap(), &Texts::new(Lang::En));
        assert_eq!(
            en.headline,
            "`docker node ls --filter role=manager --format '{{.Hostname}}'` should list 2 lines; it lists 3."
        );
        assert_eq!(en.answer, ["The cluster answers:", "  node1", "  node3", "  node4"]);
        let fr = explain(&lines_gap(), &Texts::new(Lang::Fr));
        assert!(fr.headline.ends_with("devrait lister 2 lignes ; il en liste 3."), "{}", fr.headline);
        assert_eq!(fr.answer[0], "Le cluster répond :");
    }

    #[test]
    fn the_authors_words_come_first_and_the_answer_still_shows() {
        let u = Unmet { why: Some("Two managers expected: node1 and node3.".into()), ..lines_gap() };
        let e = explain(&u, &Texts::new(Lang::En));
        assert_eq!(e.headline, "Two managers expected: node1 and node3.");
        assert_eq!(e.answer.len(), 4);
        let ran =
            Unmet { line: 1, why: None, gap: Gap::NotRun { node: "node2".into(), command: "docker info".into() } };
        assert_eq!(explain(&ran, &Texts::new(Lang::Fr)).headline, "Lancez `docker info` sur node2.");
        let long = Gap::Output {
            command: "docker ps".into(),
            expect: Expect::Lines(1),
            output: "a\nb\nc\nd\ne\nf\ng\nh\n".into(),
        };
        let e = explain(&Unmet { line: 1, why: None, gap: long }, &Texts::new(Lang::En));
        assert_eq!(e.answer.last().map(String::as_str), Some("  … and 2 more lines"));
    }
}
