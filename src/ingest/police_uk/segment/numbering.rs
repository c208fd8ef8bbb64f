//! The segment's LSOA numbers: each (LSOA code, name) pair a run's files name, numbered once,
//! so that a segment stores a pair's strings once and a number per file that names it.

use rustc_hash::FxHashMap;

use crate::ingest::police_uk::rows::same_bytes;

/// The segment's LSOA numbers, given force by force: each force numbers the (LSOA code, name)
/// pairs its files name, in blocks of [`BLOCK`] numbers taken from one count, so no two pairs
/// share a number. A pair two forces both name (British Transport Police's stations lie in other
/// forces' LSOAs) has a number from each; the reader finds either.
///
/// Why by force: a file's LSOAs are looked up in its force's table (about a thousand pairs, tens
/// of kB), which its first lookups bring into the core's cache, where one table of every force's
/// 35,000 pairs cost a cache miss or three a lookup (the file being read had pushed it out since
/// the force's last file).
#[derive(Default)]
pub(super) struct Numbering {
    forces: FxHashMap<String, Lsoas>,
    /// The first number of the next block.
    next: u32,
}

/// Numbers a force takes at a time.
const BLOCK: u32 = 256;

impl Numbering {
    /// `force`'s pairs, and the count their blocks come from.
    pub(super) fn of(&mut self, force: &str) -> (&mut Lsoas, &mut u32) {
        if !self.forces.contains_key(force) {
            self.forces.insert(force.to_string(), Lsoas::default());
        }
        let lsoas = self.forces.get_mut(force).expect("inserted above");
        (lsoas, &mut self.next)
    }
}

/// Where a file's next LSOA is expected among its force's pairs: one past the last found; one
/// further (an LSOA with no crimes this month is not listed); or, after an LSOA out of the
/// order (one the force's files first named in a later month, so kept further on), back where
/// the order was.
#[derive(Default)]
pub(super) struct Hint {
    next: u32,
    resume: u32,
}

/// Each (LSOA code, name) pair one force's files name, in the order first met. Only the file
/// that names a pair first writes its code and name (in its row's `named` lists); later files
/// list its number alone, so the strings of an LSOA met in every month are stored once, not once
/// per month.
///
/// The pairs' text sits in one buffer and the table holds numbers only: a lookup per file and
/// LSOA reads a few compact arrays, not three heap strings apiece.
#[derive(Default)]
pub(super) struct Lsoas {
    /// Each pair's place in `spans`, found by the hash of its code and name.
    table: hashbrown::HashTable<u32>,
    /// Every pair's code then name, one pair after another.
    text: String,
    /// Pair `i`'s code and name in `text`: where they start, and their lengths.
    spans: Vec<(u32, u32, u32)>,
    /// The first number of each block of [`BLOCK`] pairs.
    blocks: Vec<u32>,
}

impl Lsoas {
    /// Whether pair `i` is (`code`, `name`): the code compared as a few words, without a call.
    #[inline]
    fn is(&self, i: u32, code: &str, name: &str) -> bool {
        let Some(&(start, c, n)) = self.spans.get(i as usize) else {
            return false;
        };
        let (start, c, n) = (start as usize, c as usize, n as usize);
        let text = self.text.as_bytes();
        let held = |from: usize, len: usize| text.get(from..from + len);
        held(start, c).is_some_and(|held| same_bytes(held, code.as_bytes()))
            && held(start + c, n) == Some(name.as_bytes())
    }

    /// Pair `i`'s number in the segment.
    fn number_of(&self, i: u32) -> u32 {
        self.blocks[(i / BLOCK) as usize] + i % BLOCK
    }

    /// The pair's number, and whether this is its first row; a new block comes from `next`.
    /// `hint` says where the caller expects the pair, and is moved past it: a force's files list
    /// their LSOAs in the same order month after month (data.police.uk's, by LSOA name), so the
    /// pair is nearly always found there without hashing.
    pub(super) fn number(
        &mut self,
        code: &str,
        name: &str,
        next: &mut u32,
        hint: &mut Hint,
    ) -> (u32, bool) {
        let expected = [hint.next, hint.resume, hint.next.saturating_add(1)];
        let (i, first) = match expected.into_iter().find(|&i| self.is(i, code, name)) {
            Some(i) => (i, false),
            None => {
                hint.resume = hint.next;
                self.find_or_add(code, name, next)
            }
        };
        hint.next = i + 1;
        (self.number_of(i), first)
    }

    /// The pair's place, and whether it was added now; a new block comes from `next`.
    fn find_or_add(&mut self, code: &str, name: &str, next: &mut u32) -> (u32, bool) {
        let hash = hash_pair(code, name);
        if let Some(&i) = self.table.find(hash, |&i| self.is(i, code, name)) {
            return (i, false);
        }
        let i = u32::try_from(self.spans.len()).expect("fewer than 2^32 LSOAs");
        if i % BLOCK == 0 {
            self.blocks.push(*next);
            *next = next
                .checked_add(BLOCK)
                .expect("fewer than 2^32 LSOA numbers");
        }
        let u32_of = |n: usize| u32::try_from(n).expect("under 4 GB of LSOA text");
        let start = u32_of(self.text.len());
        self.spans
            .push((start, u32_of(code.len()), u32_of(name.len())));
        self.text.push_str(code);
        self.text.push_str(name);
        let Lsoas {
            table, text, spans, ..
        } = self;
        let rehash = |&m: &u32| {
            let (code, name) = spanned(text, spans[m as usize]);
            hash_pair(code, name)
        };
        table.insert_unique(hash, i, rehash);
        (i, true)
    }
}

/// The code and name a span of [`Lsoas::text`] holds.
fn spanned(text: &str, (start, code, name): (u32, u32, u32)) -> (&str, &str) {
    let (start, code_end) = (start as usize, start as usize + code as usize);
    (
        &text[start..code_end],
        &text[code_end..code_end + name as usize],
    )
}

fn hash_pair(code: &str, name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((code, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers a file's (code, name) pairs in its order, as [`super::super::Rows::add`] does.
    fn file(lsoas: &mut Lsoas, next: &mut u32, pairs: &[(&str, &str)]) -> Vec<(u32, bool)> {
        let mut hint = Hint::default();
        let numbered = pairs
            .iter()
            .map(|(code, name)| lsoas.number(code, name, next, &mut hint));
        numbered.collect()
    }

    /// Whatever a file's order (the usual one, LSOAs missing, one out of order, one renamed at
    /// the very place the hint expects), a pair keeps the number it was first given and a new
    /// pair gets a new one: the hint only saves hashing.
    #[test]
    fn a_pair_keeps_its_number_whatever_the_order() {
        let (mut lsoas, mut next) = (Lsoas::default(), 0);
        let codes: Vec<String> = (0..10).map(|k| format!("E0100000{k}")).collect();
        let usual: Vec<(&str, &str)> = codes.iter().map(|c| (c.as_str(), "A")).collect();
        let first = file(&mut lsoas, &mut next, &usual);
        assert_eq!(first, (0..10).map(|n| (n, true)).collect::<Vec<_>>());
        // LSOAs 1, 4 and 5 with no crimes this month; a new one (first named now) between 6 and
        // 7; LSOA 8 under a new name where the hint expects it.
        let later = [
            usual[0],
            usual[2],
            usual[3],
            usual[6],
            ("E01099999", "B"),
            usual[7],
            ("E01000008", "A renamed"),
            usual[9],
        ];
        let numbers = file(&mut lsoas, &mut next, &later);
        let expected = [(0, false), (2, false), (3, false), (6, false), (10, true)];
        let expected = expected
            .into_iter()
            .chain([(7, false), (11, true), (9, false)]);
        assert_eq!(numbers, expected.collect::<Vec<_>>());
        // Every pair met again, backwards: the number it was given, nothing new.
        let given: std::collections::BTreeMap<(&str, &str), u32> = usual
            .iter()
            .chain(&later)
            .copied()
            .zip(first.iter().chain(&numbers).map(|&(n, _)| n))
            .collect();
        let all: Vec<(&str, &str)> = given.keys().copied().rev().collect();
        let again = file(&mut lsoas, &mut next, &all);
        let expected: Vec<(u32, bool)> = all.iter().map(|p| (given[p], false)).collect();
        assert_eq!(again, expected);
    }
}
