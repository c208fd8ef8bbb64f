//! The partner loader, under two layouts (the first byte chooses): published values, or incidents
//! counted by financial year. Values give one figure a row; incidents' counts add up to the rows.
#![no_main]
use libfuzzer_sys::fuzz_target;
use saferstats::config::{Source, SourceKind};
use saferstats::ingest::partner::{Columns, Layout, RowKind};
use saferstats::ingest::{grid, partner, read};
use saferstats::model::{Unit, Value};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else { return };
    let incidents = choice % 2 == 1;
    let layout = Layout {
        rows: if incidents { RowKind::Incidents } else { RowKind::Values },
        unit: if choice % 4 == 2 { Unit::Percent } else { Unit::Count },
        columns: Columns {
            period: (!incidents).then(|| "Period".into()),
            date: incidents.then(|| "Date".into()),
            category: Some("Measure".into()),
            value: (!incidents).then(|| "Value".into()),
            ..Columns::default()
        },
        date_format: incidents.then(|| "%d/%m/%Y".into()),
        ..Layout::default()
    };
    let source = Source {
        area: Some("Area".into()),
        layout: Some(layout),
        ..Source::new(SourceKind::Partner, "fuzz.csv", "fuzz.csv")
    };
    let Ok(table) = read::table_from_bytes(data, &source) else { return };
    let Ok(tables) = grid::from_csv(table) else { return };
    if let Ok((figures, file)) = partner::load(tables, &source, 0) {
        assert_eq!(file.rows_read, file.rows_counted + file.rows_rejected);
        if incidents {
            let sum: i64 = figures.iter().map(|f| match f.value { Value::Count(n) => n, _ => 0 }).sum();
            assert_eq!(sum as u64, file.rows_counted);
        } else {
            assert_eq!(figures.len() as u64, file.rows_counted);
        }
        for f in &figures {
            if let (Unit::Percent, Value::Measure(x)) = (f.unit, &f.value) {
                assert!((0.0..=100.0).contains(x));
            }
        }
    }
});
