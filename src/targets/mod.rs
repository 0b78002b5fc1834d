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

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Condvar, Mutex, MutexGuard};

use serde::Deserialize;

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

/// The map type used for `additionalProperties` maps and for the field
/// that keeps a struct's unlisted properties: a setting of both built-in
/// targets (the Rust code uses it, the pages show it in type cells and
/// snippets), so it lives here rather than in either of them. In a configuration file:
/// `btree-map`, `hash-map` or `index-map`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub enum MapType {
    /// `std::collections::BTreeMap` (the default): sorted keys, deterministic output.
    #[default]
    #[serde(rename = "btree-map")]
    BTreeMap,
    /// `std::collections::HashMap`.
    #[serde(rename = "hash-map")]
    HashMap,
    /// `indexmap::IndexMap`, which keeps the order of the keys on the wire;
    /// the generated `Cargo.toml` then depends on `indexmap` (feature `serde`).
    #[serde(rename = "index-map")]
    IndexMap,
}

impl MapType {
    /// The type's path, without its parameters.
    pub fn rust_path(self) -> &'static str {
        match self {
            MapType::BTreeMap => "std::collections::BTreeMap",
            MapType::HashMap => "std::collections::HashMap",
            MapType::IndexMap => "indexmap::IndexMap",
        }
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

/// Items per thread that may be computed ahead of the next one to emit
/// (and the most items not worth extra threads): enough to keep every
/// thread busy past one slow item, few enough to keep memory bounded.
const ITEMS_PER_THREAD: usize = 16;

/// Runs `work` over `items` on up to `workers.threads` threads (the calling
/// one included) and hands the results to `emit` in item order, so the
/// output is the same whatever the number of threads. Each thread first
/// makes its own state with `init` (for values that cannot cross threads,
/// such as token streams), then takes the next item whenever it is free,
/// at most `threads * ITEMS_PER_THREAD` items past the next one to emit
/// (which bounds memory). The calling thread emits each result as soon as
/// all earlier ones were, and computes items while none is ready, so that
/// emitting overlaps computing. Stops at the first error in item order, or
/// at the first error of `emit`. The memory the threads freed is handed
/// back to the system at the end.
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
    let state = init()?;
    let shared = Shared {
        taken: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        window: threads * ITEMS_PER_THREAD,
        progress: Mutex::new(Progress::default()),
        room: Condvar::new(),
    };
    let (sender, receiver) = mpsc::channel();
    let outcome = std::thread::scope(|scope| {
        // However this closure ends (a panic in `emit` included), threads
        // waiting for room are let go, so that the scope can join them.
        let _halt = HaltOnDrop(&shared);
        let mut spawned = Vec::with_capacity(threads - 1);
        let mut started = Ok(());
        for _ in 1..threads {
            let (shared, init, work, sender) = (&shared, &init, &work, sender.clone());
            match std::thread::Builder::new()
                .name("oapi-models-target".to_string())
                .stack_size(workers.stack_size)
                .spawn_scoped(scope, move || compute(shared, items, init, work, &sender))
            {
                Ok(handle) => spawned.push(handle),
                Err(e) => {
                    started = Err(crate::Error::Usage(format!("cannot start a thread: {e}")));
                    break;
                }
            }
        }
        drop(sender);
        let outcome =
            started.and_then(|()| emit_in_order(&shared, items, &state, &work, &receiver, emit));
        shared.halt();
        for handle in spawned {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        outcome
    });
    // The other threads allocated in allocator arenas of their own (one
    // may be an older stage's, full of holes); what they freed would stay
    // resident under the next stage's memory.
    crate::memory::release_free_memory();
    outcome
}

/// What the threads of one [`map_in_order`] share.
struct Shared {
    /// Items taken so far: the index of the next one to take.
    taken: AtomicUsize,
    /// Set when no more items are to be taken.
    stop: AtomicBool,
    /// How many items past the next one to emit may be taken.
    window: usize,
    progress: Mutex<Progress>,
    /// Signalled when there is more room, or on a stop.
    room: Condvar,
}

#[derive(Default)]
struct Progress {
    /// Results handed to `emit` so far.
    emitted: usize,
    /// Threads waiting for room.
    waiting: usize,
}

/// A result, or a thread's failure to make its state.
enum Done<R> {
    Item(usize, Result<R>),
    Failed(crate::Error),
}

impl Shared {
    fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Takes the next item for a thread that may wait for room; `None` when
    /// the items ran out or on a stop.
    fn take(&self, len: usize) -> Option<usize> {
        if self.stopped() {
            return None;
        }
        let i = self.taken.fetch_add(1, Ordering::AcqRel);
        if i >= len {
            return None;
        }
        let mut progress = self.progress();
        loop {
            if i < progress.emitted.saturating_add(self.window) {
                return Some(i);
            }
            // Every item before `i` was taken, so the one to emit next is
            // being computed by a thread that does not wait: no deadlock.
            if self.stopped() {
                return None;
            }
            progress.waiting += 1;
            progress = self.room.wait(progress).unwrap_or_else(|e| e.into_inner());
            progress.waiting -= 1;
        }
    }

    /// Takes the next item for the emitting thread, if there is room for
    /// it now (that thread must never wait).
    fn take_now(&self, len: usize, emitted: usize) -> Option<usize> {
        if self.stopped() {
            return None;
        }
        let end = len.min(emitted.saturating_add(self.window));
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |i| {
                (i < end).then_some(i + 1)
            })
            .ok()
    }

    fn set_emitted(&self, emitted: usize) {
        let mut progress = self.progress();
        progress.emitted = emitted;
        if progress.waiting > 0 {
            self.room.notify_all();
        }
    }

    /// Stops the taking of items and lets waiting threads go.
    fn halt(&self) {
        self.stop.store(true, Ordering::Release);
        // Under the lock, so that no waiter is between its check and its wait.
        let _progress = self.progress();
        self.room.notify_all();
    }
}

/// Calls [`Shared::halt`] when dropped.
struct HaltOnDrop<'a>(&'a Shared);

impl Drop for HaltOnDrop<'_> {
    fn drop(&mut self) {
        self.0.halt();
    }
}

/// Calls [`Shared::halt`] when dropped by a panic.
struct HaltOnPanic<'a>(&'a Shared);

impl Drop for HaltOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.halt();
        }
    }
}

/// An extra thread of [`map_in_order`]: computes items until they run out.
fn compute<T, S, R>(
    shared: &Shared,
    items: &[T],
    init: impl Fn() -> Result<S>,
    work: impl Fn(&S, &T) -> Result<R>,
    sender: &Sender<Done<R>>,
) {
    // Other threads must not wait for room that this one will never make.
    let _halt = HaltOnPanic(shared);
    let state = match init() {
        Ok(state) => state,
        Err(e) => {
            shared.halt();
            sender.send(Done::Failed(e)).ok();
            return;
        }
    };
    while let Some(i) = shared.take(items.len()) {
        let Some(item) = items.get(i) else {
            return;
        };
        let result = work(&state, item);
        if result.is_err() {
            // Every earlier item was taken already: no more are needed.
            shared.halt();
        }
        if sender.send(Done::Item(i, result)).is_err() {
            return;
        }
    }
}

/// The calling thread of [`map_in_order`]: hands results to `emit` in item
/// order as they arrive, and computes items with `state` while none is
/// ready.
fn emit_in_order<T, S, R>(
    shared: &Shared,
    items: &[T],
    state: &S,
    work: impl Fn(&S, &T) -> Result<R>,
    receiver: &Receiver<Done<R>>,
    emit: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()> {
    let mut ready = BTreeMap::new();
    let mut emitted = 0;
    while emitted < items.len() {
        if let Some(result) = ready.remove(&emitted) {
            emit(result?)?;
            emitted += 1;
            shared.set_emitted(emitted);
            continue;
        }
        let done = match receiver.try_recv() {
            Ok(done) => done,
            Err(_) => {
                if let Some(i) = shared.take_now(items.len(), emitted)
                    && let Some(item) = items.get(i)
                {
                    let result = work(state, item);
                    if result.is_err() {
                        shared.halt();
                    }
                    ready.insert(i, result);
                    continue;
                }
                // All threads gone with an item undone: one of them panicked,
                // and `map_in_order` resumes that panic.
                receiver
                    .recv()
                    .map_err(|_| crate::Error::Usage("a thread stopped early".to_string()))?
            }
        };
        match done {
            Done::Item(i, result) => {
                ready.insert(i, result);
            }
            Done::Failed(e) => return Err(e),
        }
    }
    // A thread that could not make its state is reported even when the
    // others did all the work.
    for done in receiver {
        if let Done::Failed(e) = done {
            return Err(e);
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

    fn workers(threads: usize) -> Workers {
        Workers {
            threads,
            stack_size: 1 << 20,
        }
    }

    /// Runs `f` on a thread of its own and fails the test if it does not
    /// return within a minute (instead of hanging).
    fn within_a_minute<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || sender.send(f()));
        receiver
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("map_in_order hangs: {e}"))
    }

    fn sleep_ms(ms: u64) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }

    #[test]
    fn uneven_items_come_in_item_order_whatever_the_threads() {
        let items: Vec<usize> = (0..300).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            map_in_order(
                &items,
                workers(threads),
                || Ok(()),
                |(), &i| {
                    // The first item is the slowest, as the Rust target's `mod.rs`.
                    if i == 0 {
                        sleep_ms(30);
                    } else if i % 37 == 0 {
                        sleep_ms(5);
                    }
                    Ok(i)
                },
                &mut |r| {
                    if r % 50 == 0 {
                        sleep_ms(2);
                    }
                    seen.push(r);
                    Ok(())
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(seen, items, "{threads} threads");
        }
    }

    #[test]
    fn the_first_error_in_item_order_wins_over_an_earlier_one_in_time() {
        let items: Vec<usize> = (0..500).collect();
        let failed = std::sync::Mutex::new(Vec::new());
        let mut seen = 0;
        let result = map_in_order(
            &items,
            workers(4),
            || Ok(()),
            |(), &i| {
                // Item 60 is within reach of the other threads however
                // long item 20 takes (on whichever thread).
                if i == 20 {
                    sleep_ms(300);
                }
                if i == 20 || i == 60 {
                    failed.lock().unwrap_or_else(|e| e.into_inner()).push(i);
                    return Err(crate::Error::Usage(format!("item {i}")));
                }
                Ok(i)
            },
            &mut |_| {
                seen += 1;
                Ok(())
            },
        );
        assert_eq!(
            result.map_err(|e| e.to_string()),
            Err("item 20".to_string())
        );
        assert_eq!(seen, 20);
        assert_eq!(
            failed.into_inner().unwrap_or_else(|e| e.into_inner()),
            [60, 20],
            "item 60 fails first"
        );
    }

    #[test]
    fn an_error_of_emit_stops_everything_and_is_returned() {
        use std::sync::atomic::AtomicUsize;
        for threads in [2, 3, 8] {
            let (result, emitted, computed) = within_a_minute(move || {
                let items: Vec<usize> = (0..2000).collect();
                let computed = AtomicUsize::new(0);
                let mut emitted = 0;
                let result = map_in_order(
                    &items,
                    workers(threads),
                    || Ok(()),
                    |(), &i| {
                        computed.fetch_add(1, Ordering::Relaxed);
                        Ok(i)
                    },
                    &mut |_| {
                        // Slow, so that the other threads wait for room.
                        sleep_ms(5);
                        emitted += 1;
                        if emitted == 3 {
                            return Err(crate::Error::Usage("disk full".to_string()));
                        }
                        Ok(())
                    },
                );
                (
                    result.map_err(|e| e.to_string()),
                    emitted,
                    computed.into_inner(),
                )
            });
            assert_eq!(result, Err("disk full".to_string()), "{threads} threads");
            assert_eq!(emitted, 3);
            assert!(
                computed <= 3 + threads * ITEMS_PER_THREAD + threads,
                "{computed} items computed with {threads} threads"
            );
        }
    }

    #[test]
    fn results_waiting_for_emit_stay_within_the_window() {
        use std::sync::atomic::AtomicUsize;
        let items: Vec<usize> = (0..400).collect();
        for threads in [2, 3, 8] {
            let waiting = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            let mut seen = 0;
            map_in_order(
                &items,
                workers(threads),
                || Ok(()),
                |(), &i| {
                    let now = waiting.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    Ok(i)
                },
                &mut |_| {
                    if seen % 10 == 0 {
                        sleep_ms(1);
                    }
                    seen += 1;
                    waiting.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(seen, items.len());
            let most = most.into_inner();
            let window = threads * ITEMS_PER_THREAD;
            assert!(
                most <= window + threads,
                "{most} results waiting with {threads} threads"
            );
            // The other threads did run ahead.
            assert!(most > 1, "{most} results waiting with {threads} threads");
        }
    }

    #[test]
    fn a_panic_on_another_thread_is_resumed_on_the_calling_one() {
        let payload = within_a_minute(|| {
            let items: Vec<usize> = (0..500).collect();
            std::panic::catch_unwind(|| {
                map_in_order(
                    &items,
                    workers(4),
                    || Ok(()),
                    |(), &i| {
                        sleep_ms(1);
                        if std::thread::current().name() == Some("oapi-models-target") {
                            panic!("boom at {i}");
                        }
                        Ok(i)
                    },
                    &mut |_| Ok(()),
                )
            })
            .err()
            .and_then(|payload| payload.downcast_ref::<String>().cloned())
        });
        assert!(
            payload.as_deref().is_some_and(|p| p.starts_with("boom at")),
            "{payload:?}"
        );
    }

    #[test]
    fn an_error_setting_up_another_thread_is_returned() {
        let items: Vec<usize> = (0..500).collect();
        let result = map_in_order(
            &items,
            workers(3),
            || {
                if std::thread::current().name() == Some("oapi-models-target") {
                    Err(crate::Error::Usage("no state here".to_string()))
                } else {
                    Ok(())
                }
            },
            |(), &i| Ok(i),
            &mut |_| Ok(()),
        );
        assert_eq!(
            result.map_err(|e| e.to_string()),
            Err("no state here".to_string())
        );
    }

    #[test]
    fn a_thread_that_cannot_start_is_reported() {
        let items: Vec<usize> = (0..500).collect();
        let result = map_in_order(
            &items,
            Workers {
                threads: 2,
                // More than the address space of any machine.
                stack_size: usize::MAX / 2,
            },
            || Ok(()),
            |(), &i| Ok(i),
            &mut |_| Ok(()),
        );
        assert!(
            result
                .map_err(|e| e.to_string())
                .is_err_and(|e| e.contains("cannot start a thread")),
        );
    }
}
