#!/usr/bin/python3
"""Python smtplib with N threads, each keeping its connection: the comparison load for kyozon.
usage: smtplib_load.py HOST PORT MESSAGES THREADS SIZE"""
import smtplib
import sys
import threading
import time

host, port, total, threads, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
body = ("From: a@bench.example\r\nTo: b@bench.example\r\nSubject: load\r\n\r\n" + ("x" * 74 + "\r\n") * (size // 76)).encode()
counter = iter(range(total))
lock = threading.Lock()


def worker():
    smtp = smtplib.SMTP(host, port)
    smtp.ehlo("bench.example")
    while True:
        with lock:
            n = next(counter, None)
        if n is None:
            break
        smtp.sendmail("bounces@bench.example", ["r%d@bench.example" % n], body)
    smtp.quit()


start = time.monotonic()
workers = [threading.Thread(target=worker) for _ in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("%.1f" % (total / (time.monotonic() - start)))
