//! Counting a street file's rows by LSOA, a run of rows at a time.

/// The LSOA of the rows being counted and their count per crime type. data.police.uk lists a
/// file's rows LSOA by LSOA (by LSOA name, then crime type; rows without a location last), so a
/// row is counted here, and the LSOA is looked up in the table only when the LSOA changes: the
/// run holds its place in the table and adds its counts there when it ends. Rows in any other
/// order are counted the same, with one lookup per change (as many as rows, at worst).
#[derive(Default)]
pub(super) struct Run {
    /// The run's LSOA, by its place in the table (`None` before the first row).
    at: Option<usize>,
    pub(super) by_type: [u32; 14],
}

impl Run {
    /// Whether `code` continues the run (compared with the code the table holds).
    pub(super) fn continues(&self, code: &[u8], table: &LsoaTable) -> bool {
        let held = self.at.and_then(|i| table.get_index(i));
        held.is_some_and(|(c, _)| super::rows::same_bytes(c.as_bytes(), code))
    }

    /// Ends the run into `table` and begins one for `code` (valid UTF-8), whose cell is added
    /// with `name` if the table has none.
    pub(super) fn begin(&mut self, code: &str, name: &[u8], table: &mut LsoaTable) {
        self.flush(table);
        let at = table.get_index_of(code).unwrap_or_else(|| {
            let name = String::from_utf8_lossy(name).into();
            table.insert_full(code.into(), (name, [0; 14])).0
        });
        self.at = Some(at);
    }

    /// Adds the run's counts into its LSOA's cell.
    pub(super) fn flush(&mut self, table: &mut LsoaTable) {
        let by_type = std::mem::take(&mut self.by_type);
        if let Some((_, (_, cell))) = self.at.take().and_then(|i| table.get_index_mut(i)) {
            cell.iter_mut().zip(by_type).for_each(|(c, n)| *c += n);
        }
    }
}

/// [`StreetCounts::by_lsoa`](super::file::StreetCounts::by_lsoa): by LSOA code, its name and count
/// per crime type, in the order the file first names them.
pub type LsoaTable = indexmap::IndexMap<Box<str>, (Box<str>, [u32; 14]), rustc_hash::FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as (LSOA code, name, type index), counted through runs into a table.
    fn count(rows: &[(&str, &str, usize)]) -> LsoaTable {
        let (mut table, mut run) = (LsoaTable::default(), Run::default());
        for &(code, name, t) in rows {
            if !run.continues(code.as_bytes(), &table) {
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
