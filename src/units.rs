//! Byte sizes as people read them, shared by rule messages, reports and the command line.

/// Bytes as MiB with one decimal.
#[must_use]
pub fn mib(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // display only
    let m = bytes as f64 / f64::from(1u32 << 20);
    format!("{m:.1} MiB")
}

/// Parses a size as people write one: `1073741824`, `512MiB`, `1GiB`, `10G`, `64k` (binary
/// multiples: K, M, G, T, with or without `i`/`B`).
///
/// # Errors
/// When it is not a number with an optional unit, or overflows.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (such as 512MiB, 1GiB or 1073741824)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "ki" | "kib" => 10,
        "m" | "mb" | "mi" | "mib" => 20,
        "g" | "gb" | "gi" | "gib" => 30,
        "t" | "tb" | "ti" | "tib" => 40,
        u if u.chars().all(|c| c.is_ascii_alphabetic()) => {
            return Err(format!("`{s}`: unknown unit (use KiB, MiB, GiB or TiB)"));
        }
        _ => {
            return Err(format!(
                "`{s}` is not a size (a whole number with an optional unit: 512MiB, 1GiB)"
            ));
        }
    };
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// Parses a duration as people write one: `90` (seconds), `90s`, `30m`, `2h`.
///
/// # Errors
/// When it is not a whole number with an optional unit, is zero, or overflows.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || format!("`{s}` is not a duration (such as 90s, 30m or 2h)");
    let n: u64 = num.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "" | "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        _ => return Err(bad()),
    }
    .ok_or_else(|| format!("`{s}` is too long"))?;
    if secs == 0 {
        return Err(format!("`{s}`: a time-out must be at least one second"));
    }
    Ok(std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::parse_size("1073741824"), Ok(1 << 30));
        assert_eq!(super::parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(super::parse_size("512 MiB"), Ok(512 << 20));
        assert_eq!(super::parse_size("64k"), Ok(64 << 10));
        assert!(super::parse_size("1.5G").is_err());
        assert!(super::parse_size("9999999999T").is_err());
        assert!(super::parse_size("ten").is_err());
    }

    #[test]
    fn durations() {
        use std::time::Duration;
        assert_eq!(super::parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(super::parse_duration("30m"), Ok(Duration::from_mins(30)));
        assert_eq!(super::parse_duration("2h"), Ok(Duration::from_hours(2)));
        assert!(super::parse_duration("0s").is_err());
        assert!(super::parse_duration("1.5m").is_err());
        assert!(super::parse_duration("5d").is_err());
        assert!(super::parse_duration("99999999999999999h").is_err());
    }
}
