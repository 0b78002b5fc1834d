//! Boxing for recursive types: only the fields and union members that close
//! a cycle of by-value containment get a `Box` (found with Tarjan's
//! strongly connected components). `Vec` and maps already put their values
//! on the heap, so they break cycles.
//!
//! Also the cycles that no `Box` can make sound: a union that lists itself,
//! directly or through other unions and aliases ([`break_union_cycles`]).
//! Reading a value into such a type tries the union inside itself on the
//! same value, forever (a stack overflow).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Model, ModelKind, TypeRef};

/// Marks the fields and union members that must be boxed: those that hold,
/// by value, a model in the same cycle of by-value containment.
/// `Vec` and maps already put values on the heap, so they break cycles.
pub(super) fn mark_boxes(models: &mut [Model]) {
    let index: HashMap<String, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            let mut out = Vec::new();
            for ty in by_value_types(&m.kind) {
                by_value_models(ty, models, &index, &mut out);
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for i in 0..models.len() {
        let Some(&own) = component.get(i) else {
            continue;
        };
        let in_cycle = |ty: &TypeRef| {
            let mut hits = Vec::new();
            by_value_models(ty, models, &index, &mut hits);
            hits.iter().any(|&j| component.get(j) == Some(&own))
        };
        let boxes: Vec<bool> = match models.get(i) {
            Some(model) => by_value_types(&model.kind)
                .into_iter()
                .map(in_cycle)
                .collect(),
            None => continue,
        };
        let Some(model) = models.get_mut(i) else {
            continue;
        };
        match &mut model.kind {
            ModelKind::Struct(s) => {
                for (field, boxed) in s.fields.iter_mut().zip(boxes) {
                    field.boxed = boxed;
                }
            }
            ModelKind::Union(u) => {
                for (variant, boxed) in u.variants.iter_mut().zip(boxes) {
                    variant.boxed = boxed;
                }
            }
            _ => {}
        }
    }
}

/// The types a model holds directly, one per field or variant.
fn by_value_types(kind: &ModelKind) -> Vec<&TypeRef> {
    match kind {
        ModelKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        ModelKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        ModelKind::Alias { target } | ModelKind::Newtype { inner: target } => vec![target],
        ModelKind::Enum(_) => Vec::new(),
    }
}

/// Models reached by value from `ty` (through `Option` and aliases, not `Vec` or maps).
fn by_value_models(
    ty: &TypeRef,
    models: &[Model],
    index: &HashMap<String, usize>,
    out: &mut Vec<usize>,
) {
    match ty {
        TypeRef::Model { name } => {
            if let Some(&i) = index.get(name) {
                if let Some(Model {
                    kind: ModelKind::Alias { target },
                    ..
                }) = models.get(i)
                {
                    by_value_models(target, models, index, out);
                } else {
                    out.push(i);
                }
            }
        }
        TypeRef::Nullable { inner } => by_value_models(inner, models, index, out),
        TypeRef::Array { .. }
        | TypeRef::Map { .. }
        | TypeRef::Primitive { .. }
        | TypeRef::Any
        | TypeRef::Fallback { .. }
        | TypeRef::External { .. } => {}
    }
}

/// A schema that stands for the values of other schemas, or a leaf, in the
/// graph [`break_union_cycles`] works on.
pub(super) struct PassNode {
    /// A union (`oneOf`/`anyOf`): any member's value. Otherwise an alias
    /// (its one target's value) or, without edges, a leaf.
    pub(super) union: bool,
    /// (member index, target node): a union's members, an alias's target.
    pub(super) edges: Vec<(usize, usize)>,
    /// The values the node holds itself, as ids (equal ids, equal values):
    /// a leaf's own kind of value, `null` for a nullable union or alias.
    pub(super) own: Vec<usize>,
}

/// How [`break_union_cycles`] breaks a cycle at one union.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum CycleFix {
    /// These members (indices from the edges) are dropped: they lead back
    /// to the union through unions and aliases only, and every value they
    /// accept one of the union's other members accepts.
    Drop(BTreeSet<usize>),
    /// The cycle cannot be broken without losing values: the unions on it
    /// list members of their own that this union does not reach otherwise.
    /// The other nodes of the cycle.
    Refuse(Vec<usize>),
}

/// Breaks every cycle of unions and aliases (each node standing for the
/// values of the nodes it points to) without changing any node's values.
///
/// The values of a node on a cycle are those of everything the cycle
/// reaches. A union whose edges leaving the cycle (and own values) already
/// reach all of them loses nothing when its edges into the cycle are
/// dropped; all such unions drop them, and what is left is looked at again
/// (the cycle may be smaller now, and its unions reach more outside it).
/// A cycle none of whose unions can drop its way back is refused: every
/// union on it gets [`CycleFix::Refuse`]. Cycles of aliases only are left
/// alone (the builder reports them as `$ref` cycles).
///
/// Returns the fixes by node, in node order.
#[allow(clippy::indexing_slicing)] // every edge target is a node (checked at the start)
pub(super) fn break_union_cycles(nodes: &[PassNode]) -> Vec<(usize, CycleFix)> {
    let n = nodes.len();
    let mut edges: Vec<Vec<(usize, usize)>> = nodes
        .iter()
        .map(|node| node.edges.iter().copied().filter(|&(_, t)| t < n).collect())
        .collect();
    let mut fixes: BTreeMap<usize, CycleFix> = BTreeMap::new();
    loop {
        let plain: Vec<Vec<usize>> = edges
            .iter()
            .map(|out| out.iter().map(|&(_, t)| t).collect())
            .collect();
        let component = strongly_connected(&plain);
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (v, &c) in component.iter().enumerate() {
            groups.entry(c).or_default().push(v);
        }
        let mut changed = false;
        for cycle in groups.values() {
            let cyclic = cycle.len() > 1 || edges[cycle[0]].iter().any(|&(_, t)| t == cycle[0]);
            if !cyclic || !cycle.iter().any(|&v| nodes[v].union) {
                continue;
            }
            let c = component[cycle[0]];
            let inside = |t: usize| component[t] == c;
            let leaving = |v: usize| {
                edges[v]
                    .iter()
                    .filter(|&&(_, t)| !inside(t))
                    .map(|&(_, t)| t)
                    .collect::<Vec<_>>()
            };
            let mut all = values(nodes, &edges, cycle.iter().flat_map(|&v| leaving(v)));
            all.extend(cycle.iter().flat_map(|&v| nodes[v].own.iter().copied()));
            let complete: Vec<usize> = cycle
                .iter()
                .copied()
                .filter(|&v| nodes[v].union)
                .filter(|&v| {
                    let mut reached = values(nodes, &edges, leaving(v).into_iter());
                    reached.extend(nodes[v].own.iter().copied());
                    all.is_subset(&reached)
                })
                .collect();
            if complete.is_empty() {
                for &v in cycle.iter().filter(|&&v| nodes[v].union) {
                    let others = cycle.iter().copied().filter(|&w| w != v).collect();
                    fixes.insert(v, CycleFix::Refuse(others));
                    edges[v].retain(|&(_, t)| !inside(t));
                }
            } else {
                for v in complete {
                    let dropped: Vec<usize> = edges[v]
                        .iter()
                        .filter(|&&(_, t)| inside(t))
                        .map(|&(member, _)| member)
                        .collect();
                    edges[v].retain(|&(_, t)| !inside(t));
                    match fixes
                        .entry(v)
                        .or_insert_with(|| CycleFix::Drop(BTreeSet::new()))
                    {
                        CycleFix::Drop(members) => members.extend(dropped),
                        CycleFix::Refuse(_) => {}
                    }
                }
            }
            changed = true;
        }
        if !changed {
            return fixes.into_iter().collect();
        }
    }
}

/// The value ids reachable from `start` along `edges`.
#[allow(clippy::indexing_slicing)] // edge targets are nodes (filtered by the caller)
fn values(
    nodes: &[PassNode],
    edges: &[Vec<(usize, usize)>],
    start: impl Iterator<Item = usize>,
) -> BTreeSet<usize> {
    let mut seen = vec![false; nodes.len()];
    let mut work: Vec<usize> = start.collect();
    let mut out = BTreeSet::new();
    while let Some(v) = work.pop() {
        if std::mem::replace(&mut seen[v], true) {
            continue;
        }
        out.extend(nodes[v].own.iter().copied());
        work.extend(edges[v].iter().map(|&(_, t)| t));
    }
    out
}

/// Tarjan's algorithm, iterative: the component number of every node.
/// Edges to nodes that do not exist are ignored.
// Indexing is safe: every node is in `0..n` (roots come from `0..n`, other
// nodes from the edge lists, which are filtered to `0..n` first).
#[allow(clippy::indexing_slicing)]
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let edges: Vec<Vec<usize>> = edges
        .iter()
        .map(|out| out.iter().copied().filter(|&w| w < n).collect())
        .collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{CycleFix, PassNode, break_union_cycles, strongly_connected};

    fn union(edges: &[(usize, usize)]) -> PassNode {
        PassNode {
            union: true,
            edges: edges.to_vec(),
            own: Vec::new(),
        }
    }

    fn alias(target: usize) -> PassNode {
        PassNode {
            union: false,
            edges: vec![(0, target)],
            own: Vec::new(),
        }
    }

    fn leaf(value: usize) -> PassNode {
        PassNode {
            union: false,
            edges: Vec::new(),
            own: vec![value],
        }
    }

    fn drop(members: &[usize]) -> CycleFix {
        CycleFix::Drop(members.iter().copied().collect::<BTreeSet<_>>())
    }

    #[test]
    fn a_union_of_itself_drops_every_member() {
        // 0 = oneOf [0, 0]
        let fixes = break_union_cycles(&[union(&[(0, 0), (1, 0)])]);
        assert_eq!(fixes, vec![(0, drop(&[0, 1]))]);
    }

    #[test]
    fn a_way_back_through_a_union_or_an_alias_is_dropped() {
        // 0 = oneOf [1, 2], 1 = oneOf [0] (one member: an alias), 2 = string
        let fixes = break_union_cycles(&[union(&[(0, 1), (1, 2)]), alias(0), leaf(7)]);
        assert_eq!(fixes, vec![(0, drop(&[0]))]);
        // 0 = oneOf [1, 3], 1 = anyOf [0, 2] (with a discriminator), 2 and 3 strings
        let fixes = break_union_cycles(&[
            union(&[(0, 1), (1, 3)]),
            union(&[(0, 0), (1, 2)]),
            leaf(7),
            leaf(7),
        ]);
        assert_eq!(fixes, vec![(0, drop(&[0])), (1, drop(&[0]))]);
    }

    #[test]
    fn a_cycle_whose_unions_add_values_is_refused() {
        // 0 = oneOf [1, integer], 1 = oneOf [0, string]
        let fixes = break_union_cycles(&[
            union(&[(0, 1), (1, 2)]),
            union(&[(0, 0), (1, 3)]),
            leaf(1),
            leaf(2),
        ]);
        assert_eq!(
            fixes,
            vec![
                (0, CycleFix::Refuse(vec![1])),
                (1, CycleFix::Refuse(vec![0]))
            ]
        );
    }

    #[test]
    fn what_is_left_of_a_cycle_is_looked_at_again() {
        // 0 = oneOf [1, string], 1 = oneOf [0, 2], 2 = alias of 1:
        // 0 drops 1; then 1 reaches the string through 0 and drops 2.
        let fixes = break_union_cycles(&[
            union(&[(0, 1), (1, 3)]),
            union(&[(0, 0), (1, 2)]),
            alias(1),
            leaf(7),
        ]);
        assert_eq!(fixes, vec![(0, drop(&[0])), (1, drop(&[1]))]);
    }

    #[test]
    fn recursion_through_a_leaf_and_alias_cycles_are_left_alone() {
        // 0 = oneOf [1, 2], 1 = a struct (leaf) holding 0, 2 = string;
        // 3 and 4 aliases of each other.
        let fixes = break_union_cycles(&[
            union(&[(0, 1), (1, 2)]),
            leaf(1),
            leaf(2),
            alias(4),
            alias(3),
        ]);
        assert_eq!(fixes, Vec::new());
    }

    #[test]
    fn tarjan_finds_cycles() {
        // 0 → 1 → 2 → 0, 3 → 0, 4 → 4
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}
