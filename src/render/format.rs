//! Fixed number formats, so the same figure reads the same in every table and chart.

/// `5435` -> `5,435`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `453` -> `+453`, `-2` -> `-2`, `0` -> `0`, with thousands separators.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{}", thousands(n))
    } else {
        thousands(n)
    }
}

/// Percentage change to one decimal place, `n/a` when undefined.
pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |x| format!("{x:.1}"))
}

/// Percentage change with its sign, for reading: `+17.1`, `-0.5`.
pub fn signed_pct(x: Option<f64>) -> String {
    match x {
        Some(x) if format!("{x:.1}").parse::<f64>() != Ok(0.0) && x > 0.0 => format!("+{x:.1}"),
        other => pct(other),
    }
}

/// Four significant figures: fixed notation (trailing zeros dropped) down to 1e-4, scientific
/// with a two-digit exponent below that: `0.03227`, `1`, `3.670e-05`. Empty for `None`.
pub fn sig4(x: Option<f64>) -> String {
    let Some(x) = x else { return String::new() };
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let exponent = x.abs().log10().floor() as i32;
    if exponent < -4 {
        let s = format!("{x:.3e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let decimals = (3 - exponent).max(0) as usize;
    let fixed = format!("{x:.decimals$}");
    if fixed.contains('.') {
        fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        fixed
    }
}

/// A p-value as [`sig4`] gives it, but never `0`: a p-value too small for a float to hold
/// (below about 1e-308) is `<1e-300`.
pub fn p_value(x: Option<f64>) -> String {
    match x {
        Some(0.0) => "<1e-300".into(),
        other => sig4(other),
    }
}

/// `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_p_value_is_never_printed_as_zero() {
        assert_eq!(p_value(Some(0.0)), "<1e-300");
        assert_eq!(p_value(Some(3.67e-5)), "3.670e-05");
        assert_eq!(p_value(Some(1.0)), "1");
        assert_eq!(p_value(None), "");
    }

    use super::*;

    #[test]
    fn counts_and_signs() {
        let cases = [
            (0, "0", "0"),
            (453, "453", "+453"),
            (5435, "5,435", "+5,435"),
            (-1234567, "-1,234,567", "-1,234,567"),
        ];
        for (n, plain, with_sign) in cases {
            assert_eq!(thousands(n), plain);
            assert_eq!(signed(n), with_sign);
        }
    }

    #[test]
    fn p_values_to_four_significant_figures() {
        let cases = [
            (0.032_274_307, "0.03227"),
            (0.007_632_078, "0.007632"),
            (3.670_045_9e-5, "3.670e-05"),
            (0.970_757_96, "0.9708"),
            (0.003_999_405, "0.003999"),
            (1.0, "1"),
            (2.154_269_8e-5, "2.154e-05"),
            (117.994_373, "118"),
            (1.266_578_49, "1.267"),
        ];
        for (x, expected) in cases {
            assert_eq!(sig4(Some(x)), expected, "{x}");
        }
        assert_eq!(sig4(None), "");
    }

    #[test]
    fn percentages() {
        assert_eq!(pct(Some(17.142_857)), "17.1");
        assert_eq!(pct(None), "n/a");
        assert_eq!(signed_pct(Some(170.0)), "+170.0");
        assert_eq!(signed_pct(Some(-0.536)), "-0.5");
        assert_eq!(signed_pct(Some(0.01)), "0.0");
    }
}
