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

#[test]
fn json_schemas_match_the_registry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pkg-template/schemas");
    let schemas = larkhook::codegen::json_schemas();
    if std::env::var_os("LARKHOOK_UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
    }
    for (name, text) in &schemas {
        check(&format!("pkg-template/schemas/{name}"), text);
    }
    // No schema left behind for a type the registry no longer has.
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = schemas.into_iter().map(|(name, _)| name).collect();
    expected.sort();
    assert_eq!(
        on_disk, expected,
        "pkg-template/schemas/ holds other files than the registry's schemas; run `make generate`"
    );
}
