use super::*;
use std::os::unix::fs::symlink;

#[test]
fn errors_read_like_go() {
    assert_eq!(
        read_without_stdin("/nonexistent/file").unwrap_err(),
        "open /nonexistent/file: no such file or directory"
    );
    assert_eq!(read_without_stdin("/").unwrap_err(), "read /: is a directory");
    assert_eq!(read_without_stdin("-").unwrap(), Vec::<u8>::new());
}

/// A lesson's directory inside a scratch one, with a secret file beside it (outside).
struct Scene {
    _scratch: tempfile::TempDir,
    outside: PathBuf,
    sandbox: Sandbox,
}

fn scene(reach: Reach) -> Scene {
    let scratch = tempfile::tempdir().unwrap();
    let outside = scratch.path().join("secret.txt");
    std::fs::write(&outside, "SECRET\n").unwrap();
    let lesson = scratch.path().join("lesson");
    let dir = Workdir::at(&lesson).unwrap();
    dir.provide([("stack.yml", "services: {}\n")]).unwrap();
    Scene { _scratch: scratch, outside, sandbox: Sandbox::new(dir, reach) }
}

fn refused(r: Result<Vec<u8>, FileError>) -> bool {
    matches!(r, Err(FileError::Outside(_)))
}

#[test]
fn a_lesson_reads_its_own_files_and_nothing_outside() {
    let s = scene(Reach::Lesson);
    let sb = &s.sandbox;
    assert_eq!(sb.read("stack.yml").unwrap(), b"services: {}\n");
    assert_eq!(sb.read("./stack.yml").unwrap(), b"services: {}\n");
    let absolute_inside = sb.path().join("stack.yml");
    assert!(sb.read(&absolute_inside.to_string_lossy()).is_ok(), "docker makes compose paths absolute");
    let outside = s.outside.to_string_lossy().into_owned();
    assert!(refused(sb.read(&outside)), "absolute path out");
    assert!(refused(sb.read("../secret.txt")), "`..` out");
    assert!(refused(sb.read("sub/../../secret.txt")), "`..` out through a name");
    assert!(refused(sb.read("/etc/passwd")));
    assert!(refused(sb.read("/proc/self/environ")));
    // Missing files outside are refused too: nothing is learnt about them.
    assert!(refused(sb.read("../no-such-file")));
    assert!(matches!(sb.read("gone.yml"), Err(FileError::Io(e)) if e.kind() == io::ErrorKind::NotFound));
}

#[test]
fn links_are_followed_as_the_system_would_and_refused_when_they_lead_out() {
    let s = scene(Reach::Lesson);
    let sb = &s.sandbox;
    symlink(&s.outside, sb.path().join("link.txt")).unwrap();
    symlink(s.outside.parent().unwrap(), sb.path().join("up")).unwrap();
    symlink(sb.path().join("stack.yml"), sb.path().join("inside.yml")).unwrap();
    assert!(refused(sb.read("link.txt")), "a file link out");
    assert!(refused(sb.read("up/secret.txt")), "a directory link out");
    assert!(refused(sb.read("up/../lesson/stack.yml")), "`..` after a link goes where the link went");
    assert_eq!(sb.read("inside.yml").unwrap(), b"services: {}\n", "a link that stays inside is fine");
    assert!(matches!(sb.write("link.txt", b"x"), Err(FileError::Outside(_))));
    assert_eq!(std::fs::read_to_string(&s.outside).unwrap(), "SECRET\n", "written through nothing");
}

#[test]
fn the_user_can_lift_the_confinement_of_their_own_script() {
    let s = scene(Reach::Script);
    let outside = s.outside.to_string_lossy().into_owned();
    match s.sandbox.read(&outside) {
        Err(FileError::Outside(why)) => assert!(why.contains("--host-files"), "{why}"),
        other => panic!("{other:?}"),
    }
    let wide = s.sandbox.widened();
    assert_eq!(wide.read(&outside).unwrap(), b"SECRET\n");
    assert_eq!(wide.read("../secret.txt").unwrap(), b"SECRET\n");
}

#[test]
fn files_past_the_limit_are_refused_never_cut_short() {
    let s = scene(Reach::Lesson);
    let big = s.sandbox.path().join("big.yml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_FILE + 1).unwrap();
    assert!(matches!(s.sandbox.read("big.yml"), Err(FileError::TooLarge)));
    assert_eq!(
        s.sandbox.read_for_docker("big.yml").unwrap_err(),
        "read big.yml: file too large (swarmlab reads files of up to 16 MiB)"
    );
    f.set_len(MAX_FILE).unwrap();
    assert_eq!(s.sandbox.read("big.yml").unwrap().len() as u64, MAX_FILE, "the limit itself is read whole");
}

#[test]
fn provided_files_replace_a_link_in_their_place_instead_of_writing_through_it() {
    let s = scene(Reach::Lesson);
    let dir = Workdir::existing(s.sandbox.path());
    std::fs::remove_file(dir.path().join("stack.yml")).unwrap();
    symlink(&s.outside, dir.path().join("stack.yml")).unwrap();
    dir.provide([("stack.yml", "services: {}\n")]).unwrap();
    assert_eq!(std::fs::read_to_string(&s.outside).unwrap(), "SECRET\n");
    assert!(!dir.path().join("stack.yml").symlink_metadata().unwrap().file_type().is_symlink());
    for bad in ["../x", "/tmp/x", "a/b", "..", ""] {
        assert!(dir.provide([(bad, "x")]).is_err(), "{bad:?}");
    }
}

#[test]
fn a_workdir_holds_the_files_and_a_temporary_one_goes_when_dropped() {
    let dir = Workdir::temporary().unwrap();
    let name = dir.path().file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("{TEMP_PREFIX}{}-", std::process::id())), "{name}");
    let path = dir.path().to_path_buf();
    drop(dir);
    assert!(!path.exists(), "a temporary workdir is removed");
    let kept = Workdir::at(&path).unwrap();
    drop(kept);
    assert!(path.exists(), "a workdir given by path stays");
    std::fs::remove_dir_all(&path).unwrap();
}

#[test]
fn temporary_directories_of_dead_runs_are_swept_and_live_ones_kept() {
    let base = tempfile::tempdir().unwrap();
    let dead = base.path().join(format!("{TEMP_PREFIX}999999999-abc"));
    let live = base.path().join(format!("{TEMP_PREFIX}{}-abc", std::process::id()));
    let other = base.path().join("swarmlab-files-notapid-x");
    for d in [&dead, &live, &other] {
        std::fs::create_dir_all(d.join("inner")).unwrap();
    }
    assert_eq!(sweep_temporary(base.path()), vec![dead.clone()]);
    assert!(!dead.exists() && live.exists() && other.exists());
}
