//! saferstats turns police crime data and partner datasets into the evidence base of a Community
//! Safety Partnership's strategic assessment.
//!
//! Data flows one way, over a ground of shared types ([`model`], [`error`]); a module imports only
//! from its own stage, from stages before it, and from the ground (ARCHITECTURE.md;
//! `tests/architecture.rs` checks it):
//!
//! 1. [`harmonise`]: the vocabulary sources are read through: category labels and the taxonomy.
//! 2. [`ingest`]: each source format becomes tidy [`model::Observation`]s plus provenance, every
//!    category typed once ([`model::Category`]).
//! 3. [`stats`]: pure functions: counts, change, the exact test for two Poisson counts.
//! 4. [`findings`]: what a reader must know before trusting a figure.
//! 5. [`outcomes`]: the plan's outcomes judged, with typed reasons.
//! 6. [`render`]: words, tables and charts; [`render::export`] chooses a command's format.
//! 7. [`report`]: every artefact of a run, the evidence base (HTML, Markdown) and the manifest;
//!    [`report::output`] writes every artefact or none.
//!
//! [`config`] parses the TOML into each stage's settings, [`pipeline`] runs the stages and
//! [`cli`] is the command line.
//!
//! ```
//! use saferstats::harmonise::Period;
//! use saferstats::stats::{Change, CompareSettings};
//!
//! let year: Period = "2017/18".parse().unwrap();
//! assert_eq!(year.first_month().to_string(), "2017-04");
//! assert!("2016/16".parse::<Period>().is_err());
//!
//! // Rape in the City of London: 10 in 2016/17, 27 in 2017/18.
//! let rape = Change::new("Rape", 10, 27, &CompareSettings::default());
//! assert_eq!(rape.change, 17);
//! assert!(rape.significant && rape.small_numbers);
//! assert!((rape.p_value.unwrap() - 0.007632).abs() < 1e-6);
//! ```

pub mod cli;
pub mod config;
pub mod error;
pub mod findings;
pub mod harmonise;
pub mod ingest;
pub mod model;
pub mod outcomes;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod stats;

pub use error::{Error, Result};
pub use model::GENERATOR;
pub use report::output;
