//! A buyer's guide of another kind, e-bikes (tests/fixtures/ebike): its figures use
//! the units of any product (km, mi, kg, lb, Wh, kWh, Nm, Ah, mAh, V, °C, °F, dB(A),
//! km/h, mph, m/Wh, €/kWh, rpm, in) and units the site defines in sitegen.toml, and a
//! drift is caught whichever unit the article prints the figure in.

mod common;
use common::*;

const ARTICLE: &str = "content/commuter-ebikes.md";

#[test]
fn the_ebike_guide_checks_strictly_and_builds() {
    let site = fixture("ebike");
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert!(run.stderr.contains("38 citations"), "{}", run.stderr);
    let run = sitegen(&site, &["build", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/commuter-ebikes/index.html");
    for shown in [
        "62 mi",
        "14 °F",
        "160 m/Wh",
        "€0.30/kWh",
        "42 dB(A)",
        "1.2 klm",
        "27.5in",
    ] {
        assert!(html.contains(shown), "the page shows {shown}");
    }
    // An empty citation prints the computed figure in its unit.
    write(
        &site,
        "content/empty.md",
        "---\ntitle: Empty\ndate: 2026-05-02\n---\n\n\
         Cost: [](<cite:trip.electricity.price * bikes.urbano.battery>), \
         reach: [](<cite:bikes.urbano.range / bikes.urbano.battery>), \
         cold: [](cite:bikes.urbano.min_temp), wheel: [](cite:bikes.urbano.wheel).\n",
    );
    let run = sitegen(&site, &["build", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&site, "public/empty/index.html");
    for shown in ["€0.19", "0.16 km/Wh", "-10 °C", "27.5in"] {
        assert!(html.contains(shown), "the page shows {shown}: {html}");
    }
}

#[test]
fn drift_is_caught_across_units() {
    let site = fixture("ebike");
    // (as printed, drifted, the literal sitegen suggests)
    let cases = [
        ("[62 mi]", "[65 mi]", "62 mi"),       // km in the dataset
        ("[0.6 kWh]", "[0.8 kWh]", "0.6 kWh"), // Wh in the dataset
        ("[625 Wh]", "[652 Wh]", "625 Wh"),
        ("[2,250 kJ]", "[2,500 kJ]", "2,250 kJ"),
        ("[160 m/Wh]", "[180 m/Wh]", "160 m/Wh"), // km ÷ Wh
        ("[€0.19]", "[€0.25]", "€0.19"),          // €/kWh × Wh
        ("[17,400 mAh]", "[17,800 mAh]", "17,400 mAh"),
        ("[23.6 kg]", "[25.6 kg]", "23.6 kg"), // lb in the dataset
        ("[20 mph]", "[25 mph]", "20 mph"),
        ("[32 km/h]", "[40 km/h]", "32 km/h"), // mph in the dataset
        ("[1.8 m]", "[2.8 m]", "1.8 m"),       // cm in the dataset
        ("[70 cm]", "[75 cm]", "70 cm"),       // inches in the dataset
        ("[14 °F]", "[10 °F]", "14 °F"),       // °C in the dataset
        ("[40 °C]", "[104 °C]", "40 °C"),      // °F in the dataset
        ("[€0.30/kWh]", "[€0.35/kWh]", "€0.30/kWh"),
        ("[1.2 klm]", "[1.5 klm]", "1.2 klm"), // a unit the site defines
    ];
    for (from, to, _) in cases {
        edit(&site, ARTICLE, from, to);
    }
    // The climb is 1500 m; "1.5 km" agrees, "1.6 km" drifts.
    edit(&site, ARTICLE, "[1.5 km]", "[1.6 km]");
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.len(), cases.len() + 1, "{}", run.stderr);
    assert!(
        d.iter()
            .all(|l| l.starts_with("error[drift]: content/commuter-ebikes.md:")),
        "{}",
        run.stderr
    );
    for (_, to, fix) in cases {
        let quoted = format!("\"{}\"", &to[1..to.len() - 1]);
        let line = d
            .iter()
            .find(|l| l.contains(&format!(" {quoted} disagrees")))
            .unwrap_or_else(|| panic!("no drift for {to}:\n{}", run.stderr));
        assert!(line.ends_with(&format!("write \"{fix}\"")), "{line}");
    }
    let climb = d
        .iter()
        .find(|l| l.contains("\"1.6 km\""))
        .expect("the climb drifts");
    assert!(climb.contains("trip.route.climb = 1,500 m"), "{climb}");
    assert!(climb.ends_with("write \"1.5 km\""), "{climb}");
    assert!(
        run.stderr.contains("17 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn units_of_different_kinds_never_agree() {
    let site = fixture("ebike");
    edit(&site, ARTICLE, "[42 dB(A)]", "[42 dB]"); // dB(A) is weighted, dB is not
    edit(&site, ARTICLE, "[€0.30/kWh]", "[$0.30/kWh]"); // no exchange rates
    edit(&site, ARTICLE, "[14 °F]", "[14 km]");
    edit(&site, ARTICLE, "[85 Nm]", "[85 N]");
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.len(), 4, "{}", run.stderr);
    assert!(
        d.iter()
            .all(|l| l.starts_with("error[unit-mismatch]: content/commuter-ebikes.md:")),
        "{}",
        run.stderr
    );
    for unit in ["dB(A)", "EUR/kWh", "°C", "Nm"] {
        assert!(d.iter().any(|l| l.contains(unit)), "{unit}: {}", run.stderr);
    }
}

#[test]
fn an_uncited_figure_in_a_new_unit_is_found() {
    let site = fixture("ebike");
    edit(
        &site,
        ARTICLE,
        "About 1 in 4 commuters",
        "It climbs 1,500 m a day and holds 0.16 km/Wh. About 1 in 4 commuters",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = run.diagnostics();
    assert_eq!(d.len(), 2, "{}", run.stderr);
    assert!(
        d[0].starts_with("warning[uncited]: content/commuter-ebikes.md:32:11: \"1,500 m\""),
        "{}",
        d[0]
    );
    assert!(d[0].contains("trip.route.climb"), "{}", d[0]);
    assert!(d[1].contains("\"0.16 km/Wh\""), "{}", d[1]);
    assert!(d[1].contains("bikes.pendler.efficiency"), "{}", d[1]);
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 1);
}

#[test]
fn bad_site_units_are_one_error_each_at_their_line() {
    let site = fixture("ebike");
    let toml = read(&site, "sitegen.toml");
    write(
        &site,
        "sitegen.toml",
        &format!(
            "{toml}ct = {{ equals = \"0.01 EUR\" }}\nleague = {{ equals = \"3 miless\" }}\nlux = {{ dimension = \"luminous flux\" }}\n"
        ),
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.len(), 3, "{}", run.stderr);
    assert!(d[0].starts_with("error[config]: sitegen.toml:13:1: [units]: unit `ct` cannot be an amount of EUR: currencies are never converted"), "{}", d[0]);
    assert!(
        d[1].starts_with("error[config]: sitegen.toml:14:1: [units]: unit `league`"),
        "{}",
        d[1]
    );
    assert!(d[1].contains("unknown unit `miless`"), "{}", d[1]);
    assert!(d[2].starts_with("error[config]: sitegen.toml:15:1: [units]: dimension `luminous flux` is declared twice"), "{}", d[2]);
}

#[test]
fn a_dataset_unit_nobody_defined_is_an_error_at_its_place() {
    let site = fixture("ebike");
    edit(&site, "data/bikes.yaml", "unit: in,", "unit: zoll,");
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[dataset]: data/bikes.yaml:12:")
                && l.contains("unknown unit `zoll`")),
        "{}",
        run.stderr
    );
}
