//! What a phase of the benchmark holds in memory, and on disk.
//!
//! The kernel keeps one peak for the whole resident set (`VmHWM`), which mixes what the
//! process allocated (heap, stacks: `RssAnon`) with the pages of files it maps and touched
//! (`RssFile`: the index segments, reclaimable, and larger the larger the store). Issue 17
//! bounds the heap, so a sampler thread reads both every few milliseconds and keeps the
//! highest of each: a short spike between two samples can be missed, `VmHWM` cannot.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the sampler reads `/proc/self/status`.
const EVERY: Duration = Duration::from_millis(10);

/// The highest heap and mapped-file residency seen while a phase ran, in KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Peaks {
    pub anon_kb: u64,
    pub file_kb: u64,
}

/// Samples this process's residency on a thread of its own until stopped.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Peaks>,
}

impl Sampler {
    pub fn start() -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut peaks = Peaks::default();
            loop {
                if let Some(now) = residency() {
                    peaks.anon_kb = peaks.anon_kb.max(now.anon_kb);
                    peaks.file_kb = peaks.file_kb.max(now.file_kb);
                }
                if flag.load(Ordering::Relaxed) {
                    return peaks;
                }
                std::thread::sleep(EVERY);
            }
        });
        Sampler { stop, thread }
    }

    /// The peaks seen; `None` where `/proc` could not be read.
    pub fn stop(self) -> Option<Peaks> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().ok().filter(|p| *p != Peaks::default())
    }
}

/// `RssAnon` and `RssFile` of this process now.
fn residency() -> Option<Peaks> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    Some(Peaks {
        anon_kb: field_kb(&status, "RssAnon:")?,
        file_kb: field_kb(&status, "RssFile:")?,
    })
}

fn field_kb(status: &str, name: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak resident set size the kernel keeps for this process (Linux 4.0+).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident set size since the last reset, in KiB.
pub fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    field_kb(&status, "VmHWM:")
}

/// Bytes of every file under `path` (0 when it does not exist).
pub fn disk_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| disk_bytes(&e.path()))
                .sum::<u64>()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sampler_sees_a_heap_allocated_while_it_runs() {
        let sampler = Sampler::start();
        std::thread::sleep(EVERY * 3);
        let before = residency().map_or(0, |p| p.anon_kb);
        // 64 MiB, touched so the pages are resident.
        let block = vec![1u8; 64 << 20];
        std::thread::sleep(EVERY * 5);
        std::hint::black_box(&block);
        let peaks = sampler.stop().expect("a /proc to read");
        drop(block);
        assert!(
            peaks.anon_kb >= before + 60 * 1024,
            "{peaks:?} after {before} KiB"
        );
    }

    #[test]
    fn disk_bytes_adds_the_files_of_a_folder_and_its_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), [0u8; 100]).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b"), [0u8; 23]).unwrap();
        assert_eq!(disk_bytes(dir.path()), 123);
        assert_eq!(disk_bytes(&dir.path().join("none")), 0);
    }
}
