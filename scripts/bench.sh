#!/usr/bin/env bash
# Whole-run timings with hyperfine: a fresh `generate --crate` of each spec
# (models, pages, crate files, written into an empty folder), beside the
# floor's `cp -r` of the same output tree. Per-stage figures and peak memory
# come from `cargo bench --bench pipeline`.
#
#   scripts/bench.sh [SPEC...]      (default: the specs of the speed issue)
#
# Needs hyperfine (`cargo install --locked hyperfine@1.20.0`; 2.x needs a newer rustc).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
    echo "hyperfine not found: cargo install --locked hyperfine@1.20.0" >&2
    exit 2
fi
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
    specs=(
        ../shared/specs/github-api.github.com.json
        ../shared/specs/stripe-spec3.yaml
        ../shared/specs/openai.yaml
        ../shared/specs/kubernetes/api__v1_openapi.json
        ../shared/specs/bungie.json
    )
fi
cargo build --release --locked --quiet
bin=target/release/oapi-models
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for spec in "${specs[@]}"; do
    name=$(basename "$spec")
    "$bin" generate "$spec" --out "$scratch/ref" --crate bench-models >/dev/null 2>&1
    hyperfine --warmup 1 --runs "${RUNS:-10}" --style basic \
        --prepare "rm -rf $scratch/out $scratch/copy" \
        --command-name "$name: generate --crate" \
        "$bin generate $spec --out $scratch/out --crate bench-models" \
        --command-name "$name: cp -r of the output" \
        "cp -r $scratch/ref $scratch/copy"
    rm -rf "$scratch/ref"
done
