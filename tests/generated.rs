//! The package's TypeScript declarations and enumeration constants are
//! generated from the Rust models; this fails when the checked-in copies in
//! `pkg-template/src/` drift from the models. Regenerate with `make generate`
//! (`LARKHOOK_UPDATE_GENERATED=1 cargo test --features ts --test generated`).
#![cfg(feature = "ts")]

use std::path::Path;

fn check(relative: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("LARKHOOK_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{relative} is out of date with the Rust models; run `make generate` and commit the result"
    );
}

#[test]
fn typescript_declarations_match_the_models() {
    check(
        "pkg-template/src/types.generated.d.ts",
        &larkhook::typescript::declarations(),
    );
}

#[test]
fn enumeration_constants_match_the_models() {
    check(
        "pkg-template/src/codes.generated.mjs",
        &larkhook::typescript::codes_module(),
    );
}
