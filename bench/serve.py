#!/usr/bin/env python3
"""Save to served in `sitegen serve`: how long each kind of edit takes to reach the page.

    python3 bench/serve.py [N] [--edits 20] [--kinds body,title,...] [--bin PATH]
                           [--corpus DIR] [--out FILE] [--no-write]

Generates (or reuses) the corpus of bench/gen.py with N articles (default 10,000),
copies it into $WORK/serve-site-N (WORK defaults to /tmp/sitegen-bench), adds what the
edits need (below), starts `sitegen serve --port 0` on the copy, waits for its first
build, then for each kind of edit saves EDITS edits one at a time. Each edit's time runs
from the moment the edited file is written and closed to the moment an HTTP GET of the
affected page returns a body holding the new text (the page is polled over one
keep-alive connection, as a browser fetches it after its reload event). Prints a
Markdown table (kind, median, p90, max, and when every page was fresh again) and
writes it into bench/results-serve.md (--no-write: print only).

The kinds, each edit a new value (edit k writes a value no earlier edit wrote):

- body: a sentence in the body of article 100 -> that article's page;
- title: the title of article 200 -> the index (and the article's page, timed too);
- tags: the third tag of article 300, alternating between two tags it does not
  have -> the tag page of the new tag, until it lists the article;
- data-one: the value of `serve.solo.figure`, cited by article 42 alone as
  `[](cite:serve.solo.figure)` (an empty citation prints the dataset's value, so
  every value keeps the site valid) -> article 42;
- data-all: the value of `serve.every.figure`, cited the same way by every article
  -> one article picked at random for each edit;
- template: a `<meta name="serve-bench">` line in templates/base.html (a copy of
  the built-in one) -> one article picked at random.

For the kinds that stale many pages, the server finishes the other pages after
serving the requested one; the "all fresh" column is when `/__sitegen/status`
says no page is left to render (`"pending": 0`). A server without that field
renders every page before it serves any: then "all fresh" is the page's own time.

Only the Python 3 standard library is used. The site copy is rewritten on every run;
the card cache goes to $WORK/serve-cache (the first run draws every social card once).
"""

import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
KINDS = ["body", "title", "tags", "data-one", "data-all", "template"]
TIMEOUT = 120.0  # seconds an edit may take before the run gives up on it
SOLO, TITLED, TAGGED, BODY = 42, 200, 300, 100
SERVE_YAML = """# Figures the serve benchmark (bench/serve.py) edits.
solo:
  name: Solo entry
  figure: { value: 300, unit: W, source: bench-source, as_of: 2026-01-15 }
every:
  name: Shared entry
  figure: { value: 600, unit: W, source: bench-source, as_of: 2026-01-15 }
"""


def die(msg):
    sys.stderr.write(f"serve.py: {msg}\n")
    sys.exit(1)


def article_path(site, i):
    return os.path.join(site, "content", f"article-{i:05d}.md")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def prepare(corpus, site, n, binary):
    """Copies the corpus and adds the figures, citations, marker and template the edits use."""
    if os.path.exists(site):
        shutil.rmtree(site)
    shutil.copytree(corpus, site)
    write(os.path.join(site, "data", "serve.yaml"), SERVE_YAML)
    for i in range(n):
        p = article_path(site, i)
        extra = "\nThe shared figure is [](cite:serve.every.figure).\n"
        if i == SOLO:
            extra += "\nThe solo figure is [](cite:serve.solo.figure).\n"
        if i == BODY:
            extra += "\nServe bench marker m0 ends here.\n"
        with open(p, "a", encoding="utf-8") as f:
            f.write(extra)
    # The built-in base template, as `sitegen init --templates` writes it.
    tmp = site + ".init"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    subprocess.run([binary, "init", tmp, "--templates"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.makedirs(os.path.join(site, "templates"), exist_ok=True)
    base = read(os.path.join(tmp, "templates", "base.html"))
    if '<meta charset="utf-8">\n' not in base:
        die("the built-in base.html has no <meta charset> line to edit after")
    base = base.replace('<meta charset="utf-8">\n',
                        '<meta charset="utf-8">\n<meta name="serve-bench" content="t0">\n', 1)
    write(os.path.join(site, "templates", "base.html"), base)
    shutil.rmtree(tmp)


class Server:
    """`sitegen serve` on the site, its stderr kept in a log file."""

    def __init__(self, binary, site, log_path, env):
        self.log = open(log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [binary, "serve", "--root", site, "--port", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.url = None
        self.ready = threading.Event()
        self.failed = None
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.write(line)
            self.log.flush()
            m = re.search(r"serving (http://[^/ ]+)", line)
            if m and not self.ready.is_set():
                self.url = m.group(1)
                self.ready.set()
            if "does not build" in line:
                self.failed = line.strip()
                self.ready.set()
        self.ready.set()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Client:
    """GETs over one keep-alive connection, reconnecting when the server closes it."""

    def __init__(self, url):
        host = url.split("://", 1)[1]
        self.host, self.port = host.rsplit(":", 1)
        self.conn = None

    def get(self, path):
        for _ in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        die(f"cannot GET {path}")


def wait_for(client, path, needle, start):
    """Polls GET path until its body holds needle; seconds since start."""
    needle = needle.encode()
    while True:
        status, body = client.get(path)
        if status == 200 and needle in body:
            return time.perf_counter() - start
        if time.perf_counter() - start > TIMEOUT:
            die(f"{path} never showed {needle!r} (last status {status})")
        time.sleep(0.001)


def pending(client):
    """Pages the server has still to render, or None when it does not say."""
    status, body = client.get("/__sitegen/status")
    if status != 200:
        return None
    try:
        return json.loads(body).get("pending")
    except ValueError:
        return None


def wait_all_fresh(client, start, page_time):
    """When the server had no page left to render; the page's own time when it does not say."""
    while True:
        p = pending(client)
        if not p:
            return page_time if p is None else time.perf_counter() - start
        if time.perf_counter() - start > TIMEOUT:
            die("the server still had pages to render after the timeout")
        time.sleep(0.002)


def replace_in(path, old, new):
    text = read(path)
    if old not in text:
        die(f"{path} has no {old!r}")
    return text.replace(old, new, 1)


def run_kind(kind, k, site, n, rng, clients, state):
    """Makes edit number k (1-based) of one kind; returns (timings by target, all-fresh time)."""
    c_page, c_other, c_status = clients
    targets = []  # (client, path, needle, label)
    if kind == "body":
        p = article_path(site, BODY)
        text = replace_in(p, f"marker m{k - 1} ends", f"marker m{k} ends")
        targets.append((c_page, f"/article-{BODY:05d}/", f"marker m{k} ends", "article"))
    elif kind == "title":
        p = article_path(site, TITLED)
        old = state.get("title") or re.search(r'^title: ".*"$', read(p), re.M).group(0)
        new = f'title: "Serve bench title t{k}"'
        text = replace_in(p, old, new)
        state["title"] = new
        targets.append((c_page, "/", f"Serve bench title t{k}<", "index"))
        targets.append((c_other, f"/article-{TITLED:05d}/", f"Serve bench title t{k}<", "article"))
    elif kind == "tags":
        p = article_path(site, TAGGED)
        src = read(p)
        m = re.search(r"^tags: \[(.*)\]$", src, re.M)
        tags = [t.strip() for t in m.group(1).split(",")]
        if "choices" not in state:
            state["choices"] = [t for t in ("pricing", "storage", "cooling", "power") if t not in tags][:2]
        tag = state["choices"][k % 2]
        text = src.replace(m.group(0), f"tags: [{tags[0]}, {tags[1]}, {tag}]", 1)
        targets.append((c_page, f"/tags/{tag}/", f'href="/article-{TAGGED:05d}/"', "tag page"))
    elif kind == "data-one":
        p = os.path.join(site, "data", "serve.yaml")
        text = replace_in(p, f"value: {300 + k - 1}, unit: W", f"value: {300 + k}, unit: W")
        targets.append((c_page, f"/article-{SOLO:05d}/", f"{300 + k} W", "article"))
    elif kind == "data-all":
        p = os.path.join(site, "data", "serve.yaml")
        text = replace_in(p, f"value: {600 + k - 1}, unit: W", f"value: {600 + k}, unit: W")
        i = rng.randrange(n)
        targets.append((c_page, f"/article-{i:05d}/", f"{600 + k} W", "random article"))
    elif kind == "template":
        p = os.path.join(site, "templates", "base.html")
        text = replace_in(p, f'content="t{k - 1}"', f'content="t{k}"')
        i = rng.randrange(n)
        targets.append((c_page, f"/article-{i:05d}/", f'<meta name="serve-bench" content="t{k}">', "random article"))
    else:
        die(f"unknown kind {kind}")
    results = {}
    threads = []
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    start = time.perf_counter()

    def poll(client, path, needle, label):
        results[label] = wait_for(client, path, needle, start)

    for t in targets:
        th = threading.Thread(target=poll, args=t)
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    all_fresh = wait_all_fresh(c_status, start, max(results.values()))
    return results, all_fresh, targets[0][3]


def ms(x):
    return f"{x * 1000:.1f} ms"


def pct(xs, q):
    xs = sorted(xs)
    i = max(0, min(len(xs) - 1, int(round(q * (len(xs) - 1)))))
    return xs[i]


def git(*args):
    try:
        return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(argv):
    args = argv[1:]
    opts = {"--edits": "20", "--kinds": ",".join(KINDS),
            "--bin": os.path.join(REPO, "target", "release", "sitegen"),
            "--corpus": None, "--out": os.path.join(HERE, "results-serve.md")}
    flags = set()
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in opts:
            if i + 1 >= len(args):
                die(f"{a} needs a value")
            opts[a] = args[i + 1]
            i += 2
        elif a in ("--no-write", "-h", "--help"):
            flags.add(a)
            i += 1
        elif a.startswith("-"):
            die(f"unknown option {a}; see --help")
        else:
            pos.append(a)
            i += 1
    if "-h" in flags or "--help" in flags:
        print(__doc__)
        return 0
    n = int(pos[0]) if pos else 10000
    edits = int(opts["--edits"])
    kinds = [k for k in opts["--kinds"].split(",") if k]
    for k in kinds:
        if k not in KINDS:
            die(f"unknown kind {k}; kinds are {', '.join(KINDS)}")
    binary = opts["--bin"]
    if not os.access(binary, os.X_OK):
        die(f"{binary} is not built: run `cargo build --release` first")
    work = os.environ.get("WORK", "/tmp/sitegen-bench")
    os.makedirs(work, exist_ok=True)
    corpus = opts["--corpus"]
    if corpus is None:
        stamp = subprocess.run(["sha1sum", os.path.join(HERE, "gen.py")], capture_output=True,
                               text=True, check=True).stdout[:12]
        out = os.path.join(work, f"serve-corpus-{n}-{stamp}")
        corpus = os.path.join(out, "sitegen")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(n), out,
                            "--only", "sitegen"], check=True)
    if not os.path.isfile(os.path.join(corpus, "sitegen.toml")):
        die(f"{corpus} is no sitegen site (bench/gen.py writes OUTDIR/sitegen)")
    site = os.path.join(work, f"serve-site-{n}")
    t = time.perf_counter()
    prepare(corpus, site, n, binary)
    print(f"site: {site} ({n} articles, prepared in {time.perf_counter() - t:.1f} s)", flush=True)
    env = dict(os.environ)
    env.setdefault("SITEGEN_CACHE_DIR", os.path.join(work, "serve-cache"))
    load_before = os.getloadavg()
    t = time.perf_counter()
    server = Server(binary, site, os.path.join(work, "serve.log"), env)
    try:
        server.ready.wait(timeout=1800)
        if server.failed or not server.url:
            die(f"sitegen serve did not start: {server.failed or 'see ' + os.path.join(work, 'serve.log')}")
        print(f"first build and serve: {time.perf_counter() - t:.1f} s ({server.url})", flush=True)
        clients = (Client(server.url), Client(server.url), Client(server.url))
        rng = random.Random(20261127)
        rows = []
        for kind in kinds:
            state = {}
            times, extra, fresh = [], {}, []
            label = None
            for k in range(1, edits + 1):
                res, all_fresh, label = run_kind(kind, k, site, n, rng, clients, state)
                times.append(res[label])
                for other, v in res.items():
                    if other != label:
                        extra.setdefault(other, []).append(v)
                fresh.append(all_fresh)
                time.sleep(0.05)
            rows.append((kind, label, times, fresh))
            line = f"{kind:9} -> {label}: median {ms(statistics.median(times))}, p90 {ms(pct(times, 0.9))}, max {ms(max(times))}; all fresh {ms(statistics.median(fresh))}"
            for other, v in extra.items():
                rows.append((kind, other, v, fresh))
                line += f"; {other} {ms(statistics.median(v))}"
            print(line, flush=True)
    finally:
        server.stop()
    load_after = os.getloadavg()
    table = ["| edit | page timed | median | p90 | max | all pages fresh (median) |",
             "|---|---|---:|---:|---:|---:|"]
    for kind, label, times, fresh in rows:
        table.append(f"| {kind} | {label} | {ms(statistics.median(times))} | {ms(pct(times, 0.9))} "
                     f"| {ms(max(times))} | {ms(statistics.median(fresh))} |")
    if os.path.realpath(opts["--bin"]) == os.path.realpath(
            os.path.join(REPO, "target", "release", "sitegen")):
        commit = git("rev-parse", "--short", "HEAD")
        dirty = (" (with uncommitted changes)"
                 if git("status", "--porcelain", "--untracked-files=no") else "")
        what = f"commit {commit}{dirty}"
    else:
        # Another binary: this checkout's commit says nothing about it.
        what = f"binary {opts['--bin']}"
    head = (f"{n:,} articles, {edits} edits of each kind, {what}, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs, "
            f"load average {load_before[0]:.2f} before and {load_after[0]:.2f} after the run.")
    text = "\n".join(table)
    print()
    print(head)
    print()
    print(text)
    if "--no-write" not in flags:
        write(opts["--out"], "# `sitegen serve`: save to served\n\n"
              "Written by `python3 bench/serve.py` (see bench/README.md). Time from the edited file's\n"
              "write to the first HTTP GET of the page that shows the edit.\n\n"
              + head + "\n\n" + text + "\n")
        print(f"\nwritten to {opts['--out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
