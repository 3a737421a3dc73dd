//! `leadmatch`: parse, run, map the error to an exit code (0 ok, 2 usage, 1 anything else).

fn main() {
    std::process::exit(leadmatch::cli::main());
}
