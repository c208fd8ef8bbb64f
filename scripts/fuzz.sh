#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each) and prints libFuzzer's execution
# counts. A crash stops the script and is kept in fuzz/artifacts/<target>/: turn it into a
# regression test under tests/ before fixing it.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# The machine has the stable toolchain only; RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags
# (the AddressSanitizer runtime ships with stable).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(period summary tidy police_street config home_office ons partner population workbook)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
cd "$root"
# Seed corpora from the test fixtures and the shipped data.
seed() {
  local target="$1"
  shift
  mkdir -p "fuzz/corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr '/' '_')"
  done
  return 0
}
seed summary tests/data/ok/*.csv tests/data/bad/*.csv data/city-of-london/recorded-crime-2016-17-to-2017-18.csv
seed tidy tests/data/ok/tidy-two-areas.csv tests/data/bad/tidy-*.csv
seed police_street tests/data/police-uk/*/*/*-street.csv
seed config saferstats.toml
seed home_office tests/data/ok/home-office-*.csv
seed ons tests/data/ok/ons-pfa-rolling.csv
seed population tests/data/ok/population/*.csv tests/data/bad/population-*.csv
seed workbook tests/data/ok/home-office/*.xlsx tests/data/ok/home-office/*.ods
mkdir -p fuzz/corpus/partner
printf '\000Period,Measure,Value\n2017/18,Noise,"1,054"\n2018/19,Noise,[x]\n' > fuzz/corpus/partner/values
printf '\001Date,Measure\n03/04/2017,Noise\n31/03/2018,Street drinking\n' > fuzz/corpus/partner/incidents
mkdir -p fuzz/corpus/period && printf '2017/18' > fuzz/corpus/period/fy && printf '2017/18 Q1' > fuzz/corpus/period/fq && printf '12 months ending 2018-03' > fuzz/corpus/period/rolling
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  log="$(mktemp)"
  cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1 || { tail -40 "$log"; echo "fuzz: $target FAILED"; exit 1; }
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  echo "fuzz: $target: ${runs:-?} executions in ${seconds} s, no crash"
done
