//! Registry rules (`RG`): what the registry holding an image says about it.

pub mod rg004_unsigned_image;
