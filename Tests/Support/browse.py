#!/usr/bin/python3
"""Walks through web pages in headless Chromium as a person would, and screenshots each.

    browse.py STEPS.json OUTDIR [--width 375] [--timeout SECONDS]

STEPS.json is a list of steps, done in order in one browser tab (cookies kept):
    {"go": "http://127.0.0.1:PORT/subscribe"}       open a page (waits for it to load)
    {"fill": {"#email": "a@b.jp", "#name": "山田"}}  type into fields (by CSS selector)
    {"select": {"#prefecture": "13"}}               choose an option by value
    {"tick": ["input[value=kyoei]"]}                tick checkboxes; {"untick": [...]} clears them
    {"click": "button[type=submit]"}                press it and wait for the next page to load
    {"shot": "01-subscribe.png"}                    full-page screenshot into OUTDIR

Prints JSON to stdout: for each "shot", the page's URL, title, h1, visible text, the document's
width (to catch sideways scrolling) and the PNG's name. Uses the Browser of screenshot.py
(DevTools over a pipe, no third-party modules). Exit codes as screenshot.py: 3 Chromium or a
step failed (a selector that matches nothing names the step), 4 timed out.
"""

import argparse
import base64
import json
import os
import pathlib
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenshot import MEASURE, Browser, Failure, find_chromium  # noqa: E402

PAGE = """(() => ({
  url: location.href, title: document.title,
  h1: (document.querySelector('h1') || {}).textContent || '',
  text: document.body ? document.body.innerText : '',
}))()"""


def run(steps, out, width, deadline):
    exe = find_chromium()
    if not exe:
        raise Failure(3, "Chromium not found (run scripts/install-deps, or set KYOZON_CHROMIUM)")
    browser = Browser(exe, width, 800, deadline)
    pages = []
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.send("Page.enable", session=session)
        metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600}
        browser.send("Emulation.setDeviceMetricsOverride", metrics, session)

        def js(expression):
            return browser.evaluate(expression, session)

        def element(selector, step):
            found = js(f"!!document.querySelector({json.dumps(selector)})")
            if not found:
                raise Failure(3, f"step {step}: nothing matches {selector} on {js('location.href')}")
            return f"document.querySelector({json.dumps(selector)})"

        for n, step in enumerate(steps, 1):
            if "go" in step:
                nav = browser.send("Page.navigate", {"url": step["go"]}, session)
                if nav.get("errorText"):
                    raise Failure(3, f"step {n}: cannot load {step['go']}: {nav['errorText']}")
                browser.wait_event("Page.loadEventFired", session)
            elif "fill" in step:
                for selector, value in step["fill"].items():
                    el = element(selector, n)
                    js(f"{el}.focus(); {el}.value = {json.dumps(value)}; "
                       f"{el}.dispatchEvent(new Event('input', {{bubbles: true}})); true")
            elif "select" in step:
                for selector, value in step["select"].items():
                    js(f"{element(selector, n)}.value = {json.dumps(value)}; true")
            elif "tick" in step or "untick" in step:
                for selector in step.get("tick", []) + step.get("untick", []):
                    js(f"{element(selector, n)}.checked = {json.dumps('tick' in step)}; true")
            elif "click" in step:
                js(f"{element(step['click'], n)}.click(); true")
                browser.wait_event("Page.loadEventFired", session)
            elif "shot" in step:
                js("document.fonts.ready.then(() => true)")
                size = js(MEASURE)
                metrics["height"] = max(1, min(int(size["height"]), 8000))
                browser.send("Emulation.setDeviceMetricsOverride", metrics, session)
                shot = browser.send("Page.captureScreenshot", {"format": "png", "fromSurface": True}, session)
                (out / step["shot"]).write_bytes(base64.b64decode(shot["data"]))
                metrics["height"] = 800
                browser.send("Emulation.setDeviceMetricsOverride", metrics, session)
                page = js(PAGE)
                page.update(shot=step["shot"], width=size["width"])
                pages.append(page)
            else:
                raise Failure(3, f"step {n}: unknown step {step}")
        return pages
    except Failure as f:
        log = browser.chromium_log()
        if log and f.code == 3 and "Chromium" in str(f):
            f.args = (f"{f.args[0]}\n--- Chromium output ---\n{log}",)
        raise
    finally:
        browser.close()


def main():
    ap = argparse.ArgumentParser(description="Walk through pages in headless Chromium, screenshotting each.")
    ap.add_argument("steps")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=375)
    ap.add_argument("--timeout", type=float, default=90.0)
    args = ap.parse_args()
    steps = json.loads(pathlib.Path(args.steps).read_text(encoding="utf-8"))
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        pages = run(steps, out, args.width, time.monotonic() + args.timeout)
    except Failure as f:
        print(f"browse: {args.steps}: {'timed out' if f.code == 4 else f}", file=sys.stderr)
        return f.code
    json.dump(pages, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
