#!/usr/bin/env bash
# Records what lete prints for the relevance queries and the README's query forms, in every
# output format, so that a refactor can show it changes nothing (DEVELOPERS: "a refactor proves
# sameness"). Run it with the binary before and after the change, then diff the two folders:
#
#   scripts/compare-outputs.sh BIN CORPUS OUTDIR [QUERIES.tsv ...]
#   diff -r OUTDIR-before OUTDIR-after
#
# The index is built in OUTDIR/index first (its build summary is not recorded: it holds times),
# and removed at the end unless KEEP_INDEX is set. Two builds of one corpus can differ in the
# last bits of a BM25 score (passages land in segments by thread); to compare two binaries on
# one index, build it once, copy it into both OUTDIRs and run both with KEEP_INDEX=1.
# Timings (`took_ms`, seconds) are dropped from what is recorded; everything else is kept as
# printed, with the exit code and stderr of each run.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 BIN CORPUS OUTDIR [QUERIES.tsv ...]" >&2
  exit 2
fi
bin=$(realpath "$1")
corpus=$2
out=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then
  set -- "$here/tests/fixtures/queries-dev.tsv" "$here/tests/fixtures/queries-extra.tsv"
fi
mkdir -p "$out"
index="$out/index"
export NO_COLOR= COLUMNS=100 LETE_CORPUS="$corpus" LETE_INDEX="$index"
unset NO_COLOR
"$bin" -q index >/dev/null

# The README's query forms, beside the relevance queries.
syntax_queries=(
  'barnevern OR fosterhjem'
  'lang:da velfaerd'
  "source:'*004*' velfærd"
  'barnev*'
  '"statlig detaljstyring" -kommunelov'
  'heading:omstilling kunstig intelligens'
  'title:strategi kommune'
  '(barnevern OR skole) kommune'
  'kommune^2 stat'
  'kommune arbeidsgiver digitalisering beredskap kompetanse innovasjon samarbeid økonomi velferd klima'
  '"unbalanced'
  '*vern'
  'og i på'
  'xylofonkvartett'
)
queries=()
for file in "$@"; do
  while IFS=$'\t' read -r id _lang query _rest; do
    [ "$id" = id ] && continue
    queries+=("$query")
  done <"$file"
done
queries+=("${syntax_queries[@]}")

strip_times() { jq -S 'del(.took_ms)' 2>/dev/null || cat; }

run() {
  # run NAME FILTER ARGS...: records stdout (through FILTER), stderr and the exit code.
  local name=$1 filter=$2
  shift 2
  local code=0
  "$bin" "$@" >"$out/$name.raw" 2>"$out/$name.err" || code=$?
  if [ "$filter" = json ]; then
    strip_times <"$out/$name.raw" >"$out/$name.out"
  else
    cp "$out/$name.raw" "$out/$name.out"
  fi
  rm -f "$out/$name.raw"
  # The output folder's own path is not part of what is compared.
  sed -i "s|$out|OUTDIR|g" "$out/$name.out" "$out/$name.err"
  echo "$code" >"$out/$name.code"
}

n=0
for query in "${queries[@]}"; do
  n=$((n + 1))
  q=$(printf 'q%03d' "$n")
  printf '%s\n' "$query" >"$out/$q.query"
  run "$q.pretty" text search --color never "$query"
  run "$q.color" text search --color always --limit 3 "$query"
  run "$q.json" json search --json "$query"
  run "$q.jsonl" text search --jsonl --limit 20 "$query"
  run "$q.vimgrep" text search --format vimgrep "$query"
  run "$q.files" text search --files "$query"
  run "$q.explain-json" json search --json --explain "$query"
  run "$q.explain" text search --color never --explain --limit 5 "$query"
  run "$q.per-section" text search --jsonl --per-section 1 --limit 15 "$query"
  run "$q.lang-da" text search --jsonl --lang da "$query"
  run "$q.limit-50" text search --jsonl --limit 50 "$query"
done

for file in "$@"; do
  name=$(basename "$file" .tsv)
  run "eval.$name" json eval --json "$file"
done
run stats json stats --json
# `stats` holds when and by which lete the index was built; the rest must match.
jq -S 'del(.built_at, .built_at_unix, .index_bytes)' \
  "$out/stats.out" >"$out/stats.out.tmp" 2>/dev/null && mv "$out/stats.out.tmp" "$out/stats.out"
rm -rf "$out/export"
run export text export --format opensearch "$out/export"
k=0
while IFS= read -r -d '' source; do
  k=$((k + 1))
  [ "$k" -gt 20 ] && break
  o=$(printf 'o%03d' "$k")
  printf '%s\n' "$source" >"$out/$o.source"
  run "$o.outline" text outline --color never "$source"
  run "$o.outline-json" json outline --json "$source"
done < <(find "$corpus" -type f -name '*.txt' -print0 | sort -z)
[ -n "${KEEP_INDEX:-}" ] || rm -rf "$index"
echo "recorded ${#queries[@]} queries and $k outlines in $out" >&2
