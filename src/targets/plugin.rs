//! External targets (plugins): any program that reads the IR as JSON on its
//! standard input and answers the files to write as JSON on its standard
//! output. The protocol is described in `docs/plugins.md`; the IR's JSON
//! Schema is [`ir_json_schema`] (checked in as `docs/ir.schema.json`).

use std::collections::BTreeSet;
use std::io::{ErrorKind, Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ir::Ir;
use crate::targets::{GeneratedFile, Target};

/// How many of the last lines of a failing plugin's standard error go into
/// the error message.
const STDERR_TAIL_LINES: usize = 20;

/// What a plugin must print, shown in error messages.
const ANSWER_FORMAT: &str =
    r#"one JSON object {"files": [{"path": "relative/path", "contents": "text"}, ...]}"#;

/// The IR as pretty-printed JSON, ending with a newline: what a plugin reads
/// on its standard input.
///
/// The output is deterministic: fields come in declaration order (`version`
/// first), lists in the IR's own fixed order, and JSON values from the spec
/// (examples, defaults) keep the spec's key order.
pub fn ir_json(ir: &Ir) -> String {
    to_pretty_json(ir)
}

/// The JSON Schema (draft 2020-12) of [`ir_json`]'s output, pretty-printed and
/// ending with a newline. It is checked in as `docs/ir.schema.json`.
///
/// It describes what the generator writes: every field is always present
/// (absent optional values are `null`).
pub fn ir_json_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Ir>();
    to_pretty_json(&schema)
}

fn to_pretty_json(value: &impl serde::Serialize) -> String {
    // Serializing these types cannot fail: every map has string keys and no
    // `Serialize` impl returns an error of its own. Should that ever change,
    // the JSON would say so rather than panicking.
    let mut text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    text.push('\n');
    text
}

/// An external target: a program run once per generation that reads
/// [`ir_json`] on its standard input and prints the files it wants written
/// (see `docs/plugins.md`).
///
/// Its files go into the same list as the built-in targets' ones, so they are
/// written (or checked) the same way; a path that another target also
/// produces is refused by [`crate::Generator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginTarget {
    name: String,
    program: String,
    args: Vec<String>,
    current_dir: Option<PathBuf>,
    forward_stderr: bool,
}

impl PluginTarget {
    /// A plugin that runs `program` (looked up in `PATH` unless it contains
    /// a `/`) with `args`, without a shell.
    pub fn new<I, S>(program: impl Into<String>, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let program = program.into();
        let args: Vec<String> = args.into_iter().map(Into::into).collect();
        let words = std::iter::once(program.as_str()).chain(args.iter().map(String::as_str));
        let name =
            shlex::try_join(words.clone()).unwrap_or_else(|_| words.collect::<Vec<_>>().join(" "));
        PluginTarget {
            name,
            program,
            args,
            current_dir: None,
            forward_stderr: true,
        }
    }

    /// A plugin given as one command line, split into words like a POSIX
    /// shell does (quotes and backslashes; no variables, globs or pipes):
    /// `python3 'my plugins/gen.py' --flag`.
    ///
    /// An empty line or unbalanced quotes are an [`Error::Usage`].
    pub fn from_command_line(line: &str) -> Result<Self> {
        let words = shlex::split(line).ok_or_else(|| {
            Error::Usage(format!(
                "plugin command `{line}`: cannot split it into words (unbalanced quotes or a trailing backslash?)"
            ))
        })?;
        let mut words = words.into_iter();
        let Some(program) = words.next() else {
            return Err(Error::Usage(format!(
                "plugin command `{line}` is empty: give a program to run"
            )));
        };
        let mut plugin = PluginTarget::new(program, words);
        plugin.name = line.trim().to_string();
        Ok(plugin)
    }

    /// Runs the plugin in `dir` instead of the current directory. A relative
    /// program path (`./gen.py`) is best avoided then: whether it is found
    /// from the old or the new directory depends on the platform.
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.current_dir = Some(dir.into());
        self
    }

    /// Whether the plugin's standard error is copied to ours as it comes
    /// (default: yes, so plugins can log). Either way the last lines of it
    /// go into the error when the plugin fails.
    pub fn forward_stderr(mut self, on: bool) -> Self {
        self.forward_stderr = on;
        self
    }

    /// The program run.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// Its arguments.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::Plugin {
            command: self.name.clone(),
            message: message.into(),
        }
    }

    /// Runs the program with `input` on its standard input.
    fn run(&self, input: &[u8]) -> Result<RunOutput> {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = &self.current_dir {
            command.current_dir(dir);
        }
        let mut child = command.spawn().map_err(|e| {
            let why = match e.kind() {
                ErrorKind::NotFound => match &self.current_dir {
                    Some(dir) if !dir.is_dir() => {
                        format!("working directory `{}` does not exist", dir.display())
                    }
                    _ => "program not found".to_string(),
                },
                ErrorKind::PermissionDenied => "permission denied (is it executable?)".to_string(),
                _ => e.to_string(),
            };
            self.error(format!("cannot start `{}`: {why}", self.program))
        })?;

        let (stdin, stdout, stderr) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take());
        let forward = self.forward_stderr;
        // Three streams at once: writing all of a large IR before reading
        // would deadlock once the plugin fills its output pipe.
        let (written, stdout, stderr) = std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> std::io::Result<()> {
                let Some(mut stdin) = stdin else {
                    return Ok(());
                };
                stdin.write_all(input)?;
                stdin.flush()
                // Dropping `stdin` closes the pipe: the plugin sees EOF.
            });
            let errors = scope.spawn(move || read_all(stderr, forward));
            let out = read_all(stdout, false);
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
            let err = errors
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("reader thread panicked")));
            (written, out, err)
        });
        let status = child
            .wait()
            .map_err(|e| self.error(format!("cannot wait for it to finish: {e}")))?;
        let stdout =
            stdout.map_err(|e| self.error(format!("cannot read its standard output: {e}")))?;
        let stderr = stderr.unwrap_or_default();
        Ok(RunOutput {
            status,
            written,
            stdout,
            stderr,
        })
    }
}

/// What a run gave back.
struct RunOutput {
    status: ExitStatus,
    written: std::io::Result<()>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Reads a pipe to its end in large chunks, copying each to our standard
/// error when `forward` is on.
fn read_all(pipe: Option<impl Read>, forward: bool) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    let Some(mut pipe) = pipe else {
        return Ok(all);
    };
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match pipe.read(&mut buffer) {
            Ok(0) => return Ok(all),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buffer.get(..n).unwrap_or_default();
        if forward {
            // Best effort: a closed standard error must not fail the run.
            let _ = std::io::stderr().lock().write_all(chunk);
        }
        all.extend_from_slice(chunk);
    }
}

/// The last `STDERR_TAIL_LINES` lines of `stderr`, indented, for a message.
fn stderr_tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.trim_end().lines().collect();
    if lines.is_empty() {
        return "its standard error was empty".to_string();
    }
    let skipped = lines.len().saturating_sub(STDERR_TAIL_LINES);
    let mut out = if skipped > 0 {
        format!(
            "last {STDERR_TAIL_LINES} lines of its standard error ({skipped} before them not shown):"
        )
    } else {
        "its standard error:".to_string()
    };
    for line in lines.iter().skip(skipped) {
        out.push_str("\n  ");
        out.push_str(line);
    }
    out
}

/// The answer a plugin prints on its standard output.
///
/// `Deserialize` is written by hand so that only JSON objects are accepted
/// (derived impls also take arrays), with no unknown or repeated keys.
#[derive(Debug)]
struct Answer {
    files: Vec<AnswerFile>,
}

/// One file of the answer.
#[derive(Debug)]
struct AnswerFile {
    path: String,
    contents: String,
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = Answer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"an object {"files": [...]}"#)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Answer, A::Error> {
                let mut files = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "files" => set_once(&mut files, "files", map.next_value()?)?,
                        other => return Err(serde::de::Error::unknown_field(other, &["files"])),
                    }
                }
                Ok(Answer {
                    files: files.ok_or_else(|| serde::de::Error::missing_field("files"))?,
                })
            }
        }
        d.deserialize_map(Fields)
    }
}

impl<'de> Deserialize<'de> for AnswerFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = AnswerFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"an object {"path": "relative/path", "contents": "text"}"#)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<AnswerFile, A::Error> {
                const FIELDS: &[&str] = &["path", "contents"];
                let (mut path, mut contents) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "path" => set_once(&mut path, "path", map.next_value()?)?,
                        "contents" => set_once(&mut contents, "contents", map.next_value()?)?,
                        other => return Err(serde::de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(AnswerFile {
                    path: path.ok_or_else(|| serde::de::Error::missing_field("path"))?,
                    contents: contents
                        .ok_or_else(|| serde::de::Error::missing_field("contents"))?,
                })
            }
        }
        d.deserialize_map(Fields)
    }
}

/// Stores a field's value, refusing a key given twice.
fn set_once<T, E: serde::de::Error>(
    slot: &mut Option<T>,
    name: &'static str,
    value: T,
) -> std::result::Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

/// Why a path from a plugin is refused, if it is.
fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("the path is empty");
    }
    if path.contains('\\') {
        return Some("it contains a backslash (use `/` between folders)");
    }
    if path.contains('\0') {
        return Some("it contains a NUL character");
    }
    if path.starts_with('/') {
        return Some("it is absolute (give a path relative to the output directory)");
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.first().is_some_and(|s| s.ends_with(':')) {
        return Some(
            "it starts with a drive letter (give a path relative to the output directory)",
        );
    }
    if segments
        .first()
        .is_some_and(|s| s.starts_with(".oapi-models-"))
    {
        return Some(
            "names starting with `.oapi-models-` are reserved for the generator's own files",
        );
    }
    if segments.contains(&"..") {
        return Some("it has a `..` segment (files must stay inside the output directory)");
    }
    if segments.iter().any(|s| s.is_empty() || *s == ".") {
        return Some("it has an empty or `.` segment (write `a/b`, not `a//b`, `./a` or `a/`)");
    }
    None
}

impl Target for PluginTarget {
    /// The command line.
    fn name(&self) -> &str {
        &self.name
    }

    /// Runs the program once with [`ir_json`] on its standard input and
    /// hands on the files of its answer.
    fn generate_each(
        &self,
        ir: &Ir,
        emit: &mut dyn FnMut(GeneratedFile) -> Result<()>,
    ) -> Result<()> {
        for file in self.answer(ir)? {
            emit(file)?;
        }
        Ok(())
    }
}

impl PluginTarget {
    /// Runs the program once with [`ir_json`] on its standard input and
    /// reads its answer.
    fn answer(&self, ir: &Ir) -> Result<Vec<GeneratedFile>> {
        let input = ir_json(ir);
        let out = self.run(input.as_bytes())?;

        if !out.status.success() {
            let how = match out.status.code() {
                Some(code) => format!("exited with status {code}"),
                None => format!("was stopped ({})", out.status),
            };
            return Err(self.error(format!("{how}; {}", stderr_tail(&out.stderr))));
        }
        if let Err(e) = &out.written {
            // A plugin may stop reading early (it needs only part of the IR):
            // a closed pipe is fine as long as it succeeded.
            if e.kind() != ErrorKind::BrokenPipe {
                return Err(self.error(format!("cannot write the IR to its standard input: {e}")));
            }
        }

        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Err(self.error(format!(
                "printed nothing on its standard output; expected {ANSWER_FORMAT}"
            )));
        }
        let answer: Answer = serde_json::from_slice(&out.stdout).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Data => "is JSON but not an answer",
                _ => "is not valid JSON",
            };
            self.error(format!(
                "its standard output {what}: {e}; expected {ANSWER_FORMAT}"
            ))
        })?;

        let mut seen = BTreeSet::new();
        let mut files = Vec::with_capacity(answer.files.len());
        for file in answer.files {
            if let Some(why) = path_problem(&file.path) {
                return Err(self.error(format!("refusing the path {:?}: {why}", file.path)));
            }
            if !seen.insert(file.path.clone()) {
                return Err(self.error(format!(
                    "refusing the path {:?}: it is answered twice",
                    file.path
                )));
            }
            files.push(GeneratedFile::new(file.path, file.contents));
        }
        Ok(files)
    }
}

/// Which target produced each output path so far, to refuse clashes as
/// files arrive: two files with one path (from one target or two), or a
/// file where another target's file needs a folder (`a` and `a/b`): either
/// would make the output depend on write order. The error names the path
/// and both targets; its `command` is the later target.
#[derive(Debug, Default)]
pub(crate) struct OutputOwners {
    owners: std::collections::BTreeMap<String, String>,
}

impl OutputOwners {
    /// Records that `target` produces `path`; an error if another file
    /// already has that path, is inside it, or contains it.
    pub(crate) fn claim(&mut self, target: &str, path: &std::path::Path) -> Result<()> {
        let path = path.to_string_lossy().replace('\\', "/");
        let owners = &self.owners;
        let clash = |message: String| Error::Plugin {
            command: target.to_string(),
            message,
        };
        if let Some(other) = owners.get(&path) {
            return Err(clash(format!(
                "the file `{path}` is written by both `{other}` and `{target}`"
            )));
        }
        // `path` is a folder of a file seen before?
        let prefix = format!("{path}/");
        if let Some((inner, other)) = owners.range(prefix.clone()..).next()
            && inner.starts_with(&prefix)
        {
            return Err(clash(format!(
                "the file `{path}` of `{target}` is a folder of `{inner}` written by `{other}`"
            )));
        }
        // A folder of `path` is a file seen before?
        let mut folder = path.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if let Some(other) = owners.get(parent) {
                return Err(clash(format!(
                    "the file `{path}` of `{target}` is inside `{parent}`, a file written by `{other}`"
                )));
            }
            folder = parent;
        }
        self.owners.insert(path, target.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_outputs_refuse_clashes() {
        let f = |p: &str| GeneratedFile::new(p, "");
        let merge_outputs =
            |outputs: Vec<(&str, Vec<GeneratedFile>)>| -> Result<Vec<GeneratedFile>> {
                let mut owners = OutputOwners::default();
                let mut files = Vec::new();
                for (target, produced) in outputs {
                    for file in produced {
                        owners.claim(target, &file.path)?;
                        files.push(file);
                    }
                }
                Ok(files)
            };
        let ok = merge_outputs(vec![("a", vec![f("x/y"), f("x-z")]), ("b", vec![f("x/w")])]);
        assert_eq!(ok.map(|v| v.len()).ok(), Some(3));

        let twice = merge_outputs(vec![
            ("rust", vec![f("src/m.rs")]),
            ("gen", vec![f("src/m.rs")]),
        ])
        .unwrap_err();
        assert_eq!(
            twice.to_string(),
            "plugin `gen`: the file `src/m.rs` is written by both `rust` and `gen`"
        );
        let folder = merge_outputs(vec![("rust", vec![f("src/m.rs")]), ("gen", vec![f("src")])])
            .unwrap_err();
        assert_eq!(
            folder.to_string(),
            "plugin `gen`: the file `src` of `gen` is a folder of `src/m.rs` written by `rust`"
        );
        let inside = merge_outputs(vec![("gen", vec![f("src"), f("src/a/b")])]).unwrap_err();
        assert_eq!(
            inside.to_string(),
            "plugin `gen`: the file `src/a/b` of `gen` is inside `src`, a file written by `gen`"
        );
    }

    #[test]
    fn command_lines_split_like_a_shell() {
        let p = PluginTarget::from_command_line(r#"  python3 'my dir/gen.py' --x "a b" c\ d  "#)
            .unwrap();
        assert_eq!(p.program(), "python3");
        assert_eq!(p.args(), ["my dir/gen.py", "--x", "a b", "c d"]);
        assert_eq!(p.name(), r#"python3 'my dir/gen.py' --x "a b" c\ d"#);
    }

    #[test]
    fn bad_command_lines_are_usage_errors() {
        for line in ["", "   ", "python3 'open", "say \"hi"] {
            let err = PluginTarget::from_command_line(line).unwrap_err();
            assert!(matches!(err, Error::Usage(_)), "{line:?}: {err}");
            assert_eq!(err.exit_code(), 2);
        }
    }

    #[test]
    fn new_quotes_its_name() {
        let p = PluginTarget::new("gen", ["a b", "c"]);
        assert_eq!(p.name(), "gen 'a b' c");
    }

    #[test]
    fn paths_are_checked() {
        for ok in ["a", "a/b.md", "plugin/summary.md", ".hidden/x", "a..b"] {
            assert_eq!(path_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a\\b",
            "a//b",
            "./a",
            "a/",
            "a/.",
            "C:/x",
            "a\0b",
            ".oapi-models-manifest",
            ".oapi-models-staging/x",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?} accepted");
        }
    }

    #[test]
    fn stderr_tail_keeps_the_last_lines() {
        assert_eq!(stderr_tail(b""), "its standard error was empty");
        assert_eq!(
            stderr_tail(b"one\ntwo\n"),
            "its standard error:\n  one\n  two"
        );
        let many: String = (1..=25).map(|i| format!("line {i}\n")).collect();
        let tail = stderr_tail(many.as_bytes());
        assert!(tail.starts_with(
            "last 20 lines of its standard error (5 before them not shown):\n  line 6\n"
        ));
        assert!(tail.ends_with("\n  line 25"));
    }
}
