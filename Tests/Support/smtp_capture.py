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
import ssl
import sys

from aiosmtpd.smtp import SMTP


class CaptureHandler:
    """Accepts and records messages; a recipient's local part can script a fault:

    rcpt-NNN@…       answer NNN to RCPT TO (e.g. rcpt-550, rcpt-452)
    data-NNN@…       answer NNN after the final dot (e.g. data-554, data-552, data-421)
    once-NNN@…       answer NNN after the final dot the first time, accept afterwards
    drop-mid@…       close the connection in the middle of DATA (nothing is recorded)
    drop-after@…     record the message, then close the connection without answering
    stall@…          wait --stall seconds before answering the final dot
    """

    def __init__(self, out, stall):
        self.out = out
        self.count = 0
        self.stall = stall
        self.seen_once = set()

    @staticmethod
    def fault(address):
        local = address.split("@", 1)[0].lower()
        for prefix in ("rcpt-", "data-", "once-"):
            if local.startswith(prefix) and local[len(prefix):len(prefix) + 3].isdigit():
                return prefix[:-1], int(local[len(prefix):len(prefix) + 3])
        for name in ("drop-mid", "drop-after", "stall"):
            if local.startswith(name):
                return name, None
        return None, None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        kind, code = self.fault(address)
        if kind == "rcpt":
            return "%d %s.0.0 scripted refusal of %s" % (code, code // 100, address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        kind, code = self.fault(envelope.rcpt_tos[0]) if envelope.rcpt_tos else (None, None)
        if kind == "data":
            return "%d %s.0.0 scripted refusal after the final dot" % (code, code // 100)
        if kind == "once":
            key = envelope.rcpt_tos[0]
            if key not in self.seen_once:
                self.seen_once.add(key)
                return "%d %s.0.0 scripted refusal, try again" % (code, code // 100)
        if kind == "stall":
            await asyncio.sleep(self.stall)
        self.count += 1
        base = os.path.join(self.out, "%06d" % self.count)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos)}
        # The envelope first: once NNNNNN.eml exists, its .json does too.
        for suffix, data in ((".json", json.dumps(meta).encode()), (".eml", content)):
            tmp = base + suffix + ".tmp"
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, base + suffix)
        if kind == "drop-after":
            server.transport.close()
        return "250 2.0.0 Ok: queued as %06d" % self.count


class FaultySMTP(SMTP):
    """aiosmtpd's SMTP, able to drop the connection in the middle of DATA: it answers 354,
    then closes before the message has arrived (so nothing can have been accepted)."""

    async def smtp_DATA(self, arg):
        rcpts = self.envelope.rcpt_tos if self.envelope else []
        if rcpts and CaptureHandler.fault(rcpts[0])[0] == "drop-mid":
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class GreetingRefusal(asyncio.Protocol):
    """A relay that refuses every connection in its greeting (a broken or overloaded relay)."""

    def __init__(self, code):
        self.code = code

    def connection_made(self, transport):
        transport.write(b"%d 4.3.2 scripted greeting refusal\r\n" % self.code)
        transport.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--until-stdin-closes", action="store_true")
    parser.add_argument("--stall", type=float, default=30.0, help="seconds a stall@ recipient waits")
    parser.add_argument("--greeting", type=int, default=220, help="answer the connection with this code")
    parser.add_argument("--tls-cert", help="offer STARTTLS with this certificate (PEM) and require it")
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    loop = asyncio.get_running_loop()
    handler = CaptureHandler(args.out, args.stall)

    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    def protocol():
        if args.greeting != 220:
            return GreetingRefusal(args.greeting)
        return FaultySMTP(
            handler, hostname="capture.test", data_size_limit=50 * 1024 * 1024,
            tls_context=tls, require_starttls=tls is not None)

    server = await loop.create_server(protocol, host=args.host, port=args.port)
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
