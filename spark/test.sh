#!/usr/bin/env bash
# Spark test (issue 16): ranks 200,000 generated rows with spark/rank_spark.py on local[2] and
# checks them against one `leadmatch rank` of the same file: every id out exactly once, the same
# verdict and best sector per id, the same set of rows marked duplicate (and the same first
# occurrence). Installs what it needs: Java 17 (Debian openjdk-17-jre-headless) when `java` is
# missing, PySpark from PyPI into a virtual environment under the user cache directory.
#
#   bash spark/test.sh            # ROWS=200000 PARTITIONS=4 by default
#   ROWS=20000 bash spark/test.sh # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-200000}
PARTITIONS=${PARTITIONS:-4}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/leadmatch-spark
VENV=${LEADMATCH_SPARK_VENV:-$CACHE/venv}
# Spark 4.x needs Java 17 or later; 4.3.0 is the newest on PyPI (checked 2026-11-29).
PYSPARK_VERSION=${PYSPARK_VERSION:-4.3.0}
start=$(date +%s)
step() { echo "spark/test.sh: $1 ($(($(date +%s) - start)) s so far)"; }

# The major version of `java` (1 for 1.8, 11, 17 …), empty when there is none.
java_major() {
    command -v java >/dev/null || return 0
    java -version 2>&1 | awk -F'"' '/ version "/ && !m { split($2, v, "."); m = v[1] } END { print m }'
}
JAVA_MAJOR=$(java_major)
if [ -z "$JAVA_MAJOR" ] || [ "$JAVA_MAJOR" -lt 17 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
        JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
        export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH
        step "Java 17 installed"
    else
        echo "spark/test.sh: Java 17 or later is needed (Spark 4); install openjdk-17-jre-headless" >&2
        exit 1
    fi
fi
if [ ! -x "$VENV/bin/python" ] ||
    [ "$("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" != "$PYSPARK_VERSION" ]; then
    mkdir -p "$CACHE"
    if ! python3 -m venv --clear "$VENV"; then
        [ "$(id -u)" = 0 ] || { echo "spark/test.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv --clear "$VENV"
    fi
    # PyPI has PySpark only as a source archive (~450 MB): download and build take a minute or two.
    "$VENV/bin/pip" install -q --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
    step "PySpark $PYSPARK_VERSION installed in $VENV"
fi

# The binary and the generator, in the profile `cargo test` has already built (dev: dependencies
# optimised) unless PROFILE=release; both runs use the same binary, so only the time differs.
# After `cargo test` (which builds the binary and the examples into target/debug with the same
# features) this build has nothing to do (~1 s in CI).
PROFILE=${PROFILE:-dev}
cargo build --locked --profile "$PROFILE" --bin leadmatch --example gen_bench
DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
BIN=$PWD/target/$DIR/leadmatch
GEN=$PWD/target/$DIR/examples/gen_bench
WORK=$(mktemp -d)
trap '[ -z "${single:-}" ] || kill "$single" 2>/dev/null; rm -rf "$WORK"' EXIT
SOURCES=(--source tests/data/dev.jsonl)
if [ -f ../shared/eval/real-dev.jsonl ]; then
    SOURCES+=(--source ../shared/eval/real-dev.jsonl)
fi
"$GEN" "$ROWS" 16 --mix real "${SOURCES[@]}" >"$WORK/input.jsonl"
step "$ROWS rows generated"

# One run on one machine, in a directory without catalog/ (the built-in catalogue, as executors),
# in the background while Spark starts (JVM start-up and the input pass leave the cores idle).
mkdir "$WORK/single"
(
    t0=$(date +%s)
    cd "$WORK/single"
    "$BIN" rank "$WORK/input.jsonl" --format jsonl --compact -q -o "$WORK/single.jsonl"
    echo "spark/test.sh: single rank $(($(date +%s) - t0)) s (beside Spark)"
) &
single=$!

t1=$(date +%s)
"$VENV/bin/python" spark/rank_spark.py "$WORK/input.jsonl" "$WORK/out" --binary "$BIN" \
    --partitions "$PARTITIONS" --master 'local[2]' --parquet
echo "spark/test.sh: spark rank $(($(date +%s) - t1)) s"
rc=0
wait "$single" || rc=$?
single=
[ "$rc" = 0 ] || { echo "spark/test.sh: the single leadmatch rank failed ($rc)" >&2; exit 1; }
step "both runs done"

"$VENV/bin/python" - "$WORK/input.jsonl" "$WORK/single.jsonl" "$WORK/out" <<'EOF'
import glob, json, os, sys
inp, single_path, out = sys.argv[1:]
ids = [json.loads(l)["id"] for l in open(inp, encoding="utf-8") if l.strip()]
single = {}
for l in open(single_path, encoding="utf-8"):
    r = json.loads(l)
    single[r["id"]] = r
spark, seen_twice = {}, []
for path in sorted(glob.glob(os.path.join(out, "jsonl", "part-*"))):
    for l in open(path, encoding="utf-8"):
        r = json.loads(l)
        if r["id"] in spark:
            seen_twice.append(r["id"])
        spark[r["id"]] = r
problems = []
if seen_twice:
    problems.append(f"{len(seen_twice)} ids out more than once, e.g. {seen_twice[:3]}")
missing = [i for i in ids if i not in spark]
if missing:
    problems.append(f"{len(missing)} ids missing, e.g. {missing[:3]}")
id_set = set(ids)
extra = [i for i in spark if i not in id_set]
if extra:
    problems.append(f"{len(extra)} ids not in the input, e.g. {extra[:3]}")
differ = [i for i in ids if i in spark and i in single and (
    spark[i]["verdict"] != single[i]["verdict"] or spark[i]["sectors"][:1] != single[i]["sectors"][:1])]
if differ:
    problems.append(f"{len(differ)} rows with another verdict or sector, e.g. {differ[:3]}")
# rank's duplicate_of is the row of the first occurrence; Spark's its id.
id_of_row = {r["row"]: r["id"] for r in single.values()}
single_dups = {i: id_of_row[r["duplicate_of"]] for i, r in single.items() if r.get("duplicate_of")}
spark_dups = {i: r["duplicate_of"] for i, r in spark.items() if r.get("duplicate_of")}
if set(single_dups) != set(spark_dups):
    only_single = sorted(set(single_dups) - set(spark_dups))
    only_spark = sorted(set(spark_dups) - set(single_dups))
    problems.append(f"duplicate sets differ: {len(only_single)} only in rank (e.g. {only_single[:3]}), "
                    f"{len(only_spark)} only in Spark (e.g. {only_spark[:3]})")
elif single_dups != spark_dups:
    problems.append("same duplicate rows, other first occurrences")
parquet = glob.glob(os.path.join(out, "parquet", "*.parquet"))
if not parquet:
    problems.append("no Parquet written")
print(f"spark/test.sh: {len(ids)} ids in, {len(spark)} out, {len(spark_dups)} duplicates "
      f"({len(single_dups)} in the single run)")
if problems:
    print("spark/test.sh: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print("spark/test.sh: ok")
EOF
step "checked; total"
