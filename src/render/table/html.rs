//! A standalone HTML table of the comparison: accessible markup (caption, scoped headers), every
//! data-derived string escaped, nothing fetched.

use crate::render::table::{confidence_label, display_rows};
use crate::stats::Comparison;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
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

/// The comparison as a complete HTML page holding one table; `source` is the "Source:" line.
pub fn comparison_html(cmp: &Comparison, source: &str) -> String {
    let (from, to) = (escape(&cmp.label(false)), escape(&cmp.label(true)));
    let mut rows = String::new();
    for r in display_rows(cmp) {
        let cells = [
            &r.from, &r.to, &r.change, &r.pct, &r.p_value, &r.q_value, &r.ci,
        ]
        .map(|c| format!("<td>{}</td>", escape(c)))
        .concat();
        rows += &format!(
            "<tr><th scope=\"row\">{}</th>{cells}<td>{}</td></tr>\n",
            escape(&r.category),
            escape(&r.note)
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><meta charset=\"utf-8\"><title>Recorded crime, {from} and {to}</title>\n\
<style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}th,td{{padding:4px 8px;border-bottom:1px solid #b1b4b6}}td{{text-align:right}}td:last-child{{text-align:left}}</style></head>\n<body>\n\
<table>\n<caption>Recorded crime by category, {area}, {from} and {to}. {source}</caption>\n\
<thead><tr><th scope=\"col\">Category</th><th scope=\"col\">{from}</th><th scope=\"col\">{to}</th><th scope=\"col\">Change</th><th scope=\"col\">% change</th><th scope=\"col\">p-value</th><th scope=\"col\">q-value</th><th scope=\"col\">{conf} CI of ratio</th><th scope=\"col\">Note</th></tr></thead>\n\
<tbody>\n{rows}</tbody>\n</table>\n</body>\n</html>\n",
        area = escape(&cmp.area),
        source = escape(source),
        conf = confidence_label(cmp.alpha),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
