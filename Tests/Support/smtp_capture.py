#!/usr/bin/python3
"""A real SMTP server for kyozon's tests and quick start (Debian's python3-aiosmtpd).

Writes every message it accepts to OUT/NNNNNN.eml (the bytes as received, dot-unstuffed)
and OUT/NNNNNN.json (envelope: mail_from, rcpt_tos), each renamed into place when complete.
Binds HOST:PORT (port 0 picks a free one) and prints "READY <port>" once listening.
Runs until SIGTERM/SIGINT, or, with --until-stdin-closes, until its standard input closes
(so a test that dies never leaves it running).

Run it with /usr/bin/python3: the python3 first on PATH may not see Debian's modules.
"""
import argparse
import asyncio
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class CaptureHandler:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out, "%06d" % self.count)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        for suffix, data in ((".eml", content), (".json", json.dumps(meta).encode())):
            tmp = base + suffix + ".tmp"
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, base + suffix)
        return "250 2.0.0 Ok: queued as %06d" % self.count


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--until-stdin-closes", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    loop = asyncio.get_running_loop()
    handler = CaptureHandler(args.out)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="capture.test", data_size_limit=50 * 1024 * 1024),
        host=args.host, port=args.port)
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.until_stdin_closes:
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(sys.stdin.fileno(), 4096) else None)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
