//! The command line: clap definitions in one place, one file per command. Commands turn raw
//! flags into library calls and print; the library never sees clap.

mod catalog_cmd;
mod eval_cmd;
mod index_cmd;
mod output;
mod rank_cmd;
mod score_cmd;
mod search_cmd;
mod serve_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// leadmatch — 招商线索匹配 matches companies to the Wenzhou plan's target industries
/// (温政办〔2019〕50号).
#[derive(Debug, Parser)]
#[command(name = "leadmatch", version, about, propagate_version = true)]
pub struct Cli {
    /// Catalogue directory (default: ./catalog when present, else the built-in catalogue)
    #[arg(long, global = true, value_name = "DIR")]
    pub catalog: Option<PathBuf>,
    /// Index directory (default: ./index; rebuilt automatically when stale)
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Output format for people or programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 建立索引 Build or refresh the index from the catalogue
    Index,
    /// 检索目录 Search the catalogue ("电竞", "remanufacturing", "区块链金融")
    Search(search_cmd::Args),
    /// 企业评分 Score one company profile
    Score(score_cmd::Args),
    /// 批量排名 Rank a company list (CSV/TSV/JSONL/XLSX)
    Rank(rank_cmd::Args),
    /// 效果评估 Evaluate matching quality on a labeled JSONL file
    Eval(eval_cmd::Args),
    /// 目录 Inspect and validate the catalogue
    Catalog {
        #[command(subcommand)]
        action: catalog_cmd::Action,
    },
    /// 工作台 Start the web workbench (HTTP API and page)
    Serve(serve_cmd::Args),
}

/// Exit code for usage errors (bad flags, missing input).
pub const EXIT_USAGE: i32 = 2;

/// An error with the exit code it maps to.
pub struct Failure {
    pub code: i32,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        let error: anyhow::Error = e.into();
        let code = match error.downcast_ref::<leadmatch_error::Error>() {
            Some(leadmatch_error::Error::EmptyProfile) => EXIT_USAGE,
            _ => 1,
        };
        Failure { code, error }
    }
}

mod leadmatch_error {
    pub use crate::error::Error;
}

/// A usage error (exit 2).
pub fn usage(msg: impl Into<String>) -> Failure {
    Failure {
        code: EXIT_USAGE,
        error: anyhow::anyhow!(msg.into()),
    }
}

/// Parses the arguments, runs the command, prints any error and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(f) => {
            if is_broken_pipe(&f.error) {
                return 0;
            }
            eprintln!("错误 error: {:#}", f.error);
            f.code
        }
    }
}

/// Makes a closed stdout end the process quietly with exit 0, for every command: errors that
/// carry `BrokenPipe` are mapped in [`main`]; this hook catches the rest, the panics of
/// `println!` and friends when the reader has gone (`leadmatch catalog list | head -1`). Any other
/// panic is reported as before.
pub fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") || msg.contains("os error 32") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    let opts = crate::EngineOptions {
        catalog_dir: cli.catalog.clone(),
        index_dir: cli.index.clone(),
    };
    match cli.command {
        Command::Index => index_cmd::run(&opts),
        Command::Search(a) => search_cmd::run(&opts, a),
        Command::Score(a) => score_cmd::run(&opts, a),
        Command::Rank(a) => rank_cmd::run(&opts, a),
        Command::Eval(a) => eval_cmd::run(&opts, a),
        Command::Catalog { action } => catalog_cmd::run(&opts, action),
        Command::Serve(a) => serve_cmd::run(&opts, a),
    }
}

/// Opens the engine and prints its notice (index rebuilt …) on stderr.
pub(crate) fn open_engine(opts: &crate::EngineOptions) -> anyhow::Result<crate::Engine> {
    use anyhow::Context;
    let engine = crate::Engine::open(opts).context("无法加载目录或索引 cannot load the catalogue or index")?;
    if let Some(n) = engine.notice() {
        eprintln!("{n}");
    }
    Ok(engine)
}
