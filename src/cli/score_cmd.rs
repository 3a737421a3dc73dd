//! `leadmatch score`: one profile → verdict, sectors, evidence, departments.

use super::{Failure, Format, open_engine, output, usage};
use crate::lead::{LeadResult, Profile};
use crate::{EngineOptions, Error};
use anyhow::Context;
use clap::builder::TypedValueParser;
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Company name (企业名称)
    #[arg(long)]
    pub name: Option<String>,
    /// Business scope or description (经营范围 / 简介)
    #[arg(long, conflicts_with = "file")]
    pub scope: Option<String>,
    /// Read the scope from a UTF-8 text file (`-` for stdin)
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Read the scope from stdin
    #[arg(value_name = "-", hide = true)]
    pub stdin: Option<String>,
    /// GB/T 4754-2017 industry code or name (所属行业), e.g. I6513 or 应用软件开发
    #[arg(long)]
    pub industry: Option<String>,
    /// Where the company is (所在地 / 注册地址), e.g. 温州市鹿城区 or 上海市: says whether it is a
    /// local 培育 cultivation lead or a 招引 attraction lead from elsewhere
    #[arg(long, value_name = "PLACE")]
    pub location: Option<String>,
    /// Registration status (登记状态), e.g. 存续 or 注销: a company that no longer operates is tier D
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Number of sectors to show (1–49)
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=49).map(|k| k as usize), default_value_t = 3)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Reads a text file or stdin, reporting the byte offset of invalid UTF-8.
fn read_text(path: Option<&PathBuf>) -> anyhow::Result<String> {
    let (bytes, shown) = match path {
        Some(p) if p.as_os_str() != "-" => (
            std::fs::read(p).with_context(|| format!("无法读取 cannot read {}", p.display()))?,
            p.display().to_string(),
        ),
        _ => {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).context("cannot read stdin")?;
            (b, "<stdin>".to_string())
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        Error::InvalidUtf8 {
            path: shown,
            offset: e.utf8_error().valid_up_to(),
        }
        .into()
    })
}

pub fn run(opts: &EngineOptions, a: Args) -> Result<(), Failure> {
    if let Some(s) = &a.stdin
        && s != "-"
    {
        return Err(usage(format!(
            "unexpected argument {s:?}: use --scope TEXT, --file PATH or - for stdin"
        )));
    }
    let scope = if a.file.is_some() {
        read_text(a.file.as_ref())?
    } else if a.stdin.is_some() {
        read_text(None)?
    } else {
        a.scope.clone().unwrap_or_default()
    };
    let profile = Profile {
        name: a.name.clone().unwrap_or_default(),
        scope,
        industry: a.industry.clone(),
        location: a.location.clone(),
        status: a.status.clone(),
        ..Profile::default()
    };
    if profile.is_empty() {
        return Err(usage(
            "缺少企业名称和经营范围 give --name and/or --scope (or --file PATH, or - to read stdin)",
        ));
    }
    let engine = open_engine(opts)?;
    let result = LeadResult::score(&engine, &profile, a.top)?;
    match a.format {
        Format::Json => output::print_json(&result)?,
        Format::Table => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(output::lead_table(&result).as_bytes())?;
        }
    }
    Ok(())
}
