//! Counting a street file's rows by LSOA, a run of rows at a time.

use rustc_hash::FxHashMap;

/// The LSOA of the rows being counted and their count per crime type. data.police.uk lists a
/// file's rows LSOA by LSOA (by LSOA name, then crime type; rows without a location last), so a
/// row is counted here, and the LSOA's cell in the table is looked up only when the LSOA changes.
/// Rows in any other order are counted the same, with one lookup per change.
#[derive(Default)]
pub(super) struct Run {
    /// Whether a run has begun (the code of rows without a location is "").
    open: bool,
    pub(super) code: String,
    /// The LSOA name as the run's first row gives it, kept for an LSOA the table has not seen.
    name: Vec<u8>,
    pub(super) by_type: [u32; 14],
}

impl Run {
    /// Whether `code` continues the run.
    pub(super) fn continues(&self, code: &[u8]) -> bool {
        self.open && self.code.as_bytes() == code
    }

    /// Ends the run into `table` and begins one for `code` (valid UTF-8) and `name`.
    pub(super) fn begin(&mut self, code: &str, name: &[u8], table: &mut LsoaTable) {
        self.flush(table);
        self.open = true;
        self.code.clear();
        self.code.push_str(code);
        self.name.clear();
        self.name.extend_from_slice(name);
    }

    /// Adds the run's counts into `table`: into its LSOA's cell, or a new cell with the name.
    pub(super) fn flush(&mut self, table: &mut LsoaTable) {
        if !std::mem::take(&mut self.open) {
            return;
        }
        let by_type = std::mem::take(&mut self.by_type);
        match table.get_mut(self.code.as_str()) {
            Some((_, cell)) => cell.iter_mut().zip(by_type).for_each(|(c, n)| *c += n),
            None => {
                let name = String::from_utf8_lossy(&self.name).into();
                table.insert(self.code.as_str().into(), (name, by_type));
            }
        }
    }
}

/// [`StreetCounts::by_lsoa`](super::file::StreetCounts::by_lsoa): by LSOA code, its name and count per crime type.
pub type LsoaTable = FxHashMap<Box<str>, (Box<str>, [u32; 14])>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as (LSOA code, name, type index), counted through runs into a table.
    fn count(rows: &[(&str, &str, usize)]) -> LsoaTable {
        let (mut table, mut run) = (LsoaTable::default(), Run::default());
        for &(code, name, t) in rows {
            if !run.continues(code.as_bytes()) {
                run.begin(code, name.as_bytes(), &mut table);
            }
            run.by_type[t] += 1;
        }
        run.flush(&mut table);
        table
    }

    #[test]
    fn runs_in_any_order_count_the_same() {
        // By hand: E01 has 2 of type 1 and 1 of type 3; E02 has 1 of type 0; "" has 2 of type 5.
        let grouped = [
            ("E01", "A 001A", 1),
            ("E01", "A 001A", 1),
            ("E01", "A 001A", 3),
            ("E02", "A 001B", 0),
            ("", "", 5),
            ("", "", 5),
        ];
        let mixed = [
            grouped[4], grouped[0], grouped[3], grouped[1], grouped[5], grouped[2],
        ];
        for table in [count(&grouped), count(&mixed)] {
            assert_eq!(table.len(), 3);
            let (name, e01) = &table["E01"];
            assert_eq!(
                (&**name, e01[1], e01[3], e01.iter().sum::<u32>()),
                ("A 001A", 2, 1, 3)
            );
            assert_eq!(table["E02"].1[0], 1);
            assert_eq!((table[""].1[5], table[""].1.iter().sum::<u32>()), (2, 2));
        }
    }

    #[test]
    fn a_run_keeps_the_name_of_its_first_row() {
        let table = count(&[("E01", "First", 2), ("E02", "B", 2), ("E01", "Second", 2)]);
        assert_eq!((&*table["E01"].0, table["E01"].1[2]), ("First", 2));
    }
}
