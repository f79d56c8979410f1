#!/usr/bin/env python3
"""End-to-end alert latency: items appear one by one on a local feed, a real `sitrep run` polls it
every 10 s, and a fake Telegram Bot API (127.0.0.1 only) records when each alert is accepted.

    cargo build --release
    python3 scripts/load_latency.py --items 100 --every 5

Each item is a short report of an attack on a different town of Mali, Burkina Faso or Niger (the
most populous towns of the bundled gazetteer), so that each makes one new incident and one alert.
Two latencies are reported per item, as median and 95th percentile:

- from the item appearing on the feed server to the alert accepted by the fake platform (what a
  subscriber waits; includes waiting for the next poll, 0-10 s with a 10 s interval);
- from the poll that first returned the item to the alert accepted (what sitrep itself adds).

It also prints sitrep's own `sitrep_alert_latency_seconds` histogram from /metrics.
"""
import argparse
import csv
import email.utils
import http.server
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

lock = threading.Lock()
items = []  # (guid, town, pubdate, appeared_at)
polls = []  # times the feed was fetched, with the number of items it held
accepted = {}  # town -> time the alert was accepted


def feed_xml():
    with lock:
        shown = list(items)
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>load</title>']
    for i, (guid, town, country, region, pub, _) in reversed(list(enumerate(shown))[-50:]):
        killed = 5 + i % 40
        out.append(
            f"<item><title>Gunmen kill {killed} civilians in attack on {town}</title>"
            f"<link>https://latency.example/{guid}</link><guid>{guid}</guid><pubDate>{pub}</pubDate>"
            f"<description>Gunmen killed {killed} civilians in an attack on {town} in {country}'s {region} region "
            f"on Monday, local officials said.</description></item>"
        )
    out.append("</channel></rss>")
    return "".join(out).encode()


class Feed(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = feed_xml()
        with lock:
            polls.append((time.monotonic(), len(items)))
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Telegram(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    next_id = 1

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.headers.get("Content-Type", "").startswith("multipart/form-data"):
            # sendPhoto and editMessageMedia (alerts carry their map): the text fields of the form.
            body = {}
            for name, value in re.findall(rb'name="([^"]+)"\r\n\r\n(.*?)\r\n--', raw, re.S):
                body[name.decode()] = value.decode("utf-8", "replace")
            body["text"] = body.get("caption", "")
        else:
            body = json.loads(raw or b"{}")
        method = self.path.rsplit("/", 1)[-1].lower()
        if method == "getupdates":
            time.sleep(5)
            result = []
        elif method in ("sendmessage", "sendphoto"):
            now = time.monotonic()
            text = body.get("text", "")
            with lock:
                for _, town, *_ in items:
                    if f" {town}," in text and town not in accepted:
                        accepted[town] = now
                Telegram.next_id += 1
                mid = Telegram.next_id
            result = {"message_id": mid, "date": int(time.time()), "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}, "text": text}
        elif method in ("editmessagetext", "editmessagecaption", "editmessagemedia"):
            result = {"message_id": int(body.get("message_id", 0)), "date": int(time.time()), "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}, "text": body.get("text", "")}
        else:
            result = True
        out = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


def serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def towns(n):
    """The n most populous towns of ML, BF and NE with a name no other place shares."""
    names = {}
    rows = []
    with open("data/gazetteer.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            names[r["name"]] = names.get(r["name"], 0) + 1
            if r["country"] in ("ML", "BF", "NE") and r["kind"] == "town" and r["admin1"]:
                rows.append(r)
    rows = [r for r in rows if names[r["name"]] == 1 and " " not in r["name"]]
    rows.sort(key=lambda r: -int(r["population"] or 0))
    country = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}
    return [(r["name"], country[r["country"]], r["admin1"]) for r in rows[:n]]


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--every", type=float, default=5.0, help="mean seconds between new items")
    ap.add_argument("--binary", default="target/release/sitrep")
    args = ap.parse_args()

    feed = serve(Feed)
    tg = serve(Telegram)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.mkdtemp(prefix="sitrep-latency-")
    config = os.path.join(tmp, "sitrep.toml")
    with open(config, "w") as f:
        f.write(
            f'[store]\npath = "{tmp}/data"\n[pipeline]\nmax_article_age = "100000h"\n'
            f'[http]\nlisten = "127.0.0.1:{port}"\n'
            f'[[source]]\nname = "latency"\nurl = "http://127.0.0.1:{feed.server_port}/feed.xml"\ninterval = "10s"\n'
            f'[telegram]\ntoken_env = "SITREP_LOAD_TOKEN"\napi_url = "http://127.0.0.1:{tg.server_port}"\n'
            f'[[subscription]]\ntarget = "telegram:4242"\ncountries = ["ML", "BF", "NE"]\nmin_severity = "low"\n'
        )
    env = dict(os.environ, SITREP_LOAD_TOKEN="1:load-test", SITREP_LOG="warn")
    proc = subprocess.Popen([args.binary, "run", "--config", config], env=env)
    time.sleep(12)  # the first poll of the empty feed

    chosen = towns(args.items)
    rng = random.Random(7)
    for i, (town, country, region) in enumerate(chosen):
        pub = email.utils.formatdate(time.time(), usegmt=True)
        with lock:
            items.append((f"latency-{i}", town, country, region, pub, time.monotonic()))
        time.sleep(rng.expovariate(1 / args.every))
    time.sleep(25)

    from urllib.request import urlopen

    metrics = urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)

    from_appearance, from_poll, missing = [], [], []
    with lock:
        for idx, (_, town, _, _, _, appeared) in enumerate(items):
            if town not in accepted:
                missing.append(town)
                continue
            # The first poll that returned this item: the first one after it was added.
            seen = next(t for t, n in polls if n > idx)
            from_appearance.append(accepted[town] - appeared)
            from_poll.append(accepted[town] - seen)
    # An item with no alert of its own was read as another place, or merged into a neighbour's
    # incident (same day, same kind, nearby): listed, not timed.
    print(f"items: {len(items)}, alerts accepted: {len(from_appearance)}, no alert of their own: {len(missing)} {missing[:10]}")
    if from_appearance:
        for name, v in (("feed -> platform", from_appearance), ("poll -> platform", from_poll)):
            print(f"{name}: median {statistics.median(v):.3f} s, p95 {percentile(v, 95):.3f} s, max {max(v):.3f} s")
    for line in metrics.splitlines():
        if line.startswith("sitrep_alert_latency_seconds"):
            print(line)
    sys.exit(0 if from_appearance else 1)


if __name__ == "__main__":
    main()
