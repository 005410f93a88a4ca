#!/usr/bin/env bash
# Load benchmark of `lete serve` (issue 20); figures, not a test (docs/serve.md has them).
#
#   scripts/serve-load.sh LETE CORPUS WORKDIR [SECONDS] [CLIENTS]
#
# Builds an index of CORPUS under WORKDIR (the corpus is only read), then runs two loads of
# CLIENTS concurrent clients (default 8) for SECONDS (default 60) over the dev queries of
# tests/fixtures/queries-dev.tsv with oha (`cargo install oha --locked`):
#   1. quiet: the corpus does not change;
#   2. changing: on a copy of the corpus under WORKDIR, one file changes every second, so the
#      server updates its index in the background while it answers.
# SERVE_ARGS is given to `lete serve` as it is (word-split): `SERVE_ARGS='--cache-mb 0'` measures
# every request as a search; by default repeated queries are answered from the server's cache,
# and the dev queries repeat (issue 20: report both).
# Writes oha's JSON summaries and the server's resident memory (sampled every second from
# /proc, so Linux only) to
# WORKDIR, and prints the figures. Sends traffic to 127.0.0.1 only.
set -euo pipefail

lete=$(realpath "$1")
corpus=$(realpath "$2")
work=$3
seconds=${4:-60}
clients=${5:-8}
oha=${OHA:-oha}
repo=$(cd "$(dirname "$0")/.." && pwd)
name=$(basename "$corpus")

mkdir -p "$work"
work=$(realpath "$work")

# The dev queries as request paths, percent-encoded.
tail -n +2 "$repo/tests/fixtures/queries-dev.tsv" | cut -f3 |
  jq -Rr '"/api/search?q=" + @uri' > "$work/paths.txt"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Serves the corpus folder NAME under the current folder, with its index in ./index, and runs
# one load; $1 is the run's name, $2 an optional command run beside the load.
run_load() {
  local run=$1 beside=${2:-}
  local port
  port=$(free_port)
  # shellcheck disable=SC2086 # SERVE_ARGS holds several words
  "$lete" --corpus "$name" --index index serve --addr "127.0.0.1:$port" ${SERVE_ARGS:-} \
    2> "$work/$run-server.log" &
  local server=$!
  until curl -sf "http://127.0.0.1:$port/api/health" > /dev/null; do
    if ! kill -0 "$server" 2> /dev/null; then
      echo "serve-load: the server of the $run run stopped before answering:" >&2
      cat "$work/$run-server.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  sed "s|^|http://127.0.0.1:$port|" "$work/paths.txt" > "$work/urls-$run.txt"
  # Warm: every query once.
  while read -r url; do curl -sf "$url" > /dev/null; done < "$work/urls-$run.txt"
  : > "$work/$run-rss.txt"
  # Resident memory (kB): all of it, and the anonymous part (without the mapped index files).
  (while kill -0 "$server" 2> /dev/null; do
     awk '/^VmRSS/ { rss = $2 } /^RssAnon/ { anon = $2 } END { print rss, anon }' \
       "/proc/$server/status" >> "$work/$run-rss.txt" 2> /dev/null || true
     sleep 1
   done) &
  local sampler=$!
  local changer=
  if [ -n "$beside" ]; then
    $beside &
    changer=$!
  fi
  "$oha" -z "${seconds}s" -w -c "$clients" --no-tui --output-format json \
    --urls-from-file "$work/urls-$run.txt" > "$work/$run-oha.json"
  if [ -n "$changer" ]; then kill "$changer" 2> /dev/null || true; wait "$changer" 2> /dev/null || true; fi
  curl -sf "http://127.0.0.1:$port/api/health" > "$work/$run-health.json"
  kill -TERM "$server"
  wait "$server" || true
  kill "$sampler" 2> /dev/null || true
  report "$run"
}

report() {
  local run=$1
  jq -r --arg run "$run" '
    "\($run): \(.summary.requestsPerSec | floor) requests/s, " +
    "p50 \((.latencyPercentiles.p50 * 1000) * 100 | round / 100) ms, " +
    "p99 \((.latencyPercentiles.p99 * 1000) * 100 | round / 100) ms, " +
    "slowest \((.summary.slowest * 1000) * 100 | round / 100) ms, " +
    "success rate \(.summary.successRate), " +
    "statuses \(.statusCodeDistribution | tostring), errors \(.errorDistribution | tostring)"
  ' "$work/$run-oha.json"
  awk -v run="$run" 'NF == 2 { if (!n++) { first = $1; first_anon = $2 }
      last = $1; last_anon = $2; if ($1 > max) max = $1; if ($2 > max_anon) max_anon = $2 }
    END { printf "%s: server RSS first %.0f MB, last %.0f MB, max %.0f MB; anonymous first %.0f MB, last %.0f MB, max %.0f MB\n",
          run, first / 1024, last / 1024, max / 1024, first_anon / 1024, last_anon / 1024, max_anon / 1024 }' \
    "$work/$run-rss.txt"
  echo "$run: background updates committed: $(grep -c 'lete: indexed' "$work/$run-server.log" || true)"
}

# Every second, one corpus file of the copy changes (a line added), as someone saving it.
change_every_second() {
  local files=("$name"/*.txt) i=0
  while true; do
    i=$((i + 1))
    printf '\nEndring nummer %d i kommunens plan.\n' "$i" >> "${files[0]}"
    sleep 1
  done
}

echo "load: $(uptime); serve ${SERVE_ARGS:-(defaults)}"
# 1. The corpus as it is (read-only): the index lives under WORKDIR.
mkdir -p "$work/quiet"
ln -sfn "$corpus" "$work/quiet/$name"
cd "$work/quiet"
"$lete" --corpus "$name" --index index -q index
run_load quiet

# 2. A copy of the corpus that changes, with an index of its own built before the load (an
# index remembers its corpus folder, so the quiet run's index cannot be copied along).
mkdir -p "$work/changing"
rm -rf "$work/changing/$name" "$work/changing/index"
cp -a "$corpus" "$work/changing/$name"
cd "$work/changing"
"$lete" --corpus "$name" --index index -q index
run_load changing change_every_second
echo "load: $(uptime)"
