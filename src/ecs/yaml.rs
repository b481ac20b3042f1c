//! CloudFormation YAML as the JSON the task definition reader takes, with the line of every
//! key. Events are consumed one by one with an explicit stack, so depth is capped and nothing
//! recurses; aliases are not expanded (a "billion laughs" file stays small), and a tagged node
//! (`!Ref`, `!Sub`, `!If`) becomes `{"!Tag": value}`, which no rule reads as a literal.

use std::collections::HashMap;

use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use super::locate::{Lines, escape};

/// Deeper than any template.
const MAX_DEPTH: usize = 64;

/// Nodes in one document (keys, values, items): a bound on what a file can make us build.
const MAX_NODES: usize = 4_000_000;

enum Frame {
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        at: String,
        tag: Option<String>,
    },
    Seq {
        items: Vec<Value>,
        at: String,
        tag: Option<String>,
    },
}

/// A plain scalar as YAML 1.2's core schema reads it; quoted scalars are strings.
fn scalar(s: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(s);
    }
    match s.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => s
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or(Value::String(s)),
    }
}

fn tagged(tag: Option<String>, v: Value) -> Value {
    match tag {
        Some(t) => {
            let mut m = Map::new();
            m.insert(t, v);
            Value::Object(m)
        }
        None => v,
    }
}

/// `!Ref` → `"!Ref"`; the core schema's own tags (`!!str`) are not CloudFormation's.
fn tag_name(tag: Option<&yaml_rust2::parser::Tag>) -> Option<String> {
    tag.filter(|t| t.handle == "!")
        .map(|t| format!("!{}", t.suffix))
}

/// Parses the first document of `text`.
///
/// # Errors
/// The parser's message and line, or a bound crossed.
pub fn load(text: &str) -> Result<(Value, Lines), (String, u32)> {
    load_inner(text).map_err(|(m, l)| (m, u32::try_from(l).unwrap_or(u32::MAX)))
}

fn load_inner(text: &str) -> Result<(Value, Lines), (String, usize)> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut lines: HashMap<String, u32> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Value> = None;
    loop {
        let (ev, mark) = parser
            .next_token()
            .map_err(|e| (format!("not YAML: {e}"), e.marker().line()))?;
        nodes += 1;
        if nodes > MAX_NODES {
            return Err((format!("more than {MAX_NODES} YAML nodes"), mark.line()));
        }
        let line = u32::try_from(mark.line()).unwrap_or(u32::MAX);
        // Where the next value goes, and its pointer.
        let here = |stack: &mut Vec<Frame>, lines: &mut HashMap<String, u32>| -> Option<String> {
            match stack.last_mut() {
                Some(Frame::Map {
                    key: Some(k), at, ..
                }) => Some(format!("{at}/{}", escape(k))),
                Some(Frame::Seq { items, at, .. }) => {
                    let p = format!("{at}/{}", items.len());
                    lines.insert(p.clone(), line);
                    Some(p)
                }
                _ => Some(String::new()),
            }
        };
        let value = match ev {
            Event::StreamEnd | Event::DocumentEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => continue,
            Event::Alias(_) => Value::Null,
            Event::Scalar(s, style, _, tag) => {
                // A scalar in key position is a key.
                if let Some(Frame::Map { key, at, .. }) = stack.last_mut()
                    && key.is_none()
                {
                    lines.insert(format!("{at}/{}", escape(&s)), line);
                    *key = Some(s);
                    continue;
                }
                here(&mut stack, &mut lines);
                tagged(tag_name(tag.as_ref()), scalar(s, style))
            }
            Event::MappingStart(_, ref tag) | Event::SequenceStart(_, ref tag) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                if stack.len() >= MAX_DEPTH {
                    return Err((format!("YAML nested deeper than {MAX_DEPTH}"), mark.line()));
                }
                // A collection as a key has no pointer; it is kept under an empty key.
                if let Some(Frame::Map { key, .. }) = stack.last_mut()
                    && key.is_none()
                {
                    *key = Some(String::new());
                }
                let at = here(&mut stack, &mut lines).unwrap_or_default();
                let tag = tag_name(tag.as_ref());
                stack.push(if is_map {
                    Frame::Map {
                        map: Map::new(),
                        key: None,
                        at,
                        tag,
                    }
                } else {
                    Frame::Seq {
                        items: Vec::new(),
                        at,
                        tag,
                    }
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                Some(Frame::Map { map, tag, .. }) => tagged(tag, Value::Object(map)),
                Some(Frame::Seq { items, tag, .. }) => tagged(tag, Value::Array(items)),
                None => return Err(("unbalanced YAML".into(), mark.line())),
            },
        };
        match stack.last_mut() {
            Some(Frame::Map { map, key, .. }) => {
                if let Some(k) = key.take() {
                    map.insert(k, value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            None => {
                root = Some(value);
                break;
            }
        }
    }
    let root = root.ok_or_else(|| ("an empty YAML document".to_string(), 1))?;
    Ok((root, Lines::from_map(lines)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_with_tags_and_lines() {
        let text = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      NetworkMode: host\n      ContainerDefinitions:\n        - Name: app\n          Image: !Sub '${AWS::AccountId}.dkr.ecr/app'\n          Privileged: true\n          User: \"0\"\n";
        let (v, lines) = load(text).unwrap();
        let c = &v["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0];
        assert_eq!(c["Privileged"], Value::Bool(true));
        assert_eq!(c["User"], Value::String("0".into()));
        assert!(c["Image"].is_object(), "a tagged node is not a literal");
        assert_eq!(lines.line("/Resources/Task/Properties/NetworkMode"), 5);
        assert_eq!(
            lines.line("/Resources/Task/Properties/ContainerDefinitions/0"),
            7
        );
        assert_eq!(
            lines.line("/Resources/Task/Properties/ContainerDefinitions/0/Privileged"),
            9
        );
    }

    #[test]
    fn hostile_yaml_is_bounded() {
        assert!(load(&"[".repeat(1000)).is_err());
        let laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n";
        let (v, _) = load(laughs).unwrap();
        assert_eq!(v["c"][0], Value::Null, "aliases are not expanded");
        assert!(load("a: [").is_err());
    }
}
