#!/usr/bin/python3
"""Verifies the DKIM signature of a message with Debian's python3-dkim, answering the DNS
lookup of the selector's public key from a local file instead of the network.

usage: dkim_check.py PUBLIC_KEY_DER_BASE64_FILE < message.eml
Prints "pass", or "fail" and the verifier's reason (exit 0 either way when the check ran).
"""
import sys

import dkim


def main():
    key = open(sys.argv[1]).read().strip()
    message = sys.stdin.buffer.read()

    def dnsfunc(name, timeout=5):
        return ("v=DKIM1; k=rsa; p=%s" % key).encode()

    verifier = dkim.DKIM(message)
    try:
        ok = verifier.verify(dnsfunc=dnsfunc)
    except dkim.DKIMException as error:
        print("fail")
        print(error)
        return
    print("pass" if ok else "fail")


if __name__ == "__main__":
    main()
