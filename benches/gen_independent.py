#!/usr/bin/env python3
"""Writes a synthetic annals timeline (one JSON file, article text inline) that owes
nothing to the project's own generator (benches/synth.rs), so that memory and load
figures are not tuned to one shape of input. Standard library only; the same
arguments give the same file, byte for byte, on the same Python (written on 3.11).

    python3 benches/gen_independent.py --events 100000 --seed 1 --out target/synthetic/indep/100k.json
    target/release/annals --data target/synthetic/indep/100k.json check

Where it differs from benches/synth.rs on purpose:
  - articles from about 300 bytes to 12 KB (log-uniform), and one in 400 a long
    treaty-like text of 60-150 KB; paragraphs, some with CRLF line ends or tabs;
  - text in English with curly quotes, dashes, no-break spaces, escaped straight
    quotes and backslashes, and articles or passages in Russian, Persian (with
    zero-width non-joiners and right-to-left marks), Chinese, accented Latin
    and emoji (flags, a ZWJ family);
  - 0 to 8 sources per event (a few events tell their story in `text`/`media`
    alone); quotes from 3 characters to about 2,000, taken from the start or the
    end of an article, across paragraph breaks, or starting with a phrase the
    article repeats (so a finder keyed on a quote's first bytes meets false
    starts);
  - the optional keys: `end`, `date_note`, `date_basis` (all three kinds, its
    words verbatim), `caveat`, `text` (HTML), `media`, `group`, `display_date`,
    `background`, `autolink`, and for articles `outlet`, `published`,
    `published_inferred`, `published_note`, `copy` (with signs found verbatim);
    eras and a title slide;
  - dates BCE and in deep time, times of day ("14:05", "14:05:09", "14h"),
    year-only and month precision; events in date order but for one in twenty,
    moved elsewhere as in a file edited by hand;
  - every object's keys in a shuffled order, and the top-level arrays in the
    order title, title_slide, eras, events, topics, actors, articles: the
    articles come after the events that quote them;
  - mixed JSON spelling: compact, spaced, pretty-printed, and \\u-escaped objects.

The two hostile shapes of the hardening issue:
    --events 200000                     twice the events (articles scale with them)
    --actors 100000                     100,000 declared actors; when there are at
                                        least as many events, every actor is named
                                        by some event

Options: --events N (100000), --articles N (events/10), --actors N (600),
--seed S (1), --out FILE (required). Prints counts (quotes, date-basis words,
copy signs) to stderr; `annals check` must report the same quote count.
"""

import argparse
import json
import random
import sys

# ---- vocabulary, written for this script ------------------------------------

EN = (
    "the of and to in on for with at by from into over under between against "
    "ministers delegation envoy cabinet parliament ministry coalition opposition "
    "agreed signed rejected postponed confirmed denied warned insisted announced "
    "reported hinted proposed pledged suspended resumed approved criticised "
    "pipeline refinery reactor uranium centrifuge turbine railway harbour corridor "
    "tanker cargo freight tariff quota subsidy loan credit bond reserve currency "
    "swap clearing ledger payment settlement invoice barter grain fertiliser cotton "
    "copper lithium cobalt semiconductor satellite launch orbit drone missile "
    "frigate exercise patrol border checkpoint refugee camp convoy aid vaccine "
    "clinic drought reservoir canal flood harvest summit communique memorandum "
    "protocol annex clause ratification veto resolution embargo sanction waiver "
    "exemption audit inquiry tribunal verdict appeal detention release exchange "
    "prisoner hostage ceasefire truce offensive withdrawal mobilisation "
    "quietly openly reluctantly formally unexpectedly again still already "
    "northern southern eastern western coastal inland strategic bilateral regional "
    "long-term short-lived so-called cross-border state-owned year-end "
    "week month quarter season decade officials sources analysts diplomats traders "
    "spokeswoman spokesman lawmakers generals engineers"
).split()

BOILER = "According to officials familiar with the matter, "

RU = (
    "переговоры соглашение министр заявил газ нефть санкции визит договор "
    "сотрудничество президент правительство поставки граница в и на с по о "
    "для после года стороны обсудили вопросы безопасности энергетики торговли"
).split()

FA = (
    "مذاکرات توافق وزیر گفت گاز نفت تحریم سفر همکاری رئیس\u200cجمهور دولت "
    "و در با از به این آن برای پس هیئت امنیت انرژی بازرگانی می\u200cشود"
).split()

ZH = (
    "外交部 发言人 表示 双方 合作 协议 能源 安全 会谈 签署 经济 贸易 "
    "港口 铁路 天然气 管道 制裁 代表团 访问 声明 就 与 在 了 和 进行"
).split()

NAME_SYL = {
    "latin": "ba cor del fi gro hu jen kas lum mi nor pe quen ras sol tev ul var wen xa yor zel bri cha dem est fon gil hav ist".split(),
    "accent": "mé søn łu gün çe ân ór ës já ïa ño ğa ş ú ře".split(),
    "cyr": "ва ло ми ков ра се до ни ша тин пе ев гор лу за".split(),
    "fa": "مح مد رضا زا ده نی کا ری سی فر دو سا".split(),
    "zh": list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"),
}

EMOJI = ["🌍", "📈", "🛢️", "⚓", "👨\u200d👩\u200d👧", "🇺🇳", "🕊️"]

MONTHS = "January February March April May June July August September October November December".split()

TOPIC_NAMES = [
    ("Fisheries", ["fishing", "catch quotas"]), ("Water rights", ["rivers", "dams"]),
    ("Semiconductors", ["chips"]), ("Rare earths", ["critical minerals"]),
    ("Refugees", ["displacement", "asylum"]), ("Public health", ["epidemics"]),
    ("Elections and votes", []), ("Naval affairs", ["navy", "ships"]),
    ("Grain corridor", ["wheat"]), ("Payments and clearing", ["SWIFT", "Mir"]),
    ("Nuclear diplomacy", ["JCPOA", "IAEA"]), ("Arms control", []),
    ("Border demarcation", []), ("Hydrocarbons", ["oil and gas"]),
    ("Electricity grids", ["power lines"]), ("Railways", ["rail"]),
    ("Ports and canals", []), ("Space launches", ["rockets"]),
    ("Cyber operations", ["hacking"]), ("Courts and prisons", []),
    ("Prisoner swaps", []), ("Press freedom", ["journalists"]),
    ("Religious affairs", []), ("Sport diplomacy", ["Olympics"]),
    ("Tourism", ["visas"]), ("Student exchange", ["universities"]),
    ("Climate talks", ["COP"]), ("Drought", []), ("Earthquakes", ["seismic"]),
    ("Mining", []), ("Currency swaps", []), ("Debt relief", []),
    ("Sanctions evasion", ["shadow fleet"]), ("Drones", ["UAV"]),
    ("Missile programmes", []), ("Peace talks", ["ceasefire"]),
    ("Intelligence", ["espionage"]), ("Migration routes", []),
    ("Food security", []), ("Pharmaceuticals", ["medicines"]),
    ("Телекоммуникации", ["связь", "telecoms"]), ("انرژی هسته\u200cای", ["nuclear energy"]),
    ("一带一路", ["Belt and Road", "BRI"]), ("Émigré politics", ["exiles"]),
]

OUTLETS = ["Northwind Wire", "Kavir Daily", "Тверской вестник", "The Meridian Ledger",
           "Harbour & Rail Review", "Pacific Desk", "روزنامه شرق‌نگار", "东方财经",
           "Le Courrier d’Orient", "Bulletin \"Open Sources\""]

GROUPS = ["Diplomacy", "Energy", "Military", "Economy", "Society", "Science",
          "Политика", "اقتصاد", "外交", "Law & courts"]

# ---- text -------------------------------------------------------------------


def cap(s):
    return s[:1].upper() + s[1:]


def name_word(rng, script, syllables):
    return "".join(rng.choice(NAME_SYL[script]) for _ in range(syllables))


class Names:
    """Proper names shared by articles, headlines and actors."""

    def __init__(self, rng):
        self.places = [cap(name_word(rng, rng.choice(["latin", "latin", "accent"]), rng.randint(2, 3)))
                       for _ in range(200)]
        self.surnames = [cap(name_word(rng, "latin", rng.randint(2, 4))) for _ in range(400)]
        self.given = [cap(name_word(rng, rng.choice(["latin", "accent"]), 2)) for _ in range(150)]


def number(rng):
    r = rng.random()
    if r < 0.3:
        return f"{rng.randint(2, 99)}\u00a0%"
    if r < 0.6:
        return f"${rng.randint(1, 900)}.{rng.randint(0, 9)} billion"
    if r < 0.8:
        return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1950, 2025)}"
    return f"{rng.randint(1000, 999999):,}"


def en_sentence(rng, names, words):
    parts = []
    for k in range(words):
        r = rng.random()
        if r < 0.08:
            w = rng.choice(names.places)
        elif r < 0.14:
            w = rng.choice(names.surnames)
        elif r < 0.17:
            w = number(rng)
        else:
            w = rng.choice(EN)
        parts.append(w)
    r = rng.random()
    if r < 0.12 and words > 6:
        i = rng.randrange(1, words - 3)
        parts[i] = "“" + parts[i]
        parts[i + 2] = parts[i + 2] + "”"
    elif r < 0.18 and words > 6:
        i = rng.randrange(1, words - 3)
        parts[i] = '"' + parts[i]
        parts[i + 1] = parts[i + 1] + '"'
    elif r < 0.24 and words > 4:
        parts.insert(rng.randrange(1, words), "—")
    elif r < 0.27:
        parts.append(rng.choice(names.surnames) + "’s")
    elif r < 0.28:
        parts.append("(file C:\\archive\\" + rng.choice(EN) + ")")
    elif r < 0.30:
        parts.append(rng.choice(EMOJI))
    s = cap(" ".join(parts))
    return s + rng.choice([".", ".", ".", ".", "?", "!", ";", "…"])


def foreign_sentence(rng, lang):
    if lang == "ru":
        return cap(" ".join(rng.choice(RU) for _ in range(rng.randint(5, 16)))) + "."
    if lang == "fa":
        s = " ".join(rng.choice(FA) for _ in range(rng.randint(5, 16)))
        if rng.random() < 0.3:
            s = "\u200f" + s
        return s + "."
    if lang == "zh":
        return "".join(rng.choice(ZH) for _ in range(rng.randint(6, 20))) + "。"
    raise ValueError(lang)


def paragraph(rng, names, lang, boiler):
    out = []
    for _ in range(rng.randint(1, 7)):
        if boiler and rng.random() < 0.25:
            out.append(BOILER + en_sentence(rng, names, rng.randint(6, 20)))
        elif lang == "en":
            if rng.random() < 0.05:
                out.append(foreign_sentence(rng, rng.choice(["ru", "fa", "zh"])))
            else:
                out.append(en_sentence(rng, names, rng.randint(4, 34)))
        else:
            out.append(foreign_sentence(rng, lang))
    sep = "" if lang == "zh" else " "
    p = sep.join(out)
    if rng.random() < 0.02:
        p += "\n" + "\t".join([rng.choice(EN), str(rng.randint(1, 99)), str(rng.randint(1, 99))])
    return p


def article_text(rng, names):
    r = rng.random()
    lang = "en" if r < 0.75 else "ru" if r < 0.85 else "fa" if r < 0.93 else "zh"
    boiler = lang == "en" and rng.random() < 0.3
    if rng.random() < 0.0025:
        target = rng.randint(60_000, 150_000)
        clause = 0
        paras = []
        size = 0
        while size < target:
            clause += 1
            p = f"Article {clause}. " + paragraph(rng, names, "en", True)
            paras.append(p)
            size += len(p) + 2
    else:
        target = int(300 * 40 ** rng.random())
        paras = []
        size = 0
        while size < target:
            p = paragraph(rng, names, lang, boiler)
            paras.append(p)
            size += len(p) + 2
    nl = "\r\n" if rng.random() < 0.05 else "\n"
    return (nl + nl).join(paras)


def snap_forward(text, i):
    """The next word start at or after i (or i itself where there are no spaces near)."""
    n = len(text)
    if i <= 0:
        return 0
    if i >= n:
        return n
    j = i
    limit = min(n, i + 30)
    while j < limit and not text[j - 1].isspace():
        j += 1
    return j if j < limit else i


def snap_end(text, i):
    """A word end at or after i (or i itself where there are no spaces near)."""
    n = len(text)
    if i >= n:
        return n
    j = i
    limit = min(n, i + 30)
    while j < limit and not text[j].isspace():
        j += 1
    return j if j < limit else i


def pick_quote(rng, text):
    n = len(text)
    r = rng.random()
    if r < 0.12:
        start, length = 0, rng.randint(20, 250)
    elif r < 0.22:
        length = rng.randint(20, 250)
        start = snap_forward(text, max(0, n - length))
        return text[start:] if text[start:].strip() else text
    elif r < 0.37:
        start, length = snap_forward(text, rng.randrange(n)), rng.randint(3, 20)
    elif r < 0.41:
        start, length = snap_forward(text, rng.randrange(max(1, n // 2))), rng.randint(500, 2000)
    elif r < 0.49 and BOILER in text:
        found = []
        at = text.find(BOILER)
        while at >= 0:
            found.append(at)
            at = text.find(BOILER, at + 1)
        start, length = rng.choice(found), rng.randint(len(BOILER) + 5, 200)
    else:
        start, length = snap_forward(text, rng.randrange(n)), rng.randint(30, 200)
    start = min(start, n - 1)
    end = snap_end(text, start + length)
    q = text[start:end]
    if not q.strip():
        q = text[max(0, n - 40):]
    if not q.strip():
        q = text
    return q


def pick_words(rng, text):
    """A short passage on one line (no line break or tab): a date basis's words, a copy's sign."""
    n = len(text)
    for _ in range(20):
        start = snap_forward(text, rng.randrange(n))
        end = snap_end(text, min(n, start + rng.randint(8, 60)))
        w = text[start:end]
        if w.strip() and not any(c in w for c in "\n\r\t"):
            return w
    line = text.split("\n")[0].split("\t")[0].rstrip("\r")
    return line[: max(1, min(len(line), 40))] if line.strip() else None


# ---- records ----------------------------------------------------------------


def slug(s):
    out = []
    for c in s.lower():
        if c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def shuffled(rng, d):
    items = list(d.items())
    rng.shuffle(items)
    return dict(items)


def dumps(rng, obj):
    r = rng.random()
    if r < 0.70:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if r < 0.85:
        return json.dumps(obj, ensure_ascii=False)
    if r < 0.95:
        return json.dumps(obj, ensure_ascii=True)
    return json.dumps(obj, ensure_ascii=False, indent=2)


def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in(y, m):
    return [31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


def year_text(y):
    return f"-{-y}" if y < 0 else f"{y:04d}"


def random_date(rng):
    """(sort key, date text, year)."""
    r = rng.random()
    if r < 0.005:
        y = -rng.choice([13_800_000_000, 4_500_000_000, 65_000_000, 300_000, 12_000])
    elif r < 0.025:
        y = -rng.randint(1, 3000)
    elif r < 0.06:
        y = rng.randint(0, 1899)
    else:
        y = rng.randint(1900, 2025)
    p = rng.random()
    if p < 0.10 or y < -100_000:
        return (y, 0, 0, 0), year_text(y), y
    m = rng.randint(1, 12)
    if p < 0.30:
        return (y, m, 0, 0), f"{year_text(y)}-{m:02d}", y
    d = rng.randint(1, days_in(y, m))
    base = f"{year_text(y)}-{m:02d}-{d:02d}"
    if p < 0.85:
        return (y, m, d, 0), base, y
    h, mi, s = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    t = rng.random()
    if t < 0.5:
        return (y, m, d, h * 3600 + mi * 60), f"{base} {h:02d}:{mi:02d}", y
    if t < 0.8:
        return (y, m, d, h * 3600 + mi * 60 + s), f"{base} {h:02d}:{mi:02d}:{s:02d}", y
    return (y, m, d, h * 3600), f"{base} {h:02d}h", y


def make_actors(rng, names, count):
    actors = []
    seen = set()
    for i in range(count):
        r = rng.random()
        if r < 0.12:
            kind = "country"
            name = cap(name_word(rng, rng.choice(["latin", "accent"]), rng.randint(2, 3))) + rng.choice(["ia", "stan", "land", " Republic"])
        elif r < 0.25:
            kind = "organization"
            name = rng.choice(["Council of ", "Bank of ", "Union for ", "Institute of ", "Front for "]) + cap(name_word(rng, "latin", 3))
        else:
            kind = "person"
            script = rng.choices(["latin", "accent", "cyr", "fa", "zh"], [55, 15, 12, 10, 8])[0]
            if script == "zh":
                name = name_word(rng, "zh", 1) + name_word(rng, "zh", rng.randint(1, 2))
            elif script == "fa":
                name = name_word(rng, "fa", 2) + " " + name_word(rng, "fa", 3)
            else:
                name = cap(name_word(rng, script, 2)) + " " + cap(name_word(rng, script, rng.randint(2, 4)))
        base = slug(name) or f"actor-{i}"
        aid = base if base not in seen else f"{base}-{i:x}"
        seen.add(aid)
        a = {"id": aid, "name": name, "kind": kind}
        if rng.random() < 0.4:
            a["role"] = rng.choice(["Foreign minister", "Deputy prime minister (2019– )", "Governor of the central bank",
                                    "Chief negotiator", "Министр энергетики", "سخنگوی دولت", "Ambassador to " + rng.choice(names.places)])
        k = rng.choices([0, 1, 2, 3], [40, 35, 15, 10])[0]
        if k:
            pool = name.split() + [slug(name), name.upper(), name + "’s office"]
            a["aliases"] = [rng.choice(pool) for _ in range(k)]
        actors.append(shuffled(rng, a))
    return actors


def make_article(rng, names, i, text):
    year = rng.randint(1950, 2025)
    style = rng.random()
    aid = f"art{i}" if style < 0.4 else f"{slug(rng.choice(OUTLETS)) or 'outlet'}/{year}/{i:05d}" if style < 0.8 else f"src-{rng.getrandbits(40):010x}-{i}"
    title = en_sentence(rng, names, rng.randint(3, 18)).rstrip(".?!;…")
    a = {"id": aid, "title": title, "text": text}
    if rng.random() < 0.85:
        a["outlet"] = rng.choice(OUTLETS)
    if rng.random() < 0.8:
        p = rng.random()
        a["published"] = f"{year}" if p < 0.2 else f"{year}-{rng.randint(1, 12):02d}" if p < 0.5 else \
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.15:
            a["published_inferred"] = True
            if rng.random() < 0.6:
                a["published_note"] = "No date in the text; worked out from the " + rng.choice(["summit it reports", "wire stamp", "archive listing"]) + "."
    if rng.random() < 0.06:
        kinds = rng.sample(["republication", "paraphrase", "translation"], rng.randint(1, 3))
        copy = {"kinds": kinds}
        if ("paraphrase" in kinds or "translation" in kinds) and rng.random() < 0.5:
            copy["machine"] = True
        if "translation" in kinds and rng.random() < 0.7:
            copy["language"] = rng.choice(["German", "Russian", "Persian", "Chinese", "français"])
        signs = [w for w in (pick_words(rng, text) for _ in range(rng.randint(0, 3))) if w]
        if signs:
            copy["signs"] = signs
        a["copy"] = shuffled(rng, copy)
    return shuffled(rng, a)


def html_text(rng, names, i):
    s1 = en_sentence(rng, names, rng.randint(5, 25))
    s2 = en_sentence(rng, names, rng.randint(5, 25))
    return rng.choice([
        f"<p>{s1} &amp; {s2}</p>",
        f"<p>{s1}</p><ul><li>{rng.choice(names.places)}</li><li>{rng.choice(names.places)} &ndash; {rng.choice(EN)}</li></ul>",
        f"<p>{s1} <a href=\"https://records.example.net/{i}\">the record</a>.</p><p>{s2}</p>",
        f"<blockquote>{s1}</blockquote><p>&laquo;{rng.choice(RU)}&raquo; {s2}</p>",
    ])


def media(rng, names, i):
    m = {"url": f"https://media.example.net/{rng.choice(['img', 'video', 'audio'])}/{i}.{rng.choice(['jpg', 'png', 'mp4'])}"}
    for key, p, val in [
        ("caption", 0.7, lambda: "<i>" + rng.choice(names.places) + "</i>, " + rng.choice(MONTHS)),
        ("credit", 0.6, lambda: rng.choice(names.surnames) + " / " + rng.choice(OUTLETS)),
        ("thumbnail", 0.2, lambda: f"https://media.example.net/thumb/{i}.jpg"),
        ("alt", 0.4, lambda: "A view of " + rng.choice(names.places)),
        ("title", 0.2, lambda: rng.choice(EN).title()),
        ("link", 0.2, lambda: f"https://archive.example.net/item/{i}"),
        ("link_target", 0.1, lambda: "_blank"),
    ]:
        if rng.random() < p:
            m[key] = val()
    return shuffled(rng, m)


class Stats:
    quotes = 0
    says = 0
    signs = 0
    sourceless = 0
    with_basis = 0


def make_event(rng, names, i, date, ctx, stats):
    key, date_text, year = date
    articles, texts, actor_ids, topic_ids, forced_actor = ctx
    headline = en_sentence(rng, names, rng.randint(4, 16)).rstrip(".?!;…") if rng.random() < 0.85 \
        else foreign_sentence(rng, rng.choice(["ru", "fa", "zh"])).rstrip(".。")
    style = rng.random()
    eid = f"ev-{i:06d}" if style < 0.4 else f"{date_text.split(' ')[0]}-{slug(headline)[:40]}-{i}" if style < 0.8 \
        else f"{rng.getrandbits(48):012x}{i}"
    e = {"id": eid, "date": date_text, "headline": headline}
    nsrc = rng.choices([0, 1, 2, 3, 4, 5, 6, 8], [4, 48, 24, 12, 5, 3, 2, 2])[0]
    sources = []
    for _ in range(nsrc):
        a = rng.randrange(len(articles))
        s = {"article": articles[a]["id"], "quote": pick_quote(rng, texts[a])}
        if rng.random() < 0.06:
            s["caveat"] = rng.choice(["The figure is reported elsewhere as ten times larger.",
                                      "Machine-translated wording;\nthe original says “partners”, not “allies”.",
                                      "Attributed to an unnamed official."])
        sources.append((a, shuffled(rng, s)))
    stats.quotes += len(sources)
    if sources:
        e["sources"] = [s for _, s in sources]
    if rng.random() < 0.7 or not sources:
        e["summary"] = " ".join(en_sentence(rng, names, rng.randint(6, 24)) for _ in range(rng.randint(1, 2)))
        if rng.random() < 0.05:
            e["summary"] += "\n\n" + en_sentence(rng, names, 10)
    if not sources:
        stats.sourceless += 1
        e["text"] = html_text(rng, names, i)
        if rng.random() < 0.5:
            e["media"] = media(rng, names, i)
    else:
        if rng.random() < 0.08:
            e["text"] = html_text(rng, names, i)
        if rng.random() < 0.08:
            e["media"] = media(rng, names, i)
    # Actors and topics: every sourced event names some, so `check` prints no warnings.
    if sources or forced_actor is not None or rng.random() < 0.5:
        n = rng.choices([1, 2, 3, 4, 6], [20, 35, 25, 12, 8])[0]
        chosen = [forced_actor] if forced_actor is not None else []
        for _ in range(n):
            chosen.append(actor_ids[int(len(actor_ids) * rng.random() ** 2)])
        e["actors"] = list(dict.fromkeys(chosen))
        e["topics"] = list(dict.fromkeys(rng.choice(topic_ids) for _ in range(rng.randint(1, 4))))
    if rng.random() < 0.12:
        e["end"] = year_text(year + rng.randint(0, 6))
    if rng.random() < 0.08:
        e["date_note"] = rng.choice(["The report says “last Tuesday”; the date is the Tuesday before publication.",
                                     "Only the month is known.", "Дата по сообщению агентства.",
                                     "Worked out from the summit’s schedule"])
    if rng.random() < 0.20:
        basis = None
        r = rng.random()
        if sources and r < 0.5:
            a = sources[0][0]
            w = pick_words(rng, texts[a])
            if w:
                basis = {"kind": "stated", "says": [{"article": articles[a]["id"], "words": w}]}
        elif r < 0.8:
            a = sources[rng.randrange(len(sources))][0] if sources and rng.random() < 0.7 else rng.randrange(len(articles))
            w = pick_words(rng, texts[a])
            if w:
                basis = {"kind": "worked_out", "says": [{"article": articles[a]["id"], "words": w}]}
        else:
            basis = {"kind": "record"}
            if rng.random() < 0.6:
                basis["reference"] = rng.choice(["Kremlin readout", "UN press release SC/15"]) + f" {rng.randint(1, 9999)}"
        if basis:
            for extra in range(rng.choice([0, 0, 0, 1, 2])):
                a = rng.randrange(len(articles))
                w = pick_words(rng, texts[a])
                if w:
                    basis.setdefault("says", []).append({"article": articles[a]["id"], "words": w})
            if "says" in basis:
                basis["says"] = [shuffled(rng, s) for s in basis["says"]]
                stats.says += len(basis["says"])
            stats.with_basis += 1
            e["date_basis"] = shuffled(rng, basis)
    if rng.random() < 0.15:
        e["group"] = rng.choice(GROUPS)
    if rng.random() < 0.03:
        e["display_date"] = rng.choice(["Spring ", "Late ", "c. "]) + str(abs(year))
    if rng.random() < 0.02:
        e["background"] = shuffled(rng, {"color": f"#{rng.getrandbits(24):06x}"} if rng.random() < 0.6 else
                                   {"url": f"https://media.example.net/bg/{i}.jpg", "alt": "A map"})
    if rng.random() < 0.02:
        e["autolink"] = rng.random() < 0.5
    return key, shuffled(rng, e)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=None, help="default: events / 10, at least 1")
    ap.add_argument("--actors", type=int, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    n_articles = args.articles if args.articles is not None else max(1, args.events // 10)
    if args.events < 1 or n_articles < 1 or args.actors < 1:
        ap.error("--events, --articles and --actors must be at least 1")

    rng = random.Random(args.seed)
    names = Names(rng)
    stats = Stats()

    texts = [article_text(rng, names) for _ in range(n_articles)]
    articles = [make_article(rng, names, i, t) for i, t in enumerate(texts)]
    stats.signs = sum(len(a.get("copy", {}).get("signs", [])) for a in articles)
    actors = make_actors(rng, names, args.actors)
    actor_ids = [a["id"] for a in actors]
    topics = []
    for name, aliases in TOPIC_NAMES:
        t = {"id": slug(name) or f"topic-{len(topics)}", "name": name}
        if aliases:
            t["aliases"] = aliases
        topics.append(shuffled(rng, t))
    topic_ids = [t["id"] for t in topics]

    # Dates first, sorted, then one event in twenty moved elsewhere: a file edited by hand.
    dates = sorted((random_date(rng) for _ in range(args.events)), key=lambda d: d[0])
    for _ in range(args.events // 20):
        j = rng.randrange(len(dates))
        dates.insert(rng.randrange(len(dates)), dates.pop(j))

    eras = []
    for k in range(rng.randint(12, 30)):
        y = rng.randint(1900, 2020)
        era = {"id": f"era-{k}", "name": cap(rng.choice(names.surnames)) + rng.choice([" presidency", " government", " era", "-эпоха"]),
               "start": f"{y}-{rng.randint(1, 12):02d}", "end": None if rng.random() < 0.1 else f"{y + rng.randint(1, 12)}"}
        if rng.random() < 0.7:
            era["group"] = rng.choice(names.places)
        eras.append(shuffled(rng, era))

    title_slide = shuffled(rng, {"text": "<h2>An independent synthetic timeline</h2><p>Seed " + str(args.seed) + "</p>",
                                 "media": media(rng, names, 0), "background": {"color": "#20303f"}})

    with open(args.out, "w", encoding="utf-8", newline="") as out:
        out.write("{\n")
        out.write(f'"title": {json.dumps("Independent synthetic timeline — seed " + str(args.seed), ensure_ascii=False)},\n')
        out.write(f'"title_slide": {dumps(rng, title_slide)},\n')
        out.write('"eras": [' + ",\n".join(dumps(rng, e) for e in eras) + "],\n")
        out.write('"events": [\n')
        for i, date in enumerate(dates):
            # With many actors, event i also names actor i, so that each is named.
            forced = actor_ids[i % len(actor_ids)] if args.actors > 1000 else None
            _, e = make_event(rng, names, i, date, (articles, texts, actor_ids, topic_ids, forced), stats)
            out.write(dumps(rng, e))
            out.write(",\n" if i + 1 < len(dates) else "\n")
        out.write("],\n")
        out.write('"topics": [\n' + ",\n".join(dumps(rng, t) for t in topics) + "\n],\n")
        out.write('"actors": [\n')
        for i, a in enumerate(actors):
            out.write(dumps(rng, a))
            out.write(",\n" if i + 1 < len(actors) else "\n")
        out.write("],\n")
        out.write('"articles": [\n')
        for i, a in enumerate(articles):
            out.write(dumps(rng, a))
            out.write(",\n" if i + 1 < len(articles) else "\n")
        out.write("]\n}\n")

    print(f"{args.out}: {args.events} events ({stats.sourceless} without sources, {stats.with_basis} with a date_basis), "
          f"{n_articles} articles, {args.actors} actors, {len(topics)} topics, {len(eras)} eras; "
          f"{stats.quotes} quotes, {stats.says} date-basis words, {stats.signs} copy signs", file=sys.stderr)


if __name__ == "__main__":
    main()
