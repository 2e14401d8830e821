#!/usr/bin/env bash
# Runs cargo-fuzz targets one after another (never in parallel), each for
# FUZZ_SECONDS (default 600), seeding each target's corpus from
# fuzz/corpus/seed/ and using fuzz/larkhook.dict.
#
#   fuzz/run.sh                 # every target
#   FUZZ_SECONDS=60 fuzz/run.sh parse typed
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Logs go to fuzz/logs/TARGET.log; crashes to fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-600}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse decrypt typed roundtrip frame)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
  exit 1
fi
mkdir -p logs
failed=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  cp -n corpus/seed/* "corpus/$target/"
  echo "== $target: ${seconds}s"
  # -jobs/-workers stay at 1: one fuzzer at a time on a small machine.
  # A crash ends this target's run (the input is in artifacts/TARGET/) but
  # not the others'.
  if ! cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -dict=larkhook.dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 2>&1 | tee "logs/$target.log"; then
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (see fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${targets[*]}: no crash in ${seconds}s each"
