//! The Markdown target: one reference page per struct, enum and union model
//! under `docs/models/`, plus an index, in the layout of
//! `model-docs-format.md` with Rust names and types.
//!
//! Every cell is built here; the templates in `templates/` only place the
//! prepared text on the page.

pub mod cells;

use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::{GeneratedFile, Target, snippets};
use crate::error::{Error, Result};
use crate::ir::{Field, Ir, Model, ModelKind, TypeRef, UnionModel};

/// Folder of the pages inside the output directory.
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

/// Generates Markdown reference pages.
#[derive(Debug, Clone, Default)]
pub struct MarkdownTarget {}

impl Target for MarkdownTarget {
    fn name(&self) -> &str {
        "markdown"
    }

    fn generate(&self, ir: &Ir) -> Result<Vec<GeneratedFile>> {
        let env = environment()?;
        let mut files = Vec::new();
        for model in ir.models.iter().filter(|m| has_page(m)) {
            let contents = render_page(&env, ir, model)?;
            files.push(GeneratedFile::new(
                format!("{DOCS_DIR}/{}", page_file(&model.name)),
                contents,
            ));
        }
        files.push(GeneratedFile::new(
            format!("{DOCS_DIR}/README.md"),
            render(&env, "index.md", context! { table => index_table(ir) })?,
        ));
        Ok(files)
    }
}

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in DEFAULT_TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| Error::Usage(format!("template {name}: {e}")))?;
    }
    Ok(env)
}

fn render(env: &Environment<'_>, name: &str, ctx: minijinja::Value) -> Result<String> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| Error::Usage(format!("template {name}: {e}")))
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

fn render_page(env: &Environment<'_>, ir: &Ir, model: &Model) -> Result<String> {
    let title = &model.name;
    let description = model.description.as_deref().unwrap_or_default();
    match &model.kind {
        ModelKind::Struct(s) => {
            let table = fields_table(ir, &s.fields);
            render(env, "struct.md", context! { title, description, table })
        }
        ModelKind::Enum(e) => {
            let rows: Vec<Vec<String>> = e
                .variants
                .iter()
                .map(|v| vec![format!("`{}::{}`", model.name, v.rust_name), v.value_text()])
                .collect();
            let table = cells::table(&["Name", "Value"], &rows);
            render(env, "enum.md", context! { title, description, table })
        }
        ModelKind::Union(u) => {
            let members =
                minijinja::Value::from(minijinja::value::Serde(union_members(&model.name, u)));
            render(env, "union.md", context! { title, description, members })
        }
        ModelKind::Alias { .. } => Err(Error::Usage(format!(
            "internal error: alias {} has no page",
            model.name
        ))),
    }
}

/// The members of a union page in spec order, each with its snippet.
fn union_members(union_name: &str, union: &UnionModel) -> Vec<MemberView> {
    let mut variants: Vec<_> = union.variants.iter().collect();
    variants.sort_by_key(|v| v.spec_index);
    variants
        .into_iter()
        .map(|v| MemberView {
            heading: v.rust_name.clone(),
            snippet: snippets::union_member(union_name, v),
        })
        .collect()
}

/// The Type cell: leaves in italics or as links, wrappers around them.
pub fn type_cell(ir: &Ir, ty: &TypeRef) -> String {
    match ir.resolve_alias(ty) {
        TypeRef::Primitive { primitive } => format!("*{}*", primitive.rust_type()),
        TypeRef::External { path } => format!("*{path}*"),
        TypeRef::Model { name } => format!("[{name}]({})", page_file(name)),
        TypeRef::Array { items } => format!("Vec<{}>", type_cell(ir, items)),
        TypeRef::Map { values } => format!("BTreeMap<String, {}>", type_cell(ir, values)),
        TypeRef::Nullable { inner } => format!("Option<{}>", type_cell(ir, inner)),
        TypeRef::Any => "*serde_json::Value*".to_string(),
    }
}

fn fields_table(ir: &Ir, fields: &[Field]) -> String {
    let with_example = fields.iter().any(|f| f.example.is_some());
    let rows: Vec<Vec<String>> = fields
        .iter()
        .map(|field| {
            let name = if field.deprecated {
                format!("~~`{}`~~", field.rust_name)
            } else {
                format!("`{}`", field.rust_name)
            };
            let mut ty = type_cell(ir, &field.ty);
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
            let description = match (&field.description, field.deprecated) {
                (Some(d), true) => format!("{DEPRECATED_NOTICE}\n\n{d}"),
                (None, true) => DEPRECATED_NOTICE.to_string(),
                (Some(d), false) => d.clone(),
                (None, false) => "N/A".to_string(),
            };
            let mut row = vec![name, ty, required.to_string(), description];
            if with_example {
                row.push(
                    field
                        .example
                        .as_ref()
                        .map(cells::example_text)
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
            };
            let summary = m
                .description
                .as_deref()
                .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                .unwrap_or("N/A");
            vec![
                format!("[{}]({})", m.name, page_file(&m.name)),
                kind.to_string(),
                summary.to_string(),
            ]
        })
        .collect();
    cells::table(&["Model", "Kind", "Description"], &rows)
}
