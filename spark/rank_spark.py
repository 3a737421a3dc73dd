#!/usr/bin/env python3
"""Ranks a company list on Apache Spark with leadmatch, deduplicating globally.

    python3 spark/rank_spark.py INPUT OUTPUT_DIR [--binary PATH] [--partitions N] [--master URL]
                                [--parquet] [--full] [--top K]
    spark-submit spark/rank_spark.py INPUT OUTPUT_DIR --binary /path/to/leadmatch ...

INPUT is a JSONL or CSV file, or a directory of them (CSV needs a header row). Each partition is
piped through `leadmatch rank - --format jsonl --compact -j 1 -q` on an executor (the binary is
shipped with the job); a non-zero exit fails the task. Rows are then deduplicated globally: a
window over `dedup_key` (the normalised credit code when valid, else the normalised name, as
`rank` computes it) ordered by input position marks every later row `duplicate_of` the id of the
first occurrence. Output: OUTPUT_DIR/jsonl/part-*.txt (one result per line, in input order, each
with its global `position`) and, with --parquet, OUTPUT_DIR/parquet/. Rows `rank` rejects (no
name and no scope) appear with `"rejected": REASON`, so every input row is in the output once.
See spark/README.md.
"""

import argparse
import csv
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The columns of `rank --compact` (Parquet schema; JSONL keeps the lines as rank wrote them).
COMPACT_SCHEMA = T.StructType(
    [
        T.StructField("position", T.LongType()),
        T.StructField("row", T.LongType()),
        T.StructField("id", T.StringType()),
        T.StructField("name", T.StringType()),
        T.StructField("verdict", T.StringType()),
        T.StructField("fit", T.DoubleType()),
        T.StructField("priority", T.LongType()),
        T.StructField("tier", T.StringType()),
        T.StructField("sectors", T.ArrayType(T.LongType())),
        T.StructField("scores", T.ArrayType(T.DoubleType())),
        T.StructField("industries", T.ArrayType(T.StringType())),
        T.StructField("flags", T.ArrayType(T.StringType())),
        T.StructField("dedup_key", T.StringType()),
        T.StructField("block_key", T.StringType()),
        T.StructField("duplicate_of", T.StringType()),
        T.StructField("rejected", T.StringType()),
    ]
)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Rank a company list on Spark with leadmatch.")
    p.add_argument("input", help="JSONL or CSV file, or a directory of them")
    p.add_argument("output", help="output directory (replaced)")
    p.add_argument("--binary", help="leadmatch binary (default: target/release/leadmatch, else on PATH)")
    p.add_argument("--partitions", type=int, help="partitions to rank in (default: Spark's split of the input)")
    p.add_argument("--master", help="Spark master URL, e.g. local[2] (default: spark-submit's, else local[*])")
    p.add_argument("--parquet", action="store_true", help="also write Parquet to OUTPUT_DIR/parquet")
    p.add_argument("--full", action="store_true", help="full results (matches with catalogue facts) instead of --compact")
    p.add_argument("--top", type=int, default=3, help="sectors per row (rank --top)")
    p.add_argument("--format", choices=["jsonl", "csv"], help="input format (default: from the extension)")
    return p.parse_args(argv)


def find_binary(given):
    if given:
        path = given
    else:
        here = os.path.dirname(os.path.abspath(__file__))
        built = os.path.join(here, "..", "target", "release", "leadmatch")
        path = built if os.path.exists(built) else shutil.which("leadmatch")
    if not path or not os.path.isfile(path):
        sys.exit(f"rank_spark: leadmatch binary not found ({given or 'target/release/leadmatch, PATH'}): give --binary")
    return os.path.abspath(path)


def input_format(path, given):
    if given:
        return given
    probe = path
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if not n.startswith((".", "_")))
        probe = names[0] if names else ""
    return "csv" if probe.lower().endswith((".csv", ".tsv")) else "jsonl"


def rank_partition(binary_name, top, full):
    """The function run on each partition: (line, position) pairs in, results out."""

    def run(items):
        items = list(items)
        if not items:
            return
        binary = SparkFiles.get(binary_name)
        mode = os.stat(binary).st_mode
        if not mode & stat.S_IXUSR:
            os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        # A directory of its own: no catalog/ or index/ at hand, so the built-in catalogue is used.
        work = tempfile.mkdtemp(prefix="leadmatch-")
        try:
            rejects = os.path.join(work, "rejects.csv")
            cmd = [binary, "rank", "-", "--format", "jsonl", "-j", "1", "-q", "--top", str(top), "--rejects", rejects]
            if not full:
                cmd.append("--compact")
            data = "".join(line + "\n" for line, _ in items).encode("utf-8")
            proc = subprocess.run(cmd, input=data, capture_output=True, cwd=work, env=dict(os.environ))
            if proc.returncode != 0:
                raise RuntimeError(
                    f"leadmatch rank exited with {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-2000:]}"
                )
            positions = [pos for _, pos in items]
            for line in proc.stdout.decode("utf-8").splitlines():
                if not line:
                    continue
                obj = json.loads(line)
                # Per-partition duplicates mean nothing globally: the window below decides.
                obj.pop("duplicate_of", None)
                pos = positions[obj["row"] - 1]
                yield pos, obj.get("id"), obj.get("dedup_key"), with_position(obj, pos)
            if os.path.exists(rejects):
                with open(rejects, encoding="utf-8-sig", newline="") as f:
                    reader = csv.reader(f)
                    next(reader, None)
                    for rec in reader:
                        row, reason = int(rec[0]), rec[1]
                        pos = positions[row - 1]
                        try:
                            rid = json.loads(items[row - 1][0]).get("id")
                        except (ValueError, AttributeError):
                            rid = None
                        rid = None if rid is None else str(rid)
                        obj = {"row": row, "id": rid, "rejected": reason}
                        yield pos, rid, None, with_position(obj, pos)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return run


def with_position(obj, pos):
    """The result as JSON with `position` first and without its closing brace (the global
    `duplicate_of` is appended after the window)."""
    obj = {"position": pos, **obj}
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))[:-1]


def log(msg, since=None):
    took = "" if since is None else f" ({time.monotonic() - since:.1f} s)"
    print(f"rank_spark: {msg}{took}", file=sys.stderr, flush=True)


def main(argv):
    args = parse_args(argv)
    binary = find_binary(args.binary)
    t0 = time.monotonic()
    builder = SparkSession.builder.appName("leadmatch-rank")
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Started by `python3`, not spark-submit (which sets the gateway port and whose --conf
        # these would override): no web UI or console progress bars, which nothing looks at in
        # a batch run and which cost start-up time and fill logs on a small machine.
        builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    if args.partitions:
        # The window and the final sort shuffle into as many partitions as were ranked (Spark's
        # default of 200 is far too many for a small list).
        builder = builder.config("spark.sql.shuffle.partitions", str(args.partitions))
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    log("Spark started", t0)
    sc.addFile(binary)
    binary_name = os.path.basename(binary)

    fmt = input_format(args.input, args.format)
    if fmt == "csv":
        sep = "\t" if args.input.lower().endswith(".tsv") else ","
        df = spark.read.option("header", True).option("multiLine", True).option("sep", sep).csv(args.input)
        lines = df.rdd.map(lambda r: json.dumps({k: v for k, v in r.asDict().items() if v is not None}, ensure_ascii=False))
    else:
        # With --partitions the file is split into at least that many parts as it is read, so
        # ranking needs no shuffle of the input.
        lines = sc.textFile(args.input, minPartitions=args.partitions) if args.partitions else sc.textFile(args.input)
        lines = lines.filter(lambda l: l.strip() != "")
    # Global input position: partitions in file order, lines in partition order.
    t1 = time.monotonic()
    positioned = lines.zipWithIndex()
    log("input positions counted", t1)
    if args.partitions:
        # Rows keep their positions; which partition ranks them does not matter.
        n = args.partitions
        have = positioned.getNumPartitions()
        if fmt != "csv" and n <= have < 2 * n:
            # Split as asked (a few more when the reader rounds): taken as they are.
            pass
        else:
            positioned = (
                positioned.map(lambda lp: (lp[1], lp[0])).partitionBy(n, lambda pos: pos % n).map(lambda pl: (pl[1], pl[0]))
            )
    ranked = positioned.mapPartitions(rank_partition(binary_name, args.top, args.full))
    schema = T.StructType(
        [
            T.StructField("position", T.LongType(), False),
            T.StructField("id", T.StringType()),
            T.StructField("dedup_key", T.StringType()),
            T.StructField("body", T.StringType()),
        ]
    )
    rows = ranked.map(lambda t: (t[0], None if t[1] is None else str(t[1]), t[2], t[3]))
    # Ranked once: every later step reads the cached results.
    results = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_AND_DISK)

    # Global deduplication: the first row of each dedup_key (by input position) is the company;
    # the others are duplicate_of its id (its position when it has no id). Rows without a key
    # are never duplicates and skip the shuffle.
    first = Window.partitionBy("dedup_key").orderBy("position")
    first_ref = F.coalesce(F.col("id"), F.col("position").cast("string"))
    keyed = (
        results.where(F.col("dedup_key").isNotNull())
        .withColumn("first_position", F.first("position").over(first))
        .withColumn("first_ref", F.first(first_ref).over(first))
        .select(
            "position",
            "body",
            F.when(F.col("position") != F.col("first_position"), F.col("first_ref")).alias("duplicate_of"),
        )
    )
    unkeyed = results.where(F.col("dedup_key").isNull()).select(
        "position", "body", F.lit(None).cast("string").alias("duplicate_of")
    )
    final = keyed.unionByName(unkeyed)
    # The line: the body, then `,"duplicate_of":"…"` (JSON-escaped by to_json) when set, then `}`.
    dup_json = F.expr("substring(to_json(array(duplicate_of)), 2, length(to_json(array(duplicate_of))) - 2)")
    value = F.concat(
        F.col("body"),
        F.when(F.col("duplicate_of").isNull(), F.lit("}")).otherwise(F.concat(F.lit(',"duplicate_of":'), dup_json, F.lit("}"))),
    )
    out = final.select("position", value.alias("value"), (F.col("duplicate_of").isNotNull()).alias("dup"))
    out = out.orderBy("position").persist(StorageLevel.MEMORY_AND_DISK)

    if os.path.isdir(args.output):
        shutil.rmtree(args.output)
    t1 = time.monotonic()
    out.select("value").write.text(os.path.join(args.output, "jsonl"))
    log("ranked, deduplicated, JSONL written", t1)
    if args.parquet:
        t1 = time.monotonic()
        parsed = out.select("value")
        if args.full:
            spark.read.json(parsed.rdd.map(lambda r: r[0])).write.parquet(os.path.join(args.output, "parquet"))
        else:
            parsed.select(F.from_json("value", COMPACT_SCHEMA).alias("r")).select("r.*").write.parquet(
                os.path.join(args.output, "parquet")
            )
        log("Parquet written", t1)
    # Both counts in one pass over the cached result.
    counts = out.agg(F.count(F.lit(1)).alias("n"), F.sum(F.col("dup").cast("long")).alias("d")).first()
    total, dups = counts["n"], counts["d"] or 0
    log(f"{total} rows ranked, {dups} duplicates, output in {args.output}", t0)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
