//! Stage 3: targets turn the IR into files (in memory).
//!
//! A target is anything that implements [`Target`]; the built-in ones are
//! [`rust::RustTarget`] and [`markdown::MarkdownTarget`]; external programs
//! join them as [`plugin::PluginTarget`]s. Targets read only the IR, never
//! the spec.

pub mod markdown;
pub mod plugin;
pub mod rust;
pub mod snippets;

use std::path::PathBuf;

use crate::error::Result;
use crate::ir::Ir;

/// One output file, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: PathBuf,
    /// The full contents.
    pub contents: String,
}

impl GeneratedFile {
    /// A file at `path` with `contents`.
    pub fn new(path: impl Into<PathBuf>, contents: impl Into<String>) -> Self {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// A code or documentation generator over the IR.
pub trait Target {
    /// A short name for messages (`rust`, `markdown`).
    fn name(&self) -> &str;

    /// Produces this target's files for `ir`, handing each to `emit` as
    /// soon as it is made (so that a large file set can be written without
    /// being held in memory at once); stops at the first error.
    fn generate_each(
        &self,
        ir: &Ir,
        emit: &mut dyn FnMut(GeneratedFile) -> Result<()>,
    ) -> Result<()>;

    /// All of this target's files for `ir`, in the order they are made.
    fn generate(&self, ir: &Ir) -> Result<Vec<GeneratedFile>> {
        let mut files = Vec::new();
        self.generate_each(ir, &mut |file| {
            files.push(file);
            Ok(())
        })?;
        Ok(files)
    }
}

/// How many threads a target may spread its files over, and the stack each
/// needs (the stages recurse once per nesting level of the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workers {
    /// Threads in all, the calling one included (1: no extra threads).
    pub threads: usize,
    /// Stack size of each extra thread, in bytes.
    pub stack_size: usize,
}

impl Default for Workers {
    /// One thread per core (at most 8), with 16 MiB stacks.
    fn default() -> Self {
        Workers {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            stack_size: 16 << 20,
        }
    }
}

/// Items handled per thread between two hand-overs to `emit`: enough to
/// make starting threads cheap, few enough to keep memory bounded.
const ITEMS_PER_THREAD: usize = 16;

/// Runs `work` over `items` on up to `workers.threads` threads and hands
/// the results to `emit` in item order, so the output is the same whatever
/// the number of threads. Each thread first makes its own state with
/// `init` (for values that cannot cross threads, such as token streams).
/// Stops at the first error in item order.
pub(crate) fn map_in_order<T, S, R>(
    items: &[T],
    workers: Workers,
    init: impl Fn() -> Result<S> + Sync,
    work: impl Fn(&S, &T) -> Result<R> + Sync,
    emit: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()>
where
    T: Sync,
    R: Send,
{
    let threads = workers.threads.max(1);
    if threads == 1 || items.len() <= ITEMS_PER_THREAD {
        let state = init()?;
        for item in items {
            emit(work(&state, item)?)?;
        }
        return Ok(());
    }
    for batch in items.chunks(threads * ITEMS_PER_THREAD) {
        // Threads take the next item as they become free (one large model
        // does not hold up a whole share), then results are put back in order.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let run = || -> Vec<(usize, Result<R>)> {
            let state = match init() {
                Ok(state) => state,
                Err(e) => return vec![(0, Err(e))],
            };
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = batch.get(i) else {
                    return done;
                };
                done.push((i, work(&state, item)));
            }
        };
        let mut results: Vec<(usize, Result<R>)> = std::thread::scope(|scope| {
            let spawned: Vec<_> = (1..threads)
                .map(|_| {
                    std::thread::Builder::new()
                        .name("oapi-models-target".to_string())
                        .stack_size(workers.stack_size)
                        .spawn_scoped(scope, run)
                })
                .collect();
            let mut results = run();
            for handle in spawned {
                match handle {
                    Ok(handle) => results.extend(
                        handle
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    ),
                    Err(e) => results.push((
                        0,
                        Err(crate::Error::Usage(format!("cannot start a thread: {e}"))),
                    )),
                }
            }
            results
        });
        // An error that is not about one item (a thread that could not
        // start or set up) sorts first.
        results.sort_by_key(|(i, result)| (*i, result.is_ok()));
        for (_, result) in results {
            emit(result?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            let workers = Workers {
                threads,
                stack_size: 1 << 20,
            };
            let mut seen = Vec::new();
            map_in_order(
                &items,
                workers,
                || Ok(std::rc::Rc::new(2)),
                |two, i| Ok(i * **two),
                &mut |r| {
                    seen.push(r);
                    Ok(())
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_error_in_item_order_wins() {
        let items: Vec<usize> = (0..500).collect();
        let workers = Workers {
            threads: 4,
            stack_size: 1 << 20,
        };
        let mut seen = 0;
        let result = map_in_order(
            &items,
            workers,
            || Ok(()),
            |(), &i| {
                if i == 77 || i == 300 {
                    Err(crate::Error::Usage(format!("item {i}")))
                } else {
                    Ok(i)
                }
            },
            &mut |_| {
                seen += 1;
                Ok(())
            },
        );
        assert_eq!(
            result.map_err(|e| e.to_string()),
            Err("item 77".to_string())
        );
        assert_eq!(seen, 77);
    }
}
