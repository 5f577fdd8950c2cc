#!/usr/bin/python3
"""A small HTTP server for feed tests: serves the files of a folder with ETag and
Last-Modified, answers conditional requests with 304, and logs every request
(path, If-None-Match, If-Modified-Since, status) as JSON Lines to LOG.

/fail/... answers 500; /slow/... never answers (for timeouts). Prints "READY <port>";
runs until its standard input closes.
"""
import argparse
import email.utils
import hashlib
import http.server
import json
import os
import sys
import threading


def make_handler(root, log_path):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def record(self, status):
            with open(log_path, "a") as f:
                f.write(json.dumps({
                    "path": self.path,
                    "if_none_match": self.headers.get("If-None-Match"),
                    "if_modified_since": self.headers.get("If-Modified-Since"),
                    "status": status,
                }) + "\n")

        def do_GET(self):
            if self.path.startswith("/fail/"):
                self.record(500)
                self.send_error(500, "Internal Server Error")
                return
            path = os.path.join(root, self.path.lstrip("/").split("?")[0])
            if not os.path.isfile(path):
                self.record(404)
                self.send_error(404)
                return
            body = open(path, "rb").read()
            etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
            modified = email.utils.formatdate(int(os.path.getmtime(path)), usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.record(304)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.root, args.log))
    server.daemon_threads = True
    print("READY %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until stdin closes
    server.shutdown()


if __name__ == "__main__":
    main()
