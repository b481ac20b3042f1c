//! One self-contained HTML page for a scan or a whole registry: no network fetch, no external
//! script or font, readable from `file://` and as a CI artifact. Everything that comes from an
//! image (names, paths, labels, messages) is escaped, and a Content-Security-Policy that admits
//! only the page's own style and script (by hash) stops anything that would slip through.
//! Without script the page is a static report; the few lines of script add filtering and
//! sorting, driven by the controls or by the URL's fragment (`#level=error&rule=FS001`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use sha2::Digest as _;

use crate::rules::{Level, RuleId};
use crate::scan::records::{Record, RecordFinding};

/// What the page shows.
#[derive(Debug)]
pub struct Page<'a> {
    /// What was scanned, one line (`registry localhost:5000`, `image app:1`).
    pub scanned: String,
    /// When, as text (see [`timestamp`]).
    pub generated: String,
    /// Settings that shaped the result (fail-on, platforms, …), shown in the header.
    pub settings: Vec<(String, String)>,
    /// One record per image (and per repository whose settings were checked).
    pub records: &'a [Record],
}

/// Now in UTC (`2026-11-30 05:49 UTC`), or `SOURCE_DATE_EPOCH` when set, so a page can be
/// reproduced byte for byte.
#[must_use]
pub fn timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    let (y, m, d) = crate::config::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        t / 3600,
        t % 3600 / 60
    )
}

/// Text made safe for HTML content and attribute values; control and bidi characters shown
/// as escapes, as in every other format.
fn esc(s: &str) -> String {
    let s = super::printable(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A fenced block's lines, each escaped, joined by real line breaks (escaping the joined text
/// would show them as `\n`, the part people copy).
fn code_block(lines: &[&str]) -> String {
    lines.iter().map(|l| esc(l)).collect::<Vec<_>>().join("\n")
}

/// Escaped text with `` `spans` `` as `<code>` (messages put paths and values in backticks).
fn inline(s: &str) -> String {
    let e = esc(s);
    let mut out = String::with_capacity(e.len() + 16);
    let mut open = false;
    let parts: Vec<&str> = e.split('`').collect();
    // An unpaired backtick stays a backtick.
    let paired = parts.len() % 2 == 1;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if paired {
                out.push_str(if open { "</code>" } else { "<code>" });
                open = !open;
            } else {
                out.push('`');
            }
        }
        out.push_str(p);
    }
    out
}

/// The catalog's Markdown (paragraphs, lists, fenced code, `code`, links) as HTML. The text
/// is ours, but it is escaped all the same.
fn markdown(md: &str) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list = false;
    let mut code: Option<Vec<&str>> = None;
    let flush = |para: &mut Vec<&str>, out: &mut String| {
        if !para.is_empty() {
            let _ = write!(out, "<p>{}</p>", links(&inline(&para.join(" "))));
            para.clear();
        }
    };
    for line in md.trim().lines() {
        let t = line.trim_end();
        if let Some(block) = code.as_mut() {
            if t.starts_with("~~~") || t.starts_with("```") {
                let _ = write!(out, "<pre><code>{}</code></pre>", code_block(block));
                code = None;
            } else {
                block.push(t);
            }
            continue;
        }
        if t.starts_with("~~~") || t.starts_with("```") {
            flush(&mut para, &mut out);
            code = Some(Vec::new());
        } else if let Some(item) = t.strip_prefix("- ") {
            flush(&mut para, &mut out);
            if !list {
                out.push_str("<ul>");
                list = true;
            }
            let _ = write!(out, "<li>{}</li>", links(&inline(item)));
        } else if t.is_empty() {
            flush(&mut para, &mut out);
            if list {
                out.push_str("</ul>");
                list = false;
            }
        } else if list && line.starts_with("  ") {
            // A list item's continuation line.
            if out.ends_with("</li>") {
                out.truncate(out.len() - "</li>".len());
                let _ = write!(out, " {}</li>", links(&inline(t.trim())));
            }
        } else {
            if list {
                out.push_str("</ul>");
                list = false;
            }
            para.push(t);
        }
    }
    flush(&mut para, &mut out);
    if list {
        out.push_str("</ul>");
    }
    if let Some(block) = code {
        let _ = write!(out, "<pre><code>{}</code></pre>", code_block(&block));
    }
    out
}

/// `[text](https://…)` in already-escaped text as links; anything else stays text.
fn links(escaped: &str) -> String {
    let mut out = String::new();
    let mut rest = escaped;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let target = &after[close + 2..];
        let Some(end) = target.find(')') else { break };
        let url = &target[..end];
        if !url.starts_with("https://") || url.contains(['"', '<', ' ']) {
            out.push_str(&rest[..=open]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..open]);
        let _ = write!(
            out,
            "<a href=\"{url}\" rel=\"noreferrer\">{}</a>",
            &after[..close]
        );
        rest = &target[end + 1..];
    }
    out.push_str(rest);
    out
}

fn level_class(l: Level) -> &'static str {
    match l {
        Level::Error => "e",
        Level::Warning => "w",
        Level::Note => "n",
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[allow(clippy::cast_precision_loss)] // display only
fn human_bytes(n: u64) -> String {
    if n >= 1 << 30 {
        format!("{:.1} GiB", n as f64 / f64::from(1u32 << 30))
    } else if n >= 1 << 20 {
        crate::units::mib(n)
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

/// Findings per level of one record.
#[derive(Default, Clone, Copy)]
struct Tally {
    error: usize,
    warning: usize,
    note: usize,
}

impl Tally {
    fn of<'a>(findings: impl IntoIterator<Item = &'a RecordFinding>) -> Tally {
        let mut t = Tally::default();
        for f in findings {
            match f.level {
                Level::Error => t.error += 1,
                Level::Warning => t.warning += 1,
                Level::Note => t.note += 1,
            }
        }
        t
    }

    fn worst(self) -> Option<Level> {
        if self.error > 0 {
            Some(Level::Error)
        } else if self.warning > 0 {
            Some(Level::Warning)
        } else if self.note > 0 {
            Some(Level::Note)
        } else {
            None
        }
    }
}

/// The name an image is shown by: repository and tags, else the reference.
fn title_of(r: &Record) -> String {
    if r.tags.is_empty() {
        r.reference.clone()
    } else {
        format!("{}:{}", r.repository, r.tags.join(", "))
    }
}

const STYLE: &str = "
:root{--e:#b42318;--w:#b54708;--n:#175cd3;--ok:#067647;--fg:#1d2939;--mute:#667085;--line:#eaecf0;--bg:#f9fafb}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1200px;margin:0 auto;padding:16px 24px}header{border-bottom:1px solid var(--line);background:#fff;max-width:none}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0}section>h2{margin:24px 0 8px}h3{font-size:15px;margin:16px 0 4px}
.meta{color:var(--mute);margin:0}dl.set{display:flex;flex-wrap:wrap;gap:4px 16px;margin:8px 0 0;color:var(--mute)}dl.set dt{font-weight:600}dl.set dd{margin:0 8px 0 4px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}.card.e b{color:var(--e)}.card.w b{color:var(--w)}.card.n b{color:var(--n)}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px;flex:1 1 420px}
.chart svg{width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
#controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:20px 0 8px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 12px}
article{background:#fff;border:1px solid var(--line);border-radius:8px;margin:12px 0;padding:12px 16px}
article.failed{border-color:var(--e)}p.m{color:var(--mute);margin:6px 0}
.badge,h2>b,summary>b{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff;margin-left:6px;vertical-align:middle}
b.e,.lv.e{background:var(--e)}b.w,.lv.w{background:var(--w)}b.n,.lv.n{background:var(--n)}b.ok{background:var(--ok)}
details{border-top:1px solid var(--line);padding:6px 0}summary{cursor:pointer;font-weight:600}summary a{font-weight:400}
table{border-collapse:collapse;width:100%;margin-top:6px}td,th{text-align:left;padding:3px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--mute);font-weight:600}td.lv,details tr>td:first-child{color:#fff;font-size:12px;width:1%;white-space:nowrap}details td:nth-child(4){color:var(--mute);white-space:nowrap;width:1%}
tr.e>td:first-child{background:var(--e)}tr.w>td:first-child{background:var(--w)}tr.n>td:first-child{background:var(--n)}
tr.e>td:first-child::before{content:'error'}tr.w>td:first-child::before{content:'warning'}tr.n>td:first-child::before{content:'note'}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f2f4f7;padding:0 3px;border-radius:3px;word-break:break-all}
pre{background:#f2f4f7;padding:8px;border-radius:6px;overflow:auto}pre code{background:none;padding:0}
.rule{background:#fff;border:1px solid var(--line);border-radius:8px;margin:12px 0;padding:4px 16px 12px}
.error{color:var(--e)}.mute{color:var(--mute)}[hidden]{display:none!important}
";

const SCRIPT: &str = "(function(){
var $=function(s,e){return Array.prototype.slice.call((e||document).querySelectorAll(s))};
var c=document.getElementById('controls');if(!c)return;c.hidden=false;
var lv=document.getElementById('f-level'),ru=document.getElementById('f-rule'),re=document.getElementById('f-repo'),so=document.getElementById('f-sort');
var rank={e:3,w:2,n:1},list=document.getElementById('images');
var h=new URLSearchParams(location.hash.slice(1));
[['level',lv],['rule',ru],['repo',re],['sort',so]].forEach(function(p){var v=h.get(p[0]);if(v!==null&&$('option',p[1]).some(function(o){return o.value===v}))p[1].value=v});
function apply(){
var min=rank[lv.value]||0,r=ru.value,p=re.value,shown=0;
$('article.img',list).forEach(function(a){
var any=false;
$('details',a).forEach(function(d){
var dr=!r||d.querySelector('summary>a').textContent===r,vis=false;
$('tr',d).forEach(function(t){var ok=dr&&rank[t.className]>=min;t.hidden=!ok;vis=vis||ok});
d.hidden=!vis;any=any||vis});
var on=(!p||a.dataset.repo===p)&&(any||(!min&&!r&&!a.querySelector('details')));
a.hidden=!on;if(on)shown++});
document.getElementById('shown').textContent=shown;
var k=so.value,key=function(a){return k==='name'?a.querySelector('h2>span').textContent:k==='count'?-$('tr',a).length:+a.dataset.i};
$('article.img',list).sort(function(x,y){var a=key(x),b=key(y);return a<b?-1:a>b?1:(+x.dataset.i)-(+y.dataset.i)}).forEach(function(a){list.appendChild(a)});
history.replaceState(null,'','#'+new URLSearchParams({level:lv.value,rule:ru.value,repo:re.value,sort:so.value}).toString());
}
[lv,ru,re,so].forEach(function(e){e.addEventListener('change',apply)});apply();
})();";

/// `'sha256-…'` of a script or style body, for the Content-Security-Policy.
fn csp_hash(body: &str) -> String {
    use base64::Engine as _;
    let digest = sha2::Sha256::digest(body.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// A horizontal bar chart: one bar per `(label, value, class)`.
fn bars(title: &str, rows: &[(String, usize, &'static str)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (210usize, 300usize, 22usize);
    let height = rows.len().max(1) * row_h + 8;
    let mut s = format!(
        "<div class=\"chart\"><h3>{}</h3><svg viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        label_w + bar_w + 60,
        esc(title)
    );
    if rows.is_empty() {
        s.push_str("<text x=\"0\" y=\"16\">nothing to show</text>");
    }
    for (i, (label, value, class)) in rows.iter().enumerate() {
        let y = i * row_h + 4;
        let w = (value * bar_w).div_ceil(max).max(usize::from(*value > 0));
        let colour = match *class {
            "e" => "#b42318",
            "w" => "#b54708",
            "n" => "#175cd3",
            "ok" => "#067647",
            _ => "#98a2b3",
        };
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"16\" rx=\"3\" fill=\"{colour}\"></rect><text x=\"{}\" y=\"{}\">{value}</text>",
            y + 13,
            esc(label),
            label_w + w + 6,
            y + 13
        );
    }
    s.push_str("</svg></div>");
    s
}

/// Writes the page.
///
/// # Errors
/// When writing fails.
#[allow(clippy::too_many_lines)] // one page, top to bottom
pub fn write(page: &Page<'_>, out: &mut dyn Write) -> io::Result<()> {
    let images: Vec<&Record> = page
        .records
        .iter()
        .filter(|r| !r.digest.is_empty() || r.findings.iter().all(|f| f.arn.is_none()))
        .collect();
    let repos: Vec<&Record> = page
        .records
        .iter()
        .filter(|r| r.digest.is_empty() && r.findings.iter().any(|f| f.arn.is_some()))
        .collect();
    let failed: Vec<&Record> = images
        .iter()
        .copied()
        .filter(|r| r.error.is_some())
        .collect();
    let mut scanned: Vec<(&Record, Tally)> = images
        .iter()
        .copied()
        .filter(|r| r.error.is_none())
        .map(|r| (r, Tally::of(&r.findings)))
        .collect();
    // Worst first: errors, then warnings, then notes; then by name.
    scanned.sort_by(|(a, ta), (b, tb)| {
        (tb.error, tb.warning, tb.note)
            .cmp(&(ta.error, ta.warning, ta.note))
            .then_with(|| title_of(a).cmp(&title_of(b)))
            .then_with(|| a.platform.cmp(&b.platform))
    });
    // Totals without copying a finding.
    let total = Tally::of(page.records.iter().flat_map(|r| &r.findings));
    // Findings and images per rule.
    let mut by_rule: BTreeMap<&str, (Level, usize, BTreeSet<&str>)> = BTreeMap::new();
    for r in page.records {
        for f in &r.findings {
            let e = by_rule
                .entry(f.rule.as_str())
                .or_insert((f.level, 0, BTreeSet::new()));
            e.0 = e.0.max(f.level);
            e.1 += 1;
            e.2.insert(r.reference.as_str());
        }
    }
    let rule_name = |id: &str| {
        id.parse::<RuleId>()
            .map(|r| r.meta().name.clone())
            .unwrap_or_default()
    };

    let mut h = String::with_capacity(64 << 10);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; img-src data:\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<title>hullscan: {}</title><style>{STYLE}</style></head><body>\n",
        csp_hash(STYLE),
        csp_hash(SCRIPT),
        esc(&page.scanned)
    );
    let _ = write!(
        h,
        "<header><h1>hullscan report</h1><p class=\"meta\">{} · {} · hullscan {}</p><dl class=\"set\">",
        esc(&page.scanned),
        esc(&page.generated),
        env!("CARGO_PKG_VERSION")
    );
    for (k, v) in &page.settings {
        let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    h.push_str("</dl></header>\n<main>\n");

    // Totals. A page of files (Dockerfiles, task definitions) counts files, not images.
    let files_only = scanned
        .iter()
        .all(|(r, _)| r.digest.is_empty() && r.platform.is_empty());
    let subjects = if files_only {
        "files checked"
    } else {
        "images scanned"
    };
    let _ = writeln!(
        h,
        "<section class=\"cards\" id=\"totals\"><div class=\"card\"><b id=\"t-images\">{}</b>{subjects}</div>\
<div class=\"card e\"><b id=\"t-failed\">{}</b>could not be scanned</div>\
<div class=\"card e\"><b id=\"t-error\">{}</b>errors</div><div class=\"card w\"><b id=\"t-warning\">{}</b>warnings</div>\
<div class=\"card n\"><b id=\"t-note\">{}</b>notes</div></section>",
        scanned.len(),
        failed.len(),
        total.error,
        total.warning,
        total.note
    );

    // Charts.
    let mut rule_rows: Vec<(String, usize, &'static str)> = by_rule
        .iter()
        .map(|(id, (level, n, _))| (format!("{id} {}", rule_name(id)), *n, level_class(*level)))
        .collect();
    rule_rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rule_rows.truncate(20);
    let worst_rows = {
        let count = |l: Option<Level>| scanned.iter().filter(|(_, t)| t.worst() == l).count();
        vec![
            ("error".to_string(), count(Some(Level::Error)), "e"),
            ("warning".to_string(), count(Some(Level::Warning)), "w"),
            ("note".to_string(), count(Some(Level::Note)), "n"),
            ("no findings".to_string(), count(None), "ok"),
            ("could not be scanned".to_string(), failed.len(), "x"),
        ]
    };
    let _ = writeln!(
        h,
        "<section class=\"charts\" id=\"charts\">{}{}</section>",
        bars("Findings by rule", &rule_rows),
        bars("Images by worst level", &worst_rows)
    );

    // Controls: hidden until the script shows them (the static page needs none).
    let repo_names: BTreeSet<&str> = images.iter().map(|r| r.repository.as_str()).collect();
    h.push_str("<section id=\"controls\" hidden><label>Level <select id=\"f-level\"><option value=\"\">all</option><option value=\"e\">error</option><option value=\"w\">warning or worse</option><option value=\"n\">note or worse</option></select></label>");
    h.push_str("<label>Rule <select id=\"f-rule\"><option value=\"\">all</option>");
    for id in by_rule.keys() {
        let _ = write!(
            h,
            "<option value=\"{0}\">{0} {1}</option>",
            esc(id),
            esc(&rule_name(id))
        );
    }
    h.push_str(
        "</select></label><label>Repository <select id=\"f-repo\"><option value=\"\">all</option>",
    );
    for r in &repo_names {
        let _ = write!(h, "<option value=\"{0}\">{0}</option>", esc(r));
    }
    h.push_str("</select></label><label>Sort <select id=\"f-sort\"><option value=\"worst\">worst first</option><option value=\"count\">most findings</option><option value=\"name\">name</option></select></label>");
    let _ = writeln!(
        h,
        "<span class=\"mute\"><b id=\"shown\">{}</b> images shown</span></section>",
        scanned.len()
    );

    if !failed.is_empty() {
        h.push_str("<section id=\"failed\"><h2>Could not be scanned</h2>");
        for r in &failed {
            let _ = write!(
                h,
                "<article class=\"failed\"><h3>{}</h3><p class=\"error\">{}</p></article>",
                esc(&title_of(r)),
                esc(r.error.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</section>\n");
    }

    h.push_str("<section id=\"images\">\n");
    for (i, (r, t)) in scanned.iter().enumerate() {
        image_article(&mut h, i, r, *t, &rule_name);
    }
    h.push_str("</section>\n");

    if !repos.is_empty() {
        h.push_str("<section id=\"repositories\"><h2>Repository settings</h2>");
        for r in &repos {
            image_article(&mut h, 0, r, Tally::of(&r.findings), &rule_name);
        }
        h.push_str("</section>\n");
    }

    shared_layers(&mut h, &scanned);

    // Totals by rule, then what each rule means.
    if !by_rule.is_empty() {
        h.push_str("<section id=\"by-rule\"><h2>Findings by rule</h2><table><thead><tr><th>rule<th>level<th>findings<th>images</tr></thead><tbody>");
        for (id, (level, n, refs)) in &by_rule {
            let _ = write!(
                h,
                "<tr><td><a href=\"#r-{0}\">{0}</a> {1}<td class=\"lv {2}\">{3}<td>{n}<td>{4}</tr>",
                esc(id),
                esc(&rule_name(id)),
                level_class(*level),
                level.as_str(),
                refs.len()
            );
        }
        h.push_str(
            "</tbody></table></section>\n<section id=\"rules\"><h2>What the rules mean</h2>",
        );
        for id in by_rule.keys() {
            let Ok(rule) = id.parse::<RuleId>() else {
                continue;
            };
            let m = rule.meta();
            let _ = write!(
                h,
                "<div class=\"rule\" id=\"r-{}\"><h3>{} {}</h3><p>{}</p><h4>Why</h4>{}<h4>How to fix</h4>{}</div>",
                esc(id),
                esc(id),
                esc(&m.name),
                inline(&m.summary),
                markdown(&m.why),
                markdown(&m.fix)
            );
        }
        h.push_str("</section>\n");
    }
    let _ = writeln!(h, "</main><script>{SCRIPT}</script></body></html>");
    out.write_all(h.as_bytes())?;
    out.flush()
}

/// One image: what it is, then its findings grouped by rule, worst group first.
#[allow(clippy::many_single_char_names)] // h(tml), i(ndex), r(ecord), t(ally)
fn image_article(
    h: &mut String,
    i: usize,
    r: &Record,
    t: Tally,
    rule_name: &dyn Fn(&str) -> String,
) {
    let badge = match t.worst() {
        Some(_) => {
            let mut b = String::new();
            for (n, word, class) in [
                (t.error, "error", "e"),
                (t.warning, "warning", "w"),
                (t.note, "note", "n"),
            ] {
                if n > 0 {
                    let _ = write!(b, "<b class={class}>{}</b>", plural(n, word));
                }
            }
            b
        }
        None => "<b class=ok>no findings</b>".to_string(),
    };
    let _ = write!(
        h,
        "<article class=img data-i={i} data-repo=\"{}\" data-worst=\"{}\"><h2><span>{}</span>{badge}</h2>",
        esc(&r.repository),
        t.worst().map_or("", level_class),
        esc(&title_of(r)),
    );
    // One line of facts, then the digests (what a reader copies).
    let mut facts: Vec<String> = Vec::new();
    if !r.platform.is_empty() {
        facts.push(esc(&r.platform));
    }
    if r.size > 0 {
        facts.push(human_bytes(r.size));
    }
    if !r.layers.is_empty() {
        facts.push(plural(r.layers.len(), "layer"));
    }
    let _ = write!(h, "<p class=m>{}", facts.join(" · "));
    for d in std::iter::once(&r.digest)
        .chain(&r.manifest_digest)
        .filter(|d| !d.is_empty())
    {
        let _ = write!(h, "<br><code>{}</code>", esc(d));
    }
    if r.tags.is_empty() && r.reference != title_of(r) {
        let _ = write!(h, "<br>{}", esc(&r.reference));
    }
    h.push_str("</p>");
    let mut groups: BTreeMap<&str, Vec<&RecordFinding>> = BTreeMap::new();
    for f in &r.findings {
        groups.entry(f.rule.as_str()).or_default().push(f);
    }
    let mut groups: Vec<(&str, Vec<&RecordFinding>)> = groups.into_iter().collect();
    let worst = |g: &[&RecordFinding]| g.iter().map(|f| f.level).max();
    groups.sort_by(|a, b| worst(&b.1).cmp(&worst(&a.1)).then_with(|| a.0.cmp(b.0)));
    for (rule, fs) in groups {
        let level = worst(&fs).unwrap_or(Level::Note);
        // Compact markup (a registry page holds thousands of rows): unquoted attributes,
        // implied end tags, the level as the row's class.
        let _ = write!(
            h,
            "<details{1}><summary><a href=#r-{0}>{0}</a> {2} <b class={3}>{4}</b></summary><table>",
            esc(rule),
            if level == Level::Error { " open" } else { "" },
            esc(&rule_name(rule)),
            level_class(level),
            fs.len(),
        );
        for f in fs {
            // The path is shown once: in the message when it names it, else in its own cell.
            let place = f
                .image_path
                .as_deref()
                .or(f.arn.as_deref())
                .filter(|p| !f.message.contains(&format!("`{p}`")))
                .map(|p| format!("<code>{}</code>", esc(p)))
                .unwrap_or_default();
            let mut at = Vec::new();
            if let Some(l) = f.layer {
                at.push(format!("layer {l}"));
            }
            if let Some(line) = &f.line {
                at.push(esc(line));
            }
            let _ = write!(
                h,
                "<tr class={0}><td><td>{1}<td>{place}<td>{2}",
                level_class(f.level),
                inline(&f.message),
                at.join(", "),
            );
        }
        h.push_str("</table></details>");
    }
    h.push_str("</article>\n");
}

/// Base layers that several images stand on: fixing the base fixes them all.
fn shared_layers(h: &mut String, scanned: &[(&Record, Tally)]) {
    let mut users: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (r, _) in scanned {
        for d in r.layers.iter().collect::<BTreeSet<_>>() {
            users.entry(d.as_str()).or_default().insert(title_of(r));
        }
    }
    let mut shared: Vec<(&str, BTreeSet<String>)> =
        users.into_iter().filter(|(_, u)| u.len() > 1).collect();
    if shared.is_empty() {
        return;
    }
    shared.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
    let more = shared.len().saturating_sub(25);
    shared.truncate(25);
    h.push_str("<section id=\"layers\"><h2>Shared layers</h2><p class=\"mute\">Layers that several images stand on, most shared first: a fix in the image that made them reaches every image listed.</p><table><thead><tr><th>layer<th>images<th>which</tr></thead><tbody>");
    for (digest, names) in &shared {
        let shown: Vec<String> = names.iter().take(6).map(|n| esc(n)).collect();
        let rest = names.len().saturating_sub(shown.len());
        let _ = write!(
            h,
            "<tr><td><code>{}</code><td>{}<td>{}{}</tr>",
            esc(digest.get(..19).unwrap_or(digest)),
            names.len(),
            shown.join(", "),
            if rest > 0 {
                format!(" and {rest} more")
            } else {
                String::new()
            }
        );
    }
    h.push_str("</tbody></table>");
    if more > 0 {
        let _ = write!(h, "<p class=\"mute\">and {more} more shared layers</p>");
    }
    h.push_str("</section>\n");
}

/// The records of a single report (an `image` scan): one per image, with findings placed in
/// it by their location.
#[must_use]
pub fn records_of(report: &super::Report) -> Vec<Record> {
    use crate::rules::finding::Location;
    let mut out: Vec<Record> = report
        .images
        .iter()
        .map(|i| Record {
            repository: i.reference.clone(),
            digest: i.manifest_digest.clone().unwrap_or_default(),
            platform: i.platform.clone(),
            manifest_digest: None,
            tags: Vec::new(),
            reference: i.reference.clone(),
            findings: Vec::new(),
            error: None,
            layers: i.layer_digests.clone(),
            size: i.bytes,
            files: i.files as u64,
            exec: None,
        })
        .collect();
    let mut extra: BTreeMap<String, Record> = BTreeMap::new();
    for f in &report.findings {
        let owner = match &f.location {
            Location::Image { image, .. } => image.clone(),
            Location::Repository { name, .. } => name.clone(),
            // A finding mapped to the Dockerfile line that made it belongs to the image.
            Location::Dockerfile { path, .. } => {
                if out.len() == 1 {
                    out[0].reference.clone()
                } else {
                    path.clone()
                }
            }
        };
        let rf = RecordFinding::from_finding(f);
        if let Some(r) = out.iter_mut().find(|r| r.reference == owner) {
            r.findings.push(rf);
        } else {
            extra
                .entry(owner.clone())
                .or_insert_with(|| Record {
                    repository: owner.clone(),
                    digest: String::new(),
                    platform: String::new(),
                    manifest_digest: None,
                    tags: Vec::new(),
                    reference: owner.clone(),
                    findings: Vec::new(),
                    error: None,
                    layers: Vec::new(),
                    size: 0,
                    files: 0,
                    exec: None,
                })
                .findings
                .push(rf);
        }
    }
    out.extend(extra.into_values());
    for e in &report.errors {
        out.push(Record {
            repository: String::new(),
            digest: "-".into(),
            platform: String::new(),
            manifest_digest: None,
            tags: Vec::new(),
            reference: "error".into(),
            findings: Vec::new(),
            error: Some(e.clone()),
            layers: Vec::new(),
            size: 0,
            files: 0,
            exec: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_from_images() {
        assert_eq!(esc("<script>\"'&"), "&lt;script&gt;&quot;&#39;&amp;");
        assert_eq!(esc("a\nb\u{1b}[2J"), "a\\nb\\u{1b}[2J");
        assert_eq!(
            inline("file `/x<y>` here"),
            "file <code>/x&lt;y&gt;</code> here"
        );
        assert_eq!(inline("odd ` tick"), "odd ` tick");
    }

    #[test]
    fn code_blocks_keep_their_lines() {
        let html = markdown("Fix:\n\n~~~dockerfile\nRUN a \\\n    && b\nUSER 1000\n~~~");
        assert!(
            html.contains("<pre><code>RUN a \\\n    &amp;&amp; b\nUSER 1000</code></pre>"),
            "{html}"
        );
        assert!(!html.contains("\\n"), "{html}");
    }

    #[test]
    fn markdown_of_the_catalog() {
        let html = markdown(
            "Para `x`.\n\n- one\n- two [doc](https://example.com/a)\n\n~~~sh\nrm -rf <x>\n~~~",
        );
        assert_eq!(
            html,
            "<p>Para <code>x</code>.</p><ul><li>one</li><li>two <a href=\"https://example.com/a\" rel=\"noreferrer\">doc</a></li></ul><pre><code>rm -rf &lt;x&gt;</code></pre>"
        );
        // Only https links become links.
        assert_eq!(
            links("[x](javascript:alert(1))"),
            "[x](javascript:alert(1))"
        );
    }
}

#[cfg(test)]
mod page_tests {
    use super::*;

    fn finding(rule: &str, level: Level, path: Option<&str>, message: &str) -> RecordFinding {
        RecordFinding {
            rule: rule.into(),
            name: String::new(),
            level,
            message: message.into(),
            image_path: path.map(str::to_string),
            layer: path.map(|_| 1),
            arn: None,
            evidence: BTreeMap::new(),
            fingerprint: "f".into(),
            line: None,
        }
    }

    /// A registry's worth of images as a batch records them: a dozen findings each, three
    /// layers, the first two shared by repository.
    fn registry(n: usize) -> Vec<Record> {
        (0..n)
            .map(|i| {
                let repo = format!("registry.example.com/team{}/service{}", i % 7, i / 3);
                let bin = |b: &str| format!("/usr/bin/{b}");
                let mut findings = vec![
                    finding(
                        "IC001",
                        Level::Error,
                        None,
                        "image config sets no user; containers run as root",
                    ),
                    finding(
                        "IC004",
                        Level::Note,
                        None,
                        "image config has no `HEALTHCHECK`",
                    ),
                    finding(
                        "RG004",
                        Level::Note,
                        None,
                        "no signature found for the image",
                    ),
                    finding(
                        "LY002",
                        Level::Warning,
                        None,
                        "layer 2 deletes or overwrites 24.1 MiB that layer 1 added",
                    ),
                ];
                for b in ["su", "passwd", "mount", "umount", "chsh", "newgrp"] {
                    findings.push(finding(
                        "FS001",
                        Level::Error,
                        Some(&bin(b)),
                        &format!("`{}` is setuid (uid 0)", bin(b)),
                    ));
                }
                for b in ["sh", "bash"] {
                    findings.push(finding(
                        "FS003",
                        Level::Note,
                        Some(&format!("/bin/{b}")),
                        &format!("shell `/bin/{b}` in the image"),
                    ));
                }
                Record {
                    repository: repo.clone(),
                    digest: format!("sha256:{i:064x}"),
                    platform: "linux/amd64".into(),
                    manifest_digest: None,
                    tags: vec![format!("v{i}"), "latest".into()],
                    reference: format!("{repo}@sha256:{i:064x}"),
                    findings,
                    error: None,
                    layers: vec![
                        format!("sha256:{:064x}", i % 5),
                        format!("sha256:{:064x}", 100 + i % 40),
                        format!("sha256:{:064x}", 1000 + i),
                    ],
                    size: 80 << 20,
                    files: 0,
                    exec: None,
                }
            })
            .collect()
    }

    fn render(records: &[Record]) -> String {
        let mut out = Vec::new();
        write(
            &Page {
                scanned: "registry registry.example.com".into(),
                generated: "2026-11-30 00:00 UTC".into(),
                settings: vec![("platforms".into(), "default".into())],
                records,
            },
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// 1,000 images with 12 findings each make 2.11 MB (about 2.1 KB an image); the bound
    /// catches markup that grows.
    #[test]
    fn a_thousand_images_fit_in_a_mail() {
        let page = render(&registry(1000));
        assert!(page.len() < 2_200_000, "{} bytes", page.len());
    }

    #[test]
    fn page_structure() {
        let page = render(&registry(3));
        // The structure, without the style and script (stable text, tested by the browser test).
        let body = &page[page.find("<body>").unwrap()..page.find("<script>").unwrap()];
        insta::assert_snapshot!(body);
    }
}
