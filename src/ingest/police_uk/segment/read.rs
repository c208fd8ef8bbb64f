//! Reading a segment back: each file's LSOA table from its row's lists.

use polars::prelude::*;
use polars_arrow::array::{PrimitiveArray, Utf8ViewArray};
use polars_arrow::types::NativeType;

use crate::ingest::police_uk::lsoa_run::LsoaTable;

/// The LSOA tables of the files in `segment` that `wanted` asks for, by their numbers. A row
/// that names no LSOA, or whose lists disagree, makes the whole segment unreadable (its files are
/// parsed).
pub(in crate::ingest::police_uk) fn tables(
    segment: &DataFrame,
    wanted: impl Fn(u32) -> bool,
) -> PolarsResult<Vec<(u32, LsoaTable)>> {
    let files = segment.column("file")?.u32()?;
    let lists = |name: &str| segment.column(name).and_then(|c| c.list());
    let (named, codes, names) = (lists("named")?, lists("lsoa_code")?, lists("lsoa_name")?);
    let pairs = pairs(&rows_of::<u32>(named)?, &texts(codes)?, &texts(names)?)?;
    let (lsoas, types) = (
        rows_of::<u32>(lists("lsoa")?)?,
        rows_of::<u16>(lists("types")?)?,
    );
    let counts = rows_of::<u16>(lists("counts")?)?;
    let broken = |i: usize| polars_err!(ComputeError: "segment row {i} does not add up");
    let mut found = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let Some(file) = file.filter(|&f| wanted(f)) else {
            continue;
        };
        let (lsoa, types, counts) = (lsoas.get(i), types.get(i), counts.get(i));
        let (Some(lsoa), Some(types), Some(counts)) = (lsoa, types, counts) else {
            return Err(broken(i));
        };
        let table = table(lsoa, types, counts, &pairs).ok_or_else(|| broken(i))?;
        found.push((file, table));
    }
    Ok(found)
}

/// One file's LSOA table from its lists; `None` if they disagree or name a pair no row named.
fn table(
    lsoa: &[u32],
    types: &[u16],
    counts: &[u16],
    pairs: &[Option<(&str, &str)>],
) -> Option<LsoaTable> {
    if lsoa.len() != types.len() {
        return None;
    }
    let mut table = LsoaTable::with_capacity_and_hasher(lsoa.len(), Default::default());
    let mut counts = counts.iter();
    for (&n, &mask) in lsoa.iter().zip(types) {
        if mask >> 14 != 0 {
            return None;
        }
        let mut by_type = [0u32; 14];
        for (t, cell) in by_type.iter_mut().enumerate() {
            if mask & (1 << t) != 0 {
                *cell = u32::from(*counts.next()?);
            }
        }
        let (code, name) = (*pairs.get(n as usize)?)?;
        table.insert(code.into(), (name.into(), by_type));
    }
    counts.next().is_none().then_some(table)
}

/// Each LSOA number's code and name, from the rows that name them.
fn pairs<'a>(
    named: &[&[u32]],
    codes: &[Vec<&'a str>],
    names: &[Vec<&'a str>],
) -> PolarsResult<Vec<Option<(&'a str, &'a str)>>> {
    let mut pairs = Vec::new();
    for ((numbers, codes), names) in named.iter().zip(codes).zip(names) {
        if numbers.len() != codes.len() || numbers.len() != names.len() {
            polars_bail!(ComputeError: "segment names {} LSOAs with {} codes", numbers.len(), codes.len());
        }
        for ((&n, &code), &name) in numbers.iter().zip(codes).zip(names) {
            let n = n as usize;
            if pairs.len() <= n {
                pairs.resize(n + 1, None);
            }
            pairs[n] = Some((code, name));
        }
    }
    Ok(pairs)
}

/// Each row's values of a list column of `T` (an empty slice for a null row).
fn rows_of<T: NativeType>(lists: &ListChunked) -> PolarsResult<Vec<&[T]>> {
    each_row(lists, |values: &PrimitiveArray<T>, start, end| {
        values.values().get(start..end)
    })
}

/// Each row's strings of a list column of strings.
fn texts(lists: &ListChunked) -> PolarsResult<Vec<Vec<&str>>> {
    each_row(lists, |values: &Utf8ViewArray, start, end| {
        (end <= values.len()).then(|| (start..end).map(|j| values.value(j)).collect())
    })
}

/// Each row of a list column whose values are an `A`, as `row` takes it from the values between
/// the row's offsets (`None` when they lie out of the values' bounds).
fn each_row<'a, A: 'static, R>(
    lists: &'a ListChunked,
    row: impl Fn(&'a A, usize, usize) -> Option<R>,
) -> PolarsResult<Vec<R>> {
    let mut rows = Vec::with_capacity(lists.len());
    for array in lists.downcast_iter() {
        let values = array.values().as_any().downcast_ref::<A>();
        let values =
            values.ok_or_else(|| polars_err!(ComputeError: "segment list of another type"))?;
        for i in 0..array.len() {
            let (start, end) = array.offsets().start_end(i);
            let taken = row(values, start, end);
            rows.push(
                taken.ok_or_else(|| polars_err!(ComputeError: "segment list out of bounds"))?,
            );
        }
    }
    Ok(rows)
}
