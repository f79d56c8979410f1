#!/usr/bin/env python3
"""A month of uptime, compressed: the real release daemon for 10 minutes against 200 local feeds
that keep publishing, and a fake Telegram Bot API (127.0.0.1 only; the fake of load_latency.py,
extended to count alerts per incident).

    cargo build --release
    python3 scripts/soak.py                    # 10 minutes, 200 feeds
    python3 scripts/soak.py --minutes 2 --feeds 50
    python3 scripts/soak.py --minutes 30 --every 0.1 --cache-mb 8   # accelerated, a small page cache

The feeds, each polled every 10 s (sitrep's shortest interval):
- new reports: an attack on a town of Mali, Burkina Faso or Niger, dated so that each makes an
  incident of its own and an alert (reports less than 12 days apart name towns 60 km apart or
  more);
- updates: a follow-up report of an earlier attack on another feed (a higher toll), merged into
  its incident and edited in place;
- 304s: every feed answers conditional requests (ETag, Last-Modified) with 304 when unchanged;
- errors: one feed in 20 answers 500 a third of the time; one in 50 sends broken XML now and then.

Every minute it prints the daemon's resident memory (RSS, and its anonymous part: the heap, not
the mapped binary), open file descriptors, store size on disk, and what was published and alerted.
sled's page cache (`[store] cache_mb`, 64 MiB by default) holds the whole store until the store
outgrows it, so memory rises with the store until then: `--cache-mb` with a small cache and
`--every` with a faster publisher reach that point within a short run. At the end it prints how
fast RSS still grew over the run's second half (MiB per minute): a plateau is about 0. At the end it stops publishing, waits for the outbox
to drain, stops the daemon with SIGTERM and compares the stored incidents with the alerts the
fake accepted: lost (stored, never alerted) and duplicated (more than one new message).
"""
import argparse
import csv
import email.utils
import hashlib
import http.server
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from urllib.request import urlopen

lock = threading.Lock()
feeds = {}  # feed index -> list of (guid, xml item), newest last
published = {"new": 0, "update": 0}
polls = {"200": 0, "304": 0, "error": 0}
new_alerts = {}  # incident id -> new messages accepted
edits = [0]
ID = re.compile(r"\b[A-Z]{2}-\d{8}-[a-z0-9-]+")


def item_xml(guid, title, text, pub):
    return (
        f"<item><title>{title}</title><link>https://soak.example/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>{pub}</pubDate><description>{text}</description></item>"
    )


def feed_body(i):
    with lock:
        shown = list(feeds.get(i, []))[-20:]
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>soak</title>']
    out += [x for _, x in reversed(shown)]
    out.append("</channel></rss>")
    return "".join(out).encode()


class Feed(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        m = re.match(r"/feed/(\d+)\.xml", self.path)
        i = int(m.group(1)) if m else -1
        rng = random.random()
        if i % 20 == 0 and rng < 0.33:
            with lock:
                polls["error"] += 1
            return self.answer(500, b"oops", "text/plain")
        body = feed_body(i)
        if i % 50 == 1 and rng < 0.2:
            with lock:
                polls["error"] += 1
            return self.answer(200, body[: len(body) // 2], "application/rss+xml")
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            with lock:
                polls["304"] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with lock:
            polls["200"] += 1
        self.answer(200, body, "application/rss+xml", etag)

    def answer(self, code, body, ctype, etag=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Telegram(http.server.BaseHTTPRequestHandler):
    """load_latency.py's fake Bot API, counting new messages per incident id."""

    protocol_version = "HTTP/1.1"
    next_id = 1

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.headers.get("Content-Type", "").startswith("multipart/form-data"):
            body = {}
            for name, value in re.findall(rb'name="([^"]+)"\r\n\r\n(.*?)\r\n--', raw, re.S):
                body[name.decode()] = value.decode("utf-8", "replace")
            body["text"] = body.get("caption", "")
        else:
            body = json.loads(raw or b"{}")
        method = self.path.rsplit("/", 1)[-1].lower()
        text = body.get("text", "")
        if method == "getupdates":
            time.sleep(5)
            result = []
        elif method in ("sendmessage", "sendphoto"):
            with lock:
                for iid in set(ID.findall(text)):
                    new_alerts[iid] = new_alerts.get(iid, 0) + 1
                Telegram.next_id += 1
                mid = Telegram.next_id
            result = {"message_id": mid, "date": int(time.time()), "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}, "text": text}
        elif method in ("editmessagetext", "editmessagecaption", "editmessagemedia"):
            with lock:
                edits[0] += 1
            result = {"message_id": int(body.get("message_id", 0)), "date": int(time.time()), "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}, "text": text}
        else:
            result = True
        out = json.dumps({"ok": True, "result": result}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a long poll the daemon dropped at shutdown

    def log_message(self, *args):
        pass


def serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def towns(n):
    """As load_latency.py: populous towns of ML, BF and NE with a name no other place shares,
    leaving out those the gazetteer flags as common words or person names ("Tô" reads as "to"):
    a report of one is a country-level report, kept but not alerted when it fits two incidents,
    which the count of lost alerts would take for a lost alert. Each with its coordinates."""
    names = {}
    rows = []
    with open("data/gazetteer.tsv", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            names[r["name"]] = names.get(r["name"], 0) + 1
            flags = r["flags"].split(",")
            if (r["country"] in ("ML", "BF", "NE") and r["kind"] == "town" and r["admin1"]
                    and "common_word" not in flags and "person_name" not in flags):
                rows.append(r)
    rows = [r for r in rows if names[r["name"]] == 1 and " " not in r["name"]]
    rows.sort(key=lambda r: -int(r["population"] or 0))
    country = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}
    return [(r["name"], country[r["country"]], r["admin1"], float(r["lat"]), float(r["lon"]))
            for r in rows[:n]]


def km(a, b):
    """Great-circle distance between two (lat, lon) in km."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


# Two new reports are two incidents only if sitrep's matcher cannot take them for one: attacks
# on towns a few tens of km apart within a few days are one incident to it (MATCH_RADIUS_KM 25,
# DISTRICT_RADIUS_KM 40, MAX_SPAN_DAYS 5, a day or three of slack, and the 2 days before
# publication an undated report may be of). With one attack a week on each of 400 towns, about
# half of the new reports had joined the incident of a nearby town.
SPACING_KM = 60
WINDOW_DAYS = 12
CELL_DEG = 0.6  # a grid cell is wider than SPACING_KM: only the 9 cells around a town are read


def schedule(places):
    """Endless (place, day) for the new reports: any two reports less than WINDOW_DAYS apart
    name towns at least SPACING_KM apart, so that each report is an incident of its own."""
    recent = {}  # grid cell -> [(day, place index)] of the last WINDOW_DAYS days
    cell = [(int(p[3] // CELL_DEG), int(p[4] // CELL_DEG)) for p in places]
    day = 0
    while True:
        picked = []
        for i, p in enumerate(places):
            (cy, cx) = cell[i]
            near = (j for dy in (-1, 0, 1) for dx in (-1, 0, 1)
                    for d, j in recent.get((cy + dy, cx + dx), ()) if day - d < WINDOW_DAYS)
            if all(km(p[3:], places[j][3:]) >= SPACING_KM for j in near):
                recent.setdefault(cell[i], []).append((day, i))
                picked.append(i)
        for c in recent:
            recent[c] = [(d, j) for d, j in recent[c] if day + 1 - d < WINDOW_DAYS]
        for i in picked:
            yield places[i], day
        day += 1


def planned(places, count):
    """The schedule, and the first day's midnight (epoch seconds) such that about `count`
    reports end before today (measured on the first 2,000): every event lies in the past, as
    sitrep dates no event after its publication."""
    sample = schedule(places)
    days = [day for _, day in (next(sample) for _ in range(2000))]
    per_day = 2000 / (days[-1] + 1)
    today = int(time.time()) // 86400 * 86400
    return schedule(places), today - (int(count / per_day * 1.1) + 2) * 86400


def publisher(n_feeds, every, stop, places, count):
    """New reports and follow-ups, at random feeds, about every `every` seconds."""
    rng = random.Random(17)
    plan, base = planned(places, count)
    k = 0
    done = []  # (town, country, region, pub, killed) published
    while not stop.is_set():
        feed = rng.randrange(n_feeds)
        if done and rng.random() < 0.25:
            town, country, region, pub, killed = rng.choice(done)
            killed += rng.randint(1, 9)
            guid = f"soak-up-{k}"
            title = f"Toll rises to {killed} after attack on {town}"
            text = (f"The toll of the attack on {town} in {country}'s {region} region rose to "
                    f"{killed} dead, local officials said.")
            kind = "update"
        else:
            (town, country, region, _, _), day = next(plan)
            pub = email.utils.formatdate(base + day * 86400 + 15 * 3600, usegmt=True)
            killed = 5 + k % 30
            guid = f"soak-{k}"
            title = f"Gunmen kill {killed} civilians in attack on {town}"
            text = (f"Gunmen killed {killed} civilians in an attack on {town} in {country}'s {region} "
                    f"region, local officials said.")
            done.append((town, country, region, pub, killed))
            kind = "new"
        k += 1
        with lock:
            feeds.setdefault(feed, []).append((guid, item_xml(guid, title, text, pub)))
            published[kind] += 1
        time.sleep(rng.expovariate(1 / every))


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_blocks * 512
            except OSError:
                pass
    return total


def sample(pid, store, port):
    rss = anon = threads = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("RssAnon:"):
                anon = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    try:
        health = json.loads(urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read())
    except Exception as e:  # a 503 is an answer too
        health = json.loads(e.read()) if hasattr(e, "read") else {}
    return rss, anon, fds, threads, du(store) / 1_048_576, health.get("outbox", -1), health.get("status", "?")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--quiet-minutes", type=int, default=0,
                    help="then this many minutes of polling with nothing new published: the store "
                         "stops growing, so memory that grows with uptime, not with the store, shows")
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--every", type=float, default=0.5, help="mean seconds between publications")
    ap.add_argument("--binary", default="target/release/sitrep")
    ap.add_argument("--cache-mb", type=int, help="[store] cache_mb (sitrep's default when absent)")
    args = ap.parse_args()

    feed = serve(Feed)
    tg = serve(Telegram)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.mkdtemp(prefix="sitrep-soak-")
    store = f"{tmp}/data"
    config = os.path.join(tmp, "sitrep.toml")
    with open(config, "w") as f:
        f.write(
            f'[store]\npath = "{store}"\n'
            + (f"cache_mb = {args.cache_mb}\n" if args.cache_mb is not None else "")
            + f'[pipeline]\nmax_article_age = "1000000h"\n'
            f'[http]\nlisten = "127.0.0.1:{port}"\n[alerts]\nmaps = false\n'
            f'[telegram]\ntoken_env = "SITREP_SOAK_TOKEN"\napi_url = "http://127.0.0.1:{tg.server_port}"\n'
            f'chat_interval = "50ms"\n'
            f'[[subscription]]\ntarget = "telegram:4242"\ncountries = ["ML", "BF", "NE"]\n'
            f'min_severity = "low"\nmin_verification = "rumour"\n'
        )
        for i in range(args.feeds):
            f.write(f'[[source]]\nname = "soak{i}"\nurl = "http://127.0.0.1:{feed.server_port}/feed/{i}.xml"\ninterval = "10s"\n')
    env = dict(os.environ, SITREP_SOAK_TOKEN="1:soak-test", SITREP_LOG="warn")
    log = open(os.path.join(tmp, "sitrep.log"), "w")
    proc = subprocess.Popen([args.binary, "run", "--config", config], env=env, stderr=log)
    stop = threading.Event()
    threading.Thread(target=publisher, args=(args.feeds, args.every, stop, towns(1600), int(args.minutes * 60 / args.every * 0.8) + 100), daemon=True).start()

    print("min  rss_MiB  anon_MiB  fds  thr  store_MiB  outbox  status  published(new/upd)  polls(200/304/err)  new_alerts  edits", flush=True)
    start = time.monotonic()
    minute = 0
    curve = []  # RSS each minute
    heap = []  # its anonymous part
    while minute < args.minutes + args.quiet_minutes:
        time.sleep(max(0, start + (minute + 1) * 60 - time.monotonic()))
        minute += 1
        rss, anon, fds, threads, size, outbox, status = sample(proc.pid, store, port)
        curve.append(rss)
        heap.append(anon)
        with lock:
            print(f"{minute:3d}  {rss:7.1f}  {anon:8.1f}  {fds:3d}  {threads:3d}  {size:9.1f}  {outbox:6d}  {status:6s}  "
                  f"{published['new']:6d}/{published['update']:<6d}      "
                  f"{polls['200']:6d}/{polls['304']:6d}/{polls['error']:<5d}  {len(new_alerts):10d}  {edits[0]:5d}", flush=True)
        if minute >= args.minutes:
            stop.set()  # then quiet: the feeds still answer (304s, errors), nothing new
    stop.set()
    # The last items are polled (10 s), run through and delivered.
    deadline = time.monotonic() + 120
    time.sleep(15)
    while time.monotonic() < deadline:
        outbox = sample(proc.pid, store, port)[5]
        if outbox == 0:
            break
        time.sleep(2)
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    log.close()
    out = subprocess.run([args.binary, "incidents", "--db", store, "--days", "100000", "--format", "json"],
                         capture_output=True, text=True)
    if out.returncode != 0:  # no list of incidents: no count of lost alerts either
        sys.exit(f"sitrep incidents failed: {out.stderr.strip()} (store and log kept in {tmp})")
    try:
        stored = [i["id"] for i in json.loads(out.stdout)]
    except (json.JSONDecodeError, TypeError, KeyError):
        stored = ID.findall(out.stdout)
    with lock:
        lost = [i for i in stored if i not in new_alerts]
        duplicated = {i: n for i, n in new_alerts.items() if n > 1}
    errors = sum(1 for line in open(os.path.join(tmp, "sitrep.log")) if "ERROR" in line)
    print(f"exit code {code}; published {published['new']} new reports and {published['update']} follow-ups; "
          f"{len(stored)} incidents stored; {len(new_alerts)} alerted; {edits[0]} edits; "
          f"store {du(store) / 1_048_576:.1f} MiB; ERROR lines in the log: {errors}")
    def growth(what, values, minutes):
        if len(values) >= 2:
            print(f"{what}: RSS {(values[-1][0] - values[0][0]) / minutes:+.2f} MiB/min "
                  f"({values[0][0]:.1f} -> {values[-1][0]:.1f}), anonymous "
                  f"{(values[-1][1] - values[0][1]) / minutes:+.2f} MiB/min ({values[0][1]:.1f} -> {values[-1][1]:.1f})")
    both = list(zip(curve, heap))
    busy = both[:len(both) - args.quiet_minutes]
    if args.quiet_minutes:
        growth(f"growth over the {args.quiet_minutes} quiet minutes", both[len(busy) - 1:], args.quiet_minutes)
    half = busy[len(busy) // 2:]
    growth("growth over the second half of publishing", half, max(1, len(half) - 1))
    print(f"peak RSS {max(curve):.1f} MiB")
    print(f"alerts lost: {len(lost)} {lost[:10]}")
    print(f"alerts duplicated: {len(duplicated)} {list(duplicated.items())[:10]}")
    print(f"(store and log kept in {tmp})")
    sys.exit(0 if code == 0 and not lost and not duplicated else 1)


if __name__ == "__main__":
    main()
