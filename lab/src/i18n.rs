//! The lab's own screen text in French and English, from Fluent files compiled into
//! the binary. Docker's output is never translated.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};

const EN: &str = include_str!("../i18n/en.ftl");
const FR: &str = include_str!("../i18n/fr.ftl");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// `--lang`, else LC_ALL, LC_MESSAGES or LANG: French when it starts with `fr`.
    pub fn detect(flag: Option<&str>) -> Lang {
        let env =
            ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        match flag.map(str::to_string).or(env) {
            Some(v) if v.to_ascii_lowercase().starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }

    fn source(self) -> (&'static str, &'static str) {
        match self {
            Lang::En => ("en", EN),
            Lang::Fr => ("fr", FR),
        }
    }
}

/// One language's messages.
pub struct Texts {
    pub lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        let (id, source) = lang.source();
        let locale = id.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new(vec![locale]);
        // Unicode isolation marks around arguments would break terminal widths.
        bundle.set_use_isolating(false);
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
        Texts { lang, bundle }
    }

    /// `lab help` in this language.
    pub fn lab_help(&self) -> &'static str {
        match self.lang {
            Lang::En => include_str!("../i18n/lab-help.en.txt"),
            Lang::Fr => include_str!("../i18n/lab-help.fr.txt"),
        }
    }

    /// The message `key`; the key itself if it is missing (a test keeps them in step).
    pub fn get(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with `$name` arguments.
    pub fn args(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::from(*v));
        }
        self.format(key, Some(&fa))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else { return key.to_string() };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(source: &str) -> Vec<String> {
        let mut keys: Vec<String> = source
            .lines()
            .filter(|l| !l.starts_with([' ', '#']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next().map(str::to_string))
            .collect();
        keys.sort();
        keys
    }

    /// Every message the code asks for by name (`.get("…")`, `.args("…", …)`, and the
    /// keys it chooses between) exists, in both languages.
    #[test]
    fn every_key_the_code_uses_exists() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let asked =
            regex::Regex::new(r#"(?:\.get|\.args|Said::new|key =[^"]*|=> )\(?\s*"([a-z]+(?:-[a-z0-9]+)+)""#).unwrap();
        let known = keys(EN);
        let mut files = vec![src];
        let mut used = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().filter_map(|e| e.ok().map(|e| e.path())));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for c in asked.captures_iter(&text) {
                let key = &c[1];
                // Keys are Fluent identifiers the bundles hold; other literals (paths,
                // flags) that the pattern meets are not messages.
                let families = [
                    "lab-",
                    "check-",
                    "slip-",
                    "notice-",
                    "lesson-",
                    "help-",
                    "feedback-",
                    "pane-",
                    "node-",
                    "status-",
                    "welcome-",
                    "play-",
                    "cluster-",
                    "quorum-",
                    "leader-",
                    "speed-",
                ];
                if families.iter().any(|f| key.starts_with(f)) {
                    used += 1;
                    assert!(known.iter().any(|k| k == key), "{}: no message {key:?}", path.display());
                }
            }
        }
        assert!(used > 50, "the pattern finds the keys ({used})");
    }

    #[test]
    fn french_and_english_have_the_same_keys() {
        assert_eq!(keys(FR), keys(EN));
        assert!(keys(EN).len() > 40);
        for lang in [Lang::En, Lang::Fr] {
            let (_, source) = lang.source();
            assert!(FluentResource::try_new(source.to_string()).is_ok(), "{lang:?} parses");
        }
    }

    #[test]
    fn arguments_fill_in_without_isolation_marks() {
        let fr = Texts::new(Lang::Fr);
        assert_eq!(fr.args("notice-power-off", &[("node", "node2")]), "node2 est éteint.");
        assert_eq!(Texts::new(Lang::En).get("status-help"), "F1 help");
        assert_eq!(Lang::detect(Some("fr_FR.UTF-8")), Lang::Fr);
        assert_eq!(Lang::detect(Some("de")), Lang::En);
    }
}
