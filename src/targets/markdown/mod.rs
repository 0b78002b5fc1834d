//! The Markdown target: one reference page per struct, enum and union model
//! under `docs/models/`, plus an index, in the layout of
//! `model-docs-format.md` with Rust names and types.
//!
//! Every cell is built here; the templates in `templates/` only place the
//! prepared text on the page.

pub mod cells;
pub mod links;

use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::{GeneratedFile, MapType, Target, Workers, snippets};
use std::collections::BTreeSet;
use std::path::Path;

use crate::error::{Error, Result};
use crate::ir::{Field, Ir, Model, ModelKind, TypeRef, UnionModel};
use links::LinkRules;

/// Default folder of the pages inside the output directory.
pub const DOCS_DIR: &str = "docs/models";

/// The built-in templates, embedded from `templates/`.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("struct.md", include_str!("../../../templates/struct.md")),
    ("enum.md", include_str!("../../../templates/enum.md")),
    ("union.md", include_str!("../../../templates/union.md")),
    ("index.md", include_str!("../../../templates/index.md")),
];

/// The deprecation notice that starts a deprecated field's description.
const DEPRECATED_NOTICE: &str = ": warning: ** DEPRECATED **: This will be removed in a future release, please migrate away from it as soon as possible.";

/// The page templates in use: the built-in ones, each possibly replaced by
/// a file of the same name from an override folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    /// `(name, where it came from, source)` for every template, in the
    /// order of [`DEFAULT_TEMPLATES`]; the origin is `built-in` or a path.
    entries: Vec<(String, String, String)>,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            entries: DEFAULT_TEMPLATES
                .iter()
                .map(|(name, source)| {
                    (
                        (*name).to_string(),
                        format!("built-in {name}"),
                        (*source).to_string(),
                    )
                })
                .collect(),
        }
    }
}

impl Templates {
    /// The built-in templates, with every file of `dir` named like one of
    /// them taking its place. A file in `dir` that is not a template name
    /// (a typo such as `strcut.md`) is an error, so an override is never
    /// silently ignored; dot files are skipped.
    pub fn load(dir: &Path) -> Result<Templates> {
        let read_error = |e: std::io::Error| Error::Read {
            file: dir.to_path_buf(),
            source: e,
        };
        let mut templates = Templates::default();
        let mut names: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_error)? {
            let entry = entry.map_err(read_error)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') {
                names.push(name);
            }
        }
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let Some(slot) = templates.entries.iter_mut().find(|(n, _, _)| *n == name) else {
                let known: Vec<&str> = DEFAULT_TEMPLATES.iter().map(|(n, _)| *n).collect();
                return Err(Error::Usage(format!(
                    "{}: not a template name; the templates are {}",
                    path.display(),
                    known.join(", ")
                )));
            };
            let source = std::fs::read_to_string(&path).map_err(|e| Error::Read {
                file: path.clone(),
                source: e,
            })?;
            slot.1 = path.display().to_string();
            slot.2 = source;
        }
        Ok(templates)
    }

    /// Where each template comes from (`built-in struct.md` or a path).
    pub fn origins(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|(n, o, _)| (n.as_str(), o.as_str()))
    }

    fn origin<'a>(&'a self, name: &'a str) -> &'a str {
        self.entries
            .iter()
            .find(|(n, _, _)| n == name)
            .map_or(name, |(_, o, _)| o.as_str())
    }
}

/// Generates Markdown reference pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownTarget {
    /// Folder of the pages inside the output directory.
    pub docs_dir: String,
    /// Whether to write the index page (`README.md` in the docs folder).
    pub index: bool,
    /// The templates the pages are rendered with.
    pub templates: Templates,
    /// The map type of the Rust code, shown in type cells and snippets.
    pub map_type: MapType,
    /// What root-relative links in descriptions (`/docs/guide`) are
    /// prefixed with (`https://example.com`); without it they are written
    /// as plain text. See [`links`].
    pub link_base: Option<String>,
    /// Threads the pages are rendered on.
    pub workers: Workers,
}

impl Default for MarkdownTarget {
    fn default() -> Self {
        MarkdownTarget {
            docs_dir: DOCS_DIR.to_string(),
            index: true,
            templates: Templates::default(),
            map_type: MapType::default(),
            link_base: None,
            workers: Workers::default(),
        }
    }
}

impl Target for MarkdownTarget {
    fn name(&self) -> &str {
        "markdown"
    }

    fn generate_each(
        &self,
        ir: &Ir,
        emit: &mut dyn FnMut(GeneratedFile) -> Result<()>,
    ) -> Result<()> {
        let env = self.environment()?;
        let dir = self.docs_dir.trim_end_matches('/');
        let with_pages: Vec<&Model> = ir.models.iter().filter(|m| has_page(m)).collect();
        let mut pages: BTreeSet<String> = with_pages.iter().map(|m| page_file(&m.name)).collect();
        if self.index {
            pages.insert("README.md".to_string());
        }
        let links = LinkRules {
            base: self.link_base.as_deref(),
            pages: &pages,
        };
        super::map_in_order(
            &with_pages,
            self.workers,
            || Ok(()),
            |(), model| {
                Ok(GeneratedFile::new(
                    format!("{dir}/{}", page_file(&model.name)),
                    self.render_page(&env, ir, model, links)?,
                ))
            },
            emit,
        )?;
        if self.index {
            emit(GeneratedFile::new(
                format!("{dir}/README.md"),
                self.render(&env, "index.md", context! { table => index_table(ir) })?,
            ))?;
        }
        Ok(())
    }
}

impl MarkdownTarget {
    fn environment(&self) -> Result<Environment<'_>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, origin, source) in &self.templates.entries {
            env.add_template(name, source)
                .map_err(|e| template_error(origin, &e))?;
        }
        Ok(env)
    }

    fn render(&self, env: &Environment<'_>, name: &str, ctx: minijinja::Value) -> Result<String> {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| template_error(self.templates.origin(name), &e))
    }
}

/// A template error naming the template file and line.
fn template_error(origin: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| format!(":{l}")).unwrap_or_default();
    let mut message = format!("template {origin}{line}: {}", e.kind());
    if let Some(detail) = e.detail() {
        message.push_str(": ");
        message.push_str(detail);
    }
    Error::Usage(message)
}

/// Whether a model gets a page (aliases do not: links go to what they name).
pub fn has_page(model: &Model) -> bool {
    !matches!(model.kind, ModelKind::Alias { .. })
}

/// A model's page file name: the type name lower-cased, plus `.md`.
pub fn page_file(type_name: &str) -> String {
    format!("{}.md", type_name.to_lowercase())
}

/// One member of a union page.
#[derive(Serialize)]
struct MemberView {
    heading: String,
    snippet: String,
}

impl MarkdownTarget {
    fn render_page(
        &self,
        env: &Environment<'_>,
        ir: &Ir,
        model: &Model,
        links: LinkRules<'_>,
    ) -> Result<String> {
        let title = &model.name;
        let description = links.apply(model.description.as_deref().unwrap_or_default());
        match &model.kind {
            ModelKind::Struct(s) => {
                let table = fields_table(ir, &s.fields, self.map_type, links);
                self.render(env, "struct.md", context! { title, description, table })
            }
            ModelKind::Enum(e) => {
                let rows: Vec<Vec<String>> = e
                    .variants
                    .iter()
                    .map(|v| vec![format!("`{}::{}`", model.name, v.rust_name), v.value_text()])
                    .collect();
                let table = cells::table(&["Name", "Value"], &rows);
                self.render(env, "enum.md", context! { title, description, table })
            }
            ModelKind::Union(u) => {
                let members = minijinja::Value::from(minijinja::value::Serde(union_members(
                    &model.name,
                    u,
                    self.map_type,
                )));
                self.render(env, "union.md", context! { title, description, members })
            }
            ModelKind::Newtype { inner } => {
                // A struct page with one row: the wrapped value.
                let field = Field {
                    wire_name: String::new(),
                    rust_name: "0".to_string(),
                    ty: inner.clone(),
                    required: true,
                    nullable: false,
                    boxed: false,
                    default: None,
                    description: model.description.clone(),
                    example: model.example.clone(),
                    deprecated: false,
                    read_only: false,
                    write_only: false,
                };
                let table = fields_table(ir, std::slice::from_ref(&field), self.map_type, links);
                self.render(env, "struct.md", context! { title, description, table })
            }
            ModelKind::Alias { .. } => Err(Error::Usage(format!(
                "internal error: alias {} has no page",
                model.name
            ))),
        }
    }
}

/// The members of a union page in spec order, each with its snippet.
fn union_members(union_name: &str, union: &UnionModel, map_type: MapType) -> Vec<MemberView> {
    let mut variants: Vec<_> = union.variants.iter().collect();
    variants.sort_by_key(|v| v.spec_index);
    variants
        .into_iter()
        .map(|v| MemberView {
            heading: v.rust_name.clone(),
            snippet: snippets::union_member(union_name, v, map_type.rust_path()),
        })
        .collect()
}

/// The Type cell: leaves in italics or as links, wrappers around them.
pub fn type_cell(ir: &Ir, ty: &TypeRef, map_type: MapType) -> String {
    let map_name = map_type
        .rust_path()
        .rsplit("::")
        .next()
        .unwrap_or("BTreeMap");
    match ir.resolve_alias(ty) {
        TypeRef::Primitive { primitive } => format!("*{}*", primitive.rust_type()),
        TypeRef::External { path } => format!("*{path}*"),
        TypeRef::Model { name } => format!("[{name}]({})", page_file(name)),
        TypeRef::Array { items } => format!("Vec<{}>", type_cell(ir, items, map_type)),
        TypeRef::Map { values } => {
            format!("{map_name}<String, {}>", type_cell(ir, values, map_type))
        }
        TypeRef::Nullable { inner } => format!("Option<{}>", type_cell(ir, inner, map_type)),
        TypeRef::Any => "*serde_json::Value*".to_string(),
        TypeRef::Fallback { reason } => {
            format!(
                "*serde_json::Value* (not typed exactly: {})",
                reason.label()
            )
        }
    }
}

fn fields_table(ir: &Ir, fields: &[Field], map_type: MapType, links: LinkRules<'_>) -> String {
    let with_example = fields.iter().any(|f| f.example.is_some());
    let rows: Vec<Vec<String>> = fields
        .iter()
        .map(|field| {
            let name = if field.deprecated {
                format!("~~`{}`~~", field.rust_name)
            } else {
                format!("`{}`", field.rust_name)
            };
            let mut ty = type_cell(ir, &field.ty, map_type);
            if field.boxed {
                ty = format!("Box<{ty}>");
            }
            if field.is_optional() {
                ty = format!("Option<{ty}>");
            }
            let required = if field.required && field.default.is_none() {
                ":heavy_check_mark:"
            } else {
                ":heavy_minus_sign:"
            };
            let description = match (
                field.description.as_deref().map(|d| links.apply(d)),
                field.deprecated,
            ) {
                (Some(d), true) => format!("{DEPRECATED_NOTICE}\n\n{d}"),
                (None, true) => DEPRECATED_NOTICE.to_string(),
                (Some(d), false) => d,
                (None, false) => "N/A".to_string(),
            };
            let mut row = vec![name, ty, required.to_string(), description];
            if with_example {
                row.push(
                    field
                        .example
                        .as_ref()
                        .map(|e| links::no_links(&cells::example_text(e)))
                        .unwrap_or_default(),
                );
            }
            row
        })
        .collect();
    let mut header = vec!["Field", "Type", "Required", "Description"];
    if with_example {
        header.push("Example");
    }
    cells::table(&header, &rows)
}

/// Longest summary on the index page, in characters (before `…`).
const INDEX_SUMMARY_CHARS: usize = 120;

/// A model's summary for the index: the first non-empty line of its
/// description, links written as their words (a cut must not split one),
/// cut after at most [`INDEX_SUMMARY_CHARS`] characters at a
/// space (or mid-word when there is none) and ended with `…`. Every cell of
/// a table is padded to its widest cell, so one long summary would
/// otherwise widen all rows of the index (8 MB for Stripe's 2,600 models).
fn index_summary(description: Option<&str>) -> String {
    let Some(line) = description.and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
    else {
        return "N/A".to_string();
    };
    let line = &links::plain(line);
    match line.char_indices().nth(INDEX_SUMMARY_CHARS) {
        None => line.to_string(),
        Some((limit, _)) => {
            let head = line.get(..limit).unwrap_or(line);
            let cut = head.rfind(' ').filter(|&i| i > 0).unwrap_or(limit);
            let kept = head.get(..cut).unwrap_or(head).trim_end();
            format!("{kept}…")
        }
    }
}

/// The index page's table: every model with a page and its summary line.
fn index_table(ir: &Ir) -> String {
    let rows: Vec<Vec<String>> = ir
        .models
        .iter()
        .filter(|m| has_page(m))
        .map(|m| {
            let kind = match m.kind {
                ModelKind::Struct(_) => "struct",
                ModelKind::Enum(_) => "enum",
                ModelKind::Union(_) => "union",
                ModelKind::Alias { .. } => "alias",
                ModelKind::Newtype { .. } => "newtype",
            };
            vec![
                format!("[{}]({})", m.name, page_file(&m.name)),
                kind.to_string(),
                index_summary(m.description.as_deref()),
            ]
        })
        .collect();
    cells::table(&["Model", "Kind", "Description"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_summary_is_the_first_line_cut_at_a_space() {
        assert_eq!(index_summary(None), "N/A");
        assert_eq!(index_summary(Some("\n  \nShort one.\nMore.")), "Short one.");
        let long = format!("{} tail", "word ".repeat(30));
        let summary = index_summary(Some(&long));
        assert!(summary.ends_with("word…"), "{summary}");
        assert!(summary.chars().count() <= INDEX_SUMMARY_CHARS + 1);
        let unbroken = "x".repeat(200);
        assert_eq!(
            index_summary(Some(&unbroken)),
            format!("{}…", "x".repeat(INDEX_SUMMARY_CHARS))
        );
        let exact = "é".repeat(INDEX_SUMMARY_CHARS);
        assert_eq!(index_summary(Some(&exact)), exact);
    }
}
