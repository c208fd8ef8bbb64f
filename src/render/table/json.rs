//! Any table as a JSON array of objects.

/// Any table as a JSON array of objects; the last column as a number where it is one.
pub fn json_of(header: &[&str], rows: &[Vec<String>]) -> String {
    let objects: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .map(|r| {
            header
                .iter()
                .zip(r)
                .map(|(h, c)| {
                    let v = c.parse::<i64>().map_or_else(
                        |_| serde_json::Value::String(c.clone()),
                        serde_json::Value::from,
                    );
                    (h.to_string(), v)
                })
                .collect()
        })
        .collect();
    serde_json::to_string_pretty(&objects).expect("the table serialises") + "\n"
}
