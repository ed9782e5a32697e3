#!/usr/bin/env python3
"""Rule-count scaling for `trailwarden hunt`: writes a directory of N Sigma rules made from a
directory of real ones (the SigmaHQ CloudTrail set), first the real rules themselves, then
variants of them until N is reached.

A variant keeps the rule's shape (fields, modifiers, condition, logsource) and changes every
string value of its detection section (a suffix "v<k>" is added), so that it costs the engine
what a different real rule of the same shape would: new eventName values go into the index,
new patterns into the field's pattern database, new regexes into RE2. Variants get a new id
(uuid5 of the original id and k) and "(variant k)" in the title.

Usage: gen_rules.py SRC_DIR OUT_DIR N [--placeholder-free] [--exclude=ID,ID...]
  SRC_DIR   directory of Sigma rules (read recursively, sorted by path)
  OUT_DIR   emptied and filled with N rule files
  --placeholder-free  leave out rules whose values use |expand (they need --placeholder)
  --exclude=IDS       leave out the rules with these ids (e.g. rules that match most events
                      of a corpus, to measure rule count apart from match volume)
Python 3 standard library only: the YAML is edited line by line, which is enough for the
SigmaHQ layout (one key or list item per line).
"""
import os
import re
import shutil
import sys
import uuid

VALUE_LINE = re.compile(r"^(\s+)(- |[^\s#][^:#]*:\s)(.*)$")
SKIP_KEYS = ("condition:", "timeframe:")
KEEP_VALUES = {"null", "~", "true", "false", "''", '""', "'*'", "*"}


def mutate_value(value, k):
    v = value.rstrip()
    comment = ""
    m = re.match(r"^(.*?)(\s+#.*)$", v)
    if m and not v.startswith(("'", '"')):
        v, comment = m.group(1), m.group(2)
    if not v or v in KEEP_VALUES or re.fullmatch(r"-?\d+(\.\d+)?", v) or v.startswith(("[", "{", "|", ">")):
        return value
    if v[0] in "'\"" and len(v) >= 2 and v[-1] == v[0]:
        return v[:-1] + f"v{k}" + v[-1] + comment
    return v + f"v{k}" + comment


def variant(text, k):
    out, in_detection = [], False
    for line in text.splitlines():
        if re.match(r"^\S", line):
            in_detection = line.startswith("detection:")
            if line.startswith("id:"):
                old = line.split(":", 1)[1].strip()
                line = "id: " + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{old}/{k}"))
            elif line.startswith("title:"):
                line = line.rstrip() + f" (variant {k})"
            elif line.startswith("name:"):
                line = line.rstrip() + f"_v{k}"
            out.append(line)
            continue
        if in_detection:
            m = VALUE_LINE.match(line)
            if m and not m.group(2).strip().startswith(SKIP_KEYS) and m.group(3).strip():
                head, value = m.group(1) + m.group(2), m.group(3)
                inner = re.match(r"^([^\s'\"#][^:#]*:\s)(.*)$", value)
                if m.group(2) == "- " and inner:  # a map item of a list: "- field: value"
                    head, value = head + inner.group(1), inner.group(2)
                line = head + mutate_value(value, k)
        out.append(line)
    return "\n".join(out) + "\n"


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 3:
        raise SystemExit(__doc__)
    src, dst, n = args[0], args[1], int(args[2])
    placeholder_free = "--placeholder-free" in argv
    exclude = set()
    for a in argv:
        if a.startswith("--exclude="):
            exclude.update(x for x in a.split("=", 1)[1].split(",") if x)
    files = []
    for root, _, names in os.walk(src):
        for name in names:
            if name.endswith((".yml", ".yaml")):
                files.append(os.path.join(root, name))
    files.sort()
    texts = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            t = fh.read()
        if placeholder_free and "|expand" in t:
            continue
        m = re.search(r"^id:\s*(\S+)", t, re.M)
        if m and m.group(1) in exclude:
            continue
        texts.append((os.path.splitext(os.path.basename(f))[0], t))
    if not texts:
        raise SystemExit(f"gen_rules: no rules under {src}")
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    for i in range(n):
        base, text = texts[i % len(texts)]
        k = i // len(texts)
        body = text if k == 0 else variant(text, k)
        with open(os.path.join(dst, f"{i:04d}_{base}{'' if k == 0 else f'_v{k}'}.yml"), "w",
                  encoding="utf-8") as fh:
            fh.write(body)
    print(f"gen_rules: wrote {n} rules ({min(n, len(texts))} real, {max(0, n - len(texts))} "
          f"variants) to {dst}")


if __name__ == "__main__":
    main(sys.argv[1:])
