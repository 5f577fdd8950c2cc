#!/usr/bin/python3
"""Parses .eml files with Python's standard email package (policy=default) and prints JSON.

For each file: the raw and decoded headers, the MIME structure, and each part's decoded
text. Display names are decoded with email.header.decode_header, which follows RFC 2047
(CPython 3.11's address parser keeps the space between adjacent encoded words).
"""
import email
import email.policy
import json
import sys
from email.header import decode_header, make_header


def raw_headers(data):
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    result = []
    for line in head.split("\r\n"):
        if line[:1] in (" ", "\t") and result:
            result[-1][1] += "\r\n" + line
        else:
            name, _, value = line.partition(":")
            result.append([name, value.lstrip(" ")])
    return result


def summarize(path):
    data = open(path, "rb").read()
    msg = email.message_from_bytes(data, policy=email.policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "text": part.get_content(),
        })
    headers = raw_headers(data)
    return {
        "path": path,
        "content_type": msg.get_content_type(),
        "headers": headers,
        "decoded": {name: str(make_header(decode_header(value.replace("\r\n", "")))) for name, value in headers},
        "parts": parts,
        "defects": [str(d) for d in msg.defects],
        "longest_line": max(len(line) for line in data.split(b"\r\n")),
        "bare_lf": data.replace(b"\r\n", b"").count(b"\n"),
    }


if __name__ == "__main__":
    print(json.dumps([summarize(p) for p in sys.argv[1:]], ensure_ascii=False))
