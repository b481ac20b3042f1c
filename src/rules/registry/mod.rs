//! Registry rules (`RG`): what the registry holding an image says about it.

pub mod rg001_mutable_tags;
pub mod rg002_scan_on_push_off;
pub mod rg003_default_encryption;
pub mod rg004_unsigned_image;
