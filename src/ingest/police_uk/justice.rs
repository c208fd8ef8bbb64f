//! The archive's Crime IDs, outcome and stop-and-search files, for `justice` and `searches`: a
//! street file's recorded crimes by Crime ID (see [`CrimeIds`]), an outcome file's rows, checked
//! (month, Crime ID, outcome type) and kept as 34 bytes each, and a stop-and-search file's
//! searches, read by column name.

use rustc_hash::FxHashSet;

use super::file::{Name, Parsed, Record, find};
use super::rows::Rows;
use crate::error::{Error, Location, Result};
use crate::harmonise::outcome_groups::Groups;
use crate::model::justice::CrimeId;

/// One outcome file's rows: Crime ID and outcome type (an index into [`Groups::shipped`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutcomeRows {
    pub outcomes: Vec<(CrimeId, u16)>,
    /// Rows repeating an earlier row of the file (same Crime ID and outcome type), kept once.
    pub duplicates: u64,
}

/// Reads an outcome file's rows. A row for another month, a Crime ID that is not 64 hex digits
/// or an outcome type the groups table does not hold cannot be used: it fails the file, or is
/// rejected with its line.
/// Every row of an outcome file checked (its month, Crime ID and outcome type), nothing kept: a
/// run that does not join outcomes still rejects, or stops at, a row it could not have joined.
pub(super) fn check_outcomes(
    rows: Rows<&[u8]>,
    columns: &[&str],
    name: &Name,
    display: &str,
) -> Result<Parsed> {
    let cols = outcome_columns(columns, display)?;
    let file_month = name.month.to_string();
    let groups = Groups::shipped();
    rows.each(|r| {
        let field = |i: usize| r.unescape(i).unwrap_or_default();
        let raw = field(cols.0);
        if is_crime_id(&raw) {
            super::file::same_month(&field(cols.1), file_month.as_bytes())?;
            if groups.find(&field(cols.2)).is_some() {
                return Ok(());
            }
        }
        // Something is wrong with the row: the full reading says what.
        outcome_row(r, cols, file_month.as_bytes(), groups).map(|_| ())
    })
}

/// Whether `id` is 64 hexadecimal digits (a branch-free test the compiler vectorises: only a
/// join needs the bytes).
fn is_crime_id(id: &[u8]) -> bool {
    id.len() == 64 && id.iter().fold(true, |ok, b| ok & b.is_ascii_hexdigit())
}

/// The Crime ID, Month and Outcome type columns, which an outcome file must have.
fn outcome_columns(columns: &[&str], display: &str) -> Result<(usize, usize, usize)> {
    let needed = ["Crime ID", "Month", "Outcome type"].map(|c| find(columns, c));
    let [Some(id), Some(month), Some(kind)] = needed else {
        return Err(Error::Header {
            at: Location::line(display, 1),
            message: "an outcome file needs the columns Crime ID, Month and Outcome type".into(),
        });
    };
    Ok((id, month, kind))
}

pub(super) fn outcomes(
    rows: Rows<&[u8]>,
    columns: &[&str],
    name: &Name,
    display: &str,
) -> Result<Parsed> {
    let (id, month, kind) = outcome_columns(columns, display)?;
    let file_month = name.month.to_string();
    let mut out = OutcomeRows::default();
    let mut seen: FxHashSet<(CrimeId, u16)> = FxHashSet::default();
    let groups = Groups::shipped();
    let mut parsed = rows.each(|r| {
        let row = outcome_row(r, (id, month, kind), file_month.as_bytes(), groups)?;
        if seen.insert(row) {
            out.outcomes.push(row);
        } else {
            out.duplicates += 1;
        }
        Ok(())
    })?;
    parsed.outcomes = Some(std::sync::Arc::new(out));
    Ok(parsed)
}

/// One outcome row's Crime ID and outcome type, or why it cannot be used.
fn outcome_row(
    r: &Record,
    (id, month, kind): (usize, usize, usize),
    file_month: &[u8],
    groups: &Groups,
) -> std::result::Result<(CrimeId, u16), String> {
    let field = |i: usize| r.unescape(i).unwrap_or_default();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    super::file::same_month(&field(month), file_month)?;
    let raw = field(id);
    let crime = decode_hex_32(&raw).ok_or_else(|| {
        format!(
            "the Crime ID `{}` is not data.police.uk's 64 hexadecimal digits, so no crime can be matched to it",
            text(&raw)
        )
    })?;
    let label = field(kind);
    let outcome = groups.find(&label).ok_or_else(|| {
        format!(
            "the outcome type `{}` is in no outcome group; add it to data/outcome-groups.csv with its Home Office group",
            text(&label)
        )
    })?;
    Ok((crime, outcome))
}

/// Counts the row's Crime ID as a duplicate if the file has had it before; keeps a recorded
/// crime's first row by its ID with its crime type `keep` when asked.
pub(super) fn count_id(
    r: &Record,
    column: Option<usize>,
    keep: Option<u8>,
    counts: &mut super::file::StreetCounts,
    ids: &mut CrimeIds,
) {
    if let Some(i) = column {
        let id = r.unescape(i).unwrap_or_default();
        if id.is_empty() {
            return;
        }
        let (first, hex) = ids.insert(&id);
        if !first {
            counts.duplicate_ids += 1;
        } else if let (Some(hex), Some(t)) = (hex, keep) {
            counts.crimes.push((hex, t));
        }
    }
}

/// Crime IDs seen in one file. data.police.uk IDs are 64 hex digits, kept as 32 bytes without
/// allocating; anything else is kept as written.
///
/// The 32-byte IDs sit in `seen` in the order met; the table holds each one's place there (4
/// bytes, not 32), found by [`id_hash`]. The table compares whole IDs, and only for a slot whose
/// hash tag matches: a new ID, most of them, is told new from the table's control bytes alone,
/// and a file's table stays small enough to stay in the core's cache.
#[derive(Default)]
pub(super) struct CrimeIds {
    table: hashbrown::HashTable<u32>,
    seen: Vec<CrimeId>,
    other: FxHashSet<Vec<u8>>,
}

/// Bytes per street row with a Crime ID, at least (a row is about 220 bytes; a quarter are
/// anti-social behaviour, without one): tables sized by it hardly ever grow.
const BYTES_PER_ID: usize = 256;

impl CrimeIds {
    /// A table sized for a street file of `bytes` bytes.
    pub(super) fn for_bytes(bytes: usize) -> Self {
        CrimeIds {
            table: hashbrown::HashTable::with_capacity(bytes / BYTES_PER_ID),
            seen: Vec::with_capacity(bytes / BYTES_PER_ID),
            other: FxHashSet::default(),
        }
    }

    /// Records `id`: whether it is new, and its 32 bytes when it is 64 hex digits.
    pub(super) fn insert(&mut self, id: &[u8]) -> (bool, Option<CrimeId>) {
        let Some(bytes) = decode_hex_32(id) else {
            return (self.other.insert(id.to_vec()), None);
        };
        let CrimeIds { table, seen, .. } = self;
        let next = u32::try_from(seen.len()).expect("fewer than 2^32 Crime IDs in a file");
        let entry = table.entry(
            id_hash(&bytes),
            |&i| seen[i as usize] == bytes,
            |&i| id_hash(&seen[i as usize]),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(_) => (false, Some(bytes)),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(next);
                seen.push(bytes);
                (true, Some(bytes))
            }
        }
    }
}

/// A 32-byte Crime ID's hash: its four 8-byte words folded into one, then a folded multiply, so
/// that every bit of the ID moves the table's slot (the hash's low bits) and tag (its top bits).
/// Sequential IDs (a test file's `000...001`, `000...002`) spread as well as SHA-256 digests do.
fn id_hash(id: &CrimeId) -> u64 {
    let word = |k: usize| u64::from_le_bytes(id[8 * k..8 * k + 8].try_into().expect("8 bytes"));
    let x = word(0) ^ word(1).rotate_left(21) ^ word(2).rotate_left(42) ^ word(3).rotate_left(63);
    let product = u128::from(x) * 0xf135_7aea_2e62_a9c5;
    (product as u64) ^ ((product >> 64) as u64)
}

/// A Crime ID's 64 hex digits as 32 bytes.
fn decode_hex_32(id: &[u8]) -> Option<CrimeId> {
    let mut out = [0u8; 32];
    const_hex::decode_to_slice(id, &mut out).ok().map(|()| out)
}

/// Reads a stop-and-search file's rows by column name (releases differ: the outcome-linked and
/// strip-search columns came later, and are `None` where absent). A row dated outside the file's
/// month fails the file, or is rejected with its line.
pub(super) fn searches(rows: Rows<&[u8]>, columns: &[&str], name: &Name) -> Result<Parsed> {
    let at = |c: &str| find(columns, c);
    let cols = SearchColumns {
        date: at("Date"),
        text: [
            "Type",
            "Gender",
            "Age range",
            "Self-defined ethnicity",
            "Officer-defined ethnicity",
            "Legislation",
            "Object of search",
            "Outcome",
        ]
        .map(at),
        linked: at("Outcome linked to object of search"),
        strip: at("Removal of more than just outer clothing"),
        lat_lon: [at("Latitude"), at("Longitude")],
    };
    let month = name.month.to_string();
    let mut out = Vec::new();
    let mut parsed = rows.each(|r| {
        out.push(search_row(r, &cols, month.as_bytes())?);
        Ok(())
    })?;
    parsed.searches = Some(std::sync::Arc::new(out));
    Ok(parsed)
}

struct SearchColumns {
    date: Option<usize>,
    text: [Option<usize>; 8],
    linked: Option<usize>,
    strip: Option<usize>,
    lat_lon: [Option<usize>; 2],
}

fn search_row(
    r: &Record,
    cols: &SearchColumns,
    month: &[u8],
) -> std::result::Result<crate::model::justice::Search, String> {
    let field = |i: Option<usize>| i.and_then(|i| r.unescape(i)).unwrap_or_default();
    let text = |i: Option<usize>| String::from_utf8_lossy(&field(i)).trim().into();
    let date = field(cols.date);
    if date.get(..7) != Some(month) {
        return Err(format!(
            "the search is dated `{}`, outside the file's month {}",
            String::from_utf8_lossy(&date),
            String::from_utf8_lossy(month)
        ));
    }
    // A column the release has: `True` or not; a column it lacks: unknown.
    let flag = |i: Option<usize>| i.map(|_| field(i).trim_ascii().eq_ignore_ascii_case(b"true"));
    let [
        kind,
        gender,
        age_range,
        self_eth,
        officer_eth,
        legislation,
        object,
        outcome,
    ] = cols.text.map(text);
    Ok(crate::model::justice::Search {
        kind,
        gender,
        age_range,
        self_defined_ethnicity: self_eth,
        officer_defined_ethnicity: officer_eth,
        legislation,
        object,
        outcome,
        linked: flag(cols.linked),
        strip: flag(cols.strip),
        located: cols.lat_lon.iter().all(|&i| !field(i).is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::CrimeIds;

    /// New or seen again, by the whole ID: two IDs that share their first eight bytes (16 hex
    /// digits), and so their hash, are two crimes; the same 64 digits twice is one; an ID that is
    /// not 64 hex digits is kept as written.
    #[test]
    fn an_id_is_new_or_seen_by_all_its_digits() {
        let head = "0123456789abcdef";
        let a = format!("{head}{}", "0".repeat(48));
        let b = format!("{head}{}", "1".repeat(48));
        let mut ids = CrimeIds::for_bytes(0);
        let seen: Vec<bool> = [&a, &b, &a, &b, &"1".repeat(64)]
            .iter()
            .map(|id| ids.insert(id.as_bytes()).0)
            .collect();
        assert_eq!(seen, [true, true, false, false, true]);
        let (first, bytes) = ids.insert(b"not-hex");
        assert_eq!((first, bytes), (true, None));
        assert_eq!(ids.insert(b"not-hex"), (false, None));
        // Many sequential IDs, each new once: the table grows past its first size and finds them
        // all (and, hashed by every word, does so in linear time: a hash of the first eight bytes
        // alone, all zeros here, took 0.8 s in a debug build against milliseconds).
        let many: Vec<String> = (0..5000u32).map(|k| format!("{k:064x}")).collect();
        assert!(many.iter().all(|id| ids.insert(id.as_bytes()).0));
        assert!(many.iter().all(|id| !ids.insert(id.as_bytes()).0));
        // 2 + 1 + 5000 distinct 32-byte IDs.
        assert_eq!(ids.seen.len(), 5003);
    }
}
