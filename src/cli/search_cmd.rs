//! `leadmatch search QUERY`: ranked catalogue hits.

use super::{Failure, Format, open_engine, output, usage};
use crate::EngineOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to look for: 电竞, remanufacturing, 區塊鏈, 跨境电商 …
    pub query: String,
    /// Maximum number of hits
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(opts: &EngineOptions, a: Args) -> Result<(), Failure> {
    if a.query.trim().is_empty() {
        return Err(usage(
            "检索词为空 empty query: give a word such as 电竞 or remanufacturing",
        ));
    }
    let engine = open_engine(opts)?;
    let result = engine.search(&a.query, a.limit)?;
    match a.format {
        Format::Json => output::print_json(&result)?,
        Format::Table => print!("{}", output::search_table(&result)),
    }
    Ok(())
}
