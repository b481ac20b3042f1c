//! Terraform HCL (`.tf`) as the JSON the task definition reader takes, through `hcl-edit`
//! (the parser `hcl-rs` uses), with the line of every attribute, block and element. Only
//! `resource "aws_ecs_*"` blocks are kept, laid out as `/resource/TYPE/NAME`, blocks as lists
//! of objects as in a plan. Literal expressions become JSON; `jsonencode(x)` becomes `x`;
//! `file("…")` and `templatefile("…", …)` become markers the reader follows; a heredoc of JSON
//! becomes that JSON, located on its own lines. Every other expression (a variable, a
//! reference, a conditional, a function) becomes `{"${}": "its source"}`: not a literal, so no
//! rule judges it, and two identical expressions still compare equal.

use std::ops::Range;

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ObjectKey};
use hcl::edit::structure::{BlockLabel, Body, Structure};
use hcl::edit::template::{Element, Template};
use serde_json::{Map, Value, json};

use super::locate::{Lines, escape};

/// Deeper than any Terraform resource; the parser recurses, so deeper input is refused
/// before it is parsed.
const MAX_DEPTH: usize = 48;

/// Why HCL could not be read.
#[derive(Debug)]
pub struct HclError {
    /// The parser's message.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// Brackets nested deeper than [`MAX_DEPTH`] (counted outside strings and comments,
/// over-counting `${` in strings, which only makes the bound stricter).
fn too_deep(text: &str) -> Option<(u32, u32)> {
    let b = text.as_bytes();
    let (mut depth, mut line, mut col) = (0usize, 1u32, 0u32);
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        col += 1;
        match c {
            b'\n' => {
                line += 1;
                col = 0;
            }
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((line, col));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses `text`: the `aws_ecs_*` resources and the line of every pointer.
///
/// # Errors
/// The parser's message and position, or the depth bound crossed.
pub fn load(text: &str) -> Result<(Value, Lines), HclError> {
    if let Some((line, column)) = too_deep(text) {
        return Err(HclError {
            message: format!("nested deeper than {MAX_DEPTH}"),
            line,
            column,
        });
    }
    let body: Body = hcl::edit::parser::parse_body(text).map_err(|e| HclError {
        message: e.message().to_string(),
        line: u32::try_from(e.location().line()).unwrap_or(u32::MAX),
        column: u32::try_from(e.location().column()).unwrap_or(u32::MAX),
    })?;
    let mut cv = Conv {
        text,
        starts: std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect(),
        lines: Lines::default(),
    };
    let mut resources: Map<String, Value> = Map::new();
    for block in body.blocks() {
        if block.ident.as_str() != "resource" || block.labels.len() != 2 {
            continue;
        }
        let ty = label(&block.labels[0]);
        let name = label(&block.labels[1]);
        if !ty.starts_with("aws_ecs_") {
            continue;
        }
        let at = format!("/resource/{}/{}", escape(&ty), escape(&name));
        cv.mark(&at, block.span());
        let obj = cv.body(&block.body, &at, 0);
        if let Value::Object(by_name) = resources
            .entry(ty)
            .or_insert_with(|| Value::Object(Map::new()))
        {
            by_name.insert(name, obj);
        }
    }
    Ok((json!({ "resource": resources }), cv.lines))
}

fn label(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.as_str().to_string(),
        BlockLabel::String(s) => s.value().clone(),
    }
}

struct Conv<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    lines: Lines,
}

impl Conv<'_> {
    fn line(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|s| *s <= offset);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }

    fn mark(&mut self, at: &str, span: Option<Range<usize>>) {
        if let Some(s) = span {
            let line = self.line(s.start);
            self.lines.set(at.to_string(), line);
        }
    }

    fn source(&self, span: Option<Range<usize>>) -> String {
        span.and_then(|s| self.text.get(s))
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// Not a literal: its source, so equal expressions compare equal.
    fn unknown(&self, e: &Expression) -> Value {
        json!({ "${}": self.source(e.span()) })
    }

    fn body(&mut self, body: &Body, at: &str, depth: usize) -> Value {
        let mut out = Map::new();
        for s in body {
            match s {
                Structure::Attribute(a) => {
                    let p = format!("{at}/{}", escape(a.key.as_str()));
                    self.mark(&p, a.key.span());
                    let v = self.expr(&a.value, &p, depth + 1);
                    out.insert(a.key.as_str().to_string(), v);
                }
                Structure::Block(b) => {
                    let key = b.ident.as_str().to_string();
                    let list = out
                        .entry(key.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    let i = list.as_array().map_or(0, Vec::len);
                    let p = format!("{at}/{}", escape(&key));
                    let pi = format!("{p}/{i}");
                    if i == 0 {
                        self.mark(&p, b.span());
                    }
                    self.mark(&pi, b.span());
                    let v = self.body(&b.body, &pi, depth + 1);
                    if let Some(Value::Array(list)) = out.get_mut(&key) {
                        list.push(v);
                    }
                }
            }
        }
        Value::Object(out)
    }

    fn expr(&mut self, e: &Expression, at: &str, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return self.unknown(e);
        }
        match e {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => serde_json::from_str(&n.value().to_string())
                .unwrap_or_else(|_| Value::String(n.value().to_string())),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(a) => Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let p = format!("{at}/{i}");
                        self.mark(&p, x.span());
                        self.expr(x, &p, depth + 1)
                    })
                    .collect(),
            ),
            Expression::Object(o) => {
                let mut out = Map::new();
                for (k, v) in o {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(_) => continue,
                    };
                    let p = format!("{at}/{}", escape(&key));
                    self.mark(&p, k.span());
                    let v = self.expr(v.expr(), &p, depth + 1);
                    out.insert(key, v);
                }
                Value::Object(out)
            }
            Expression::StringTemplate(t) => self
                .module_path(t)
                .map_or_else(|| self.unknown(e), Value::String),
            Expression::HeredocTemplate(h) => self.heredoc(&h.template, at, e),
            Expression::Parenthesis(p) => self.expr(p.inner(), at, depth + 1),
            Expression::FuncCall(f) if f.name.namespace.is_empty() => {
                let arg = |i: usize| f.args.get(i);
                match (f.name.name.as_str(), f.args.len()) {
                    ("jsonencode" | "tolist" | "tostring", 1) => match arg(0) {
                        Some(x) => self.expr(x, at, depth + 1),
                        None => self.unknown(e),
                    },
                    (func @ ("file" | "templatefile"), _) => {
                        let path = match arg(0) {
                            Some(Expression::String(s)) => Some(s.value().clone()),
                            Some(Expression::StringTemplate(t)) => self.module_path(t),
                            _ => None,
                        };
                        match path {
                            Some(p) => json!({ format!("${func}"): p }),
                            None => self.unknown(e),
                        }
                    }
                    _ => self.unknown(e),
                }
            }
            _ => self.unknown(e),
        }
    }

    /// A string template whose only interpolation is `path.module` (or `path.root`, the
    /// same directory for a root module): the path, relative to the `.tf` file.
    fn module_path(&self, t: &Template) -> Option<String> {
        let mut out = String::new();
        for el in t {
            match el {
                Element::Literal(s) => out.push_str(s.as_str()),
                Element::Interpolation(i)
                    if matches!(self.source(i.expr.span()).as_str(), "path.module") =>
                {
                    out.push('.');
                }
                _ => return None,
            }
        }
        Some(out)
    }

    /// A heredoc: its JSON when it is literal JSON (located on its own lines), a template
    /// marker when it interpolates, else a string.
    fn heredoc(&mut self, t: &Template, at: &str, e: &Expression) -> Value {
        let mut text = String::new();
        let mut literal = true;
        for el in t {
            match el {
                Element::Literal(s) => text.push_str(s.as_str()),
                Element::Interpolation(i) => {
                    literal = false;
                    text.push_str("${");
                    text.push_str(&self.source(i.expr.span()));
                    text.push('}');
                }
                Element::Directive(_) => return self.unknown(e),
            }
        }
        let first = t
            .span()
            .or_else(|| e.span())
            .map_or(1, |s| self.line(s.start));
        if !literal {
            return json!({ "$template": text, "$line": first });
        }
        match serde_json::from_str::<Value>(&text) {
            Ok(v @ (Value::Array(_) | Value::Object(_))) => {
                self.lines
                    .graft(&Lines::of(&text), at, first.saturating_sub(1));
                v
            }
            _ => Value::String(text),
        }
    }
}

/// A JSON template (`templatefile`'s file, a heredoc with interpolations) as JSON: each
/// `${…}` inside a JSON string stays as written (a value no rule reads as a literal image or
/// user), each one outside a string becomes `null`. Line breaks are kept, so lines match.
///
/// # Errors
/// Template directives (`%{ if }`, `%{ for }`): the JSON depends on them.
pub fn template_json(text: &str) -> Result<String, String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut in_str = false;
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 2,
            b'"' => {
                in_str = !in_str;
                i += 1;
            }
            b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                if b[i] == b'%' {
                    return Err("template directives (`%{ … }`) decide its JSON".into());
                }
                // The interpolation's end: balanced braces, skipping its own strings.
                let mut depth = 0usize;
                let mut j = i + 1;
                let mut quoted = false;
                while j < b.len() {
                    match b[j] {
                        b'\\' if quoted => j += 1,
                        b'"' => quoted = !quoted,
                        b'{' if !quoted => depth += 1,
                        b'}' if !quoted => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= b.len() {
                    return Err("an unterminated `${`".into());
                }
                if !in_str {
                    out.push_str(&text[last..i]);
                    let newlines = text[i..=j].matches('\n').count();
                    out.push_str("null");
                    out.push_str(&"\n".repeat(newlines));
                    last = j + 1;
                }
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[last..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_with_lines() {
        let text = r#"variable "x" {}

resource "aws_ecs_task_definition" "app" {
  family       = "app"
  network_mode = var.mode
  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "nginx:1"
      privileged = true
    }
  ])
  volume {
    name = "d"
    efs_volume_configuration {
      file_system_id = aws_efs_file_system.x.id
    }
  }
}
resource "aws_s3_bucket" "b" {}
"#;
        let (v, lines) = load(text).unwrap();
        let td = &v["resource"]["aws_ecs_task_definition"]["app"];
        assert_eq!(td["family"], "app");
        assert!(
            td["network_mode"].is_object(),
            "a variable is not a literal"
        );
        assert_eq!(td["container_definitions"][0]["privileged"], true);
        assert_eq!(
            lines.line("/resource/aws_ecs_task_definition/app/container_definitions/0/privileged"),
            10
        );
        assert_eq!(
            lines.line("/resource/aws_ecs_task_definition/app/volume/0/efs_volume_configuration/0"),
            15
        );
        assert!(v["resource"].get("aws_s3_bucket").is_none());
    }

    #[test]
    fn heredoc_json_is_located() {
        let text = "resource \"aws_ecs_task_definition\" \"a\" {\n  container_definitions = <<EOF\n[\n  {\"name\": \"x\",\n   \"image\": \"y\", \"user\": \"root\"}\n]\nEOF\n}\n";
        let (v, lines) = load(text).unwrap();
        let at = "/resource/aws_ecs_task_definition/a/container_definitions";
        assert_eq!(
            v["resource"]["aws_ecs_task_definition"]["a"]["container_definitions"][0]["user"],
            "root"
        );
        assert_eq!(lines.line(&format!("{at}/0/user")), 5);
    }

    #[test]
    fn templates_and_bounds() {
        let t = "[{\"name\": \"${name}\", \"cpu\": ${cpu},\n \"memory\": ${\n m}}]";
        let j = template_json(t).unwrap();
        let v: Value = serde_json::from_str(&j).unwrap();
        assert_eq!(v[0]["name"], "${name}");
        assert!(v[0]["cpu"].is_null());
        assert_eq!(j.matches('\n').count(), t.matches('\n').count());
        assert!(template_json("[%{ for x in y }1%{ endfor }]").is_err());
        assert!(load(&format!("a = {}", "[".repeat(10_000))).is_err());
        assert!(load("resource \"aws_ecs_service\" \"s\" {\n  x = \n").is_err());
        // Long operator chains do not overflow the stack.
        for op in ["!", "-", "a + ", "a ? b : ", "a.", "a["] {
            let _ = load(&format!("a = {}1\n", op.repeat(200_000)));
        }
    }
}
