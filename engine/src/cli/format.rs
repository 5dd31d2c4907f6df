//! docker/cli's formatter: Go templates with docker's extra functions, `table`
//! formats written through a tabwriter set like Go's `NewWriter(out, 10, 1, 3, ' ', 0)`.

use gotmpl::{Template, Value};
use std::io::Write;
use std::sync::Arc;

pub const TABLE_PREFIX: &str = "table";

/// docker/cli `flagsHelper.FormatHelp`: `--format` of list commands.
pub const FORMAT_HELP: &str = "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";
/// docker/cli `flagsHelper.InspectFormatHelp`: `--format` of inspect and info commands.
pub const INSPECT_FORMAT_HELP: &str = "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

/// Any serializable value as template data.
pub fn data<T: serde::Serialize>(v: &T) -> Value {
    gotmpl::to_value(v).unwrap_or(Value::Nil)
}

/// A row of template data: field names to values.
pub fn row<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    Value::Map(Arc::new(fields.into_iter().map(|(k, v)| (Arc::from(k), v)).collect()))
}

/// A string as template data.
pub fn text(v: impl Into<String>) -> Value {
    Value::String(Arc::from(v.into().as_str()))
}

/// docker/cli `formatter.Ellipsis` to `width` display columns.
pub fn ellipsis(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Int(i) => (*i).into(),
        Value::Uint(u) => (*u).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::String(s) => s.as_ref().into(),
        Value::List(l) => l.iter().map(to_json).collect(),
        Value::Map(m) => m.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect::<serde_json::Map<_, _>>().into(),
        _ => serde_json::Value::Null,
    }
}

fn str_arg(args: &[Value], i: usize) -> String {
    args.get(i)
        .map(|v| match v {
            Value::String(s) => s.to_string(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

fn int_arg(args: &[Value], i: usize) -> i64 {
    args.get(i).and_then(Value::as_int).unwrap_or(0)
}

/// docker/cli `templates.basicFunctions`.
fn is_byte(v: &Value) -> bool {
    matches!(v, Value::Int(n) if (0..=255).contains(n)) || matches!(v, Value::Uint(n) if *n <= 255)
}

fn docker_funcs() -> gotmpl::FuncMap {
    let mut m = gotmpl::FuncMap::new();
    let s = |v: String| Ok(Value::String(v.into()));
    m.insert(
        "json".into(),
        Arc::new(|a: &[Value]| Ok(Value::String(to_json(a.first().unwrap_or(&Value::Nil)).to_string().into()))),
    );
    m.insert(
        "split".into(),
        Arc::new(|a: &[Value]| {
            let parts: Vec<Value> =
                str_arg(a, 0).split(str_arg(a, 1).as_str()).map(|p| Value::String(p.into())).collect();
            Ok(Value::List(parts.into()))
        }),
    );
    m.insert(
        "join".into(),
        Arc::new(move |a: &[Value]| {
            let sep = str_arg(a, 1);
            let items: Vec<String> = match a.first() {
                Some(Value::List(l)) => l.iter().map(|v| str_arg(std::slice::from_ref(v), 0)).collect(),
                _ => Vec::new(),
            };
            s(items.join(&sep))
        }),
    );
    // Go's printf prints a []byte (a secret's or config's data) as text under %s;
    // gotmpl sees a list of numbers, so turn such lists into strings first.
    m.insert(
        "printf".into(),
        Arc::new(|a: &[Value]| {
            let args: Vec<Value> = a
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::List(l) if i > 0 && !l.is_empty() && l.iter().all(is_byte) => {
                        let bytes: Vec<u8> = l.iter().map(|b| int_arg(std::slice::from_ref(b), 0) as u8).collect();
                        Value::String(String::from_utf8_lossy(&bytes).into_owned().into())
                    }
                    other => other.clone(),
                })
                .collect();
            let call: String = (0..args.len()).map(|i| format!(" (index .A {i})")).collect();
            let t = Template::new("")
                .parse(&format!("{{{{printf{call}}}}}"))
                .map_err(|e| gotmpl::TemplateError::Exec(e.to_string()))?;
            let data =
                Value::Map(Arc::new(std::collections::BTreeMap::from([(Arc::from("A"), Value::List(args.into()))])));
            Ok(Value::String(t.execute_to_string(&data)?.into()))
        }),
    );
    m.insert("title".into(), Arc::new(move |a: &[Value]| s(title(&str_arg(a, 0)))));
    m.insert("lower".into(), Arc::new(move |a: &[Value]| s(str_arg(a, 0).to_lowercase())));
    m.insert("upper".into(), Arc::new(move |a: &[Value]| s(str_arg(a, 0).to_uppercase())));
    m.insert(
        "pad".into(),
        Arc::new(move |a: &[Value]| {
            let (l, r) = (int_arg(a, 1).max(0) as usize, int_arg(a, 2).max(0) as usize);
            s(format!("{}{}{}", " ".repeat(l), str_arg(a, 0), " ".repeat(r)))
        }),
    );
    m.insert(
        "truncate".into(),
        Arc::new(move |a: &[Value]| {
            let text = str_arg(a, 0);
            let n = int_arg(a, 1).max(0) as usize;
            s(if text.chars().count() > n { text.chars().take(n).collect() } else { text })
        }),
    );
    m
}

/// The template a list command prints with, as docker/cli's formatter chooses: its
/// `--format`, else its table, or the IDs alone with `--quiet`.
pub(crate) fn list_template<'a>(format: &'a str, quiet: bool, table: &'a str) -> &'a str {
    match format {
        "" | "table" if quiet => "{{.ID}}",
        "" | "table" => table,
        other => other,
    }
}

/// Go's deprecated `strings.Title`: upper-cases the first letter of each word.
pub fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter && c.is_alphanumeric() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

/// docker/cli `templates.Parse`.
pub fn parse(src: &str) -> Result<Template, String> {
    Template::new("").funcs(docker_funcs()).parse(src).map_err(|e| go_template_error(&e.to_string()))
}

/// Go names the (unnamed) template and the line only: `template: :1: unclosed action`
/// where gotmpl says `template: 1:23: unclosed action`.
fn go_template_error(msg: &str) -> String {
    let Some(rest) = msg.strip_prefix("template: ") else { return msg.to_string() };
    let mut parts = rest.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(line), Some(col), Some(text))
            if line.chars().all(|c| c.is_ascii_digit()) && col.chars().all(|c| c.is_ascii_digit()) =>
        {
            format!("template: :{line}:{text}")
        }
        _ => msg.to_string(),
    }
}

/// A `--format` value as docker/cli's `formatter.Context.preFormat` prepares it.
pub struct Format {
    pub table: bool,
    pub template: String,
}

impl Format {
    pub fn new(src: &str) -> Format {
        let table = src.starts_with(TABLE_PREFIX);
        let body = if table {
            &src[TABLE_PREFIX.len()..]
        } else if src == "json" {
            "{{json .}}"
        } else {
            src
        };
        let template = body.trim_matches(' ').replace("\\t", "\t").replace("\\n", "\n");
        Format { table, template }
    }
}

/// Renders rows (and, for tables, a header) as docker/cli's formatter does.
pub fn write(format: &Format, header: &Value, rows: &[Value]) -> Result<String, String> {
    let tmpl = parse(&format.template).map_err(|e| format!("template parsing error: {e}"))?;
    let mut body = String::new();
    for row in rows {
        body.push_str(&tmpl.execute_to_string(row).map_err(|e| e.to_string())?);
        body.push('\n');
    }
    if !format.table {
        return Ok(body);
    }
    let head = tmpl.execute_to_string(header).map_err(|e| e.to_string())?;
    Ok(tabulate(&format!("{head}\n{body}")))
}

/// Go's `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
pub fn tabulate(text: &str) -> String {
    let mut tw = tabwriter::TabWriter::new(Vec::new()).minwidth(7).padding(3);
    let _ = tw.write_all(text.as_bytes());
    let _ = tw.flush();
    String::from_utf8(tw.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// docker/cli `formatter.PrettyPrint` for strings: first letter upper, rest lower.
pub fn pretty(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        None => String::new(),
        Some(f) => f.to_uppercase().chain(c.as_str().to_lowercase().chars()).collect(),
    }
}

/// Go's natural sort order (`fvbommel/sortorder.NaturalLess`).
pub fn natural_less(a: &str, b: &str) -> bool {
    natural_cmp(a, b) == std::cmp::Ordering::Less
}

/// An object as a `--format` template sees it. Our data come from JSON, but templates
/// print Go values: a secret's or config's `Spec.Data` is `[]byte` (`[112 111 …]`) and
/// a reference's `File.Mode` is an `os.FileMode` (`-r--r--r--`). Plain `json` output keeps
/// the JSON (base64, numbers).
pub fn template_data(object: &impl serde::Serialize, format: &str) -> Value {
    let mut v = serde_json::to_value(object).unwrap_or_default();
    if format != "json" {
        if let Some(d) = v.pointer_mut("/Spec/Data") {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD.decode(d.as_str().unwrap_or("")).unwrap_or_default();
            *d = serde_json::json!(bytes);
        }
        go_file_modes(&mut v);
    }
    data(&v)
}

fn go_file_modes(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(mode) = map.get_mut("File").and_then(|f| f.get_mut("Mode")).filter(|m| m.is_u64()) {
                *mode = serde_json::json!(file_mode(mode.as_u64().unwrap_or(0) as u32));
            }
            map.values_mut().for_each(go_file_modes);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(go_file_modes),
        _ => {}
    }
}

/// Go's `os.FileMode.String()` for a regular file's permission bits.
fn file_mode(mode: u32) -> String {
    let mut s = String::from("-");
    for (i, c) in "rwxrwxrwx".chars().enumerate() {
        s.push(if mode & (1 << (8 - i)) != 0 { c } else { '-' });
    }
    s
}

/// The ` - key=value` lines docker's pretty templates print for labels (` - key` when
/// the value is empty).
pub fn label_lines(labels: &crate::types::Labels) -> String {
    labels.iter().map(|(k, v)| if v.is_empty() { format!(" - {k}\n") } else { format!(" - {k}={v}\n") }).collect()
}

pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        let (ca, cb) = (ab[i], bb[j]);
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i] == b'0' {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j] == b'0' {
                j += 1;
            }
            let (ni, nj) = (i, j);
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let (da, db) = (&ab[ni..i], &bb[nj..j]);
            let ord = da.len().cmp(&db.len()).then_with(|| da.cmp(db)).then_with(|| (ni - si).cmp(&(nj - sj)));
            if ord != Ordering::Equal {
                return ord;
            }
        } else {
            if ca != cb {
                return ca.cmp(&cb);
            }
            i += 1;
            j += 1;
        }
    }
    (ab.len() - i).cmp(&(bb.len() - j))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_puts_node10_after_node9() {
        let mut v = vec!["node10", "node9", "node1", "alpha"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["alpha", "node1", "node9", "node10"]);
    }

    #[test]
    fn empty_table_prints_docker_header_widths() {
        let out = tabulate("ID\tNAME\tIMAGE\tNODE\tDESIRED STATE\tCURRENT STATE\tERROR\tPORTS\n");
        assert_eq!(out, "ID        NAME      IMAGE     NODE      DESIRED STATE   CURRENT STATE   ERROR     PORTS\n");
    }

    #[test]
    fn docker_template_functions() {
        let t = parse(r#"{{upper "ab"}} {{join (split "a,b" ",") "+"}} {{title "hello world"}} {{truncate "abcdef" 3}}|{{pad "x" 1 2}}|"#).expect("parses");
        assert_eq!(t.execute_to_string(&Value::Nil).expect("runs"), "AB a+b Hello World abc| x  |");
    }
}
