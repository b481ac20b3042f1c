//! Maps image findings to the Dockerfile that built the image (`--dockerfile`): each layer
//! is matched to the instruction that produced it through the image history, so a setuid
//! file from layer 4 points at the `RUN` line that created it. Layers from the base image
//! map to the final stage's `FROM`; config findings to the instruction that set the field.

use crate::dockerfile::{Dockerfile, Instruction, Keyword};
use crate::image::ImageFacts;
use crate::image::history::{Step, parse_created_by};
use crate::rules::finding::Location;
use crate::rules::{Finding, RuleId};

/// What a step or instruction looks like for matching: keyword plus normalised text.
fn signature(keyword: Keyword, args: &str) -> Option<(Keyword, String)> {
    let words: Vec<&str> = args.split_whitespace().collect();
    match keyword {
        Keyword::Run | Keyword::Workdir => Some((keyword, words.join(" "))),
        // History rewrites sources (`file:ab12… in /app`); the destination survives.
        Keyword::Copy | Keyword::Add => {
            Some((keyword, words.last()?.trim_end_matches('/').to_string()))
        }
        _ => None,
    }
}

fn instruction_signature(ins: &Instruction) -> Option<(Keyword, String)> {
    if ins.keyword == Keyword::Run {
        // History records the script; for heredocs, the body follows the command line.
        let mut text = ins.args.clone();
        for h in &ins.heredocs {
            text.push('\n');
            text.push_str(&h.body);
        }
        return signature(Keyword::Run, &text);
    }
    let args: String = ins
        .args
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ");
    signature(ins.keyword, &args)
}

/// For each layer index, the Dockerfile instruction that produced it, if known.
#[must_use]
pub fn layer_instructions<'d>(
    img: &ImageFacts,
    df: &'d Dockerfile,
) -> Vec<Option<&'d Instruction>> {
    let steps: Vec<Option<Step>> = img
        .config
        .layer_history()
        .into_iter()
        .map(|(_, h)| h.created_by.as_deref().and_then(parse_created_by))
        .collect();
    let candidates: Vec<&Instruction> = df
        .final_instructions()
        .filter(|i| {
            matches!(
                i.keyword,
                Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir
            )
        })
        .collect();
    let mut out = vec![None; img.layers.len()];
    // History and layers should pair up one to one; if they do not, map nothing by position.
    if steps.len() != img.layers.len() {
        return out;
    }
    let mut next = candidates.len();
    for (layer, step) in steps.iter().enumerate().rev() {
        let Some(sig) = step.as_ref().and_then(|s| signature(s.keyword, &s.args)) else {
            continue;
        };
        if let Some(pos) = candidates[..next]
            .iter()
            .rposition(|c| instruction_signature(c).as_ref() == Some(&sig))
        {
            out[layer] = Some(candidates[pos]);
            next = pos;
        }
    }
    out
}

/// Moves image findings onto Dockerfile lines where the layer or config field is known.
/// Returns false, moving nothing, when the Dockerfile cannot have built the image: it has
/// build steps (`RUN`, `COPY`, `ADD`, `WORKDIR`) and not one of them lines up with a layer of
/// the history (a wrong `--dockerfile` would otherwise put every finding on its `FROM`).
#[must_use]
pub fn map_findings(
    findings: &mut [Finding],
    img: &ImageFacts,
    df: &Dockerfile,
    dockerfile_path: &str,
) -> bool {
    let by_layer = layer_instructions(img, df);
    let has_steps = df.final_instructions().any(|i| {
        matches!(
            i.keyword,
            Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir
        )
    });
    if has_steps && by_layer.iter().all(Option::is_none) {
        return false;
    }
    let final_from = &df.instructions[df.final_stage().first];
    let last = |kw: Keyword| df.final_instructions().filter(|i| i.keyword == kw).last();
    for f in findings.iter_mut() {
        let Location::Image { image, path, layer } = &f.location else {
            continue;
        };
        let target = match (layer, f.anchor.as_str()) {
            (Some(l), _) => by_layer.get(*l).copied().flatten().unwrap_or(final_from),
            (None, "config User") => last(Keyword::User).unwrap_or(final_from),
            (None, "config ExposedPorts") => last(Keyword::Expose).unwrap_or(final_from),
            (None, "config Healthcheck") => last(Keyword::Healthcheck).unwrap_or(final_from),
            (None, "config Env") => last(Keyword::Env).unwrap_or(final_from),
            _ => final_from,
        };
        f.evidence.insert("image".into(), image.clone());
        if let Some(p) = path {
            f.evidence.insert("image_path".into(), p.clone());
        }
        if let Some(l) = layer {
            f.evidence.insert("layer".into(), l.to_string());
        }
        f.location = Location::Dockerfile {
            path: dockerfile_path.to_string(),
            start_line: target.start_line,
            end_line: target.end_line,
        };
    }
    true
}

/// Once findings sit on Dockerfile lines, a history finding (IC006) that restates what an
/// image rule already reports on the same line goes: `chmod 4755` in a `RUN` (IC006 via DF012)
/// and the setuid file that `RUN` made (FS001) are one concern on one line.
pub fn drop_repeats(findings: &mut Vec<Finding>) {
    // (history rule, image rule) pairs that name the same concern.
    const SAME: &[(&str, RuleId)] = &[
        ("DF012", RuleId::FS001),
        ("DF001", RuleId::IC001),
        ("DF010", RuleId::IC003),
        ("DF009", RuleId::IC005),
        ("DF011", RuleId::IC004),
    ];
    let lines: Vec<(RuleId, Option<u32>)> = findings
        .iter()
        .filter(|f| matches!(f.location, Location::Dockerfile { .. }))
        .map(|f| (f.rule, Some(f.start_line())))
        .collect();
    findings.retain(|f| {
        if f.rule != RuleId::IC006 || !matches!(f.location, Location::Dockerfile { .. }) {
            return true;
        }
        let Some(hist) = f.evidence.get("rule") else {
            return true;
        };
        !SAME
            .iter()
            .any(|(h, img)| h == hist && lines.contains(&(*img, Some(f.start_line()))))
    });
}
