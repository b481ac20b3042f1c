//! Byte sizes as people read them, shared by rule messages, reports and the command line.

/// Bytes as MiB with one decimal.
#[must_use]
pub fn mib(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // display only
    let m = bytes as f64 / f64::from(1u32 << 20);
    format!("{m:.1} MiB")
}
