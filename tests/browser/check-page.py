#!/usr/bin/env python3
"""The weekly page in a real browser (Debian's headless Chromium).

Makes a ledger with troth itself (the demo story plus hostile promise texts
and notes), writes `report --format html` for one week and for four, and
checks in Chromium:
  - screenshots at 360 px and 1280 px wide, light and dark, are not blank;
  - no horizontal scroll at 360 px (scrollWidth measured by a tiny script in
    a test copy of the page — the real page runs no script);
  - print to PDF: one or two A4 pages for a week, and the text is there;
  - the DOM text holds the numbers of `report --json`; hostile text stays text;
  - no request leaves the page: every request goes to a recording proxy,
    which sees none — and a copy with an injected remote image and
    stylesheet proves both that the proxy would see one (without the page's
    Content-Security-Policy) and that the policy blocks it (with it).

Usage: check-page.py TROTH_BINARY OUT_DIR   (screenshots and PDFs stay in
OUT_DIR for people to look at). Exits non-zero on the first failure; skips
nothing.
"""

import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import zlib

TROTH = os.path.abspath(sys.argv[1])
OUT = os.path.abspath(sys.argv[2])
os.makedirs(OUT, exist_ok=True)
WORK = tempfile.mkdtemp(prefix="troth-page-")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM:
    sys.exit("FAIL: chromium is not installed (apt-get install chromium)")
if not shutil.which("pdfinfo"):
    sys.exit("FAIL: pdfinfo is not installed (apt-get install poppler-utils)")

HOSTILE_TEXT = '<script>alert("x")</script> "quotes" & \'single\' \u202eRTL\u202c 🎉'
HOSTILE_NOTE = '</p><img src=x onerror=alert(1)> \u200f\u05e9\u05dc\u05d5\u05dd "hi" 💛 <b>bold</b>'

# troth and the browser get a home of their own under WORK: the caller's
# ~/.cache, XDG dirs, TROTH_* settings, locale, session bus or display are
# not the check's (the browser would write its NSS database and font cache
# into the real home).
OWN = {k: os.environ[k] for k in ("PATH", "TMPDIR") if k in os.environ}
OWN.update(
    HOME=os.path.join(WORK, "home"),
    XDG_CONFIG_HOME=os.path.join(WORK, "home", ".config"),
    XDG_CACHE_HOME=os.path.join(WORK, "home", ".cache"),
    XDG_DATA_HOME=os.path.join(WORK, "home", ".local", "share"),
)
os.makedirs(OWN["HOME"])
ENV = dict(
    OWN,
    TZ="Europe/Berlin",
    TROTH_NOW="2026-11-23T18:00:00+01:00",
    TROTH_DB=os.path.join(WORK, "ledger", "troth.db"),
    NO_COLOR="1",
)


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def troth(*args, now=None):
    env = dict(ENV, TROTH_NOW=now) if now else ENV
    r = subprocess.run([TROTH, *args], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"troth {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r.stdout


# ---------- a ledger with a story and hostile words ----------

troth("demo", "--db", ENV["TROTH_DB"])
troth("init", "--me", "Alex", "--partner", "Sam")
THU = "2026-11-20T09:00:00+01:00"
SAT = "2026-11-21T10:00:00+01:00"
troth("promise", HOSTILE_TEXT, "--terms", "2/week", "--slug", "hostile", "--starts", "2026-11-02", "--by", "Sam", now=THU)
kept = json.loads(troth("kept", "hostile", "--at", "2026-11-17 12:00", "--note", HOSTILE_NOTE, "--json", now=THU))
broke = json.loads(troth("broke", "hostile", "--at", "2026-11-19 12:00", "--note", HOSTILE_TEXT, "--json", now=THU))
# "To talk about": Sam saw the kept one differently; Sam offers a repair.
troth("--as", "Sam", "dispute", str(kept["id"]), "--note", "I waited <i>alone</i> ‮again", now=SAT)
troth("--as", "Sam", "repair", str(broke["id"]), "--understood", "I said I'd be there & wasn't",
      "--apology", "I'm sorry <3", "--plan", "Call by 17:00", now=SAT)

week = os.path.join(OUT, "week.html")
weeks = os.path.join(OUT, "weeks.html")
troth("report", "--format", "html", "-o", week)
troth("report", "--format", "html", "--weeks", "4", "-o", weeks)
report = json.loads(troth("report", "--json"))
for f in (week, weeks):
    mode = os.stat(f).st_mode & 0o777
    if mode != 0o600:
        fail(f"{f} is {oct(mode)}, not 0600")

# ---------- the browser ----------


def chromium(*args, timeout=300):
    profile = tempfile.mkdtemp(prefix="chromium-", dir=WORK)
    cmd = [
        CHROMIUM,
        "--no-sandbox",
        "--headless=new",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--no-pings",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{PROXY_PORT}",
        "--proxy-bypass-list=<-loopback>",
        *args,
    ]
    try:
        r = subprocess.run(cmd, env=dict(OWN, LANG="C.UTF-8"), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        fail(f"chromium {' '.join(args)} did not finish in {timeout} s: {str(e.stderr or '')[-2000:]}")
    if r.returncode != 0:
        fail(f"chromium {' '.join(args)} exited {r.returncode}: {r.stderr[-2000:]}")
    return r.stdout


REQUESTS = []


# The browser's own housekeeping (update checks, clock, account probes) is not
# the page's doing; anything else that reaches the proxy is.
BROWSER_OWN = re.compile(r"^(?:https?://)?(?:[a-z0-9-]+\.)*(?:google\.com|googleapis\.com|gvt1\.com|gstatic\.com)(?::\d+)?(?:/|$)")
BROWSER_SEEN = []


class Recorder(http.server.BaseHTTPRequestHandler):
    def _seen(self):
        (BROWSER_SEEN if BROWSER_OWN.match(self.path) else REQUESTS).append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = _seen

    def log_message(self, *a):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


proxy = Server(("127.0.0.1", 0), Recorder)
PROXY_PORT = proxy.server_address[1]
threading.Thread(target=proxy.serve_forever, daemon=True).start()


def not_blank(png, what):
    """Decode the PNG's pixel rows (zlib + filter bytes): a blank page is
    nearly all zero differences once filtered; a drawn one is not."""
    data = open(png, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{what}: not a PNG")
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        n = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    busy = sum(1 for b in raw if b) / max(1, len(raw))
    if busy < 0.01:
        fail(f"{what}: the screenshot looks blank ({busy:.4f} of its bytes vary)")
    print(f"ok  {what}: {width}x{height}, {busy:.3f} of pixel bytes vary")


def copy_with(src, name, head_extra="", body_extra="", keep_csp=True):
    html = open(src, encoding="utf-8").read()
    if not keep_csp:
        html, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        if n != 1:
            fail("the page has no Content-Security-Policy meta tag")
    html = html.replace("</head>", head_extra + "</head>", 1).replace("</body>", body_extra + "</body>", 1)
    path = os.path.join(WORK, name)
    open(path, "w", encoding="utf-8").write(html)
    return path


def url(path):
    return "file://" + path


# ---------- static: nothing from elsewhere ----------

for f in (week, weeks):
    html = open(f, encoding="utf-8").read()
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    if not csp or not csp.group(1).startswith("default-src 'none'"):
        fail(f"{f}: no strict Content-Security-Policy")
    if "<script" in html.lower():
        fail(f"{f}: a <script> element made it into the page")
    for bad in ("http:", "https:", "//", "url(", "@import"):
        if bad in html:
            fail(f"{f}: contains {bad!r}")
    if re.search(r"<[^>]*\s(src|href|srcset|action|data)\s*=", html):
        fail(f"{f}: an element points somewhere (src/href/action)")
print("ok  static: CSP present, no script, no URL, no src/href")

# ---------- screenshots ----------

for f, tag in ((week, "week"), (weeks, "weeks")):
    for w, h in ((360, 2600), (1280, 1800)):
        png = os.path.join(OUT, f"{tag}-{w}.png")
        chromium(f"--screenshot={png}", f"--window-size={w},{h}", url(f))
        not_blank(png, f"{tag} at {w} px")
# Dark: the same page with the dark scheme asked for.
png = os.path.join(OUT, "week-360-dark.png")
chromium("--force-dark-mode", "--blink-settings=preferredColorScheme=0", f"--screenshot={png}", "--window-size=360,2600", url(week))
not_blank(png, "week at 360 px, dark")

# ---------- no horizontal scroll at 360 px ----------

# Headless windows are at least 500 px wide, so the page is measured inside a
# 360 px iframe (media queries there see 360 px) by a script in the wrapper.
for f, tag in ((week, "week"), (weeks, "weeks")):
    wrapper = os.path.join(WORK, f"{tag}-probe.html")
    open(wrapper, "w", encoding="utf-8").write(
        '<!DOCTYPE html><html><head><title>probe</title></head><body style="margin:0">'
        f'<iframe id="f" src="{url(f)}" style="width:360px;height:2000px;border:0"></iframe>'
        "<script>document.getElementById('f').onload=function(){"
        "var d=this.contentDocument.documentElement;"
        "document.title='SW='+d.scrollWidth+';CW='+d.clientWidth+';IW='+this.contentWindow.innerWidth;}</script>"
        "</body></html>"
    )
    dom = chromium("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "--window-size=800,2000", url(wrapper))
    m = re.search(r"<title>SW=(\d+);CW=(\d+);IW=(\d+)</title>", dom)
    if not m:
        fail(f"{tag}: the width probe did not run: {dom[:300]}")
    sw, cw, iw = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if iw != 360:
        fail(f"{tag}: the probe's frame is {iw} px wide, not 360")
    if sw > cw:
        fail(f"{tag}: scrolls sideways at 360 px (scrollWidth {sw} > clientWidth {cw})")
    print(f"ok  {tag} at 360 px: scrollWidth {sw} <= clientWidth {cw}")

wide = copy_with(week, "wide.html", body_extra='<div style="width:900px">wide</div>', keep_csp=False)
wrapper = os.path.join(WORK, "wide-probe.html")
open(wrapper, "w", encoding="utf-8").write(
    open(os.path.join(WORK, "week-probe.html"), encoding="utf-8").read().replace(url(week), url(wide))
)
dom = chromium("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom", "--window-size=800,2000", url(wrapper))
m = re.search(r"<title>SW=(\d+);CW=(\d+);IW=(\d+)</title>", dom)
if not m or int(m.group(1)) <= int(m.group(2)):
    fail("the width probe does not notice a page that is too wide")
print("ok  the width probe notices a page that is too wide")

# ---------- print ----------

for f, tag, most in ((week, "week", 2), (weeks, "weeks", 6)):
    pdf = os.path.join(OUT, f"{tag}.pdf")
    chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url(f))
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    if not (1 <= pages <= most):
        fail(f"{tag}.pdf has {pages} pages; at most {most} wanted")
    if size and abs(float(size.group(1)) - 595.0) > 2:
        fail(f"{tag}.pdf is not A4 wide: {size.group(0)}")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        if "Trust, week by week" not in text:
            fail(f"{tag}.pdf does not hold the page's text")
    print(f"ok  {tag}.pdf: {pages} A4 page(s)")

# ---------- the DOM holds the numbers; hostile text stays text ----------

dom = chromium("--dump-dom", "--window-size=1280,1800", url(week))
if "<script" in dom.lower() or "<img" in dom.lower() or "<b>bold" in dom:
    fail("hostile text became markup in the DOM")
if "To talk about" not in dom or "I waited &lt;i&gt;alone&lt;/i&gt;" not in dom or "I'm sorry &lt;3" not in dom:
    fail("the page lacks To talk about, or its words")
if len(report.get("talk", [])) < 2:
    fail(f"report --json has no talk items: {report.get('talk')}")
for needle in ("&lt;script&gt;alert", "&lt;img src=x onerror=alert(1)&gt;", "🎉", "💛", "\u202eRTL"):
    if needle not in dom:
        fail(f"the DOM lost {needle!r}")


def two(x):
    return f"{x:.2f}"


def four(x):
    return f"{x:.4f}"


for a in report["agreements"]:
    row = re.search(r"<tr>(?:(?!</tr>).)*?" + re.escape(a["slug"]) + r"(?:(?!</tr>).)*</tr>", dom, re.S)
    if not row:
        fail(f"no row for {a['slug']}")
    text = row.group(0)
    for want in (f'value="{four(a["trust"])}"', f">{two(a['trust'])}<", f"of {a['promised']} kept"):
        if want not in text:
            fail(f"{a['slug']}: {want!r} not in its row")
for p in report["people"] + [dict(report["overall"], name="Together")]:
    if f'value="{four(p["trust"])}"' not in dom or f'value="{four(p["trust_change"])}"' not in dom:
        fail(f"{p['name']}: trust {p['trust']} / change {p['trust_change']} not on the page")
for o in report["overpromising"]["agreements"]:
    if o["overpromised"] and o["suggested_terms"] and o["suggested_terms"] not in dom:
        fail(f"suggested terms {o['suggested_terms']} not on the page")
for d in report["upcoming"]:
    if d["slug"] not in dom:
        fail(f"coming up: {d['slug']} not on the page")
print("ok  the DOM holds report --json's numbers; hostile text is text")

# ---------- no request leaves the page ----------

if REQUESTS:
    fail(f"requests left the page: {REQUESTS}")
lure = '<img alt="" src="http://example.invalid/pixel.png"><link rel="stylesheet" href="http://example.invalid/s.css">'
control = copy_with(week, "control.html", head_extra=lure, keep_csp=False)
chromium("--dump-dom", url(control))
if not REQUESTS:
    fail("the recording proxy saw nothing even without the policy: the network check cannot see requests")
REQUESTS.clear()
guarded = copy_with(week, "guarded.html", head_extra=lure, keep_csp=True)
chromium("--dump-dom", url(guarded))
if REQUESTS:
    fail(f"the Content-Security-Policy let requests out: {REQUESTS}")
print("ok  no request leaves the page; the policy blocks an injected remote image and stylesheet")

proxy.shutdown()
shutil.rmtree(WORK, ignore_errors=True)
print(f"all page checks passed; screenshots and PDFs in {OUT}")
