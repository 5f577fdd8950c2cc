#!/usr/bin/python3
"""Full-page PNG screenshot of one HTML file with headless Chromium (standard library only).

    screenshot.py FILE.html OUT.png [--width 600] [--check-width] [--timeout SECONDS]
                  [--max-height PX] [--scale FACTOR]

Drives Chromium through the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
fd 3, replies on fd 4, JSON messages ended by NUL). It lays the page out at --width CSS px, waits
for the load event and web fonts, measures the document, sizes the viewport to the whole page
height and captures it, so the PNG is exactly WIDTH x page height (times --scale).

Prints one line to stdout:
    OUT.png: 600x1234 document 600x1234
(PNG size in pixels, then the document's scrollWidth x scrollHeight in CSS px).

--check-width fails when the document is wider than the window (horizontal scroll at that width,
e.g. --width 375); the screenshot is still written.

Exit codes: 0 ok, 1 --check-width found horizontal overflow, 2 usage problem (file missing),
3 Chromium failed (not found, crashed, protocol error), 4 timed out (Chromium is killed).

Chromium is $KYOZON_CHROMIUM, else /usr/lib/chromium/chromium (Debian's binary, skipping the
/usr/bin/chromium shell wrapper), else `chromium` on PATH.
"""

import argparse
import base64
import json
import os
import pathlib
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Failure(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def find_chromium():
    c = os.environ.get("KYOZON_CHROMIUM")
    if c:
        return c
    if os.access("/usr/lib/chromium/chromium", os.X_OK):
        return "/usr/lib/chromium/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One Chromium process and a NUL-delimited JSON pipe to it."""

    def __init__(self, exe, width, height, deadline):
        self.deadline = deadline
        self.profile = tempfile.mkdtemp(prefix="kyozon-chromium-")
        self.stderr = tempfile.TemporaryFile()
        # Our ends stay here; Chromium gets the other ends as exactly fds 3 (reads) and 4 (writes).
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Move the child's ends above 4 so the dup2 calls below cannot clobber each other.
        a = os.dup(to_chrome_r) if to_chrome_r > 4 else _dup_above(to_chrome_r, 10)
        b = os.dup(from_chrome_w) if from_chrome_w > 4 else _dup_above(from_chrome_w, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child_fds():
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [
            exe,
            "--headless=new",
            "--no-sandbox",  # needed when running as root (CI runs as root)
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",  # fresh profile: no lock clashes between parallel runs
            f"--window-size={width},{height}",
            "--force-device-scale-factor=1",
            "--force-color-profile=srgb",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--mute-audio",
            "--run-all-compositor-stages-before-draw",
            "about:blank",
        ]
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=self.stderr, stderr=self.stderr,
                pass_fds=(3, 4), preexec_fn=child_fds,
                start_new_session=True,  # own process group, so a timeout can kill the renderers too
            )
        except OSError as e:
            for fd in (self.to_chrome, self.from_chrome):
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise Failure(3, f"cannot start Chromium ({exe}): {e}")
        finally:
            os.close(a)
            os.close(b)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _exited(self):
        # Has the browser exited? Leaves it unreaped (a zombie still holds its pid and group id).
        if self.proc.returncode is not None:
            return True
        try:
            return os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    def close(self):
        if not self._exited():
            try:
                self._write({"id": 999999, "method": "Browser.close"})
            except Failure:
                pass
            end = time.monotonic() + 5
            while not self._exited() and time.monotonic() < end:
                time.sleep(0.02)
        # Then end whatever is left in its process group (renderers, zygotes; its own session).
        if self.proc.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.wait()
        for fd in (self.to_chrome, self.from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        for _ in range(20):  # children may still be writing to the profile for a moment
            shutil.rmtree(self.profile, ignore_errors=True)
            if not os.path.exists(self.profile):
                break
            time.sleep(0.05)

    def chromium_log(self):
        self.stderr.seek(0)
        text = self.stderr.read().decode("utf-8", "replace").strip()
        return text[-3000:]

    def _write(self, message):
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                n = os.write(self.to_chrome, data)
                data = data[n:]
        except BrokenPipeError:
            raise Failure(3, "Chromium closed the DevTools pipe")

    def _read_message(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise Failure(4, "timed out")
            ready, _, _ = select.select([self.from_chrome], [], [], min(left, 0.5))
            if not ready:
                if self.proc.poll() is not None:
                    raise Failure(3, f"Chromium exited with status {self.proc.returncode}")
                continue
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                try:
                    status = self.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    status = "still running"
                raise Failure(3, f"Chromium closed the DevTools pipe (exit status {status})")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._write(msg)
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure(3, f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method, session):
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message())

    def evaluate(self, expression, session):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, session)
        if "exceptionDetails" in r:
            raise Failure(3, f"page script failed: {r['exceptionDetails']}")
        return r["result"].get("value")


def _dup_above(fd, low):
    import fcntl
    return fcntl.fcntl(fd, fcntl.F_DUPFD, low)


MEASURE = """(() => {
  const d = document.documentElement, b = document.body || d;
  return {
    width: Math.max(d.scrollWidth, b.scrollWidth),
    height: Math.max(d.scrollHeight, b.scrollHeight, d.offsetHeight, b.offsetHeight),
    viewport: window.innerWidth,
  };
})()"""


def shoot(args, url, deadline):
    exe = find_chromium()
    if not exe:
        raise Failure(3, "Chromium not found (run scripts/install-deps, or set KYOZON_CHROMIUM)")
    browser = Browser(exe, args.width, 600, deadline)
    try:
        try:
            targets = browser.send("Target.getTargets")["targetInfos"]
            page = next(t for t in targets if t["type"] == "page")
        except StopIteration:
            page = {"targetId": browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]}
        session = browser.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        browser.send("Page.enable", session=session)
        # Lay out with a tiny viewport first so scrollHeight is the content's height, not the window's.
        metrics = {"width": args.width, "height": 16, "deviceScaleFactor": args.scale, "mobile": False}
        browser.send("Emulation.setDeviceMetricsOverride", metrics, session)
        nav = browser.send("Page.navigate", {"url": url}, session)
        if nav.get("errorText"):
            raise Failure(3, f"cannot load {url}: {nav['errorText']}")
        browser.wait_event("Page.loadEventFired", session)
        browser.evaluate("document.fonts.ready.then(() => true)", session)
        size = browser.evaluate(MEASURE, session)
        height = max(1, min(int(size["height"]), args.max_height))
        metrics["height"] = height
        browser.send("Emulation.setDeviceMetricsOverride", metrics, session)
        # Re-measure: a viewport-height-dependent layout (100vh, min-height) can change the height.
        size = browser.evaluate(MEASURE, session)
        shot = browser.send("Page.captureScreenshot", {"format": "png", "fromSurface": True,
                                                       "captureBeyondViewport": False}, session)
        return base64.b64decode(shot["data"]), size, height
    except Failure as f:
        log = browser.chromium_log()
        if log and f.code == 3:
            f.args = (f"{f.args[0]}\n--- Chromium output ---\n{log}",)
        raise
    finally:
        browser.close()


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure(3, "Chromium returned something that is not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def main():
    ap = argparse.ArgumentParser(description="Full-page screenshot of an HTML file with headless Chromium.")
    ap.add_argument("file")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=600, help="window width in CSS px (default 600)")
    ap.add_argument("--check-width", action="store_true",
                    help="exit 1 if the document is wider than the window (horizontal scroll)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds for the whole run (default 60)")
    ap.add_argument("--max-height", type=int, default=16000, help="cap on the page height in px (default 16000)")
    ap.add_argument("--scale", type=float, default=1.0, help="device scale factor (default 1)")
    args = ap.parse_args()
    if args.width < 100 or args.width > 4000:
        ap.error("--width must be between 100 and 4000")

    path = pathlib.Path(args.file)
    if not path.is_file():
        print(f"screenshot: no such file: {args.file}", file=sys.stderr)
        return 2
    deadline = time.monotonic() + args.timeout
    try:
        data, size, height = shoot(args, path.resolve().as_uri(), deadline)
    except Failure as f:
        what = f"timed out after {args.timeout:g} s" if f.code == 4 else str(f)
        print(f"screenshot: {args.file}: {what}", file=sys.stderr)
        return f.code
    w, h = png_size(data)
    pathlib.Path(args.out).write_bytes(data)
    print(f"{args.out}: {w}x{h} document {size['width']}x{size['height']}")
    if int(size["height"]) > height:
        print(f"screenshot: page is {size['height']} px tall, cut at {height} px", file=sys.stderr)
    if args.check_width and size["width"] > args.width:
        print(f"screenshot: {args.file}: document is {size['width']} px wide, wider than the "
              f"{args.width} px window (horizontal scroll)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
