//! The lesson subcommands: `verify`, `check`, `progress`, and the mdBook preprocessor.

use super::verify::{self, LessonResult};
use super::{Lesson, LessonError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Lessons under `path`: a lesson file, a course directory (with SUMMARY.md), or a
/// directory of courses (`lessons/` with `en/` and `fr/`). Returns courses by language.
fn collect(path: &Path, lang: Option<&str>) -> Result<Vec<(String, Vec<Lesson>)>, Vec<LessonError>> {
    if path.is_file() {
        let text = super::read_source(path).map_err(|e| vec![e])?;
        return Ok(vec![(String::new(), vec![super::parse(&text, path)?])]);
    }
    if path.join("SUMMARY.md").is_file() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return Ok(vec![(name, super::load_course(path)?.lessons)]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for l in ["en", "fr"] {
        if lang.is_some_and(|want| want != l) || !path.join(l).join("SUMMARY.md").is_file() {
            continue;
        }
        match super::load_course(&path.join(l)) {
            Ok(c) => out.push((l.to_string(), c.lessons)),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        let message = "no lesson here: expected a lesson file, a SUMMARY.md, or en/ and fr/ course directories";
        return Err(vec![LessonError { path: path.into(), line: 0, message: message.into() }]);
    }
    Ok(out)
}

fn print_result(r: &LessonResult, time: std::time::Duration) {
    let status = if r.passed() { "ok  " } else { "FAIL" };
    println!("{status} {} ({} steps, {} ms)", r.path, r.steps.len(), time.as_millis());
    for (i, s) in r.steps.iter().enumerate() {
        if let Some(m) = &s.message {
            println!("     step {} \"{}\": {m}", i + 1, s.title);
        }
    }
}

fn write_junit(path: Option<&Path>, name: &str, results: &[LessonResult]) -> bool {
    let Some(p) = path else { return true };
    match std::fs::write(p, verify::junit(name, results)) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("swarmlab: cannot write {}: {e}", p.display());
            false
        }
    }
}

/// `swarmlab verify`: every lesson's solutions make its checks go from failing to
/// passing; French and English teach the same steps.
pub fn verify_cmd(paths: &[PathBuf], lang: Option<&str>, junit: Option<&Path>) -> ExitCode {
    let started = Instant::now();
    let mut results = Vec::new();
    let mut problems = 0;
    for path in paths {
        let courses = match collect(path, lang) {
            Ok(c) => c,
            Err(errors) => {
                for e in &errors {
                    eprintln!("{e}");
                }
                problems += errors.len();
                continue;
            }
        };
        let by_lang = |l: &str| courses.iter().find(|(n, _)| n == l).map(|(_, v)| v.as_slice());
        if let (Some(en), Some(fr)) = (by_lang("en"), by_lang("fr")) {
            for p in verify::parity(en, fr) {
                eprintln!("{p}");
                problems += 1;
            }
        }
        for (_, lessons) in &courses {
            for lesson in lessons {
                let t = Instant::now();
                let r = verify::verify(lesson);
                print_result(&r, t.elapsed());
                results.push(r);
            }
        }
    }
    if results.is_empty() && problems == 0 {
        // A CI job that checks nothing must not pass.
        let where_ = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        eprintln!("swarmlab: no lesson to verify in {where_}");
        return ExitCode::from(2);
    }
    let failed = results.iter().filter(|r| !r.passed()).count();
    println!(
        "{} lessons verified in {} ms: {} passed, {failed} failed{}",
        results.len(),
        started.elapsed().as_millis(),
        results.len() - failed,
        if problems > 0 { format!(", {problems} authoring problems") } else { String::new() }
    );
    let wrote = write_junit(junit, "swarmlab verify", &results);
    if problems > 0 {
        ExitCode::from(2)
    } else if failed > 0 || !wrote {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `swarmlab check LESSON --answers FILE`: which steps a learner's commands pass.
pub fn check_cmd(lesson: &Path, answers: &Path, junit: Option<&Path>) -> ExitCode {
    let lessons = match collect(lesson, None) {
        Ok(mut c) if c.len() == 1 && c[0].1.len() == 1 => c.remove(0).1.remove(0),
        Ok(_) => {
            eprintln!("swarmlab: {} is not one lesson file", lesson.display());
            return ExitCode::from(2);
        }
        Err(errors) => {
            errors.iter().for_each(|e| eprintln!("{e}"));
            return ExitCode::from(2);
        }
    };
    let script = match super::read_source(answers) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("swarmlab: {e}");
            return ExitCode::from(2);
        }
    };
    let steps = match crate::headless::script::parse(&script, &answers.display().to_string()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("swarmlab: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match verify::grade(&lessons, &steps) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("swarmlab: {e}");
            return ExitCode::from(2);
        }
    };
    let texts = crate::i18n::Texts::new(crate::i18n::Lang::detect(None));
    for (i, s) in result.steps.iter().enumerate() {
        match &s.message {
            None => println!("pass  {}. {}", i + 1, s.title),
            Some(m) if s.feedback.is_empty() => println!("FAIL  {}. {}: {m}", i + 1, s.title),
            Some(_) => {
                // The step the answers stopped at: what it still lacks, in the learner's words.
                println!("FAIL  {}. {}", i + 1, s.title);
                for line in super::explain::lines(&s.feedback, &texts) {
                    println!("      {line}");
                }
            }
        }
    }
    let passed = result.steps.iter().filter(|s| s.passed).count();
    println!("{passed} of {} steps passed", result.steps.len());
    let wrote = write_junit(junit, "swarmlab check", std::slice::from_ref(&result));
    if result.passed() && wrote { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// `swarmlab progress [--export]`.
pub fn progress_cmd(export: bool, lang: crate::i18n::Lang) -> ExitCode {
    let Some(path) = super::progress::default_path() else {
        eprintln!("swarmlab: no HOME or XDG_DATA_HOME to find the progress file in");
        return ExitCode::from(2);
    };
    let (p, loaded) = super::progress::Progress::load(&path);
    if let super::progress::Loaded::Corrupt(aside) = &loaded {
        eprintln!("swarmlab: the progress file was corrupt; it was moved to {}", aside.display());
    }
    let lessons = super::bundled(lang);
    let user = std::env::var("USER").unwrap_or_default();
    let summary = p.export(&user, &lessons);
    if export {
        println!("{}", serde_json::to_string_pretty(&summary).unwrap_or_default());
    } else {
        for l in &lessons {
            let passed = p.lessons.get(&l.id).map_or(0, |x| x.passed.len());
            println!("{:<24} {passed}/{} steps  {}", l.id, l.steps.len(), l.title);
        }
        println!("({})", path.display());
    }
    ExitCode::SUCCESS
}

/// `swarmlab mdbook`: mdBook's preprocessor protocol.
pub fn mdbook_cmd(args: &[String]) -> ExitCode {
    if args.first().map(String::as_str) == Some("supports") {
        return ExitCode::SUCCESS;
    }
    let mut input = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input) {
        eprintln!("swarmlab mdbook: {e}");
        return ExitCode::from(1);
    }
    match super::book::preprocess(&input) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("swarmlab mdbook: {e}");
            ExitCode::from(1)
        }
    }
}
