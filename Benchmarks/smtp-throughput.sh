#!/usr/bin/env bash
# kyozon's sending rate against Postfix's smtp-sink on loopback, beside Postfix's own load
# generator (smtp-source, connections kept) and Python smtplib with 8 threads, in one run:
# 20,000 messages of about 40 KB each, concurrency 8. Prints each rate and the ratios, and
# kyozon's peak memory. Needs scripts/install-deps (postfix) and a release build.
#   Benchmarks/smtp-throughput.sh [MESSAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-20000}
size=40000
concurrency=8

swift build -c release >/dev/null
kyozon="$(swift build -c release --show-bin-path)/kyozon"
work=$(mktemp -d)
trap 'kill -9 $sink 2>/dev/null; rm -rf "$work"' EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=(); [ "$(id -u)" = 0 ] && user=(-u nobody)
/usr/sbin/smtp-sink "${user[@]}" -c 127.0.0.1:$port 1000 >/dev/null &
sink=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done

seconds() { date +%s.%N; }
rate() { /usr/bin/python3 -c "print('%.0f' % ($1 / ($3 - $2)))"; }

start=$(seconds); /usr/sbin/smtp-source -d -s $concurrency -m $messages -l $size 127.0.0.1:$port; end=$(seconds)
source_rate=$(rate $messages $start $end)

smtplib_rate=$(/usr/bin/python3 Benchmarks/smtp/smtplib_load.py 127.0.0.1 $port $messages $concurrency $size)

# kyozon: $messages subscribers, an issue of about 40 KB per message, the ledger durable.
export KYOZON_DATA_DIR="$work/data" KYOZON_NOW=2026-12-01T09:00:00+09:00
mkdir -p "$KYOZON_DATA_DIR"
cat > "$KYOZON_DATA_DIR/kyozon.toml" <<TOML
[smtp]
url = "smtp://127.0.0.1:$port"
tls = "off"
[sender]
verp = true
[send]
connections = $concurrency
batch_size = ${KYOZON_BENCH_BATCH:-32}
TOML
/usr/bin/python3 - "$work" "$messages" <<'PY'
import json, sys
work, n = sys.argv[1], int(sys.argv[2])
with open(work + "/subscribers.csv", "w") as f:
    f.write("email,name,organization,prefecture,lists\n")
    for i in range(n):
        f.write("r%d@bench%d.example,職員 %d,東京事務所,%d,kyoei\n" % (i, i % 50, i, i % 47 + 1))
items = []
for i in range(11):
    items.append({"title": "ベンチマークの催し %d" % i, "category": ["event", "campaign", "product", "tourism"][i % 4],
                  "prefecture": "%02d" % (i % 47 + 1), "starts_on": "2026-12-%02d" % (10 + i % 18),
                  "summary": "各地の魅力をお届けする催しです。" * 14, "url": "https://example.jp/bench/%d" % i,
                  "venue": "東京交通会館", "contact": "東京事務所 03-0000-0000",
                  "submitted_at": "2026-11-15T10:00:00+09:00", "submitted_by": "office %d" % i})
json.dump(items, open(work + "/items.json", "w"), ensure_ascii=False)
PY
"$kyozon" lists sync >/dev/null
"$kyozon" subscribers import "$work/subscribers.csv" >/dev/null
"$kyozon" collect "$work/items.json" >/dev/null
"$kyozon" compose --month 2026-11 --out "$work/preview" >/dev/null
bytes=$(wc -c < "$work/preview/sample.eml")
"$kyozon" issue approve --month 2026-11 --list kyoei > /dev/null
start=$(seconds)
/usr/bin/time -v "$kyozon" send --month 2026-11 > "$work/send.log" 2> "$work/time.log" || true
end=$(seconds)
kyozon_rate=$(rate $messages $start $end)
peak=$(awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$work/time.log")
sent=$(grep -o "This run: [0-9]* sent" "$work/send.log" | grep -o "[0-9]*")

cat <<REPORT
messages: $messages at concurrency $concurrency; kyozon message size $bytes bytes (smtp-source/smtplib: $size)
smtp-source -d -s $concurrency   $source_rate msg/s
python smtplib, $concurrency threads $smtplib_rate msg/s
kyozon send                      $kyozon_rate msg/s ($sent sent, ledger durable), peak memory $peak MB
ratios: kyozon / smtp-source = $(/usr/bin/python3 -c "print('%.2f' % ($kyozon_rate / $source_rate))"), kyozon / smtplib = $(/usr/bin/python3 -c "print('%.2f' % ($kyozon_rate / $smtplib_rate))")
REPORT
