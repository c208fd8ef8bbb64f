//! The taxonomy's own tests: the shipped file loads, labels resolve, bad files are refused.

use super::*;

fn shipped() -> Taxonomy {
    Taxonomy::shipped()
}

#[test]
fn labels_and_drift_resolve_to_subgroups() {
    let t = shipped();
    let cases = [
        ("Burglary - residential", "Residential burglary"),
        ("Burglary – Business/Community", "Non-residential burglary"),
        ("Domestic burglary", "Residential burglary"),
        ("Other theft offences", "All other theft offences"),
        ("RAPE OFFENCES", "Rape"),
        ("Stalking and Harassment", "Stalking and harassment"),
        ("Public disorder", "Public order offences"),
        (
            "Death or serious injury unlawful driving",
            "Death or serious injury caused by illegal driving",
        ),
    ];
    for (label, subgroup) in cases {
        assert_eq!(t.subgroup(label).unwrap().name, subgroup, "{label}");
    }
    assert_eq!(
        t.group_of("Robbery of personal property").unwrap().name,
        "Robbery"
    );
    let e = t.subgroup("Cyber flashing").unwrap_err().to_string();
    assert!(
        e.contains("matches no subgroup, group, total or alias; closest:"),
        "{e}"
    );
}

#[test]
fn police_uk_types_that_span_groups_say_so() {
    let t = shipped();
    let violence = t
        .police_uk
        .iter()
        .find(|p| p.crime_type == "Violence and sexual offences")
        .unwrap();
    assert!(violence.spans_several_groups());
    assert_eq!(
        t.police_uk
            .iter()
            .filter(|p| p.spans_several_groups())
            .count(),
        1
    );
    assert_eq!(t.police_uk.len(), 14);
}

#[test]
fn every_subgroup_but_fraud_is_held_by_one_police_uk_type() {
    let t = shipped();
    for s in t.subgroups.iter().filter(|s| s.group != "Fraud offences") {
        assert!(t.police_uk_type_holding(&s.name).is_some(), "{}", s.name);
    }
    let holder = |l: &str| t.police_uk_type_holding(l).map(|p| p.crime_type.as_str());
    assert_eq!(holder("Burglary – Residential"), Some("Burglary"));
    assert_eq!(holder("Drug possession"), Some("Drugs"));
    assert_eq!(holder("Theft from a person"), Some("Theft from the person"));
    assert_eq!(holder("Action Fraud"), None);
    // A group is not a subgroup: it is not held by one type.
    assert_eq!(holder("Theft offences"), None);
    let share = |l: &str| t.share_group(l).unwrap();
    assert_eq!(share("Anti-social behaviour"), None);
    assert_eq!(
        share("Vehicle crime"),
        Some(("Theft offences".into(), true))
    );
    let vso = Some(("Violence and sexual offences".into(), false));
    assert_eq!(share("Violence and sexual offences"), vso);
}

#[test]
fn a_label_claimed_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.toml");
    let text = "[[group]]\nname = \"G\"\nacquisitive = false\n[[subgroup]]\nname = \"A\"\ngroup = \"G\"\n[[subgroup]]\nname = \"B\"\ngroup = \"G\"\naliases = [\"a\"]\n";
    std::fs::write(&path, text).unwrap();
    let e = Taxonomy::load(&path, "t.toml").unwrap_err().to_string();
    assert!(
        e.contains("t.toml: subgroup `B`: the label `a` also names subgroup `A`"),
        "{e}"
    );
}
