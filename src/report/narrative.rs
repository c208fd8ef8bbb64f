//! The analyst's own words, refreshed with the numbers: a Markdown file (`[report] narrative`)
//! whose references to computed values are filled from the report's view-model on every run.
//!
//! References (minijinja expressions, with `if` and the rest of its syntax available):
//! - `{{ compare.area }}`, `{{ compare.from }}`, `{{ compare.to }}`;
//! - `{{ compare.total.X }}` and `{{ category("Rape").X }}`, where X is one of `from`, `to`,
//!   `change`, `pct_change`, `p_value`, `interval`, `note` (as the report prints them) or
//!   `significant`, `rose`, `fell` (true or false);
//! - `{{ outcome("violence").X }}`, where X is one of `title`, `rag`, `finding`, `improving`,
//!   `worsening`, `no_change`, `not_assessable`, `drivers`, `activity_rag`;
//! - `has_category("Rape")` and `has_outcome("violence")`, true or false, to guard a passage on
//!   data another source may not hold.
//!
//! An unknown reference, category or outcome is an error naming the file and line. Every value
//! the narrative used is listed, with its reference, in the manifest.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use minijinja::value::{Enumerator, Object, Value, ValueKind};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::render::table::DisplayRow;
use crate::report::{Context, OutcomePanel};

/// The narrative as the report shows it, and the values it used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Narrative {
    /// The file as the config names it.
    pub file: String,
    pub markdown: String,
    /// The same, as HTML (raw HTML in the file is shown as text, never run).
    pub html: String,
    /// `(reference, value)` for every value filled in, in the order first used.
    #[serde(skip)]
    pub used: Vec<(String, String)>,
    /// The file's content hash (`sha256:<hex>`), for the manifest.
    #[serde(skip)]
    pub digest: String,
}

/// The values used so far, shared by every object of one rendering.
type Used = Arc<Mutex<Vec<(String, String)>>>;

/// An object whose fields the narrative may name; reading a field records it as used.
#[derive(Debug)]
struct Tracked {
    path: String,
    fields: BTreeMap<&'static str, Value>,
    used: Used,
}

impl Object for Tracked {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let value = self.fields.get(key.as_str()?)?.clone();
        if value.as_object().is_none() {
            let reference = format!("{}.{key}", self.path);
            let mut used = self.used.lock().expect("not poisoned");
            if !used.iter().any(|(r, _)| *r == reference) {
                let shown = match value.kind() {
                    ValueKind::Bool => value.is_true().to_string(),
                    _ => value.to_string(),
                };
                used.push((reference, shown));
            }
        }
        Some(value)
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.fields.keys().map(|k| Value::from(*k)).collect())
    }
}

fn tracked(path: String, fields: BTreeMap<&'static str, Value>, used: &Used) -> Value {
    Value::from_object(Tracked {
        path,
        fields,
        used: used.clone(),
    })
}

/// A comparison row's fields.
fn row_fields(r: &DisplayRow) -> BTreeMap<&'static str, Value> {
    let rose = r.change.starts_with('+');
    let fell = r.change.starts_with('-');
    BTreeMap::from([
        ("category", Value::from(r.category.clone())),
        ("from", Value::from(r.from.clone())),
        ("to", Value::from(r.to.clone())),
        ("change", Value::from(r.change.clone())),
        ("pct_change", Value::from(r.pct.clone())),
        ("p_value", Value::from(r.p_value.clone())),
        ("interval", Value::from(r.ci.clone())),
        ("note", Value::from(r.note.clone())),
        ("significant", Value::from(r.significant)),
        ("rose", Value::from(rose)),
        ("fell", Value::from(fell)),
    ])
}

/// An outcome panel's fields.
fn outcome_fields(p: &OutcomePanel) -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        ("title", Value::from(p.title.clone())),
        ("rag", Value::from(p.data_rag.clone())),
        ("finding", Value::from(p.finding.clone())),
        ("improving", Value::from(p.improving)),
        ("worsening", Value::from(p.worsening)),
        ("no_change", Value::from(p.no_change)),
        ("not_assessable", Value::from(p.not_assessable)),
        ("drivers", Value::from(p.drivers.clone())),
        ("activity_rag", Value::from(p.activity_rag.clone())),
    ])
}

/// The `compare` object: the area, the periods and the total.
fn compare(ctx: &Context, used: &Used) -> Value {
    let fields = BTreeMap::from([
        ("area", Value::from(ctx.area.clone())),
        ("from", Value::from(ctx.from.clone())),
        ("to", Value::from(ctx.to.clone())),
        (
            "total",
            tracked("compare.total".into(), row_fields(&ctx.total), used),
        ),
    ]);
    tracked("compare".into(), fields, used)
}

/// Fills the narrative `text` (from `file`) from `ctx`.
pub fn render(text: &str, file: &str, ctx: &Context) -> Result<Narrative> {
    let used: Used = Arc::default();
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    add_functions(&mut env, ctx, &used);
    let rendered = env
        .template_from_str(text)
        .and_then(|t| t.render(minijinja::context! { compare => compare(ctx, &used) }))
        .map_err(|e| narrative_error(file, &e))?;
    let used = used.lock().expect("not poisoned").clone();
    Ok(Narrative {
        file: file.to_string(),
        html: to_html(&rendered),
        markdown: rendered,
        used,
        digest: crate::ingest::read::sha256_digest(text.as_bytes()),
    })
}

/// `category(name)` and `outcome(id)`, each failing with the names there are.
fn add_functions(env: &mut Environment, ctx: &Context, used: &Used) {
    let rows = ctx.rows.clone();
    let names: Vec<String> = rows
        .iter()
        .map(|r| crate::model::label_key(&r.category))
        .collect();
    env.add_function("has_category", move |name: String| {
        names.contains(&crate::model::label_key(&name))
    });
    let u = used.clone();
    env.add_function("category", move |name: String| {
        let row = rows
            .iter()
            .find(|r| crate::model::label_key(&r.category) == crate::model::label_key(&name));
        match row {
            Some(r) => Ok(tracked(format!("category(\"{name}\")"), row_fields(r), &u)),
            None => {
                let known: Vec<&str> = rows.iter().map(|r| r.category.as_str()).collect();
                Err(unknown("category", &name, &known))
            }
        }
    });
    let panels = ctx
        .outcomes
        .as_ref()
        .map(|o| o.panels.clone())
        .unwrap_or_default();
    let ids: Vec<String> = panels.iter().map(|p| p.id.clone()).collect();
    env.add_function("has_outcome", move |id: String| ids.contains(&id));
    let u = used.clone();
    env.add_function("outcome", move |id: String| {
        match panels.iter().find(|p| p.id == id) {
            Some(p) => Ok(tracked(format!("outcome(\"{id}\")"), outcome_fields(p), &u)),
            None => {
                let known: Vec<&str> = panels.iter().map(|p| p.id.as_str()).collect();
                Err(unknown("outcome", &id, &known))
            }
        }
    });
}

fn unknown(what: &str, name: &str, known: &[&str]) -> minijinja::Error {
    let known = if known.is_empty() {
        "none (no outcome framework is assessed)".to_string()
    } else {
        known.join(", ")
    };
    minijinja::Error::new(
        ErrorKind::InvalidOperation,
        format!("no {what} `{name}`; there are: {known}"),
    )
}

/// A rendering error as the user sees it: the file, the line and what to do.
fn narrative_error(file: &str, e: &minijinja::Error) -> Error {
    let line = e.line().map_or_else(String::new, |l| format!(":{l}"));
    let detail = e
        .detail()
        .map_or_else(|| e.kind().to_string(), str::to_string);
    let hint = match e.kind() {
        ErrorKind::UndefinedError => {
            "; a reference names something the report does not have: see README (Narrative) for the references there are"
        }
        _ => "",
    };
    Error::Usage(format!("{file}{line}: {detail}{hint}"))
}

/// Markdown as HTML; raw HTML in the narrative is escaped, so it shows and never runs.
fn to_html(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}
