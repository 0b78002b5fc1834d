//! Unions: `oneOf`/`anyOf` as enums of their members, tagged by a
//! `discriminator` (tag values from `mapping`, the members' constants or
//! their names) or untagged (members ordered most specific first);
//! properties beside a `oneOf` distributed over its members; and cycles of
//! unions that would make serde recurse without end, broken before any is
//! built.

use super::*;

/// What a union on a cycle of unions and aliases becomes.
pub(super) enum UnionFix {
    /// The indices (in `oneOf`/`anyOf`) of the members dropped.
    Drop(BTreeSet<usize>),
    /// The union lists only itself: a type made only of itself, an error
    /// with this message.
    OnlyItself(String),
    /// The union leads back to itself through unions that accept more than
    /// its other members: it falls back (this message says why).
    Refuse(String),
}

/// Where a node of the union cycle graph comes from, while it is being filled.
pub(super) enum PassSource<'a> {
    /// A component that is a `$ref` to another.
    Ref(&'a str),
    /// A schema, at the node's pointer.
    Schema(&'a Schema),
}

/// The graph of unions and aliases that [`break_union_cycles`] works on,
/// with each node's pointer and, for a component, its name.
#[derive(Default)]
pub(super) struct PassGraph<'a> {
    pub(super) nodes: Vec<PassNode>,
    pub(super) pointers: Vec<String>,
    pub(super) names: Vec<Option<&'a str>>,
    /// `oneOf` or `anyOf`, for a union node.
    pub(super) keys: Vec<&'static str>,
    pub(super) by_pointer: HashMap<String, usize>,
    /// Identity of a value (a component's pointer, an inline schema's JSON
    /// text, `null`) → its id.
    pub(super) value_ids: HashMap<String, usize>,
    pub(super) pending: Vec<(usize, PassSource<'a>)>,
}

impl<'a> PassGraph<'a> {
    pub(super) fn value_id(&mut self, identity: String) -> usize {
        let next = self.value_ids.len();
        *self.value_ids.entry(identity).or_insert(next)
    }

    /// The node at `pointer`, made (as a leaf, to be filled from `source`) if new.
    pub(super) fn node(
        &mut self,
        pointer: String,
        name: Option<&'a str>,
        source: PassSource<'a>,
    ) -> usize {
        if let Some(&i) = self.by_pointer.get(&pointer) {
            return i;
        }
        let i = self.nodes.len();
        self.nodes.push(PassNode {
            union: false,
            edges: Vec::new(),
            own: Vec::new(),
        });
        self.pointers.push(pointer.clone());
        self.names.push(name);
        self.keys.push("oneOf");
        self.by_pointer.insert(pointer, i);
        self.pending.push((i, source));
        i
    }

    /// A leaf node holding the value `identity` (a schema the builder
    /// reports an error for, or a replaced component).
    pub(super) fn leaf(&mut self, pointer: String, identity: String) -> usize {
        if let Some(&i) = self.by_pointer.get(&pointer) {
            return i;
        }
        let id = self.value_id(identity);
        let i = self.nodes.len();
        self.nodes.push(PassNode {
            union: false,
            edges: Vec::new(),
            own: vec![id],
        });
        self.pointers.push(pointer.clone());
        self.names.push(None);
        self.keys.push("oneOf");
        self.by_pointer.insert(pointer, i);
        i
    }

    /// How a node is named in messages.
    pub(super) fn label(&self, i: usize) -> String {
        match (self.names.get(i).copied().flatten(), self.pointers.get(i)) {
            (Some(name), _) => name.to_string(),
            (None, Some(pointer)) => format!("#{pointer}"),
            (None, None) => String::new(),
        }
    }
}

/// Orders the members of untagged unions so that reading tries the most
/// specific first: objects with a constant tag, objects with more required
/// and more listed properties, enums, arrays, maps, then scalars, with
/// `String` and `serde_json::Value` last. Ties keep the spec order.
pub(super) fn order_untagged_variants(ir: &mut Ir) {
    let ranks: Vec<Option<Vec<(u8, usize, usize)>>> = ir
        .models
        .iter()
        .map(|m| match &m.kind {
            ModelKind::Union(u) if u.tagging == UnionTagging::Untagged => {
                Some(u.variants.iter().map(|v| specificity(ir, &v.ty)).collect())
            }
            _ => None,
        })
        .collect();
    for (model, ranks) in ir.models.iter_mut().zip(ranks) {
        let (ModelKind::Union(u), Some(ranks)) = (&mut model.kind, ranks) else {
            continue;
        };
        let mut ranked: Vec<(UnionVariant, (u8, usize, usize))> =
            u.variants.drain(..).zip(ranks).collect();
        ranked.sort_by_key(|(_, rank)| *rank);
        u.variants = ranked.into_iter().map(|(v, _)| v).collect();
    }
}

/// Sort key for an untagged union member: lower is tried first.
pub(super) fn specificity(ir: &Ir, ty: &TypeRef) -> (u8, usize, usize) {
    let ty = ir.resolve_alias(ty);
    match ty {
        TypeRef::Nullable { inner } => specificity(ir, inner),
        TypeRef::Model { name } => match ir.model(name).map(|m| &m.kind) {
            Some(ModelKind::Struct(s)) => {
                let has_tag = s.fields.iter().any(|f| {
                    f.required
                        && matches!(ir.resolve_alias(&f.ty), TypeRef::Model { name }
                            if matches!(ir.model(name).map(|m| &m.kind),
                                Some(ModelKind::Enum(e)) if e.variants.len() == 1 && e.catch_all.is_none()))
                });
                let required = s.fields.iter().filter(|f| f.required).count();
                (
                    if has_tag { 0 } else { 1 },
                    usize::MAX - required,
                    usize::MAX - s.fields.len(),
                )
            }
            Some(ModelKind::Union(_)) => (2, 0, 0),
            Some(ModelKind::Enum(e)) if e.catch_all.is_none() => (3, 0, 0),
            Some(ModelKind::Enum(_)) => (4, 0, 0),
            _ => (12, 0, 0),
        },
        TypeRef::Array { .. } => (5, 0, 0),
        TypeRef::Map { .. } => (6, 0, 0),
        TypeRef::Primitive { primitive } => match primitive {
            Primitive::Bool => (7, 0, 0),
            Primitive::F32 | Primitive::F64 => (9, 0, 0),
            Primitive::String => (11, 0, 0),
            Primitive::DateTime | Primitive::Date | Primitive::Uuid => (10, 0, 0),
            _ => (8, 0, 0),
        },
        TypeRef::External { .. } => (10, 0, 0),
        TypeRef::Any | TypeRef::Fallback { .. } => (13, 0, 0),
    }
}

/// Where the union of a "base and (one of …)" schema is.
#[derive(Clone, Copy)]
pub(super) enum UnionPart<'s> {
    /// The schema's own `oneOf`/`anyOf`.
    Own,
    /// The `oneOf`/`anyOf` of `allOf` member `n`.
    AllOfMember(usize, &'s Schema),
}

impl<'a> Builder<'a> {
    /// The `oneOf`/`anyOf` members of a schema that are shapes
    /// (`shape_members`), less those dropped to break a cycle of unions
    /// (see [`Builder::find_union_cycles`]); an error for a union refused
    /// for its cycle.
    pub(super) fn kept_members<'s>(
        &self,
        view: &View<'s>,
        pointer: &str,
    ) -> Result<Vec<(usize, &'s ReferenceOr<Schema>)>> {
        let mut members = shape_members(view);
        match self.union_fixes.get(pointer) {
            None => {}
            Some(UnionFix::Drop(dropped)) => members.retain(|(i, _)| !dropped.contains(i)),
            Some(UnionFix::OnlyItself(message)) => return Err(self.error(pointer, message.clone())),
            Some(UnionFix::Refuse(message)) => {
                return Err(self.unsupported(pointer, FallbackReason::UnionCycle, message.clone()));
            }
        }
        Ok(members)
    }

    /// Finds the unions that list themselves, directly or through other
    /// unions and aliases (`$ref` to `$ref`, one-member `allOf`/`oneOf`/
    /// `anyOf`), reached from the component schemas. As written, such a
    /// union is `enum U { U(Box<U>), .. }`, and reading a value that fits
    /// no other member tries `U` inside itself on the same value forever.
    ///
    /// A member that leads back to its union that way is dropped when the
    /// union's other members accept every value it does (always so when
    /// the way back lists nothing else); a union left with no member is
    /// refused ("lists only itself"), and so is a cycle whose unions list
    /// members of their own that would be lost (`break_union_cycles`).
    /// Recursion through a struct, an array or a map is not such a cycle.
    ///
    /// Runs before any model is built, with no fixes yet, so `shape` here
    /// classifies schemas as written.
    pub(super) fn find_union_cycles(&self) -> HashMap<String, UnionFix> {
        let mut graph = PassGraph::default();
        let mut sorted: Vec<&'a String> = self.components.keys().collect();
        sorted.sort();
        for name in sorted {
            self.pass_component(&mut graph, name);
        }
        while let Some((i, source)) = graph.pending.pop() {
            self.pass_fill(&mut graph, i, source);
        }
        let mut fixes = HashMap::new();
        for (i, fix) in break_union_cycles(&graph.nodes) {
            let (Some(pointer), Some(node)) = (graph.pointers.get(i), graph.nodes.get(i)) else {
                continue;
            };
            let key = graph.keys.get(i).copied().unwrap_or("oneOf");
            let what = match graph.names.get(i).copied().flatten() {
                Some(name) => format!("`{key}` of {name}"),
                None => format!("this `{key}`"),
            };
            let fix = match fix {
                CycleFix::Drop(dropped) if dropped.len() >= node.edges.len() => {
                    UnionFix::OnlyItself(format!(
                        "{what} lists only itself (directly or through other unions/aliases): \
                         it has no value to hold"
                    ))
                }
                CycleFix::Drop(dropped) => UnionFix::Drop(dropped),
                CycleFix::Refuse(others) => {
                    let mut through: Vec<String> =
                        others.iter().take(3).map(|&o| graph.label(o)).collect();
                    if others.len() > 3 {
                        through.push("…".to_string());
                    }
                    UnionFix::Refuse(format!(
                        "{what} leads back to itself through other unions/aliases only ({}), \
                         which accept values its other members do not (reading a value would \
                         try the union inside itself forever); list all the members in one \
                         union for an exact type",
                        through.join(", ")
                    ))
                }
            };
            fixes.insert(pointer.clone(), fix);
        }
        fixes
    }

    /// The union cycle graph node of component `name`.
    pub(super) fn pass_component(&self, graph: &mut PassGraph<'a>, name: &'a str) -> usize {
        let pointer = self.component_pointer(name);
        if self.replaced.contains_key(name) {
            return graph.leaf(pointer.clone(), pointer);
        }
        match self.components.get(name) {
            Some(ReferenceOr::Item(schema)) => {
                graph.node(pointer, Some(name), PassSource::Schema(schema))
            }
            Some(ReferenceOr::Reference { reference }) => {
                graph.node(pointer, Some(name), PassSource::Ref(reference))
            }
            None => graph.leaf(pointer.clone(), pointer),
        }
    }

    /// The union cycle graph node of a member (or alias target) at `pointer`.
    pub(super) fn pass_member(
        &self,
        graph: &mut PassGraph<'a>,
        member: SchemaRef<'a>,
        pointer: String,
    ) -> usize {
        match member {
            SchemaRef::Ref(reference) => match self.ref_target(reference, &pointer) {
                Ok(target) => self.pass_component(graph, target),
                Err(_) => graph.leaf(pointer.clone(), pointer),
            },
            SchemaRef::Inline(schema) => graph.node(pointer, None, PassSource::Schema(schema)),
        }
    }

    /// Fills node `i` of the union cycle graph: a union's members, an
    /// alias's target, or a leaf's value. Schemas the builder refuses are
    /// leaves here (it reports them).
    pub(super) fn pass_fill(&self, graph: &mut PassGraph<'a>, i: usize, source: PassSource<'a>) {
        let pointer = graph.pointers.get(i).cloned().unwrap_or_default();
        let mut edges = Vec::new();
        let mut own = Vec::new();
        let mut union = false;
        match source {
            PassSource::Ref(reference) => match self.ref_target(reference, &pointer) {
                Ok(target) => edges.push((0, self.pass_component(graph, target))),
                Err(_) => own.push(graph.value_id(pointer.clone())),
            },
            PassSource::Schema(schema) => {
                let view = View::of(schema);
                match self.shape(&view, &pointer) {
                    Ok(Shape::Single(member, at)) => {
                        edges.push((
                            0,
                            self.pass_member(graph, member, format!("{pointer}/{at}")),
                        ));
                    }
                    Ok(Shape::Union(_)) => {
                        union = true;
                        let key = if view.one_of.is_empty() {
                            "anyOf"
                        } else {
                            "oneOf"
                        };
                        if let Some(k) = graph.keys.get_mut(i) {
                            *k = key;
                        }
                        for (index, member) in shape_members(&view) {
                            let at = format!("{pointer}/{key}/{index}");
                            edges.push((index, self.pass_member(graph, SchemaRef::of(member), at)));
                        }
                    }
                    _ => {
                        // A component is a value of its own; an inline
                        // schema the same value wherever it is written
                        // out identically (the builder reuses its model).
                        let identity = match graph.names.get(i) {
                            Some(Some(_)) => pointer.clone(),
                            _ => serde_json::to_string(schema).unwrap_or_else(|_| pointer.clone()),
                        };
                        own.push(graph.value_id(identity));
                    }
                }
                if !edges.is_empty() && view_nullable(&view) {
                    own.push(graph.value_id("null".to_string()));
                }
            }
        }
        if let Some(node) = graph.nodes.get_mut(i) {
            *node = PassNode { union, edges, own };
        }
    }

    pub(super) fn build_union(
        &mut self,
        name: &str,
        view: &View<'a>,
        members: Vec<(SchemaRef<'a>, String)>,
        pointer: &str,
    ) -> Result<UnionModel> {
        let mut variants = Vec::with_capacity(members.len());
        for (spec_index, (member, at)) in members.into_iter().enumerate() {
            let member_pointer = format!("{pointer}/{at}");
            let hint = self.member_hint(name, member, spec_index);
            let ty = self.type_of(member, &member_pointer, &hint, false)?;
            let rust_name = match member {
                SchemaRef::Ref(reference) => {
                    let target = self.ref_target(reference, &member_pointer)?;
                    self.component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target))
                }
                SchemaRef::Inline(_) => match &ty {
                    TypeRef::Model { name: model } if model.len() > name.len() => model
                        .strip_prefix(name)
                        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                        .unwrap_or(model)
                        .to_string(),
                    other => type_label(other),
                },
            };
            variants.push(UnionVariant {
                rust_name,
                ty,
                boxed: false,
                spec_index,
                tag_values: Vec::new(),
            });
        }
        self.finish_union(view, variants, view.data.discriminator.as_deref(), pointer)
    }

    /// Makes variant names unique and assigns the tags of a discriminated union.
    pub(super) fn finish_union(
        &mut self,
        view: &View<'a>,
        mut variants: Vec<UnionVariant>,
        discriminator: Option<&Discriminator>,
        pointer: &str,
    ) -> Result<UnionModel> {
        let rust_names = names::dedupe(variants.iter().map(|v| v.rust_name.clone()).collect());
        for (variant, rust_name) in variants.iter_mut().zip(rust_names) {
            variant.rust_name = rust_name;
        }
        let tagging = match discriminator {
            None => UnionTagging::Untagged,
            Some(discriminator) => {
                let tagged = self.assign_tags(
                    view,
                    &mut variants,
                    &discriminator.mapping,
                    &discriminator.property_name,
                    pointer,
                )?;
                if tagged {
                    UnionTagging::Discriminator {
                        property: discriminator.property_name.clone(),
                    }
                } else {
                    variants.iter_mut().for_each(|v| v.tag_values.clear());
                    UnionTagging::Untagged
                }
            }
        };
        Ok(UnionModel { tagging, variants })
    }

    /// "Properties and one of several shapes": a union whose members are
    /// structs holding the shared properties plus one member's.
    pub(super) fn build_distributed(
        &mut self,
        name: &str,
        view: &View<'a>,
        part: UnionPart<'a>,
        pointer: &str,
    ) -> Result<UnionModel> {
        let (union_view, union_pointer, skip) = match part {
            UnionPart::Own => (*view, pointer.to_string(), usize::MAX),
            UnionPart::AllOfMember(i, schema) => {
                (View::of(schema), format!("{pointer}/allOf/{i}"), i)
            }
        };
        let mut base = ObjectParts::default();
        let mut visiting = Vec::new();
        self.collect_parts(
            view,
            pointer,
            name,
            &mut base,
            &mut visiting,
            Top::Without(skip),
        )?;
        let union_key = if union_view.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let members = shape_members(&union_view);
        let mut variants = Vec::with_capacity(members.len());
        for (spec_index, (i, member)) in members.into_iter().enumerate() {
            let member_pointer = format!("{union_pointer}/{union_key}/{i}");
            let member_name =
                self.names
                    .claim(&self.member_hint(name, SchemaRef::of(member), spec_index));
            let mut parts = base.clone();
            let description = match member {
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_target(reference, &member_pointer)?;
                    let schema = self.component_schema(target, &member_pointer)?;
                    let owner = self
                        .component_names
                        .get(target)
                        .cloned()
                        .unwrap_or_else(|| names::type_name(target));
                    self.collect_parts(
                        &View::of(schema),
                        &self.component_pointer(target),
                        &owner,
                        &mut parts,
                        &mut visiting,
                        Top::Whole,
                    )?;
                    schema.schema_data.description.clone()
                }
                ReferenceOr::Item(schema) => {
                    self.collect_parts(
                        &View::of(schema),
                        &member_pointer,
                        &member_name,
                        &mut parts,
                        &mut visiting,
                        Top::Whole,
                    )?;
                    schema.schema_data.description.clone()
                }
            };
            let structure = self.struct_from_parts(&member_name, parts)?;
            self.models.push(Model {
                name: member_name.clone(),
                origin: Origin {
                    pointer: member_pointer,
                    schema_name: None,
                    name_given: false,
                },
                description,
                deprecated: false,
                example: None,
                kind: ModelKind::Struct(structure),
            });
            let rust_name = member_name
                .strip_prefix(name)
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .unwrap_or(&member_name)
                .to_string();
            variants.push(UnionVariant {
                rust_name,
                ty: TypeRef::model(member_name),
                boxed: false,
                spec_index,
                tag_values: Vec::new(),
            });
        }
        let discriminator = union_view
            .data
            .discriminator
            .as_deref()
            .or(view.data.discriminator.as_deref());
        self.finish_union(&union_view, variants, discriminator, pointer)
    }

    /// A name for an inline union member: its constant tag value, its
    /// title, or its position.
    pub(super) fn member_hint(
        &self,
        union_name: &str,
        member: SchemaRef<'a>,
        index: usize,
    ) -> String {
        if let SchemaRef::Inline(schema) = member {
            let view = View::of(schema);
            if let Some(properties) = view.properties {
                for (key, prop) in properties {
                    if !view.required.contains(key) {
                        continue;
                    }
                    if let ReferenceOr::Item(p) = prop
                        && let [Value::String(tag)] = View::of(p).enumeration
                    {
                        return format!("{union_name}{}", names::type_name(tag));
                    }
                }
            }
            if let Some(title) = &view.data.title {
                return format!("{union_name}{}", names::type_name(title));
            }
        }
        format!("{union_name}Variant{}", index + 1)
    }

    /// Tag values of a discriminated union's members: the `mapping` keys
    /// that point to each member; else the constant values the member
    /// declares for the tag property; else the member's schema name.
    /// A value claimed by two members stays with the first (a warning).
    pub(super) fn assign_tags(
        &mut self,
        view: &View<'a>,
        variants: &mut [UnionVariant],
        mapping: &IndexMap<String, String>,
        property: &str,
        pointer: &str,
    ) -> Result<bool> {
        for (value, mapped) in mapping {
            let mapped_name = mapped.strip_prefix(COMPONENTS_PREFIX).unwrap_or(mapped);
            let decoded = component_name(mapped_name);
            if !self.components.contains_key(decoded.as_str()) {
                // Only a tag value is lost: the members are the schemas.
                self.warn(
                    &format!(
                        "{pointer}/discriminator/mapping/{}",
                        escape_pointer_token(value)
                    ),
                    format!(
                        "discriminator mapping {} left out: it points to {}, and there is no such \
                         component schema",
                        quote_elided(value),
                        quote_elided(mapped)
                    ),
                );
            }
        }
        let members = self
            .kept_members(view, pointer)?
            .into_iter()
            .map(|(_, m)| m);
        let mut taken: HashSet<String> = HashSet::new();
        for (variant, member) in variants.iter_mut().zip(members) {
            let reference = match member {
                ReferenceOr::Reference { reference } => Some(reference.as_str()),
                ReferenceOr::Item(s) => match View::of(s).all_of {
                    [ReferenceOr::Reference { reference }] => Some(reference.as_str()),
                    _ => None,
                },
            };
            let target = reference.map(|r| self.ref_target(r, pointer)).transpose()?;
            let mut values = Vec::new();
            if let Some(target) = target {
                for (value, mapped) in mapping {
                    let mapped_name = mapped.strip_prefix(COMPONENTS_PREFIX).unwrap_or(mapped);
                    if component_name(mapped_name) == target {
                        values.push(value.clone());
                    }
                }
            }
            if values.is_empty() {
                values =
                    self.tag_constants(SchemaRef::of(member), property, 0, &mut HashSet::new())?;
            }
            if values.is_empty() {
                match target {
                    Some(target) => values.push(target.to_string()),
                    None => {
                        // The tag cannot select this member: the union is
                        // read by trying each member instead (still exact).
                        self.warn(
                            pointer,
                            format!(
                                "`discriminator` ignored: member {} is inline and declares no \
                                 constant for {property:?}, so the union is read untagged",
                                variant.spec_index
                            ),
                        );
                        return Ok(false);
                    }
                }
            }
            for value in values {
                if taken.insert(value.clone()) {
                    variant.tag_values.push(value);
                } else {
                    self.warn(
                        pointer,
                        format!("tag value {value:?} names several members; the first one is used"),
                    );
                }
            }
        }
        Ok(true)
    }

    /// The constant (single- or multi-value `enum`) string values a schema
    /// declares for `property`, looking through `$ref` and `allOf`.
    /// `seen` holds the components already searched: an `allOf` that
    /// refers to itself (several times) would otherwise be searched down to
    /// the depth limit along every path, which takes exponential time.
    pub(super) fn tag_constants(
        &self,
        schema: SchemaRef<'a>,
        property: &str,
        depth: usize,
        seen: &mut HashSet<&'a str>,
    ) -> Result<Vec<String>> {
        if depth > 16 {
            return Ok(Vec::new());
        }
        let schema = match schema {
            SchemaRef::Ref(reference) => {
                let target = self.ref_target(reference, "")?;
                if !seen.insert(target) {
                    return Ok(Vec::new());
                }
                self.component_schema(target, "")?
            }
            SchemaRef::Inline(s) => s,
        };
        let view = View::of(schema);
        if let Some(prop) = view.properties.and_then(|p| p.get(property)) {
            let prop_schema = match prop {
                ReferenceOr::Reference { reference } => {
                    let target = self.ref_target(reference, "")?;
                    self.component_schema(target, "")?
                }
                ReferenceOr::Item(s) => s,
            };
            let values: Vec<String> = View::of(prop_schema)
                .enumeration
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            if !values.is_empty() {
                return Ok(values);
            }
        }
        for member in view.all_of {
            let values = self.tag_constants(SchemaRef::of(member), property, depth + 1, seen)?;
            if !values.is_empty() {
                return Ok(values);
            }
        }
        Ok(Vec::new())
    }
}
