#!/usr/bin/env python3
"""Poller load test: N feeds on a local server (127.0.0.1 only), most answering 304, polled by a
real `sitrep run`; reports sitrep's CPU share and resident memory.

    cargo build --release
    python3 scripts/load_poller.py --feeds 2000 --interval 60s --seconds 180
    python3 scripts/load_poller.py --feeds 10000 --interval 300s --seconds 600

The server answers each feed once with 200 (a small RSS document and an ETag), then 304 to every
conditional request, so after the first cycle the steady state is the cost of scheduling and of
conditional GETs. CPU share = (user + system CPU time of the sitrep process over the measured
window) / wall time, measured after the first full cycle; memory = VmRSS at the end.
"""
import argparse
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>load {n}</title>
<item><title>Item {n}</title><link>https://load.example/{n}</link><guid>load-{n}</guid>
<pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate><description>Weather and markets, no incident.</description></item>
</channel></rss>"""

counts = {"200": 0, "304": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        n = self.path.rsplit("/", 1)[-1]
        if self.headers.get("If-None-Match") == '"v1"':
            counts["304"] += 1
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        counts["200"] += 1
        body = FEED.format(n=n).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--interval", default="60s")
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--binary", default="target/release/sitrep")
    args = ap.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    work = tempfile.mkdtemp(prefix="sitrep-load-")
    config = os.path.join(work, "sitrep.toml")
    with open(config, "w") as f:
        f.write(f'[store]\npath = "{work}/data"\n\n[http]\nlisten = "127.0.0.1:0"\n\n')
        for i in range(args.feeds):
            f.write(f'[[source]]\nname = "feed{i}"\nurl = "http://127.0.0.1:{port}/feed/{i}"\ninterval = "{args.interval}"\n\n')

    proc = subprocess.Popen([args.binary, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    interval = int(args.interval.rstrip("s"))
    warmup = min(interval + 10, args.seconds // 2)
    time.sleep(warmup)
    cpu0, t0 = cpu_seconds(proc.pid), time.time()
    time.sleep(args.seconds - warmup)
    cpu1, t1 = cpu_seconds(proc.pid), time.time()
    rss = rss_mib(proc.pid)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    share = (cpu1 - cpu0) / (t1 - t0)
    print(f"feeds {args.feeds}, interval {args.interval}, measured {t1 - t0:.0f} s after {warmup} s warm-up")
    print(f"requests: {counts['200']} x 200, {counts['304']} x 304")
    print(f"sitrep CPU: {share * 100:.1f}% of one core; resident memory {rss:.0f} MiB; exit code {code}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
