#!/usr/bin/env python3
"""Generates a synthetic site of N articles, as a sitegen site and as the same content for Hugo.

    python3 bench/gen.py N OUTDIR [--only sitegen|hugo|zola]

writes OUTDIR/sitegen (sitegen.toml, data/, content/article-NNNNN.md),
OUTDIR/hugo (hugo.toml, layouts/, content/article-NNNNN.md) and OUTDIR/zola
(zola.toml, templates/, content/article-NNNNN.md). Same seed, same bytes: the corpus
is a pure function of N.

Each article is about 1,200 words: front matter (title, date, description, 3 of 20
tags), h2/h3 headings, emphasis, three links to other articles, a list, a 6x5 pipe
table, a 10-line bash block, a 15-line rust block and five citations of a small
dataset. For sitegen the citations are `[273 GB/s](cite:devices.dgx_spark.memory_bandwidth)`
links and the links are `[x](article-00042.md)`; for Hugo the citations are the same
text without the link and the links are `../article-00042/`. Zola gets Hugo's text,
with its tags under `taxonomies:` in the (YAML) front matter, as Zola requires.

Only the Python 3 standard library is used.
"""

import os
import random
import sys

SEED = 20260504

WORDS = """
memory bandwidth model token throughput cluster node desktop workstation unified
latency context window quantization runtime kernel driver cache batch prompt decode
prefill scheduler thermal envelope power budget cooling chassis firmware storage
network fabric switch cable rack cloud rental price budget buyer owner review
benchmark measurement median variance sample workload inference training finetune
adapter checkpoint weights tensor matrix vector precision format compiler library
container image registry deploy service endpoint queue request response stream
reader author editor guide chapter section figure source dataset citation receipt
""".split()
ADJ = """
fast slow quiet loud small large cheap costly stable fragile modern older careful
honest simple complex shared local remote steady noisy sparse dense early late
""".split()
VERBS = """
reads writes loads runs serves measures compares limits doubles halves schedules
caches streams splits merges checks reports tracks lowers raises keeps moves
""".split()

TAGS = [
    "bandwidth", "benchmarks", "buying-guide", "clustering", "cloud", "cooling",
    "drivers", "finetuning", "inference", "latency", "llama", "moe", "networking",
    "operations", "power", "pricing", "quantization", "runtimes", "storage", "training",
]

# The dataset every article cites: (namespace, entry, name, figures{key: (value, unit)}).
DEVICES = [
    ("dgx_spark", "NVIDIA DGX Spark", {
        "memory_bandwidth": (273, "GB/s"), "memory": (128, "GB"),
        "launch_price": (3999, "USD"), "power_supply": (240, "W")}),
    ("rtx_4090", "RTX 4090", {
        "memory_bandwidth": (1008, "GB/s"), "memory": (24, "GB"),
        "launch_price": (1599, "USD"), "power_supply": (450, "W")}),
    ("rtx_5090", "RTX 5090", {
        "memory_bandwidth": (1792, "GB/s"), "memory": (32, "GB"),
        "launch_price": (1999, "USD"), "power_supply": (575, "W")}),
    ("mac_studio_m3_ultra", "Mac Studio M3 Ultra", {
        "memory_bandwidth": (819, "GB/s"), "memory": (512, "GB"),
        "launch_price": (9499, "USD"), "power_supply": (480, "W")}),
    ("strix_halo", "Ryzen AI Max+ 395", {
        "memory_bandwidth": (256, "GB/s"), "memory": (128, "GB"),
        "launch_price": (1999, "USD"), "power_supply": (140, "W")}),
]
BENCH = [
    ("gpt_oss_120b", "GPT-OSS 120B", {"spark": 52.77, "desktop": 19.70}),
    ("llama_70b", "Llama 3.3 70B", {"spark": 4.6, "desktop": 2.3}),
]


def money(v):
    return "${:,}".format(v)


def citations():
    """(sitegen Markdown, Hugo plain text) pairs, each agreeing with the dataset."""
    out = []
    for key, name, figs in DEVICES:
        bw, mem, price, power = (figs[k][0] for k in ("memory_bandwidth", "memory", "launch_price", "power_supply"))
        out.append((f"[{bw} GB/s](cite:devices.{key}.memory_bandwidth)", f"{bw} GB/s"))
        out.append((f"[{mem} GB](cite:devices.{key}.memory)", f"{mem} GB"))
        out.append((f"[{money(price)}](cite:devices.{key}.launch_price)", money(price)))
        out.append((f"[](cite:devices.{key}.launch_price)", money(price)))
        out.append((f"[{power} W](cite:devices.{key}.power_supply)", f"{power} W"))
    spark_bw = DEVICES[0][2]["memory_bandwidth"][0]
    for key, _, figs in DEVICES[1:]:
        r = figs["memory_bandwidth"][0] / spark_bw
        out.append((f"[{r:.1f}x](<cite:devices.{key}.memory_bandwidth / devices.dgx_spark.memory_bandwidth>)", f"{r:.1f}x"))
    for key, _, runs in BENCH:
        s, d = runs["spark"], runs["desktop"]
        out.append((f"[{s} t/s](cite:bench.{key}.spark.eval_tps)", f"{s} t/s"))
        out.append((f"[{s / d:.1f}x](<cite:bench.{key}.spark.eval_tps / bench.{key}.desktop.eval_tps>)", f"{s / d:.1f}x"))
    return out


CITES = citations()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def dataset_files():
    dev = ["# Synthetic devices for the sitegen benchmark."]
    for key, name, figs in DEVICES:
        dev.append(f"{key}:")
        dev.append(f"  name: {name}")
        for fk, (v, u) in figs.items():
            dev.append(f"  {fk}: {{ value: {v}, unit: {u}, source: bench-source, as_of: 2026-01-15 }}")
    bench = ["# Synthetic benchmark runs."]
    for key, name, runs in BENCH:
        bench.append(f"{key}:")
        bench.append(f"  name: {name}")
        for rk, v in runs.items():
            bench.append(f"  {rk}:")
            bench.append(f"    eval_tps: {{ value: {v}, unit: t/s, source: bench-source, as_of: 2026-02-01 }}")
    sources = [
        "bench-source:",
        "  title: Synthetic benchmark source",
        "  url: https://example.org/bench-source",
        "  publisher: example.org",
        "  date: 2026-01-15",
    ]
    return {
        "data/devices.yaml": "\n".join(dev) + "\n",
        "data/bench.yaml": "\n".join(bench) + "\n",
        "data/sources.yaml": "\n".join(sources) + "\n",
    }


SITEGEN_TOML = """title = "Bench site"
description = "A synthetic site for timing sitegen against Hugo."
base_url = "https://bench.example.org"
author = "Bench"
language = "en"
"""

HUGO_TOML = """baseURL = "https://bench.example.org/"
title = "Bench site"
languageCode = "en"
disableKinds = []
enableRobotsTXT = true

[taxonomies]
tag = "tags"

[markup.highlight]
# Highlighting on, with CSS classes as sitegen does (Hugo's default is inline styles).
codeFences = true
noClasses = false
style = "github"

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""

HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ block "title" . }}{{ .Title }} · {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "syntax.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> · <a href="{{ "/tags/" | relURL }}">Topics</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "layouts/index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul class="cards">
{{ range .Site.RegularPages }}
  <li class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ range .Params.tags }} · <a class="tag" href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }}</p>
  {{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "layouts/_default/single.html": """{{ define "main" }}
<article class="article">
<header>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lede">{{ . }}</p>{{ end }}
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ range .Params.tags }} · <a class="tag" href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a>{{ end }}</p>
</header>
<nav class="toc">{{ .TableOfContents }}</nav>
<div class="content">{{ .Content }}</div>
</article>
{{ end }}
""",
    "layouts/_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="cards">
{{ range .Pages }}
  <li class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
  {{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "layouts/_default/terms.html": """{{ define "main" }}
<h1>Topics</h1>
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
""",
    "layouts/_default/taxonomy.html": """{{ define "main" }}
<h1>Topic: {{ .Title }}</h1>
<ul class="cards">
{{ range .Pages }}
  <li class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
  {{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "layouts/sitemap.xml": """{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{{ range .Data.Pages }}  <url><loc>{{ .Permalink }}</loc>{{ if not .Lastmod.IsZero }}<lastmod>{{ .Lastmod.Format "2006-01-02" }}</lastmod>{{ end }}</url>
{{ end }}</urlset>
""",
}

ZOLA_TOML = """base_url = "https://bench.example.org"
title = "Bench site"
default_language = "en"
compile_sass = false
build_search_index = false
generate_feeds = true
taxonomies = [{ name = "tags", feed = false }]

[markdown.highlighting]
# Highlighting on, with CSS classes as sitegen does (Zola's default is inline styles).
style = "class"
theme = "github-light"
"""

ZOLA_TEMPLATES = {
    "templates/base.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{% block title %}{{ config.title }}{% endblock %}</title>
<meta name="description" content="{% block description %}{{ config.title }}{% endblock %}">
<link rel="stylesheet" href="{{ get_url(path='giallo.css') }}">
</head>
<body>
<header><a href="{{ get_url(path='/') }}">{{ config.title }}</a> · <a href="{{ get_url(path='/tags/') }}">Topics</a></header>
<main>{% block main %}{% endblock %}</main>
</body>
</html>
""",
    "templates/index.html": """{% extends "base.html" %}
{% block main %}
<h1>{{ config.title }}</h1>
<ul class="cards">
{% for page in section.pages %}
  <li class="card"><h2><a href="{{ page.permalink | safe }}">{{ page.title }}</a></h2>
  <p class="meta"><time datetime="{{ page.date | date(format='%Y-%m-%d') }}">{{ page.date | date(format='%-d %B %Y') }}</time>{% for t in page.taxonomies.tags %} · <a class="tag" href="{{ get_taxonomy_url(kind='tags', name=t) }}">{{ t }}</a>{% endfor %}</p>
  {% if page.description %}<p>{{ page.description }}</p>{% endif %}</li>
{% endfor %}
</ul>
{% endblock %}
""",
    "templates/page.html": """{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock %}
{% block description %}{{ page.description }}{% endblock %}
{% block main %}
<article class="article">
<header>
<h1>{{ page.title }}</h1>
{% if page.description %}<p class="lede">{{ page.description }}</p>{% endif %}
<p class="meta"><time datetime="{{ page.date | date(format='%Y-%m-%d') }}">{{ page.date | date(format='%-d %B %Y') }}</time>{% for t in page.taxonomies.tags %} · <a class="tag" href="{{ get_taxonomy_url(kind='tags', name=t) }}">{{ t }}</a>{% endfor %}</p>
</header>
<nav class="toc"><ul>{% for h in page.toc %}<li><a href="{{ h.permalink | safe }}">{{ h.title }}</a>{% if h.children %}<ul>{% for c in h.children %}<li><a href="{{ c.permalink | safe }}">{{ c.title }}</a></li>{% endfor %}</ul>{% endif %}</li>{% endfor %}</ul></nav>
<div class="content">{{ page.content | safe }}</div>
</article>
{% endblock %}
""",
    "templates/tags/list.html": """{% extends "base.html" %}
{% block main %}
<h1>Topics</h1>
<ul>
{% for term in terms %}<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.pages | length }})</li>
{% endfor %}
</ul>
{% endblock %}
""",
    "templates/tags/single.html": """{% extends "base.html" %}
{% block main %}
<h1>Topic: {{ term.name }}</h1>
<ul class="cards">
{% for page in term.pages %}
  <li class="card"><h2><a href="{{ page.permalink | safe }}">{{ page.title }}</a></h2>
  <p class="meta"><time datetime="{{ page.date | date(format='%Y-%m-%d') }}">{{ page.date | date(format='%-d %B %Y') }}</time></p>
  {% if page.description %}<p>{{ page.description }}</p>{% endif %}</li>
{% endfor %}
</ul>
{% endblock %}
""",
}


class Article:
    def __init__(self, rng, i, n):
        self.rng = rng
        self.i = i
        self.n = n

    def words(self, k, cap=False):
        r = self.rng
        w = [r.choice(WORDS) if r.random() < 0.8 else r.choice(ADJ) for _ in range(k)]
        if cap:
            w[0] = w[0].capitalize()
        return w

    def sentence(self):
        r = self.rng
        w = self.words(r.randint(7, 12), cap=True)
        w.insert(r.randint(2, len(w) - 1), r.choice(VERBS))
        if r.random() < 0.3:
            j = r.randrange(len(w))
            w[j] = f"*{w[j]}*"
        if r.random() < 0.15:
            j = r.randrange(len(w))
            w[j] = f"**{w[j]}**"
        return " ".join(w) + "."

    def paragraph(self, sentences, extra=()):
        s = [self.sentence() for _ in range(sentences)]
        for piece in extra:
            s.insert(self.rng.randint(0, len(s)), piece)
        return " ".join(s)

    def other(self):
        j = self.rng.randrange(self.n - 1) if self.n > 1 else 0
        if self.n > 1 and j >= self.i:
            j += 1
        return j


def bash_block(rng):
    lines = [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        f'MODEL="${{1:-model-{rng.randint(1, 99)}}}"',
        f"export CUDA_VISIBLE_DEVICES={rng.randint(0, 3)}",
        'for run in $(seq 1 "${RUNS:-3}"); do',
        f'  ./bench --model "$MODEL" --ctx {rng.choice([2048, 4096, 8192])} --batch {rng.choice([1, 4, 8])} > "out-$run.log"',
        '  grep -E "tokens/s" "out-$run.log" | awk \'{ print $2 }\' >> rates.txt',
        "done",
        'sort -n rates.txt | awk \'{ a[NR] = $1 } END { print "median", a[int((NR + 1) / 2)] }\'',
        f"echo \"done: $MODEL ({rng.choice(WORDS)})\"",
    ]
    return "```bash\n" + "\n".join(lines) + "\n```"


def rust_block(rng):
    name = rng.choice(WORDS)
    lines = [
        "use std::collections::HashMap;",
        "",
        f"/// Sums the {name} figures by key.",
        f"pub fn total_{name}(rows: &[(String, f64)]) -> HashMap<String, f64> {{",
        "    let mut totals: HashMap<String, f64> = HashMap::new();",
        "    for (key, value) in rows {",
        f"        if *value < {rng.randint(0, 9)}.0 {{",
        "            continue;",
        "        }",
        "        *totals.entry(key.clone()).or_insert(0.0) += value;",
        "    }",
        f'    let label = format!("{{}} keys", totals.len()); // {rng.choice(ADJ)}',
        '    eprintln!("{label}");',
        "    totals",
        "}",
    ]
    return "```rust\n" + "\n".join(lines) + "\n```"


def table(rng):
    head = "| Setup | Runs | Batch | Context | Verdict |"
    sep = "|---|---:|---:|---:|---|"
    rows = [head, sep]
    for _ in range(5):
        rows.append(
            f"| {rng.choice(WORDS)} {rng.choice(ADJ)} | {rng.randint(1, 9)} | {rng.choice([1, 2, 4, 8])} "
            f"| {rng.choice([2048, 4096, 8192])} | {rng.choice(ADJ)} |"
        )
    return "\n".join(rows)


def article(i, n):
    """Returns (front matter, sitegen body, hugo body) of article i."""
    rng = random.Random(SEED * 1_000_003 + i)
    a = Article(rng, i, n)
    title = " ".join(a.words(rng.randint(4, 7), cap=True))
    desc = a.sentence().replace("*", "")
    year = 2020 + i % 6
    date = f"{year}-{1 + (i // 6) % 12:02d}-{1 + (i // 72) % 28:02d}"
    tags = rng.sample(TAGS, 3)
    front = (
        "---\n"
        f"title: \"{title} {i}\"\n"
        f"date: {date}\n"
        f"description: \"{desc}\"\n"
        f"tags: [{', '.join(tags)}]\n"
        "---\n"
    )
    cites = rng.sample(CITES, 5)
    links = [a.other() for _ in range(3)]
    # Pieces shared by both flavours, with placeholders for citations and links.
    blocks = []
    cite_at = [rng.randrange(7) for _ in range(5)]  # which paragraph gets each citation
    link_at = [rng.randrange(7) for _ in range(3)]
    para_no = 0

    def para(sentences):
        nonlocal para_no
        extra = []
        for c, at in enumerate(cite_at):
            if at == para_no:
                extra.append(f"It measured {{CITE{c}}} in our runs.")
        for k, at in enumerate(link_at):
            if at == para_no:
                extra.append(f"See {{LINK{k}}} for the details.")
        para_no += 1
        return a.paragraph(sentences, extra)

    blocks.append(para(6))
    for sec in range(5):
        blocks.append("## " + " ".join(a.words(rng.randint(2, 5), cap=True)))
        blocks.append(a.paragraph(rng.randint(5, 7)) if sec >= 2 else para(6))
        if sec == 1:
            blocks.append("\n".join(f"- {' '.join(a.words(rng.randint(4, 9), cap=True))}" for _ in range(6)))
        if sec == 2:
            blocks.append(table(rng))
        for _ in range(2 if sec % 2 == 0 else 1):
            blocks.append("### " + " ".join(a.words(rng.randint(2, 4), cap=True)))
            blocks.append(a.paragraph(rng.randint(4, 6)) if para_no >= 7 else para(5))
        if sec == 3:
            blocks.append(bash_block(rng))
        if sec == 4:
            blocks.append(rust_block(rng))
    while para_no < 7:
        blocks.append(para(3))
    body = "\n\n".join(blocks) + "\n"
    sg, hg = body, body
    for c, (md, text) in enumerate(cites):
        sg = sg.replace(f"{{CITE{c}}}", md)
        hg = hg.replace(f"{{CITE{c}}}", text)
    for k, j in enumerate(links):
        label = f"article {j}"
        sg = sg.replace(f"{{LINK{k}}}", f"[{label}](article-{j:05d}.md)")
        hg = hg.replace(f"{{LINK{k}}}", f"[{label}](../article-{j:05d}/)")
    return front, sg, hg


def zola_front(front):
    """The same front matter for Zola: its tags go under `taxonomies:`."""
    lines = front.split("\n")
    return "\n".join(
        "taxonomies:\n  " + line if line.startswith("tags: ") else line for line in lines
    )


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    only = None
    if "--only" in argv:
        only = argv[argv.index("--only") + 1]
        args = [a for a in args if a != only]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    n, out = int(args[0]), args[1]
    sg_root, hg_root = os.path.join(out, "sitegen"), os.path.join(out, "hugo")
    zl_root = os.path.join(out, "zola")
    do_sg, do_hg = only in (None, "sitegen"), only in (None, "hugo")
    do_zl = only in (None, "zola")
    if do_sg:
        write(os.path.join(sg_root, "sitegen.toml"), SITEGEN_TOML)
        for rel, text in dataset_files().items():
            write(os.path.join(sg_root, rel), text)
        os.makedirs(os.path.join(sg_root, "content"), exist_ok=True)
    if do_hg:
        write(os.path.join(hg_root, "hugo.toml"), HUGO_TOML)
        for rel, text in HUGO_LAYOUTS.items():
            write(os.path.join(hg_root, rel), text)
        os.makedirs(os.path.join(hg_root, "content"), exist_ok=True)
    if do_zl:
        write(os.path.join(zl_root, "zola.toml"), ZOLA_TOML)
        for rel, text in ZOLA_TEMPLATES.items():
            write(os.path.join(zl_root, rel), text)
        os.makedirs(os.path.join(zl_root, "content"), exist_ok=True)
    words = 0
    for i in range(n):
        front, sg, hg = article(i, n)
        name = f"article-{i:05d}.md"
        if do_sg:
            with open(os.path.join(sg_root, "content", name), "w", encoding="utf-8") as f:
                f.write(front + "\n" + sg)
        if do_hg:
            with open(os.path.join(hg_root, "content", name), "w", encoding="utf-8") as f:
                f.write(front + "\n" + hg)
        if do_zl:
            with open(os.path.join(zl_root, "content", name), "w", encoding="utf-8") as f:
                f.write(zola_front(front) + "\n" + hg)
        if i < 100:
            words += len(hg.split())
    sample = min(n, 100)
    sys.stderr.write(f"gen.py: {n} articles into {out} (about {words // max(sample, 1)} words each)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
