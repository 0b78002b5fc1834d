//! Handing freed memory back to the operating system between stages.
//!
//! Each stage frees the large structures of the one before (the document
//! value, then the typed spec) before building its own. glibc's allocator
//! keeps freed pages mapped, and the next stage's allocations rarely fit
//! the holes exactly, so without a trim the peak resident memory is the sum
//! of stages rather than the largest one. Elsewhere this does nothing.

/// Returns the free pages of every allocator arena to the system.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free memory of the allocator to
    // the system; it takes no pointers and is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
