#!/usr/bin/env bash
# The wide sample: a fixed, seeded sample of 25 specs of the wide corpus
# (the APIs.guru directory, see scripts/wide-corpus.sh) generated as crates,
# linted with clippy -D warnings and their example tests run.
#
#   scripts/wide-sample.sh [--seed SEED] [--count N] [--max-bytes BYTES] [--timeout SECONDS]
#
# The sample: every `api/**/*.json` of the package (sorted bytewise) of at
# most --max-bytes (default 1048576, 1 MiB: 2,585 of the 2,639 specs; the cap
# only bounds CI time, no spec is excluded by hand), ranked by
# sha256("SEED\nPATH") (default seed `oapi-models-wide-sample-1`), the first
# --count (default 25). Same package, same seed: same sample, on every machine.
#
# Each spec is generated with the release binary into
# target/wide-sample/<crate> (`generate SPEC --out DIR --crate <crate>`,
# a timeout each; unchanged files keep their mtime, so a rerun rebuilds
# nothing), the crates are made one cargo workspace (target/wide-sample/
# Cargo.toml; dependencies resolve and compile once) built in the shared
# target folder of generated crates, target/generated-crates (as
# tests/corpus.rs and tests/constructs.rs do; no lock file is committed for
# generated crates, so none is required), and:
#
#   1. cargo clippy --workspace --all-targets --keep-going -- -D warnings
#   2. cargo test --workspace --no-run, then cargo test -p <crate> for each:
#      tests/examples.rs round-trips every example of the spec through its
#      type; tests/union_snippets.rs holds the snippets of the union pages,
#      one function per union, compiled (by 1 and 2) but never run
#
# Prints one row per spec (models; generation warnings, of which fallbacks
# to serde_json::Value and examples that do not fit their schema, whose test
# asserts that they are rejected; clippy; examples passed/total; union
# snippets compiled) and writes it to target/wide-sample/REPORT.tsv.
# Exits 1 when a spec does not generate, a crate has a clippy warning or
# error, or a test fails; the cargo logs stay in target/wide-sample/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

SEED=oapi-models-wide-sample-1
COUNT=25
MAX_BYTES=1048576
TIMEOUT=60
while [ $# -gt 0 ]; do
    case "$1" in
        --seed) SEED="$2"; shift 2 ;;
        --count) COUNT="$2"; shift 2 ;;
        --max-bytes) MAX_BYTES="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        *) echo "usage: $0 [--seed SEED] [--count N] [--max-bytes BYTES] [--timeout SECONDS]" >&2; exit 2 ;;
    esac
done

VERSION=1.3.17
CACHE="${WIDE_CORPUS_CACHE:-$PWD/target/wide-corpus}"
if [ ! -f "$CACHE/package/.complete-$VERSION" ]; then
    scripts/wide-corpus.sh --fetch-only
fi
CACHE="$(cd "$CACHE" && pwd)"

BIN="${OAPI_MODELS_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build --release --locked --quiet
    BIN="$PWD/target/release/oapi-models"
fi

SAMPLE_DIR="$PWD/target/wide-sample"
LOGS="$SAMPLE_DIR/logs"
mkdir -p "$SAMPLE_DIR"
rm -rf "$LOGS"
mkdir -p "$LOGS"
export CARGO_TARGET_DIR="$PWD/target/generated-crates"
export CARGO_TERM_COLOR=never
# As tests/corpus.rs: the crates are rebuilt whole when they change, so
# incremental caches only cost time and disk; the project's RUSTFLAGS are
# not the generated crates'.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

# The sample, in path order.
SAMPLE="$SAMPLE_DIR/sample.txt"
(cd "$CACHE/package" && find api -name '*.json' -type f -size -"$((MAX_BYTES + 1))"c | LC_ALL=C sort) |
    while IFS= read -r spec; do
        printf '%s %s\n' "$(printf '%s\n%s' "$SEED" "$spec" | sha256sum | cut -c1-64)" "$spec"
    done | LC_ALL=C sort | awk -v n="$COUNT" 'NR <= n' | cut -d' ' -f2- | LC_ALL=C sort >"$SAMPLE"
echo "== wide sample: $(wc -l <"$SAMPLE") specs (seed $SEED, at most $MAX_BYTES bytes each)"

# Crate name: the path without `api/` and `.json`, lower-cased, other
# characters turned into `-`, plus `-models` (`spec-` first when it would
# start with a digit).
crate_of() {
    local slug
    slug="$(printf '%s' "${1#api/}" | sed 's/\.json$//' | tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//')"
    case "$slug" in [0-9]*) slug="spec-$slug" ;; esac
    printf '%s-models' "$slug"
}
CRATES=()
while IFS= read -r spec; do CRATES+=("$(crate_of "$spec")"); done <"$SAMPLE"
if [ "$(printf '%s\n' "${CRATES[@]}" | sort -u | wc -l)" != "${#CRATES[@]}" ]; then
    echo "two specs of the sample have the same crate name:" >&2
    printf '%s\n' "${CRATES[@]}" | sort | uniq -d >&2
    exit 1
fi
# Folders of specs no longer in the sample.
for dir in "$SAMPLE_DIR"/*/; do
    name="$(basename "$dir")"
    [ "$name" = logs ] && continue
    printf '%s\n' "${CRATES[@]}" | grep -qxF -- "$name" || rm -rf "$dir"
done

START="$(date +%s)"
declare -A MODELS GEN_OK
FAILED=0
i=0
while IFS= read -r spec; do
    crate="${CRATES[$i]}"
    i=$((i + 1))
    set +e
    timeout -s KILL "$TIMEOUT" "$BIN" generate "$CACHE/package/$spec" --out "$SAMPLE_DIR/$crate" \
        --crate "$crate" >"$LOGS/$crate.generate" 2>&1
    rc=$?
    set -e
    MODELS[$crate]="$(grep -o '^oapi-models: [0-9]* models' "$LOGS/$crate.generate" | grep -o '[0-9]*' || true)"
    if [ "$rc" = 0 ]; then
        GEN_OK[$crate]=1
    else
        GEN_OK[$crate]=0
        FAILED=1
        echo "$spec: generate exited $rc:"
        grep -m3 -E '^(error|internal error)' "$LOGS/$crate.generate" || tail -n 3 "$LOGS/$crate.generate"
    fi
done <"$SAMPLE"
GEN_END="$(date +%s)"

echo "== dead links in the sample's pages"
PAGES=()
for crate in "${CRATES[@]}"; do
    if [ "${GEN_OK[$crate]}" = 1 ] && [ -d "$SAMPLE_DIR/$crate/docs/models" ]; then
        PAGES+=("$SAMPLE_DIR/$crate/docs/models")
    fi
done
if ! python3 scripts/dead-links.py "${PAGES[@]}" | tail -n 20; then
    FAILED=1
fi

MEMBERS=()
for crate in "${CRATES[@]}"; do
    if [ "${GEN_OK[$crate]}" = 1 ]; then MEMBERS+=("$crate"); fi
done
{
    echo "# Written by scripts/wide-sample.sh: the sample's crates as one workspace."
    echo "[workspace]"
    echo "resolver = \"2\""
    echo "members = ["
    for crate in "${MEMBERS[@]}"; do echo "    \"$crate\","; done
    echo "]"
} >"$SAMPLE_DIR/Cargo.toml.new"
# Rewritten only when it changes: clippy tracks the workspace manifest, and a
# new mtime would have every crate checked again.
if cmp -s "$SAMPLE_DIR/Cargo.toml.new" "$SAMPLE_DIR/Cargo.toml"; then
    rm "$SAMPLE_DIR/Cargo.toml.new"
else
    mv "$SAMPLE_DIR/Cargo.toml.new" "$SAMPLE_DIR/Cargo.toml"
fi

echo "== cargo clippy --workspace --all-targets -- -D warnings"
set +e
(cd "$SAMPLE_DIR" && cargo clippy --workspace --all-targets --keep-going --message-format=short \
    -- -D warnings) >"$LOGS/clippy.log" 2>&1
CLIPPY_RC=$?
set -e
CLIPPY_END="$(date +%s)"
if [ "$CLIPPY_RC" != 0 ]; then
    FAILED=1
    # Diagnostics first (paths start with the crate's folder), then cargo's verdicts.
    grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning)' "$LOGS/clippy.log" | head -n 40 || true
    grep -E '^error' "$LOGS/clippy.log" | head -n 40 || true
fi

echo "== cargo test --workspace"
set +e
(cd "$SAMPLE_DIR" && cargo test --workspace --no-run --no-fail-fast) >"$LOGS/test-build.log" 2>&1
BUILD_RC=$?
set -e
BUILD_END="$(date +%s)"
if [ "$BUILD_RC" != 0 ]; then
    FAILED=1
    grep -E '^error' "$LOGS/test-build.log" | head -n 40 || true
fi

# Per crate: the `test result` line of the examples test binary.
declare -A EXAMPLES SNIPPETS
for crate in "${MEMBERS[@]}"; do
    set +e
    (cd "$SAMPLE_DIR" && cargo test -p "$crate" --no-fail-fast) >"$LOGS/$crate.test" 2>&1
    rc=$?
    set -e
    total_examples="$(grep -c '^#\[test\]' "$SAMPLE_DIR/$crate/tests/examples.rs" || true)"
    SNIPPETS[$crate]="$(grep -c '^fn ' "$SAMPLE_DIR/$crate/tests/union_snippets.rs" || true)"
    ex_passed="$(awk '
        /^ *Running / { cur = ($0 ~ /Running tests\/examples\.rs/) }
        cur && /^test result:/ { for (k = 1; k <= NF; k++) if ($k ~ /^passed/) p = $(k - 1) }
        END { print p + 0 }
    ' "$LOGS/$crate.test")"
    EXAMPLES[$crate]="$ex_passed/${total_examples:-0}"
    if [ "$rc" != 0 ] || [ "$ex_passed" != "${total_examples:-0}" ]; then
        FAILED=1
        echo "$crate: tests failed (log: $LOGS/$crate.test):"
        grep -E '^test .* FAILED$|panicked at' "$LOGS/$crate.test" | head -n 10 || true
    fi
done
END="$(date +%s)"

REPORT="$SAMPLE_DIR/REPORT.tsv"
{
    printf 'spec\tcrate\tmodels\twarnings\tfallbacks\texcluded_examples\tclippy\texamples\tunion_snippets_compiled\n'
    i=0
    while IFS= read -r spec; do
        crate="${CRATES[$i]}"
        i=$((i + 1))
        if [ "${GEN_OK[$crate]}" != 1 ]; then
            printf '%s\t%s\t-\t-\t-\t-\tnot generated\t-\t-\n' "$spec" "$crate"
            continue
        fi
        if grep -qF "could not compile \`$crate\`" "$LOGS/clippy.log"; then clippy=FAIL; else clippy=ok; fi
        if [ "$CLIPPY_RC" != 0 ] && [ "$clippy" = ok ] && ! grep -q 'could not compile `' "$LOGS/clippy.log"; then
            clippy="?"
        fi
        log="$LOGS/$crate.generate"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$spec" "$crate" "${MODELS[$crate]:-0}" \
            "$(grep -c '^warning: ' "$log" || true)" \
            "$(grep -c '^warning: .*typed as serde_json::Value: ' "$log" || true)" \
            "$(grep -c '^warning: .*example does not fit its schema' "$log" || true)" \
            "$clippy" "${EXAMPLES[$crate]}" "${SNIPPETS[$crate]}"
    done <"$SAMPLE"
} >"$REPORT"
column -t -s "$(printf '\t')" "$REPORT" 2>/dev/null || cat "$REPORT"
awk -F'\t' 'NR > 1 && $3 != "-" {
    models += $3; warnings += $4; fallbacks += $5; excluded += $6
    split($8, e, "/"); ep += e[1]; et += e[2]; snippets += $9
    if ($7 == "ok") clean++
}
END {
    printf "models: %d; warnings: %d (fallbacks: %d, examples that do not fit their schema: %d)\n",
        models, warnings, fallbacks, excluded
    printf "clippy clean: %d/%d; examples passed: %d/%d; union snippets compiled: %d\n",
        clean, NR - 1, ep, et, snippets
}' "$REPORT"
echo "time: $((END - START)) s (generate $((GEN_END - START)) s, clippy $((CLIPPY_END - GEN_END)) s," \
    "test build $((BUILD_END - CLIPPY_END)) s, test runs $((END - BUILD_END)) s); logs in $LOGS"
if [ "$FAILED" != 0 ]; then
    echo "wide sample: FAILED"
    exit 1
fi
echo "wide sample: ok"
