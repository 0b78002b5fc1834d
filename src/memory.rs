//! Handing freed memory back to the operating system between stages.
//!
//! Each stage frees the large structures of the one before (the document
//! value, then the typed spec) before building its own. glibc's allocator
//! keeps freed pages mapped, and the next stage's allocations rarely fit
//! the holes exactly, so without a trim the peak resident memory is the sum
//! of stages rather than the largest one. Elsewhere this does nothing.

/// Tunes glibc's allocator for a run: freed memory at the top of the heap
/// is handed back to the system only past 8 MiB (and at stage boundaries,
/// [`release_free_memory`]), and the heap grows in 1 MiB steps.
/// Without this, each output file's strings made the heap shrink and grow
/// again: thousands of `mprotect`/`madvise` calls per run. Elsewhere this
/// does nothing.
pub(crate) fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes allocator parameters; it takes no
    // pointers and is safe to call at any time.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 8 << 20);
        libc::mallopt(libc::M_TOP_PAD, 1 << 20);
    }
}

/// Returns the free pages of every allocator arena to the system.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free memory of the allocator to
    // the system; it takes no pointers and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
