//! `leadmatch`: parse, run, map the error to an exit code (0 ok, 2 usage, 1 anything else). A
//! closed stdout (`leadmatch catalog list | head -1`) ends the run quietly with exit 0.

/// mimalloc: ranking allocates many small, short-lived strings on every worker thread, where the
/// system allocator's locking and consolidation cost a third of the time (BENCHMARKS.md, "rank").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    leadmatch::cli::quiet_on_broken_pipe();
    std::process::exit(leadmatch::cli::main());
}
