//! The lab's private runtime directory: the nodes' sockets and the pane shims live
//! there, mode 0700. A directory left behind by a killed run is found by its `pid`
//! file naming a process that is gone, and removed.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

pub struct RuntimeDir {
    path: PathBuf,
}

impl RuntimeDir {
    /// Creates `<base>/swarmlab-<pid>-<random>` under `$XDG_RUNTIME_DIR` (else the
    /// temp dir), after sweeping directories of dead runs. The random part makes a
    /// name another user cannot take first.
    pub fn create() -> io::Result<RuntimeDir> {
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        Self::create_in(&base)
    }

    pub fn create_in(base: &Path) -> io::Result<RuntimeDir> {
        sweep(base);
        let pid = std::process::id();
        // tempfile creates it exclusively, mode 0700, under a name not taken before.
        let path = tempfile::Builder::new().prefix(&format!("swarmlab-{pid}-")).tempdir_in(base)?.keep();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
        fs::write(path.join("pid"), pid.to_string())?;
        Ok(RuntimeDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `lab/`, the lessons' working directory: their files are put there and the panes
    /// start in it.
    pub fn workdir(&self) -> io::Result<PathBuf> {
        let dir = self.path.join("lab");
        fs::create_dir_all(&dir)?;
        Ok(dir)
    }

    /// `bin/docker`, `bin/hostname` and `bin/lab`, links to this very binary, which becomes
    /// them by the name it is called by. Returns the directory to put first on PATH.
    pub fn install_shims(&self) -> io::Result<PathBuf> {
        let bin = self.path.join("bin");
        fs::create_dir_all(&bin)?;
        let exe = std::env::current_exe()?;
        for name in ["docker", "hostname", "lab"] {
            std::os::unix::fs::symlink(&exe, bin.join(name))?;
        }
        Ok(bin)
    }

    /// A directory where the real docker CLI comes first, for `--real-docker`.
    pub fn install_real_docker(&self, real: &Path) -> io::Result<PathBuf> {
        let bin = self.path.join("real-bin");
        fs::create_dir_all(&bin)?;
        std::os::unix::fs::symlink(real, bin.join("docker"))?;
        Ok(bin)
    }
}

impl Drop for RuntimeDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Removes this user's `swarmlab-*` directories whose process no longer runs.
pub fn sweep(base: &Path) -> Vec<PathBuf> {
    sweep_dead(base, |path, name| {
        let pid = path.join("pid");
        (name.starts_with("swarmlab-") && pid.is_file())
            .then(|| fs::read_to_string(pid).ok().and_then(|p| p.trim().parse::<u32>().ok()).is_some_and(alive))
    })
}

/// Removes the directories under `base` that belong to this user and whose process
/// is gone: `running` says, from an entry's path and name, whether its process still
/// runs (None: not a directory of ours). Returns what it removed.
pub fn sweep_dead(base: &Path, running: impl Fn(&Path, &str) -> Option<bool>) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let me = current_uid();
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(base) else { return removed };
    for e in entries.flatten() {
        let path = e.path();
        let mine = path.symlink_metadata().is_ok_and(|m| m.is_dir() && Some(m.uid()) == me);
        let Some(name) = e.file_name().to_str().map(str::to_string) else { continue };
        if mine && running(&path, &name) == Some(false) && fs::remove_dir_all(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// This process's user id: the owner of its /proc entry.
pub fn current_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").ok().map(|m| m.uid())
}

/// Does process `pid` still run?
pub fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_swept_when_its_process_is_gone() {
        let scratch = tempfile::tempdir().unwrap();
        let base = scratch.path().to_path_buf();
        let stale = base.join("swarmlab-999999999");
        fs::create_dir_all(&stale).unwrap();
        fs::write(stale.join("pid"), "999999999").unwrap();
        fs::write(stale.join("node1.sock"), "").unwrap();
        let dir = RuntimeDir::create_in(&base).unwrap();
        assert!(!stale.exists(), "a dead run's directory is removed");
        let mode = fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let kept = dir.path().to_path_buf();
        assert!(sweep(&base).is_empty(), "a live run's directory stays");
        drop(dir);
        assert!(!kept.exists());
        // A name taken beforehand (by another user, say) does not stop the lab.
        fs::write(base.join(format!("swarmlab-{}", std::process::id())), "").unwrap();
        let dir = RuntimeDir::create_in(&base).unwrap();
        assert!(dir.path().join("pid").is_file());
        drop(dir);
    }
}
