//! Joins a spec made of several files (relative `$ref`s) into one document.
//!
//! Rules:
//! - A `$ref` is resolved relative to the file that holds it; a local ref
//!   (`#/…`) inside another file points into *that* file. Refs in the root
//!   file that stay in the root file are left exactly as written.
//! - In a schema position (see [`super::walk`]) a ref to another file
//!   becomes `#/components/schemas/<Name>` (Swagger 2.0:
//!   `#/definitions/<Name>`) and the target schema is added there. The name
//!   is `X` when the target is (or is the `$ref` of) the entry
//!   `components.schemas.X`; otherwise the file stem without any extension
//!   for a whole-file target, or the pointer's last token. A clash with
//!   another target appends `2`, `3`, …, targets taken in order of
//!   (canonical path, pointer); one target always gets one name.
//! - In any other position a ref to another file is replaced by a copy of
//!   its target, whose own refs are then resolved relative to the target's
//!   file. A cycle of such copies is an error. (3.1+: `summary` and
//!   `description` beside such a ref override the target's.)
//! - 3.1+: a `$defs` inside a schema from another file is hoisted: each entry
//!   becomes a component like any other target.
//! - Errors name the file that holds the bad `$ref` and the pointer of the
//!   `$ref` in it: a missing file, a file outside the allowed folder (by
//!   default the root spec's folder), a pointer with nothing at it, a URL,
//!   an anchor (`#name`).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::walk::{
    Ctx, deep_clone, fragment, measure, pointer_from_tokens, pointer_tokens, ref_of, sanitize_name,
    settle, unique_name, walk_mut,
};
use super::{LoadOptions, parse_text_with, percent_decode, read_text_named, too_deep};
use crate::error::{Error, Result, escape_pointer_token};

/// Most nodes that copying referenced content may create in all (guards
/// against a small set of files that expands exponentially).
const MAX_COPIED_NODES: usize = 10_000_000;

/// Most non-schema references copied one inside another (bounds the
/// cycle-check chain, which is dropped recursively).
const MAX_NESTED_COPIES: usize = 1_000;

/// Most `$ref`s followed in the middle of one pointer.
const MAX_HOPS: usize = 64;

/// Marks a schema `$ref` whose component name is decided at the end. A user
/// `$ref` with this text would have been read as a (missing) file name.
const SENTINEL: &str = "\u{0}oapi-bundle:";

/// What kind of document the root is, as far as bundling cares.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flavor {
    /// Swagger 2.0: components live in `definitions`.
    pub swagger2: bool,
    /// OpenAPI 3.1 or later: hoist `$defs`, honour `summary`/`description` beside refs.
    pub v31: bool,
}

/// The joined document and every file that was read.
#[derive(Debug)]
pub(crate) struct Bundled {
    /// The document with only local refs left.
    pub document: Value,
    /// The root file, then every other file read, sorted.
    pub files: Vec<PathBuf>,
    /// Discriminator mapping entries left out because their target cannot
    /// be read (a mapping only names tags; the members are the schemas).
    pub warnings: Vec<super::Warning>,
}

/// Joins `document` (read from `path`) with the files it refers to (call
/// it only when some `$ref` names another file).
/// `options.ref_root` is the folder refs may not leave (default: the spec's
/// folder); the size and depth limits apply to every file read.
pub(crate) fn bundle(
    path: &Path,
    document: Value,
    flavor: Flavor,
    options: &LoadOptions,
) -> Result<Bundled> {
    let canonical = path.canonicalize().map_err(|source| Error::Read {
        file: path.to_path_buf(),
        source,
    })?;
    let boundary = match options.ref_root.as_deref() {
        Some(dir) => dir.canonicalize().map_err(|source| Error::Read {
            file: dir.to_path_buf(),
            source,
        })?,
        None => canonical
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
    };
    let mut bundler = Bundler {
        files: vec![SourceFile {
            canonical: canonical.clone(),
            display: path.to_path_buf(),
            doc: deep_clone(&document),
        }],
        by_path: HashMap::from([(canonical, ROOT)]),
        boundary,
        flavor,
        targets: Vec::new(),
        target_ids: HashMap::new(),
        contents: Vec::new(),
        entry_locs: HashMap::new(),
        copied_nodes: 0,
        max_bytes: options.max_bytes,
        max_depth: options.max_depth,
        warnings: Vec::new(),
    };
    let mut document = document;
    bundler.walk(&mut document, Ctx::Root, ROOT, String::new(), 0)?;
    let mut next = 0;
    while let Some(loc) = bundler.targets.get(next).cloned() {
        if !bundler.entry_locs.contains_key(&loc) {
            let mut content = deep_clone(bundler.value_at(&loc)?);
            if 3 + measure(&content).0 > bundler.max_depth {
                return Err(bundler.error(
                    loc.file,
                    &loc.ptr,
                    too_deep(
                        bundler.max_depth,
                        "placed among the components, this schema",
                    ),
                ));
            }
            bundler.walk(&mut content, Ctx::Schema, loc.file, loc.ptr.clone(), 3)?;
            if let Some(slot) = bundler.contents.get_mut(next) {
                *slot = Some(content);
            }
        }
        next += 1;
    }
    bundler.finish(document)
}

/// Index of a file in [`Bundler::files`]; the root is 0.
type FileId = usize;
const ROOT: FileId = 0;

/// A file that was read.
struct SourceFile {
    /// Its canonical path (identity, boundary checks).
    canonical: PathBuf,
    /// The path errors and [`Bundled::files`] show: the root as given, the
    /// others joined lexically to the folder of the file that named them.
    display: PathBuf,
    /// Its content as parsed (the root: before any change).
    doc: Value,
}

/// A place in a file: what a `$ref` points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Loc {
    file: FileId,
    /// A JSON pointer in canonical escaped form.
    ptr: String,
}

/// The chain of non-schema copies that led to a node, for cycle errors.
struct Chain {
    loc: Loc,
    /// Links in the chain, this one included.
    len: usize,
    next: Option<Rc<Chain>>,
}

/// One step of a node's path in the file it came from.
#[derive(Clone, Copy)]
enum Step<'a> {
    /// Start of a copied subtree: an absolute pointer (index into `bases`).
    Base(usize),
    Key(&'a str),
    Index(usize),
}

/// A node waiting to be walked.
struct Item<'a> {
    node: &'a mut Value,
    ctx: Ctx,
    depth: usize,
    step: Step<'a>,
    file: FileId,
    chain: Option<Rc<Chain>>,
    /// For a `components.schemas` entry: its name.
    entry_name: Option<&'a str>,
}

struct Bundler {
    files: Vec<SourceFile>,
    by_path: HashMap<PathBuf, FileId>,
    /// Canonical folder that no referenced file may be outside of.
    boundary: PathBuf,
    flavor: Flavor,
    /// Schema targets that become components, in order of discovery.
    targets: Vec<Loc>,
    target_ids: HashMap<Loc, usize>,
    /// The walked copy of each target (None for entry locations).
    contents: Vec<Option<Value>>,
    /// Places in other files that are entries of `components.schemas`, with their names.
    entry_locs: HashMap<Loc, String>,
    /// Values created so far by copying non-schema targets in place.
    copied_nodes: usize,
    /// Largest file read, in bytes.
    max_bytes: u64,
    /// Deepest nesting of any file and of the joined document.
    max_depth: usize,
    /// See [`Bundled::warnings`].
    warnings: Vec<super::Warning>,
}

impl Bundler {
    fn error(&self, file: FileId, pointer: &str, message: impl Into<String>) -> Error {
        let display = self
            .files
            .get(file)
            .map_or_else(PathBuf::new, |f| f.display.clone());
        Error::spec(display, pointer, message)
    }

    fn display(&self, file: FileId) -> String {
        self.files
            .get(file)
            .map_or_else(String::new, |f| f.display.display().to_string())
    }

    /// Walks `root` (in context `ctx`, from `file` at pointer `base`, placed
    /// `base_depth` levels deep in the output), resolving every `$ref`.
    fn walk(
        &mut self,
        root: &mut Value,
        ctx: Ctx,
        file: FileId,
        base: String,
        base_depth: usize,
    ) -> Result<()> {
        let swagger2 = self.flavor.swagger2;
        let mut bases = vec![base];
        let mut path: Vec<Step<'_>> = Vec::new();
        let start_ctx = settle(ctx, root);
        let mut stack = vec![Item {
            node: root,
            ctx: start_ctx,
            depth: 0,
            step: Step::Base(0),
            file,
            chain: None,
            entry_name: None,
        }];
        while let Some(item) = stack.pop() {
            let Item {
                node,
                ctx,
                depth,
                step,
                mut file,
                mut chain,
                entry_name,
            } = item;
            path.truncate(depth);
            path.push(step);
            // Resolve the node's own `$ref`, again after each copy.
            while let Value::Object(map) = &mut *node {
                let Some(reference) = ref_of(map) else { break };
                if file == ROOT && reference.starts_with('#') {
                    break;
                }
                let reference = reference.to_string();
                let at = format!("{}/$ref", source_pointer(&path, &bases));
                let target = self.locate(file, &reference, &at)?;
                if target.file == ROOT {
                    map.insert("$ref".to_string(), Value::String(fragment(&target.ptr)));
                    break;
                }
                if ctx.is_schema() {
                    let id = self.target(target);
                    map.insert("$ref".to_string(), Value::String(format!("{SENTINEL}{id}")));
                    break;
                }
                let mut link = chain.as_deref();
                while let Some(c) = link {
                    if c.loc == target {
                        return Err(self.error(
                            file,
                            &at,
                            format!(
                                "$ref {reference:?} makes a cycle: {}#{} includes itself through references that are copied in place",
                                self.display(target.file),
                                target.ptr
                            ),
                        ));
                    }
                    link = c.next.as_deref();
                }
                let mut content = deep_clone(self.value_at(&target)?);
                if self.flavor.v31
                    && let Value::Object(inlined) = &mut content
                {
                    for key in ["summary", "description"] {
                        if let Some(v) = map.get(key) {
                            inlined.insert(key.to_string(), deep_clone(v));
                        }
                    }
                }
                let (content_height, content_nodes) = measure(&content);
                if base_depth + depth + content_height > self.max_depth {
                    return Err(self.error(
                        file,
                        &at,
                        too_deep(
                            self.max_depth,
                            &format!("$ref {reference:?}: copied here, its content"),
                        ),
                    ));
                }
                self.copied_nodes += content_nodes;
                if self.copied_nodes > MAX_COPIED_NODES {
                    return Err(self.error(
                        file,
                        &at,
                        format!(
                            "$ref {reference:?}: copying referenced content in place would create more than {MAX_COPIED_NODES} values"
                        ),
                    ));
                }
                *node = content;
                bases.push(target.ptr.clone());
                if let Some(last) = path.last_mut() {
                    *last = Step::Base(bases.len() - 1);
                }
                let len = chain.as_ref().map_or(0, |c| c.len) + 1;
                if len > MAX_NESTED_COPIES {
                    return Err(self.error(
                        file,
                        &at,
                        format!(
                            "$ref {reference:?}: more than {MAX_NESTED_COPIES} references copied one inside another"
                        ),
                    ));
                }
                file = target.file;
                chain = Some(Rc::new(Chain {
                    loc: target,
                    len,
                    next: chain,
                }));
            }
            if ctx.is_schema()
                && let Value::Object(map) = &mut *node
            {
                if ctx == Ctx::ComponentEntry
                    && file != ROOT
                    && let Some(name) = entry_name
                {
                    let loc = Loc {
                        file,
                        ptr: source_pointer(&path, &bases),
                    };
                    self.entry_locs
                        .entry(loc)
                        .or_insert_with(|| name.to_string());
                }
                if self.flavor.v31
                    && file != ROOT
                    && let Some(Value::Object(defs)) = map.shift_remove("$defs")
                {
                    let here = source_pointer(&path, &bases);
                    for key in defs.keys() {
                        self.target(Loc {
                            file,
                            ptr: format!("{here}/$defs/{}", escape_pointer_token(key)),
                        });
                    }
                }
                self.discriminator_mapping(map, file, &path, &bases)?;
            }
            // Children.
            match node {
                Value::Object(map) => {
                    let name_map = ctx.is_name_map();
                    let start = stack.len();
                    for (key, child) in map.iter_mut() {
                        if name_map && key == "$ref" && child.is_string() {
                            continue;
                        }
                        let child_ctx = settle(ctx.child(key, swagger2), child);
                        if !child_ctx.follows_refs() {
                            continue;
                        }
                        stack.push(Item {
                            node: child,
                            ctx: child_ctx,
                            depth: depth + 1,
                            step: Step::Key(key),
                            file,
                            chain: chain.clone(),
                            entry_name: (ctx == Ctx::ComponentSchemas).then_some(key.as_str()),
                        });
                    }
                    if let Some(pushed) = stack.get_mut(start..) {
                        pushed.reverse();
                    }
                }
                Value::Array(items) => {
                    let element = ctx.element();
                    if element.follows_refs() {
                        let start = stack.len();
                        for (i, child) in items.iter_mut().enumerate() {
                            let child_ctx = settle(element, child);
                            stack.push(Item {
                                node: child,
                                ctx: child_ctx,
                                depth: depth + 1,
                                step: Step::Index(i),
                                file,
                                chain: chain.clone(),
                                entry_name: None,
                            });
                        }
                        if let Some(pushed) = stack.get_mut(start..) {
                            pushed.reverse();
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Rewrites `discriminator.mapping` values that refer to other files.
    fn discriminator_mapping(
        &mut self,
        map: &mut Map<String, Value>,
        file: FileId,
        path: &[Step<'_>],
        bases: &[String],
    ) -> Result<()> {
        let Some(Value::Object(mapping)) = map
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        else {
            return Ok(());
        };
        let mut unreadable = Vec::new();
        for (key, value) in mapping.iter_mut() {
            let Value::String(reference) = value else {
                continue;
            };
            if !mapping_is_ref(reference) || (file == ROOT && reference.starts_with('#')) {
                continue;
            }
            let at = format!(
                "{}/discriminator/mapping/{}",
                source_pointer(path, bases),
                escape_pointer_token(key)
            );
            let reference_text = reference.clone();
            let target = match self.locate(file, &reference_text, &at) {
                Ok(target) => target,
                Err(error) => {
                    // The members are resolved on their own; an entry that
                    // names nothing readable only loses its tag value.
                    let reason = error.to_string();
                    let reason = reason.split_once(": ").map_or(reason.as_str(), |(_, r)| r);
                    self.warnings.push(super::Warning {
                        pointer: at,
                        message: format!(
                            "discriminator mapping {key:?} left out: its target cannot be read ({reason})"
                        ),
                    });
                    unreadable.push(key.clone());
                    continue;
                }
            };
            *reference = if target.file == ROOT {
                fragment(&target.ptr)
            } else {
                format!("{SENTINEL}{}", self.target(target))
            };
        }
        for key in unreadable {
            mapping.shift_remove(&key);
        }
        Ok(())
    }

    /// The id of a schema target, registering it the first time.
    fn target(&mut self, loc: Loc) -> usize {
        if let Some(&id) = self.target_ids.get(&loc) {
            return id;
        }
        let id = self.targets.len();
        self.targets.push(loc.clone());
        self.target_ids.insert(loc, id);
        self.contents.push(None);
        id
    }

    /// The value at a place that [`Bundler::locate`] returned.
    fn value_at(&self, loc: &Loc) -> Result<&Value> {
        self.files
            .get(loc.file)
            .and_then(|f| f.doc.pointer(&loc.ptr))
            .ok_or_else(|| {
                self.error(
                    loc.file,
                    &loc.ptr,
                    "internal error: a resolved reference has nothing at its pointer",
                )
            })
    }

    /// Resolves `reference`, written in `from` at pointer `at`, to the place
    /// it finally points at (following refs met in the middle of the pointer).
    fn locate(&mut self, from: FileId, reference: &str, at: &str) -> Result<Loc> {
        let mut loc = self.locate_shallow(from, reference, at)?;
        let mut hops = 0;
        loop {
            let Some(tokens) = pointer_tokens(&loc.ptr) else {
                return Err(self.error(
                    from,
                    at,
                    format!("$ref {reference:?}: {:?} is not a JSON pointer", loc.ptr),
                ));
            };
            let mut current = match self.files.get(loc.file) {
                Some(f) => &f.doc,
                None => return Err(self.error(from, at, "internal error: unknown file")),
            };
            let mut detour: Option<(String, usize)> = None;
            let mut missing = false;
            for (i, token) in tokens.iter().enumerate() {
                match current {
                    Value::Object(map) => {
                        if let Some(child) = map.get(token.as_str()) {
                            current = child;
                        } else if let Some(r) = ref_of(map) {
                            detour = Some((r.to_string(), i));
                            break;
                        } else {
                            missing = true;
                            break;
                        }
                    }
                    Value::Array(items) => {
                        match token.parse::<usize>().ok().and_then(|i| items.get(i)) {
                            Some(child) => current = child,
                            None => {
                                missing = true;
                                break;
                            }
                        }
                    }
                    _ => {
                        missing = true;
                        break;
                    }
                }
            }
            if missing {
                return Err(self.error(
                    from,
                    at,
                    format!(
                        "$ref {reference:?} points nowhere: {} has nothing at {:?}",
                        self.display(loc.file),
                        loc.ptr
                    ),
                ));
            }
            let Some((next_ref, index)) = detour else {
                return Ok(loc);
            };
            hops += 1;
            if hops > MAX_HOPS {
                return Err(self.error(
                    from,
                    at,
                    format!("$ref {reference:?}: more than {MAX_HOPS} references to follow"),
                ));
            }
            let prefix = pointer_from_tokens(tokens.get(..index).unwrap_or_default());
            let ref_at = format!("{prefix}/$ref");
            let base = self.locate_shallow(loc.file, &next_ref, &ref_at)?;
            let rest = pointer_from_tokens(tokens.get(index..).unwrap_or_default());
            loc = Loc {
                file: base.file,
                ptr: format!("{}{rest}", base.ptr),
            };
        }
    }

    /// Splits a reference into file and pointer and opens the file; does not
    /// look at the pointer.
    fn locate_shallow(&mut self, from: FileId, reference: &str, at: &str) -> Result<Loc> {
        let (file_part, fragment_part) = match reference.split_once('#') {
            Some((f, g)) => (f, Some(g)),
            None => (reference, None),
        };
        let pointer = match fragment_part {
            None => String::new(),
            Some(g) => {
                let decoded = percent_decode(g);
                match pointer_tokens(&decoded) {
                    Some(tokens) => pointer_from_tokens(&tokens),
                    None => {
                        return Err(self.error(
                            from,
                            at,
                            format!(
                                "$ref {reference:?}: only JSON pointer fragments (`#/…`) are supported, not anchors"
                            ),
                        ));
                    }
                }
            }
        };
        let file = if file_part.is_empty() {
            from
        } else {
            self.open(from, file_part, reference, at)?
        };
        Ok(Loc { file, ptr: pointer })
    }

    /// Opens (once) the file that `from` names as `relative`.
    fn open(&mut self, from: FileId, relative: &str, reference: &str, at: &str) -> Result<FileId> {
        if is_url(relative) {
            return Err(self.error(
                from,
                at,
                format!(
                    "$ref {reference:?} is a URL: only references to files beside the spec are supported"
                ),
            ));
        }
        let relative = PathBuf::from(percent_decode(relative));
        let (from_canonical, from_display) = match self.files.get(from) {
            Some(f) => (f.canonical.clone(), f.display.clone()),
            None => return Err(self.error(from, at, "internal error: unknown file")),
        };
        let absolute = lexical(&parent_of(&from_canonical).join(&relative));
        let display = lexical(&parent_of(&from_display).join(&relative));
        if !absolute.starts_with(&self.boundary) {
            return Err(self.outside(from, at, reference, &display));
        }
        let canonical = match absolute.canonicalize() {
            Ok(c) => c,
            Err(_) if !absolute.exists() => {
                return Err(self.error(
                    from,
                    at,
                    format!(
                        "$ref {reference:?} refers to the file {}, which does not exist",
                        display.display()
                    ),
                ));
            }
            Err(source) => {
                return Err(Error::Read {
                    file: display,
                    source,
                });
            }
        };
        if !canonical.starts_with(&self.boundary) {
            return Err(self.outside(from, at, reference, &display));
        }
        if let Some(&id) = self.by_path.get(&canonical) {
            return Ok(id);
        }
        let text = read_text_named(&canonical, &display, self.max_bytes)?;
        let doc = parse_text_with(&display, &text, self.max_depth)?;
        let id = self.files.len();
        self.files.push(SourceFile {
            canonical: canonical.clone(),
            display,
            doc,
        });
        self.by_path.insert(canonical, id);
        Ok(id)
    }

    fn outside(&self, from: FileId, at: &str, reference: &str, display: &Path) -> Error {
        self.error(
            from,
            at,
            format!(
                "$ref {reference:?} refers outside the spec's folder {}: {}",
                self.boundary.display(),
                display.display()
            ),
        )
    }

    /// Names the targets, adds them to the components and writes the final refs.
    fn finish(mut self, mut document: Value) -> Result<Bundled> {
        let swagger2 = self.flavor.swagger2;
        let (container, prefix) = if swagger2 {
            (vec!["definitions"], "#/definitions/")
        } else {
            (vec!["components", "schemas"], "#/components/schemas/")
        };
        let Some(root) = document.as_object_mut() else {
            return Err(self.error(
                ROOT,
                "",
                "not an OpenAPI document: the top level is not an object",
            ));
        };
        let mut names: Vec<Option<String>> = vec![None; self.targets.len()];
        for (id, loc) in self.targets.iter().enumerate() {
            if let (Some(name), Some(slot)) = (self.entry_locs.get(loc), names.get_mut(id)) {
                *slot = Some(name.clone());
            }
        }
        // The components map, created when missing.
        let mut slot: &mut Map<String, Value> = root;
        let mut container_pointer = String::new();
        for key in &container {
            container_pointer.push('/');
            container_pointer.push_str(key);
            let entry = slot
                .entry(key.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            match entry {
                Value::Object(m) => slot = m,
                _ => {
                    return Err(self.error(
                        ROOT,
                        &container_pointer,
                        "expected an object of named schemas",
                    ));
                }
            }
        }
        let components = std::mem::take(slot);
        let mut taken: HashSet<String> = components.keys().cloned().collect();
        // Entries that are just a `$ref` to a target give it their name.
        let mut fills: HashMap<String, usize> = HashMap::new();
        for (key, value) in &components {
            if let Some(id) = pure_sentinel(value)
                && let Some(name @ None) = names.get_mut(id)
            {
                *name = Some(key.clone());
                fills.insert(key.clone(), id);
            }
        }
        // The others, in order of (canonical path, pointer).
        let mut rest: Vec<usize> = (0..self.targets.len())
            .filter(|id| names.get(*id).is_some_and(Option::is_none))
            .collect();
        rest.sort_by(|a, b| {
            let key = |id: &usize| {
                self.targets.get(*id).map(|loc| {
                    (
                        self.files.get(loc.file).map(|f| f.canonical.as_path()),
                        loc.ptr.as_str(),
                    )
                })
            };
            key(a).cmp(&key(b))
        });
        for &id in &rest {
            let base = self
                .targets
                .get(id)
                .map_or_else(String::new, |loc| self.base_name(loc));
            let name = unique_name(&base, &taken);
            taken.insert(name.clone());
            if let Some(slot) = names.get_mut(id) {
                *slot = Some(name);
            }
        }
        let mut merged = Map::new();
        for (key, value) in components {
            let value = match fills.get(&key) {
                Some(&id) => self
                    .contents
                    .get_mut(id)
                    .and_then(Option::take)
                    .unwrap_or(value),
                None => value,
            };
            merged.insert(key, value);
        }
        for &id in &rest {
            if let (Some(Some(name)), Some(content)) = (
                names.get(id),
                self.contents.get_mut(id).and_then(Option::take),
            ) {
                merged.insert(name.clone(), content);
            }
        }
        *slot = merged;
        // Final refs.
        let refs: Vec<String> = names
            .iter()
            .map(|n| {
                n.as_deref().map_or_else(String::new, |n| {
                    format!("{prefix}{}", escape_pointer_token(n).replace('%', "%25"))
                })
            })
            .collect();
        let resolve = |text: &mut String| {
            if let Some(id) = text.strip_prefix(SENTINEL)
                && let Some(r) = id.parse::<usize>().ok().and_then(|i| refs.get(i))
            {
                *text = r.clone();
            }
        };
        walk_mut(&mut document, Ctx::Root, swagger2, |value, ctx| {
            if let Value::Object(map) = value {
                if let Some(Value::String(r)) = map.get_mut("$ref") {
                    resolve(r);
                }
                if ctx.is_schema()
                    && let Some(Value::Object(mapping)) = map
                        .get_mut("discriminator")
                        .and_then(|d| d.get_mut("mapping"))
                {
                    for v in mapping.values_mut() {
                        if let Value::String(r) = v {
                            resolve(r);
                        }
                    }
                }
            }
            Ok(())
        })?;
        let mut others: Vec<PathBuf> = self
            .files
            .iter()
            .skip(1)
            .map(|f| f.display.clone())
            .collect();
        others.sort();
        others.dedup();
        let mut files = vec![
            self.files
                .first()
                .map_or_else(PathBuf::new, |f| f.display.clone()),
        ];
        files.extend(others);
        Ok(Bundled {
            document,
            files,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    /// The name a target gets before clashes: the file stem for a whole
    /// file, else the pointer's last token.
    fn base_name(&self, loc: &Loc) -> String {
        let stem = self
            .files
            .get(loc.file)
            .and_then(|f| f.canonical.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.split('.').next())
            .unwrap_or_default();
        let last = pointer_tokens(&loc.ptr)
            .and_then(|t| t.last().cloned())
            .unwrap_or_default();
        let raw = if last.is_empty() { stem } else { last.as_str() };
        let name = sanitize_name(raw);
        if name.is_empty() {
            "Schema".to_string()
        } else {
            name
        }
    }
}

/// The target id of a value that is exactly `{"$ref": <sentinel>}`.
fn pure_sentinel(value: &Value) -> Option<usize> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    ref_of(map)?.strip_prefix(SENTINEL)?.parse().ok()
}

/// The pointer, in its source file, of the node at the end of `path`.
fn source_pointer(path: &[Step<'_>], bases: &[String]) -> String {
    let start = path
        .iter()
        .rposition(|s| matches!(s, Step::Base(_)))
        .unwrap_or(0);
    let mut out = match path.get(start) {
        Some(Step::Base(i)) => bases.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    for step in path.iter().skip(start + 1) {
        match step {
            Step::Base(_) => {}
            Step::Key(k) => {
                out.push('/');
                out.push_str(&escape_pointer_token(k));
            }
            Step::Index(i) => {
                out.push('/');
                out.push_str(&i.to_string());
            }
        }
    }
    out
}

/// Whether a discriminator mapping value refers to another file.
pub(crate) fn mapping_is_external(value: &str) -> bool {
    mapping_is_ref(value) && !value.starts_with('#')
}

/// Whether a discriminator mapping value is a reference rather than a schema name.
fn mapping_is_ref(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    value.contains('#')
        || value.contains('/')
        || lower.ends_with(".json")
        || lower.ends_with(".yaml")
        || lower.ends_with(".yml")
}

/// Whether a reference's file part is a URL (`https://…`, `file:…`).
fn is_url(file_part: &str) -> bool {
    match file_part.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The folder of a file path (`""` for a bare file name).
fn parent_of(path: &Path) -> PathBuf {
    path.parent().map_or_else(PathBuf::new, Path::to_path_buf)
}

/// Removes `.` and folds `name/..` without touching the disk.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_paths() {
        assert_eq!(lexical(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(lexical(Path::new("../x/../../y")), PathBuf::from("../../y"));
        assert_eq!(lexical(Path::new("/a/../../b")), PathBuf::from("/b"));
        assert_eq!(
            lexical(Path::new("spec/../common/E.json")),
            PathBuf::from("common/E.json")
        );
    }

    #[test]
    fn urls_and_mapping_refs() {
        assert!(is_url("https://example.com/a.yaml"));
        assert!(is_url("file:///a.yaml"));
        assert!(!is_url("a.yaml"));
        assert!(!is_url("C"));
        assert!(mapping_is_ref("Cat.yaml"));
        assert!(mapping_is_ref("#/components/schemas/Cat"));
        assert!(!mapping_is_ref("Cat"));
    }

    #[test]
    fn source_pointers() {
        let bases = vec![String::new(), "/x~1y".to_string()];
        let path = [Step::Base(0), Step::Key("a"), Step::Base(1), Step::Index(2)];
        assert_eq!(source_pointer(&path, &bases), "/x~1y/2");
        let path = [Step::Base(0), Step::Key("a/b"), Step::Index(0)];
        assert_eq!(source_pointer(&path, &bases), "/a~1b/0");
    }
}
