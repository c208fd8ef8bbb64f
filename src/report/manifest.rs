//! `reports/manifest.json`: every artefact with its sha256 and the inputs it came from, so a CI
//! job (or an auditor) can tell what a run produced and from what. No timestamps: the same inputs
//! give the same manifest.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ingest::read::hex;
use crate::model::{InputFile, RowCount};
use crate::report::output::Artefact;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub generator: String,
    /// The config file, as named; `null` when the run used flags only.
    pub config: Option<String>,
    pub inputs: Vec<ManifestInput>,
    pub artefacts: Vec<ManifestArtefact>,
    /// The analyst's narrative and every value it filled in; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<ManifestNarrative>,
}

/// The narrative file and the values its references were filled with.
#[derive(Debug, Serialize)]
pub struct ManifestNarrative {
    pub file: String,
    /// The narrative file's content hash, as read for this run.
    pub digest: String,
    pub values: Vec<NarrativeValue>,
}

#[derive(Debug, Serialize)]
pub struct NarrativeValue {
    pub reference: String,
    pub value: String,
}

/// The manifest's record of a narrative.
pub fn narrative(n: &crate::report::narrative::Narrative) -> ManifestNarrative {
    ManifestNarrative {
        file: n.file.clone(),
        digest: n.digest.clone(),
        values: n
            .used
            .iter()
            .map(|(reference, value)| NarrativeValue {
                reference: reference.clone(),
                value: value.clone(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct ManifestInput {
    pub source: String,
    pub kind: String,
    /// Relative to the config file's folder (or as given on the command line).
    pub path: String,
    /// The file's content hash, named by its algorithm (`sha256:<hex>` or `blake3:<hex>`).
    pub digest: String,
    /// Whether the run computed the digest or took it by a zip's or the file system's record.
    pub digest_basis: crate::model::DigestBasis,
    /// Row counts; `[c]` for a source under disclosure control.
    pub rows_read: RowCount,
    pub rows_counted: RowCount,
    pub rows_rejected: RowCount,
}

#[derive(Debug, Serialize)]
pub struct ManifestArtefact {
    /// Relative to the output folder.
    pub path: String,
    pub sha256: String,
    pub bytes: usize,
    /// Paths of the inputs the artefact was computed from.
    pub inputs: Vec<String>,
}

/// The manifest for `artefacts`, each made from the inputs at `used` (indices into `inputs`).
pub fn build(
    config: Option<&str>,
    inputs: &[InputFile],
    artefacts: &[Artefact],
    used: &[usize],
) -> Manifest {
    let used_paths: Vec<String> = used.iter().map(|&i| inputs[i].path.clone()).collect();
    Manifest {
        generator: crate::model::GENERATOR.to_string(),
        config: config.map(str::to_string),
        inputs: inputs
            .iter()
            .map(|f| {
                let [rows_read, rows_counted, rows_rejected] = f.published();
                ManifestInput {
                    source: f.source.clone(),
                    kind: f.kind.clone(),
                    path: f.path.clone(),
                    digest: f.digest.clone(),
                    digest_basis: f.digest_basis,
                    rows_read,
                    rows_counted,
                    rows_rejected,
                }
            })
            .collect(),
        artefacts: artefacts
            .iter()
            .map(|a| ManifestArtefact {
                path: a.path.clone(),
                sha256: hex(&Sha256::digest(&a.bytes)),
                bytes: a.bytes.len(),
                inputs: used_paths.clone(),
            })
            .collect(),
        narrative: None,
    }
}
