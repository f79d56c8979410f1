#!/usr/bin/env python3
"""Poller load test: N feeds on a local server (127.0.0.1 only), most answering 304, polled by a
real `sitrep run`; reports sitrep's CPU share and resident memory.

    cargo build --release
    python3 scripts/load_poller.py --feeds 2000 --interval 60s --seconds 180
    python3 scripts/load_poller.py --feeds 10000 --interval 300s --seconds 600
    python3 scripts/load_poller.py --feeds 0 --channels 500 --interval 60s --seconds 240

With --channels, that many Telegram channel previews (`/s/chanNNNN`, kind = "telegram_channel")
are served too: each a page of 20 rich posts (about 100 KB, like a busy news channel's) that gains
one new post a minute, so every poll downloads and parses a full page and hands one post on.

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

counts = {"200": 0, "304": 0, "preview": 0}

MESSAGE = """<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{chan}/{id}" data-view="eyJjIjotMTAwMTIzNDU2Nzg5MCwicCI6MTIzNCwidCI6MTcwMDAwMDAwMCwiaCI6ImFiY2RlZiJ9"><div class="tgme_widget_message_user"><a href="https://t.me/{chan}"><i class="tgme_widget_message_user_photo bgcolor1" data-content="S"><img src="https://cdn4.telesco.pe/file/avatar.jpg"></i></a></div><div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"><svg class="bubble_icon" width="11px" height="20px" viewBox="0 0 11 20"><g fill="none" fill-rule="evenodd"><path d="M6,17.5 L6,0 L0,0 C3.5,0 6,2.5 6,6 L6,17.5 C6,19 7.5,20 11,20 C7,20 6,19 6,17.5 Z" fill="white"></path></g></svg></i><div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{chan}"><span dir="auto">Load channel</span></a></div><a class="tgme_widget_message_photo_wrap" href="https://t.me/{chan}/{id}" style="width:800px;background-image:url('https://cdn4.telesco.pe/file/photo{id}.jpg')"><div class="tgme_widget_message_photo" style="padding-top:56.25%"></div></a><a class="tgme_widget_message_reply" href="https://t.me/{chan}/{id}"><div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">Load channel</span></div><div class="tgme_widget_message_metatext js-message_reply_text" dir="auto">Rappel: le bulletin précédent sur les marchés, la météo et la santé dans la région, avec les prix relevés par nos correspondants dans les principaux marchés hebdomadaires et les prévisions de pluie pour les trois prochains jours selon les services météorologiques nationaux, ainsi que les numéros utiles des centres de santé de district et des services techniques de l'agriculture pour les producteurs qui souhaitent obtenir des semences améliorées ou des engrais subventionnés avant le début des semis.</div></a><div class="tgme_widget_message_text js-message_text" dir="auto"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F94B4.png')"><b>&#x1F534;</b></i><b>Bulletin {id}</b><br/><br/>Les prix du mil et du sorgho sont restés stables cette semaine sur les marchés de la région, selon les commerçants joints par téléphone. La saison des pluies s'annonce normale et les semis ont commencé dans plusieurs localités. Les autorités appellent les producteurs à se rapprocher des services techniques pour les semences améliorées.<br/><br/>Dans les centres de santé, les agents signalent une hausse des cas de paludisme avec l'arrivée des pluies, et une campagne de distribution de moustiquaires est prévue dans les prochains jours. Les écoles préparent les examens de fin d'année, dont le calendrier a été confirmé par le ministère. Sur les routes, la circulation reste difficile entre plusieurs chefs-lieux à cause de l'état des ponts, et les transporteurs demandent des travaux avant le plein de la saison.<br/><br/><a href="https://news.example/marches-{id}">news.example/marches-{id}</a><br/><a href="?q=%23Marches">#Marches</a></div><a class="tgme_widget_message_link_preview" href="https://news.example/marches-{id}"><i class="link_preview_right_image" style="background-image:url('https://cdn4.telesco.pe/file/preview{id}.jpg')"></i><div class="link_preview_site_name accent_color" dir="auto">News example</div><div class="link_preview_title" dir="auto">A linked article about the region, its title as the site gives it</div><div class="link_preview_description" dir="auto">The first lines of the linked article as the site describes them to link previews, cut after about two hundred characters so that the preview stays short on a phone screen</div></a><div class="tgme_widget_message_reactions"><span class="tgme_reaction"><i class="emoji"><b>&#x1F44D;</b></i>124</span><span class="tgme_reaction"><i class="emoji"><b>&#x1F64F;</b></i>45</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F98A2.png')"><b>&#x1F622;</b></i>31</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F9894.png')"><b>&#x1F614;</b></i>12</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/E29DA4.png')"><b>&#x2764;</b></i>9</span><span class="tgme_reaction"><i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F9189.png')"><b>&#x1F449;</b></i>4</span></div><div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">12.4K</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/{chan}/{id}"><time datetime="{when}" class="time">07:15</time></a></span></div></div></div></div></div>"""

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Load channel - Telegram</title></head><body class="widget_frame_base tgme_webpreview emoji_image"><main class="tgme_main"><div class="tgme_container"><section class="tgme_channel_history js-message_history">{posts}</section></div></main><div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">Load channel</span></div></div></body></html>"""


def preview(chan):
    """The channel's latest 20 posts; a new one every minute."""
    newest = 1000 + int(time.time() // 60)
    when = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    posts = "".join(MESSAGE.format(chan=chan, id=i, when=when) for i in range(newest - 19, newest + 1))
    return PAGE.format(posts=posts).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.startswith("/s/"):
            counts["preview"] += 1
            body = preview(self.path[3:].split("?")[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
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
    ap.add_argument("--channels", type=int, default=0)
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
        for i in range(args.channels):
            f.write(f'[[source]]\nname = "chan{i}"\nkind = "telegram_channel"\nurl = "http://127.0.0.1:{port}/s/chan{i:04}"\ninterval = "{args.interval}"\n\n')

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
    print(f"feeds {args.feeds}, channels {args.channels}, interval {args.interval}, measured {t1 - t0:.0f} s after {warmup} s warm-up")
    print(f"requests: {counts['200']} x 200, {counts['304']} x 304, {counts['preview']} channel previews")
    print(f"sitrep CPU: {share * 100:.1f}% of one core; resident memory {rss:.0f} MiB; exit code {code}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
