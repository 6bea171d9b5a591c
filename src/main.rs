//! The `claimtrail` binary: everything lives in the library, see `claimtrail::cli`.

fn main() -> std::process::ExitCode {
    claimtrail::cli::main()
}
