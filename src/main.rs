//! The `claimtrail` binary: everything lives in the library, see `claimtrail::cli`.

// Why this allocator, and how it is set: `claimtrail::alloc`.
#[global_allocator]
static ALLOCATOR: claimtrail::alloc::Allocator = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimtrail::alloc::configure();
    claimtrail::cli::main()
}
