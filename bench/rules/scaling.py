#!/usr/bin/env python3
"""Rule engine speed: `trailwarden hunt` single-threaded with 10, 60 and 600 Sigma rules (the
larger sets made by gen_rules.py from the real ones) over a CloudTrail corpus, next to
`trailwarden query --count-by eventName` on the same corpus in the same run.

Hypothesis: the compiled plan (index by required equality, shared leaves, one pattern database
per field) makes the cost per event grow far slower than the rule count; with few matches the
hunt runs at 60% or more of the query's speed.

Usage: scaling.py TRAILWARDEN CORPUS_DIR SIGMA_DIR [--repeat=N] [--sizes=10,60,600]
                  [--exclude=ID,ID...]   (passed to gen_rules.py)
  Prints one line per measurement: CPU seconds (user + system, best of N; single-threaded runs,
  so this is steadier than wall time on a shared machine), MB/s, events/s, ratio to the query,
  rules checked per event after the index, matches, findings.
Python 3 standard library only. Machines are noisy: trust the ratios, not absolute times.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd):
    with tempfile.TemporaryFile(mode="w+") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read()
    if code not in (0, 1):
        raise SystemExit(f"scaling: command failed ({code}): {' '.join(cmd)}\n{text}")
    return usage.ru_utime + usage.ru_stime, text


def best(cmd, repeat):
    runs = [timed(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), runs[0][1]


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    if len(args) != 3:
        raise SystemExit(__doc__)
    tw, corpus, sigma = args
    repeat = int(opts.get("repeat", "3"))
    sizes = [int(s) for s in opts.get("sizes", "10,60,600").split(",")]
    q_secs, q_err = best([tw, "query", corpus, "--count-by", "eventName", "--threads", "1"],
                         repeat)
    m = re.search(r"([\d,]+) events, ([\d.]+) MB", q_err)
    events = int(m.group(1).replace(",", "")) if m else 0
    mb = float(m.group(2)) if m else 0.0
    print(f"query --count-by eventName: {q_secs:.2f} s  {mb / q_secs:7.0f} MB/s  "
          f"{events / q_secs:10.0f} events/s  (ratio 1.00)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rules = os.path.join(tmp, f"rules{n}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_rules.py"), sigma, rules,
                            str(n), "--placeholder-free"] +
                           ([f"--exclude={opts['exclude']}"] if "exclude" in opts else []),
                           check=True, stdout=subprocess.DEVNULL)
            secs, err = best([tw, "hunt", corpus, "--rules", rules, "--no-builtin", "--threads",
                              "1", "-o", os.devnull], repeat)
            per = re.search(r"([\d.]+) rules checked per event", err)
            hits = re.search(r"(\d+) matches -> (\d+) findings", err)
            print(f"hunt {n:4d} rules:              {secs:.2f} s  {mb / secs:7.0f} MB/s  "
                  f"{events / secs:10.0f} events/s  (ratio {q_secs / secs:.2f})  "
                  f"{per.group(1) if per else '?'} rules checked/event  "
                  f"{hits.group(1) if hits else '?'} matches  "
                  f"{hits.group(2) if hits else '?'} findings")


if __name__ == "__main__":
    main(sys.argv[1:])
