//! `leadmatch`: parse, run, map the error to an exit code (0 ok, 2 usage, 1 anything else).

/// mimalloc: ranking allocates many small, short-lived strings on every worker thread, where the
/// system allocator's locking and consolidation cost a third of the time (BENCHMARKS.md, "rank").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(leadmatch::cli::main());
}
