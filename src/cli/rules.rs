//! `hullscan rules`: the catalog as a table, JSON or Markdown, or one rule's full docs.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};

use hullscan::docs;
use hullscan::rules::RuleId;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
    Md,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Show this rule's documentation (id or name).
    #[arg(value_name = "ID")]
    rule: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    format: RulesFormat,
}

pub(crate) fn run(args: &RulesArgs) -> Result<u8> {
    let ids: Vec<RuleId> = match &args.rule {
        Some(r) => {
            let ids = match (RuleId::parse_many(r), RuleId::peer_tool(r)) {
                (Ok(ids), _) => ids,
                (Err(_), Some(tool)) => {
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "`{r}` is {tool}'s; no hullscan rule covers it.")?;
                    return Ok(0);
                }
                (Err(e), None) => return Err(anyhow::anyhow!(e)),
            };
            if r.parse::<RuleId>().is_err() {
                let list: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
                eprintln!(
                    "note: `{r}` is a peer's id; hullscan covers it with {}",
                    list.join(", ")
                );
            }
            ids
        }
        None => RuleId::ALL.to_vec(),
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        RulesFormat::Json => {
            let metas: Vec<_> = ids.iter().map(|id| id.meta()).collect();
            serde_json::to_writer_pretty(&mut out, &metas)?;
            writeln!(out)?;
        }
        RulesFormat::Md if args.rule.is_some() => write!(out, "{}", docs::rule_page(ids[0]))?,
        RulesFormat::Md => write!(out, "{}", docs::rule_table())?,
        RulesFormat::Human if args.rule.is_some() => {
            let id = ids[0];
            let m = id.meta();
            writeln!(
                out,
                "{} {} ({})\n\n{}\n",
                id,
                m.name,
                m.level_range(),
                m.summary
            )?;
            if let Some(g) = m.grading() {
                writeln!(out, "Levels: {g}\n")?;
            }
            writeln!(
                out,
                "{}\n\nHow to fix:\n{}\n",
                m.why.trim(),
                hullscan::docs::unfence(m.fix.trim())
            )?;
            writeln!(out, "docs: {}", docs::link(id))?;
        }
        RulesFormat::Human => {
            for id in ids {
                let m = id.meta();
                writeln!(
                    out,
                    "{id}  {:<28} {:<11} {}",
                    m.name,
                    m.level_range(),
                    m.summary
                )?;
            }
        }
    }
    Ok(0)
}
