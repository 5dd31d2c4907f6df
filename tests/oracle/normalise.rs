//! What differs between two runs of the same scenario and says nothing about fidelity:
//! IDs, tokens, keys, digests, times, addresses, the host's name, and how many times
//! a progress bar was redrawn. The same rules apply to both sides.

use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    vec![
        // Keys and certificates are random on both sides.
        (re(r"(?s)-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----"), "<CERTIFICATE>"),
        (re(r"(Issuer Public Key:\t)[A-Za-z0-9+/=]+"), "${1}<KEY>"),
        (re(r"SWMTKN-1-[0-9a-z]+-[0-9a-z]+"), "<TOKEN>"),
        (re(r"SWMKEY-1-[A-Za-z0-9+/=]+"), "<UNLOCK-KEY>"),
        (re(r"sha256:[0-9a-f]{64}"), "<DIGEST>"),
        (re(r"\b[0-9a-f]{64}\b"), "<ID64>"),
        // RFC 3339 and Go's time.String().
        (re(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?( ?(Z|[+-]\d{2}:?\d{2})( UTC)?)?"), "<TIME>"),
        (
            re(
                r"(?i)\b(less than a second|about a minute|about an hour|an? (second|minute|hour|day|week|month|year)|\d+ (seconds?|minutes?|hours?|days?|weeks?|months?|years?)) ago",
            ),
            "<AGO>",
        ),
        (re(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"), "<IP>"),
        // The engine's version: the recording daemon's, or the one swarmlab plays.
        (re(r"\b(20\.10\.24\+dfsg1|28\.2\.2)\b"), "<ENGINE-VERSION>"),
        (
            re(r"verify: Waiting \d+ seconds? to verify that tasks are stable\.\.\."),
            "verify: Waiting <N> seconds to verify that tasks are stable...",
        ),
    ]
});

/// The words of twelve lowercase letters Docker prints; any other such run, and any of
/// 25, is a swarm object's ID (base 36: now and then without a digit).
const TWELVE_LETTER_WORDS: &[&str] = &["availability", "distribution", "experimental", "verification", "successfully"];

fn looks_like_id(w: &str) -> bool {
    matches!(w.len(), 12 | 25)
        && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && !TWELVE_LETTER_WORDS.contains(&w)
}

fn ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if looks_like_id(word) {
            out.push_str(if word.len() == 25 { "<ID>" } else { "<ID12>" });
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Progress output polls the daemon: how many intermediate frames it prints depends on
/// timing. Keep the first and last `overall progress` lines and drop repeats.
fn progress(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let overall: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.starts_with("overall progress:")).map(|(i, _)| i).collect();
    let mut out: Vec<&str> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("overall progress:") && overall.first() != Some(&i) && overall.last() != Some(&i) {
            continue;
        }
        if out.last() == Some(l) {
            continue;
        }
        out.push(l);
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Table rows holding the host's name or the engine's version are as wide as those
/// were: there, any run of spaces between columns counts the same.
fn columns(text: &str) -> String {
    let gaps = re(r" {2,}");
    text.split_inclusive('\n')
        .map(|l| {
            if l.contains("<HOST>") || l.contains("<ENGINE-VERSION>") {
                gaps.replace_all(l, "  ").into_owned()
            } else {
                l.to_string()
            }
        })
        .collect()
}

/// docker/cli's stack commands walk Go maps, whose order is random from one run to the
/// next: runs of `Creating service …` (and the like) count as sets.
fn map_order(text: &str) -> String {
    const PREFIXES: &[&str] = &[
        "Creating network ",
        "Creating service ",
        "Updating service ",
        "Removing network ",
        "Removing secret ",
        "Removing config ",
    ];
    let kind = |l: &str| PREFIXES.iter().position(|p| l.starts_with(p));
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(k) = kind(lines[i]) else {
            i += 1;
            continue;
        };
        let end = (i..lines.len()).find(|&j| kind(lines[j]) != Some(k)).unwrap_or(lines.len());
        lines[i..end].sort_unstable();
        i = end;
    }
    lines.concat()
}

/// `host` is the recording machine's hostname (or the lab node's), replaced as a word.
pub fn normalise(text: &str, host: &str) -> String {
    let mut s = text.to_string();
    for (r, with) in RULES.iter() {
        s = r.replace_all(&s, *with).into_owned();
    }
    s = ids(&s);
    if !host.is_empty() {
        s = re(&format!(r"\b{}\b", regex::escape(host))).replace_all(&s, "<HOST>").into_owned();
    }
    progress(&columns(&map_order(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_times_and_hosts_become_placeholders() {
        let a = "poa7lhyvpe5eo50d0u4z7mg0h vm Ready Active Leader 5 seconds ago 2026-11-22T08:18:39.157987452Z";
        assert_eq!(normalise(a, "vm"), "<ID> <HOST> Ready Active Leader <AGO> <TIME>");
        assert_eq!(normalise("availability replicated", ""), "availability replicated");
    }
}
