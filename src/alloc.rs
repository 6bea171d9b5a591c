//! The allocator the binary runs on: mimalloc, freeing memory back to the system at once.
//!
//! Extraction interleaves a segment's short-lived tokens with the claims that outlive it,
//! and an article's text is copied twice by SQLite once its claims are stored. With glibc's
//! allocator the holes the tokens left stayed resident, and with mimalloc's default purge
//! delay (one second) the freed claims were still resident when SQLite's copies were made: a
//! 64 MiB hostile article's ingest peaked at 568 MB and 519 MB of RSS against a live heap
//! of some 370 MB. Purging at once, it peaks at some 430 MB (README, Limits).

/// The allocator: `#[global_allocator]` in the binary (`src/main.rs`), so that the library
/// stays usable under any allocator its user chooses.
pub type Allocator = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (`mimalloc.h`; the same index in its v2 and v3, which
/// the crate builds): milliseconds before freed memory is returned to the system, 1,000 by
/// default in v3.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the allocator's options; call it first thing in `main`. mimalloc's own
/// `MIMALLOC_PURGE_DELAY`, when set, is left to decide (that is how the cost of purging at
/// once was measured: BENCHMARKS.md).
pub fn configure() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` is not thread-safe; this runs before any thread is started.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_whose_default_is_a_second() {
        // Guards the hand-copied enum index against a mimalloc upgrade renumbering it: the
        // options next to it have other defaults (use_numa_nodes 0, eager_commit_delay 1).
        // The library's tests run on the system allocator, so mimalloc is only read here.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            // mimalloc reads it into the option: the default is not what is there.
            return;
        }
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
