#!/bin/sh
# How orbit.db and expected.json were made: by orbit at commit 3375dd8 (schema 2, before
# Alembic), from the conformance samples. Kept as a record; running it with a later orbit
# would make a store of that orbit's schema, not schema 2.
set -eu
cd "$(dirname "$0")"
data=../../../conformance/data
rm -f expected.json orbit.db orbit.db-wal orbit.db-shm orbit.db.key
export ORBIT_STORE=sqlite:///orbit.db
orbit -q import --allow-future "$data/sample-events-r2.jsonl"
head -n 800 "$data/sample-events.jsonl" | orbit -q --organisation nord import --allow-future -
orbit -q forget P-100148 --reason "erasure request"
orbit -q --organisation nord forget P-100119 --reason "erasure request"
orbit -q report --year 2024 --format json >/dev/null   # leaves replay checkpoints behind

# What this orbit says of the store (run on a copy: reports save checkpoints).
copy=$(mktemp -d)
cp orbit.db orbit.db.key "$copy/"
export ORBIT_STORE="sqlite:///$copy/orbit.db"
{
  printf '{\n"default report 2024": '
  orbit report --year 2024 --format json
  printf ',\n"default report 2024 known at 2024-09-30": '
  orbit report --year 2024 --known-at 2024-09-30T00:00:00Z --format json
  printf ',\n"default replay 2022-03-01 to 2023-08-15": '
  orbit replay --from 2022-03-01 --until 2023-08-15 --format json
  printf ',\n"nord report 2021": '
  orbit --organisation nord report --year 2021 --format json
  printf ',\n"all organisations report 2024": '
  orbit report --year 2024 --all-organisations --jobs 1 --format json
  printf ',\n"default export sha256": "%s"' "$(orbit export | sha256sum | cut -c1-64)"
  printf ',\n"nord export sha256": "%s"' "$(orbit --organisation nord export | sha256sum | cut -c1-64)"
  printf '\n}\n'
} > expected.json
rm -r "$copy"
