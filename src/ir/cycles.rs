//! Boxing for recursive types: only the fields and union members that close
//! a cycle of by-value containment get a `Box` (found with Tarjan's
//! strongly connected components). `Vec` and maps already put their values
//! on the heap, so they break cycles.

use std::collections::HashMap;

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
        ModelKind::Alias { target } => vec![target],
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
        | TypeRef::External { .. } => {}
    }
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
    use super::strongly_connected;

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
