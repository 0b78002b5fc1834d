//! Shared code of the fuzz targets: the pipeline run in memory, the checks
//! on its output, and the structured document generator (from `arbitrary`
//! bytes).

pub mod checks;
pub mod model;

use std::path::Path;

use arbitrary::{Result, Unstructured};
use oapi_models::Generator;
use serde_json::Value;

use model::{Additional, Discriminator, Kind, Operation, Schema, Spec};

pub use checks::generator;

/// Runs load → IR → every target in memory and checks the files: an error
/// is fine, a bad output file panics (a finding).
pub fn run(generator: &Generator, name: &Path, bytes: &[u8]) {
    if let Err(problem) = checks::run(generator, name, bytes) {
        panic!("bad output: {problem}");
    }
}

/// How deep schemas nest in a structured document.
const MAX_DEPTH: u32 = 5;

/// Builds a document from fuzzer bytes.
pub fn arbitrary_spec(u: &mut Unstructured<'_>) -> Result<Spec> {
    let v31 = u.arbitrary()?;
    let title = text(u)?.unwrap_or_else(|| "fuzz".to_string());
    let count = u.int_in_range(1..=6)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        names.push(name(u)?);
    }
    let mut builder = Gen { names: &names };
    let mut components = Vec::with_capacity(count);
    for n in &names {
        components.push((n.clone(), builder.schema(u, 0)?));
    }
    let mut operations = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        operations.push(Operation {
            path: format!("/{}", name(u)?),
            method: u.choose(&["get", "post", "put", "delete"])?,
            operation_id: if u.arbitrary()? { Some(name(u)?) } else { None },
            request: if u.arbitrary()? {
                Some(builder.schema(u, 1)?)
            } else {
                None
            },
            response: if u.arbitrary()? {
                Some(builder.schema(u, 1)?)
            } else {
                None
            },
        });
    }
    Ok(Spec {
        v31,
        title,
        components,
        operations,
    })
}

/// A name: mostly from the pool of odd names, sometimes any string.
fn name(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=9)? {
        0 => u.arbitrary::<String>()?,
        1 => format!("{}{}", u.choose(model::NAMES)?, u.choose(model::NAMES)?),
        _ => (*u.choose(model::NAMES)?).to_string(),
    })
}

fn text(u: &mut Unstructured<'_>) -> Result<Option<String>> {
    Ok(match u.int_in_range(0..=5)? {
        0 => Some(u.arbitrary::<String>()?),
        1 | 2 => Some((*u.choose(model::TEXTS)?).to_string()),
        _ => None,
    })
}

fn value(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=7)? {
        0 => Value::from(u.arbitrary::<i64>()?),
        1 => serde_json::Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        2 => Value::from(u.arbitrary::<String>()?),
        3 => Value::from((*u.choose(model::NAMES)?).to_string()),
        _ => u.choose(&model::values())?.clone(),
    })
}

fn maybe_value(u: &mut Unstructured<'_>) -> Result<Option<Value>> {
    Ok(if u.ratio(1, 4)? {
        Some(value(u)?)
    } else {
        None
    })
}

struct Gen<'a> {
    /// The component names (refs mostly point at these).
    names: &'a [String],
}

impl Gen<'_> {
    fn component(&self, u: &mut Unstructured<'_>) -> Result<String> {
        if self.names.is_empty() || u.ratio(1, 30)? {
            name(u)
        } else {
            Ok(u.choose(self.names)?.clone())
        }
    }

    fn properties(
        &mut self,
        u: &mut Unstructured<'_>,
        depth: u32,
    ) -> Result<Vec<(String, Schema)>> {
        let mut properties = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            properties.push((name(u)?, self.schema(u, depth + 1)?));
        }
        Ok(properties)
    }

    fn schema(&mut self, u: &mut Unstructured<'_>, depth: u32) -> Result<Schema> {
        let leaf = depth >= MAX_DEPTH;
        let choice = if leaf {
            u.int_in_range(0..=3)?
        } else {
            u.int_in_range(0..=12)?
        };
        let kind = match choice {
            0 => Kind::Any,
            1 => Kind::Primitive {
                ty: u.choose(model::TYPES)?,
                format: if u.arbitrary()? {
                    Some((*u.choose(model::FORMATS)?).to_string())
                } else {
                    None
                },
            },
            2 => Kind::Ref(self.component(u)?),
            3 => {
                // Mostly strings or integers with the matching `type`,
                // sometimes values of mixed or other types.
                let (mut ty, kind) = match u.int_in_range(0..=5)? {
                    0..=2 => (Some("string"), 0),
                    3 | 4 => (Some("integer"), 1),
                    _ => (Some(*u.choose(model::TYPES)?), 2),
                };
                if u.ratio(1, 3)? {
                    ty = None;
                }
                let mut values = Vec::new();
                for _ in 0..u.int_in_range(0..=4)? {
                    values.push(match kind {
                        0 => Value::from(*u.choose(model::NAMES)?),
                        1 => Value::from(u.arbitrary::<i64>()?),
                        _ => value(u)?,
                    });
                }
                Kind::Enum { ty, values }
            }
            4 => Kind::Const(value(u)?),
            5 | 6 => {
                let properties = self.properties(u, depth)?;
                let mut required = Vec::new();
                for (n, _) in &properties {
                    if u.arbitrary()? {
                        required.push(n.clone());
                    }
                }
                if u.ratio(1, 8)? {
                    required.push(name(u)?);
                }
                let additional = match u.int_in_range(0..=4)? {
                    0 => Additional::Bool(u.arbitrary()?),
                    1 => Additional::Schema(Box::new(self.schema(u, depth + 1)?)),
                    _ => Additional::Absent,
                };
                Kind::Object {
                    properties,
                    required,
                    additional,
                }
            }
            7 => Kind::Array(Box::new(self.schema(u, depth + 1)?)),
            8..=11 => {
                let keyword = *u.choose(&["oneOf", "anyOf", "allOf"])?;
                let discriminated = u.ratio(1, 3)?;
                let mut members = Vec::new();
                for _ in 0..u.int_in_range(0..=4)? {
                    members.push(if discriminated && u.ratio(7, 8)? {
                        Schema::plain(Kind::Ref(self.component(u)?))
                    } else {
                        self.schema(u, depth + 1)?
                    });
                }
                let discriminator = if discriminated {
                    let mut mapping = Vec::new();
                    for _ in 0..u.int_in_range(0..=2)? {
                        mapping.push((name(u)?, self.component(u)?));
                    }
                    Some(Discriminator {
                        property: name(u)?,
                        mapping,
                    })
                } else {
                    None
                };
                let properties = if u.ratio(1, 4)? {
                    self.properties(u, depth)?
                } else {
                    Vec::new()
                };
                Kind::Composite {
                    keyword,
                    members,
                    discriminator,
                    properties,
                }
            }
            _ => Kind::Deep {
                // Mostly within the default depth limit (128 levels, two
                // per object here), sometimes past it.
                depth: if u.ratio(1, 4)? {
                    u.int_in_range(1..=300)?
                } else {
                    u.int_in_range(1..=60)?
                },
                name: name(u)?,
            },
        };
        Ok(Schema {
            kind,
            nullable: u.ratio(1, 5)?,
            title: if u.ratio(1, 6)? { text(u)? } else { None },
            description: text(u)?,
            example: maybe_value(u)?,
            default: if u.ratio(1, 3)? {
                maybe_value(u)?
            } else {
                None
            },
            deprecated: u.ratio(1, 8)?,
            read_only: u.ratio(1, 10)?,
            write_only: u.ratio(1, 10)?,
        })
    }
}
