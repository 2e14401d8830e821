//! The package's TypeScript declarations, its JavaScript constants and the
//! inspector's field tables are generated from the Rust registry; this fails
//! when the checked-in copies drift from it. Regenerate with `make generate`
//! (`LARKHOOK_UPDATE_GENERATED=1 cargo test --test generated`).

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
        "{relative} is out of date with the Rust registry; run `make generate` and commit the result"
    );
}

#[test]
fn typescript_declarations_match_the_registry() {
    check(
        "pkg-template/src/types/types.generated.d.ts",
        &larkhook::codegen::declarations(),
    );
}

#[test]
fn javascript_constants_match_the_registry() {
    check(
        "pkg-template/src/core/codes.generated.mjs",
        &larkhook::codegen::codes_module(),
    );
}

#[test]
fn inspector_field_tables_match_the_registry() {
    check(
        "www-demo/fields.generated.mjs",
        &larkhook::codegen::fields_module(),
    );
}
