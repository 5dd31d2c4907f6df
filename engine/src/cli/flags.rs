//! Flag parsing as spf13/pflag does it for the docker CLI: long and short forms,
//! `--flag=value`, grouped shorthands, `--`, interspersed arguments, and pflag's error
//! texts; plus `FlagUsagesWrapped` for help screens.

use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    String,
    Int,
    Int64,
    Uint32,
    Uint64,
    Duration,
    /// Repeatable (`opts.ListOpts`), shown as `list`.
    List,
    /// `--filter`: repeatable `key=value`.
    Filter,
    /// `swarm.NodeAddrOption`.
    NodeAddr,
    IpNetSlice,
    ExternalCa,
    /// `swarm.PEMFile`.
    PemFile,
    /// `opts.NanoCPUs`: "1.5" CPUs.
    Decimal,
    /// `opts.MemBytes`: "512m".
    Bytes,
    /// `opts.Uint64Opt`.
    UintOpt,
    /// `opts.DurationOpt`.
    DurationOpt,
    Float,
    /// `opts.ShlexOpt`.
    Command,
    /// `opts.PortOpt`.
    Port,
    /// `opts.MountOpt`.
    Mount,
    /// `placementPrefOpts`.
    Pref,
    Network,
    Secret,
    Config,
    CredentialSpec,
    Ulimit,
    /// `opts.MapOpts`: repeatable `key=value`.
    Map,
    /// pflag `StringSlice`: repeatable, comma-separated.
    Strings,
}

impl Kind {
    fn type_name(self) -> &'static str {
        match self {
            Kind::Bool => "bool",
            Kind::String => "string",
            Kind::Int => "int",
            Kind::Int64 => "int",
            Kind::Uint32 => "uint32",
            Kind::Uint64 => "uint",
            Kind::Duration => "duration",
            Kind::List => "list",
            Kind::Filter => "filter",
            Kind::NodeAddr => "node-addr",
            Kind::IpNetSlice => "ipNetSlice",
            Kind::ExternalCa => "external-ca",
            Kind::PemFile => "pem-file",
            Kind::Decimal => "decimal",
            Kind::Bytes => "bytes",
            Kind::UintOpt => "uint",
            Kind::DurationOpt => "duration",
            Kind::Float => "float",
            Kind::Command => "command",
            Kind::Port => "port",
            Kind::Mount => "mount",
            Kind::Pref => "pref",
            Kind::Network => "network",
            Kind::Secret => "secret",
            Kind::Config => "config",
            Kind::CredentialSpec => "credential-spec",
            Kind::Ulimit => "ulimit",
            Kind::Map => "map",
            Kind::Strings => "strings",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    /// pflag's `DefValue`, as help prints it; empty for the zero value.
    pub default: &'static str,
    pub usage: &'static str,
}

pub const fn flag(
    long: &'static str,
    short: Option<char>,
    kind: Kind,
    default: &'static str,
    usage: &'static str,
) -> Flag {
    Flag { long, short, kind, default, usage }
}

/// `--label k=v` style values as a map (`k` alone maps to an empty value).
pub fn kv_map(items: &[String]) -> crate::types::Labels {
    items
        .iter()
        .map(|kv| kv.split_once('=').map_or((kv.clone(), String::new()), |(k, v)| (k.into(), v.into())))
        .collect()
}

/// `inspect --format/-f` and `--pretty`: node, service, secret and config share them.
pub const INSPECT_PRETTY_FLAGS: &[Flag] = &[
    flag("format", Some('f'), Kind::String, "", super::format::INSPECT_FORMAT_HELP),
    flag("pretty", None, Kind::Bool, "", "Print the information in a human friendly format"),
];

/// `ls` of secrets and configs: `--filter`, `--format`, `--quiet`.
pub const OBJECT_LS_FLAGS: &[Flag] = &[
    flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
    flag("format", None, Kind::String, "", super::format::FORMAT_HELP),
    flag("quiet", Some('q'), Kind::Bool, "", "Only display IDs"),
];

/// The flags and arguments of one invocation.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    values: BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
    pub help: bool,
}

impl Parsed {
    /// `--filter key=value` flags as Docker's filters (keys lower-cased, trimmed).
    pub fn filters(&self) -> crate::api::Filters {
        let mut f = crate::api::Filters::default();
        for kv in self.list("filter") {
            if let Some((k, v)) = kv.split_once('=') {
                f.add(&k.trim().to_lowercase(), v.trim());
            }
        }
        f
    }

    pub fn changed(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
    pub fn count(&self) -> usize {
        self.values.len()
    }
    pub fn changed_names(&self) -> Vec<&'static str> {
        self.values.keys().copied().collect()
    }
    pub fn string(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.last()).map(String::as_str)
    }
    /// pflag's StringSlice: every occurrence, each split at commas.
    pub fn strings(&self, name: &str) -> Vec<String> {
        self.list(name).iter().flat_map(|v| v.split(',')).filter(|v| !v.is_empty()).map(str::to_string).collect()
    }
    pub fn list(&self, name: &str) -> &[String] {
        self.values.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
    pub fn bool(&self, name: &str) -> bool {
        self.string(name) == Some("true")
    }
}

fn flag_name(f: &Flag) -> String {
    match f.short {
        Some(s) => format!("-{s}, --{}", f.long),
        None => format!("--{}", f.long),
    }
}

/// Checks a value as pflag's typed `Set` would; the error text is pflag's/strconv's.
fn check_value(f: &Flag, v: &str) -> Result<String, String> {
    let invalid = |why: String| Err(format!("invalid argument {v:?} for {:?} flag: {why}", flag_name(f)));
    match f.kind {
        Kind::Bool => match v {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok("true".into()),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok("false".into()),
            _ => invalid(format!("strconv.ParseBool: parsing {v:?}: invalid syntax")),
        },
        Kind::Int | Kind::Int64 => match v.parse::<i64>() {
            Ok(n) => Ok(n.to_string()),
            Err(_) => invalid(format!("strconv.ParseInt: parsing {v:?}: {}", num_err(v))),
        },
        Kind::Uint32 | Kind::Uint64 => {
            let max = if f.kind == Kind::Uint32 { u64::from(u32::MAX) } else { u64::MAX };
            match v.parse::<u64>() {
                Ok(n) if n <= max => Ok(n.to_string()),
                Ok(_) => invalid(format!("strconv.ParseUint: parsing {v:?}: value out of range")),
                Err(_) => invalid(format!("strconv.ParseUint: parsing {v:?}: {}", num_err(v))),
            }
        }
        Kind::Duration => match crate::time::parse_go_duration(v) {
            Some(_) => Ok(v.to_string()),
            None if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() => {
                invalid(format!("time: missing unit in duration {v:?}"))
            }
            None => invalid(format!("time: invalid duration {v:?}")),
        },
        Kind::Filter if !v.contains('=') => invalid("bad format of filter (expected name=value)".into()),
        Kind::NodeAddr => {
            parse_node_addr(v).map_err(|e| format!("invalid argument {v:?} for {:?} flag: {e}", flag_name(f)))
        }
        Kind::Decimal => super::service::parse::cpus(v).map(|_| v.to_string()).or_else(invalid),
        Kind::Bytes => super::service::parse::ram_in_bytes(v).map(|_| v.to_string()).or_else(invalid),
        Kind::UintOpt => match v.parse::<u64>() {
            Ok(_) => Ok(v.to_string()),
            Err(_) => invalid(format!("strconv.ParseUint: parsing {v:?}: {}", num_err(v))),
        },
        Kind::DurationOpt => match crate::time::parse_go_duration(v) {
            Some(_) => Ok(v.to_string()),
            None if v.starts_with('-') && crate::time::parse_go_duration(&v[1..]).is_some() => {
                invalid("duration cannot be negative".into())
            }
            None if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) => {
                invalid(format!("time: missing unit in duration {v:?}"))
            }
            None => invalid(format!("time: invalid duration {v:?}")),
        },
        Kind::Float => match v.parse::<f64>() {
            Ok(_) => Ok(v.to_string()),
            Err(_) => invalid(format!("strconv.ParseFloat: parsing {v:?}: invalid syntax")),
        },
        Kind::Port => super::service::parse::ports(v).map(|_| v.to_string()).or_else(invalid),
        Kind::Mount => super::service::parse::mount(v).map(|_| v.to_string()).or_else(invalid),
        Kind::Pref => super::service::parse::pref(v).map(|_| v.to_string()).or_else(invalid),
        Kind::Secret => super::service::parse::file_ref(v, "secret").map(|_| v.to_string()).or_else(invalid),
        Kind::Config => super::service::parse::file_ref(v, "config").map(|_| v.to_string()).or_else(invalid),
        _ => Ok(v.to_string()),
    }
}

/// strconv's reason for a failed integer parse.
pub fn num_err_text(v: &str) -> &'static str {
    num_err(v)
}

fn num_err(v: &str) -> &'static str {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        "value out of range"
    } else {
        "invalid syntax"
    }
}

/// docker/cli `opts.ParseTCPAddr` for a node address (default `0.0.0.0:2377`).
pub fn parse_node_addr(v: &str) -> Result<String, String> {
    let addr = v.strip_prefix("tcp://").unwrap_or(v);
    if addr.contains("://") {
        return Err(format!("Invalid proto, expected tcp: {v}"));
    }
    let (host, port) = match addr.rsplit_once(':') {
        Some((h, p)) => (h, p),
        None => (addr, "2377"),
    };
    let host = if host.is_empty() { "0.0.0.0" } else { host };
    let port = if port.is_empty() { "2377" } else { port };
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(format!("{host}:{p}")),
        _ => Err(format!("invalid bind address ({v}): invalid port {port:?}")),
    }
}

/// Parses `args` against `flags`. Errors carry pflag's message (without usage).
pub fn parse(flags: &[Flag], args: &[String], interspersed: bool) -> Result<Parsed, String> {
    let mut p = Parsed::default();
    let mut i = 0;
    let set = |p: &mut Parsed, f: &Flag, v: &str| -> Result<(), String> {
        let v = check_value(f, v)?;
        p.values.entry(f.long).or_default().push(v);
        Ok(())
    };
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            if name == "help" {
                p.help = true;
                continue;
            }
            let f = flags.iter().find(|f| f.long == name).ok_or_else(|| format!("unknown flag: --{name}"))?;
            match (inline, f.kind) {
                (Some(v), _) => set(&mut p, f, v)?,
                (None, Kind::Bool) => set(&mut p, f, "true")?,
                (None, _) if i < args.len() => {
                    set(&mut p, f, &args[i].clone())?;
                    i += 1;
                }
                (None, _) => return Err(format!("flag needs an argument: --{name}")),
            }
        } else if a.len() > 1 && a.starts_with('-') {
            let shorts: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                j += 1;
                if c == 'h' {
                    p.help = true;
                    continue;
                }
                let f = flags
                    .iter()
                    .find(|f| f.short == Some(c))
                    .ok_or_else(|| format!("unknown shorthand flag: '{c}' in {a}"))?;
                let rest: String = shorts[j..].iter().collect();
                if f.kind == Kind::Bool {
                    if let Some(v) = rest.strip_prefix('=') {
                        set(&mut p, f, v)?;
                        break;
                    }
                    set(&mut p, f, "true")?;
                } else if let Some(v) = rest.strip_prefix('=').or((!rest.is_empty()).then_some(rest.as_str())) {
                    set(&mut p, f, v)?;
                    break;
                } else if i < args.len() {
                    set(&mut p, f, &args[i].clone())?;
                    i += 1;
                    break;
                } else {
                    return Err(format!("flag needs an argument: '{c}' in -{c}"));
                }
            }
        } else {
            p.args.push(a.clone());
            if !interspersed {
                p.args.extend(args[i..].iter().cloned());
                break;
            }
        }
    }
    Ok(p)
}

/// pflag `FlagUsagesWrapped(cols)`: one line per flag, sorted, usage wrapped.
pub fn usages(flags: &[Flag], cols: usize) -> String {
    let mut sorted: Vec<&Flag> = flags.iter().collect();
    sorted.sort_by_key(|f| f.long);
    let mut lines = Vec::new();
    let mut maxlen = 0;
    for f in &sorted {
        let mut line = match f.short {
            Some(s) => format!("  -{s}, --{}", f.long),
            None => format!("      --{}", f.long),
        };
        let (varname, usage) = unquote_usage(f);
        if !varname.is_empty() {
            line.push(' ');
            line.push_str(&varname);
        }
        line.push('\0');
        maxlen = maxlen.max(line.len());
        let mut text = usage;
        if !f.default.is_empty() {
            if f.kind == Kind::String {
                let _ = write!(text, " (default {:?})", f.default);
            } else {
                let _ = write!(text, " (default {})", f.default);
            }
        }
        line.push_str(&text);
        lines.push(line);
    }
    let mut out = String::new();
    for line in lines {
        let sidx = line.find('\0').unwrap_or(line.len());
        let spacing = " ".repeat(maxlen - sidx);
        let _ = writeln!(out, "{} {} {}", &line[..sidx], spacing, wrap(maxlen + 2, cols, &line[sidx + 1..]));
    }
    out
}

/// pflag `UnquoteUsage`: a `backquoted` word names the value, else the type does.
fn unquote_usage(f: &Flag) -> (String, String) {
    let usage = f.usage;
    if let Some(start) = usage.find('`')
        && let Some(len) = usage[start + 1..].find('`')
    {
        let name = &usage[start + 1..start + 1 + len];
        let text = format!("{}{}{}", &usage[..start], name, &usage[start + 2 + len..]);
        return (name.to_string(), text);
    }
    let name = match f.kind {
        Kind::Bool => "",
        k => k.type_name(),
    };
    (name.to_string(), usage.to_string())
}

/// pflag `wrap(i, w, s)`.
fn wrap(i: usize, w: usize, s: &str) -> String {
    if w == 0 {
        return s.replace('\n', &format!("\n{}", " ".repeat(i)));
    }
    let mut i = i;
    let mut width = w as isize - i as isize;
    let mut r = String::new();
    if width < 24 {
        i = 16;
        width = w as isize - i as isize;
        r.push('\n');
        r.push_str(&" ".repeat(i));
    }
    if width < 24 {
        return s.replace('\n', &r);
    }
    let slop = 5;
    let width = (width - slop) as usize;
    let indent = format!("\n{}", " ".repeat(i));
    let (l, mut rest) = wrap_n(width, slop as usize, s);
    r.push_str(&l.replace('\n', &indent));
    while !rest.is_empty() {
        let (t, next) = wrap_n(width, slop as usize, rest);
        r.push_str(&indent);
        r.push_str(&t.replace('\n', &indent));
        rest = next;
    }
    r
}

/// pflag `wrapN`.
fn wrap_n(i: usize, slop: usize, s: &str) -> (String, &str) {
    if i + slop > s.len() {
        return (s.to_string(), "");
    }
    let head = &s[..floor_char(s, i)];
    let Some(w) = head.rfind([' ', '\t', '\n']).filter(|w| *w > 0) else {
        return (s.to_string(), "");
    };
    if let Some(nl) = head.rfind('\n')
        && nl > 0
        && nl < w
    {
        return (s[..nl].to_string(), &s[nl + 1..]);
    }
    (s[..w].to_string(), &s[w + 1..])
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        flag("quiet", Some('q'), Kind::Bool, "", "Only display IDs"),
        flag("format", None, Kind::String, "", "Pretty-print"),
        flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
        flag("task-history-limit", None, Kind::Int64, "5", "Task history retention limit"),
    ];

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_long_short_grouped_and_interspersed() {
        let p = parse(FLAGS, &args(&["a", "-qf", "role=manager", "--format={{.ID}}", "b"]), true).expect("ok");
        assert!(p.bool("quiet"));
        assert_eq!(p.list("filter"), ["role=manager"]);
        assert_eq!(p.string("format"), Some("{{.ID}}"));
        assert_eq!(p.args, ["a", "b"]);
    }

    #[test]
    fn errors_read_like_pflag() {
        assert_eq!(parse(FLAGS, &args(&["--bogus"]), true).unwrap_err(), "unknown flag: --bogus");
        assert_eq!(parse(FLAGS, &args(&["-x"]), true).unwrap_err(), "unknown shorthand flag: 'x' in -x");
        assert_eq!(parse(FLAGS, &args(&["--format"]), true).unwrap_err(), "flag needs an argument: --format");
        assert_eq!(
            parse(FLAGS, &args(&["--task-history-limit", "abc"]), true).unwrap_err(),
            "invalid argument \"abc\" for \"--task-history-limit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            parse(FLAGS, &args(&["-f", "foo"]), true).unwrap_err(),
            "invalid argument \"foo\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
        );
    }

    #[test]
    fn usages_match_docker_help() {
        // `docker node ps --help`, Docker 28.2.2
        let ps = [
            flag("no-trunc", None, Kind::Bool, "", "Do not truncate output"),
            flag("no-resolve", None, Kind::Bool, "", "Do not map IDs to Names"),
            flag("filter", Some('f'), Kind::Filter, "", "Filter output based on conditions provided"),
            flag("format", None, Kind::String, "", "Pretty-print tasks using a Go template"),
            flag("quiet", Some('q'), Kind::Bool, "", "Only display task IDs"),
        ];
        let expected = "  -f, --filter filter   Filter output based on conditions provided
      --format string   Pretty-print tasks using a Go template
      --no-resolve      Do not map IDs to Names
      --no-trunc        Do not truncate output
  -q, --quiet           Only display task IDs
";
        assert_eq!(usages(&ps, 79), expected);
    }
}
