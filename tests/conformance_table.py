"""The conformance table: queries and what they must find on the fixture corpus, on every engine.

The corpus is the seed page in both its forms (text and HTML) and the real pages under
``fixtures/pages/``. Documents are named, not given by id, so the table stays readable and holds
for any engine:

- ``seed`` is the article of the seed's text form, ``seed_html`` the one of its HTML form, and
  the real pages are named by their file names without extensions (``pixelmonkey``,
  ``timothysykes``, ``aeb_e372e42c``, ...) from ``fixtures/pages/`` and ``fixtures/query-pages/``;
- ``seed/2`` is the seed text form's comment at page position 2 (counted from 0), and so on;
- ``S`` stands for both seed articles, ``C2`` for comment 2 in both forms, ``C*`` for all ten
  seed comments, ``@articles`` for every article of the corpus;
- ``{seed}`` in a query is replaced by that article's id.

The seed's comments, in page order: 0 ``_mowaten_`` 14:32 (quotes the article: "... four-year
civil war ... humanitarian crisis."), 1 ``imagine_1979`` 14:43 ("... bombing of civilians by
assad ... chupachups"), 2 ``_mowaten_`` 17:24 ("... bombing of civilians ... assad has no
interest ..."), 3 ``_mowaten_`` 17:26 ("... how many were civilians? ..."), 4 ``_mowaten_``
17:11 ("hamza al khatib ..."); times are Beirut summer time (+03:00), so 11:32, 11:43, 14:24,
14:26 and 14:11 UTC.

Real pages have comments too; cases about them either name what a page's own text shows or
keep to ``kind:article``, so that better comment extraction does not change what they expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CASES",
    "ERROR_CASES",
    "ORDER_CASES",
    "SNIPPET_CASES",
    "Case",
    "ErrorCase",
    "OrderCase",
    "SnippetCase",
]


@dataclass(frozen=True)
class Case:
    """``query`` (with ``options`` for :meth:`Index.search`) finds exactly ``expect``."""

    query: str
    expect: tuple[str, ...]
    options: dict[str, object] = field(default_factory=dict)
    why: str = ""


@dataclass(frozen=True)
class OrderCase:
    """Hits come in this order of groups; in a date sort, a group (tied) comes by ascending id."""

    query: str
    sort: str
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ErrorCase:
    """``query`` is refused with ``error`` (a class name of corpsearch.errors) at ``position``
    (0-based), with the limits of ``limits`` (module.NAME: value) lowered so a small corpus
    reaches them; ``engines`` limits the case to the engines that have that limit."""

    query: str
    error: str
    position: int
    limits: dict[str, int] = field(default_factory=dict)
    engines: tuple[str, ...] = ()


@dataclass(frozen=True)
class SnippetCase:
    """The hit ``name`` of ``query`` has a snippet marking exactly ``marks`` (lower-cased), cut
    at word boundaries; no marks: the snippet is the start of the hit's text."""

    query: str
    name: str
    marks: frozenset[str] = frozenset()


BEIRUT = {"tz": "Asia/Beirut"}
KIRITIMATI = {"tz": "Pacific/Kiritimati"}  # UTC+14: its 13 September ends at 10:00 UTC

CASES: tuple[Case, ...] = (
    # words, AND by default, OR, NOT and -word, parentheses
    Case("assad", ("S", "C1", "C2")),
    Case("ASSAD", ("S", "C1", "C2"), why="words are matched without regard to case"),
    Case("assad civilians", ("C1", "C2")),
    Case("assad AND civilians", ("C1", "C2")),
    Case("hamza OR chupachups", ("C1", "C4")),
    Case("assad -civilians", ("S",)),
    Case("assad NOT civilians", ("S",)),
    Case("(hamza OR chupachups) author:_mowaten_", ("C4",)),
    # phrases and proximity
    Case('"civil war"', ("S", "C0"), why="comment 0 quotes the article's sentence"),
    Case('"assad regime"', ("S",)),
    Case('"coordinate assad"~3', ("S",), why="three words stand between them"),
    Case(
        '"coordinate assad"~2',
        ("S",),
        why="'coordinating with the Assad regime': word forms match, two words between",
    ),
    Case('="coordinate assad"~2', (), why="exactly as written only 'coordinate … Assad'"),
    Case('"coordinate assad"', ()),
    # a phrase never spans two fields or two documents
    Case('"humanitarian crisis"', ("S", "C0")),
    Case('"humanitarian crisis yea"', (), why="the quote ends, the comment's own words start"),
    Case('"with assad"', ("S",)),
    Case('"with assad with momentum"', (), why="the headline ends, the body starts"),
    Case('"daddy and jr"', ("C0",)),
    Case('"daddy and jr and again"', (), why="comment 0 ends, comment 1 starts"),
    # tokenising never makes a phrase miss: "these days.When you" and "physician.Police" are
    # two words each
    Case('"these days when you utilize margin"', ("timothysykes",)),
    Case('"fund management company depending"', ("timothysykes",)),
    Case('"chief physician police arrested"', ("aeb_e372e42c",)),
    Case("physician", ("aeb_e372e42c",)),
    # prefix and fuzzy
    Case("assad*", ("S", "C1", "C2")),
    Case("chupa*", ("C1",)),
    Case("assd~", ("S", "C1", "C2"), why="one letter missing"),
    Case("asssad~1", ("S", "C1", "C2")),
    Case("assange~ kind:article", ("sott",)),
    # fields and field groups
    Case("headline:(assad OR damascus)", ("S",)),
    Case("headline:damascus", ()),
    Case("body:damascus", ("S",)),
    Case("text:chupachups", ("C1",)),
    Case('quote:"civil war"', ("C0",)),
    Case('text:"civil war"', ()),
    Case('headline:"mobile in 1998"', ("pixelmonkey",)),
    Case('"palm v"', ("pixelmonkey",)),
    Case('"view the internet and the real world"', ("uproxx1",)),
    Case('"der ofen ist vorgeheizt"', ("netzpolitik",)),
    Case("schürze kind:article", ("netzpolitik",)),
    Case("assange kind:article", ("sott",)),
    # whole-value fields
    Case("author:_mowaten_", ("C0", "C2", "C3", "C4")),
    Case("author:_MOWATEN_", ("C0", "C2", "C3", "C4")),
    Case("author:mowaten", (), why="a name's word is matched whole: _mowaten_ is one word"),
    Case("author:imagine_1979", ("C1",)),
    Case("author:_mowaten_|imagine_1979", ("C*",)),
    Case("author:(_mowaten_ OR imagine_1979) chupachups", ("C1",)),
    Case("site:naharnet.com kind:comment", ("C*",)),
    Case("site:www.naharnet.com kind:comment", ("C*",)),
    Case("site:pixelmonkey.org", ("pixelmonkey", "pixelmonkey/0"), why="the page's one comment"),
    Case("lang:de kind:article", ("netzpolitik", "tr_cicero", "tr_skispringen")),
    Case("kind:article", ("@articles",)),
    Case("kind:article|comment site:naharnet.com", ("S", "C*")),
    # articles and comments together
    Case("article:{seed}", ("seed/0", "seed/1", "seed/2", "seed/3", "seed/4")),
    Case("article:{seed} author:_mowaten_", ("seed/0", "seed/2", "seed/3", "seed/4")),
    Case("headline:assad comments:(author:imagine_1979)", ("S",)),
    Case('headline:assad comments:(author:_mowaten_ "civil war")', ("S",)),
    Case("comments:(chupachups)", ("S",)),
    Case("comments:(author:nobody_here)", ()),
    Case("kind:article -comments:(author:_mowaten_)", ("@articles", "-S")),
    # dates: a written date is the whole of its period; UTC unless a zone is given
    Case("date:2014-09-13", ("C*",)),
    Case("date:2014-09", ("C*",)),
    Case("date:2014 site:naharnet.com", ("C*",)),
    Case("date:2013 site:naharnet.com", ()),
    Case("date:[2014-09 TO 2014-10}", ("C*",)),
    Case("date:[2014-09-13 TO *] site:naharnet.com", ("C*",)),
    Case(
        "date:[* TO 2014-09-13T11:43] site:naharnet.com",
        ("C0", "C1"),
        why="a closed end includes its minute",
    ),
    Case("date:{2014-09-13T11:32 TO 2014-09-13T14:24}", ("C1", "C4")),
    Case("date:>=2014-09-13T14:20 site:naharnet.com", ("C2", "C3")),
    Case("date:<2014-09-13T11:40 site:naharnet.com", ("C0",)),
    Case("date:2014-09-13T14:32", ("C0",), BEIRUT),
    Case("date:2014-09-13T14:32", ()),
    Case("date:2014-09-13", (), KIRITIMATI),
    Case("date:2014-09-14 site:naharnet.com", ("C*",), KIRITIMATI),
    Case("date:>now-7d", ()),
    Case("date:[now-30y TO now] site:naharnet.com", ("C*",)),
    Case("date:<now-1y site:naharnet.com", ("C*",)),
    Case("date:2014-12-29 kind:article", ("sitepoint", "uproxx1")),
    Case(
        "date:<2013 kind:article",
        ("pixelmonkey", "goose_slate_fr"),
        why="published 2012-12-30 and 2012-10-29",
    ),
    Case("date:2024-09-16 kind:article", ("telegraph",), why="21:33 in London"),
    Case("date:2024-09-17 kind:article", ("telegraph",), {"tz": "Asia/Tokyo"}),
    Case("date:2024-09-17 kind:article", ()),
    Case("site:naharnet.com -date:[* TO *]", ("S",), why="the seed article shows no date"),
    # languages (fixtures/query-pages): folding, German ae/oe/ue/ss, word forms by the stemmer
    # of each document's language, = for the words as written, names by their words, sites
    # with their subdomains
    Case("osterreich kind:article", ("tr_skispringen",), why="'Marita Kramer aus Österreich'"),
    Case("oesterreich kind:article", ("tr_skispringen",), why="oe is German for ö"),
    Case("=osterreich", (), why="nobody writes it so"),
    Case(
        "=Österreich",
        ("tr_skispringen", "tr_skispringen/2"),
        why="comment 3 has only 'Österreichern'",
    ),
    Case(
        "oesterreich kind:comment site:skispringen.com",
        ("tr_skispringen/2", "tr_skispringen/3"),
        why="'aber auch für Österreich', 'Mit uns Österreichern'",
    ),
    Case("=osterr*", ()),
    Case("osterr* kind:article", ("tr_skispringen",), why="a prefix searches the stems too"),
    Case("Krankenhäuser kind:article", ("tr_cicero",), why="'Krankenhaus', 'in Krankenhäusern'"),
    Case("=Krankenhäuser", ()),
    Case("=pflegeheim kind:article", ("tr_cicero",), why="'Pflegeheim' once, as written"),
    Case("grosskapitals", ("netzpolitik/10",), why="'die Interessen des Großkapitals'"),
    Case("=grosskapitals", ()),
    Case("schuerze kind:article", ("netzpolitik",), why="'der gut sitzenden Schürze'"),
    Case('"olympischen spiel" kind:article', ("tr_skispringen",), why="'Olympische Spiele'"),
    Case('="olympischen spiele"', ("tr_skispringen",), why="'der Olympischen Spiele'"),
    Case(
        "corona* kind:article",
        ("tr_cicero", "tr_skispringen", "xataka"),
        why="'Corona-Pandemie', 'Corona-Tests', 'coronavirus'",
    ),
    Case("coordinaton~", ("S",), why="the headline's 'Coordination', one letter away"),
    Case("wahl", ("tr_cicero/2",), why="'Ob Beatmung die richtige Wahl ist'"),
    Case("author:gunther", ("tr_cicero/5",), why="'Ernst-Günther Konrad', a word of the name"),
    Case('author:"Ernst-Gunther Konrad"', ("tr_cicero/5",), why="the whole name, folded"),
    Case("author:heim", ("tr_cicero/0", "tr_cicero/1", "tr_cicero/7")),
    Case('author:"Heidemarie Heim"', ("tr_cicero/0", "tr_cicero/1", "tr_cicero/7")),
    Case('author:"heidemarie"', (), why="a quoted name is the whole name"),
    Case("author:siepmann", ("netzpolitik",), why="the byline 'Carla Siepmann'"),
    Case("societe", ("goose_slate_fr", "goose_slate_fr/4"), why="'leur dette à la société'"),
    Case("generation kind:article lang:fr", ("goose_slate_fr",), why="'autres générations'"),
    Case("=generation", ()),
    Case(
        "entreprises",
        ("goose_slate_fr/7", "goose_slate_fr/8"),
        why="'quand une entreprise est…', 'Des entreprises en faillites'",
    ),
    Case("=entreprises", ("goose_slate_fr/8",)),
    Case("author:wielgus", ("goose_slate_fr/1", "goose_slate_fr/6", "goose_slate_fr/9")),
    Case("site:slate.fr kind:article", ("goose_slate_fr",)),
    Case("vehiculo", ("xataka",), why="'949.359 vehículos'"),
    Case("espana", ("xataka",), why="'Los coches más vendidos en 2023 y 2024 en España'"),
    Case("=espana", ()),
    Case('"coche mas vendido"', ("xataka",), why="'los coches más vendidos'"),
    Case('="coche mas vendido"', ()),
    Case("author:torre", ("xataka",), why="the byline 'Alberto de la Torre'"),
    Case("civilian", ("C1", "C2", "C3"), why="'bombing of civilians', 'how many were civilians'"),
    Case("=civilian", ()),
    Case("=coordinating", ("S",), why="'we will not be coordinating'; sott has 'coordinated'"),
    Case("author:andy", ("hd_wikimediablog/2",), why="'Andy Mabbett'"),
    Case("author:keller", ("hd_wikimediablog/1", "hd_wikimediablog/3")),
    Case(
        "site:wikimedia.org",
        ("hd_wikimediablog", *(f"hd_wikimediablog/{i}" for i in range(6))),
        why="blog.wikimedia.org lies in wikimedia.org",
    ),
    Case("site:www.blog.wikimedia.org kind:article", ("hd_wikimediablog",)),
    Case("site:telegraph.co.uk", ("telegraph",)),
    Case('"interactive map"', ("hd_wikimediablog",), why="the headline's 'Interactive maps'"),
    Case("=map kind:article", ("hd_wikimediablog",), why="aeb_042bb7b5 has only 'maps'"),
    # options
    Case("assad", ("C1", "C2"), {"kind": "comment"}),
    Case(
        "site:naharnet.com",
        ("C0", "C1"),
        {"kind": "comment", "since": "2014-09-13", "until": "13 Sep 2014 11:50"},
    ),
    Case("site:naharnet.com", ("C2", "C3", "C4"), {"since": "13 Sep 2014 17:00", **BEIRUT}),
)

ORDER_CASES: tuple[OrderCase, ...] = (
    OrderCase("author:_mowaten_", "date", (("C0",), ("C4",), ("C2",), ("C3",))),
    OrderCase("author:_mowaten_", "-date", (("C3",), ("C2",), ("C4",), ("C0",))),
    OrderCase("date:2014-12-29 kind:article", "date", (("uproxx1",), ("sitepoint",))),
    # a word in a headline outranks the same kind of word in a comment
    OrderCase("=coordination OR chupachups", "relevance", (("S",), ("C1",))),
    OrderCase("headline:assad OR chupachups", "relevance", (("S",), ("C1",))),
    OrderCase("jihadist", "relevance", (("S",), ("C1",))),
)

# Every engine refuses the same way: one error class, at the position of the part refused.
ID_SETS = ("whoosh", "tantivy")  # the engines that turn comments:(...) into article ids
ERROR_CASES: tuple[ErrorCase, ...] = (
    ErrorCase("assad AND", "QueryError", 9),
    ErrorCase("kind:blog", "QueryError", 5),
    ErrorCase("assad OR a*", "QueryTooBroadError", 9, {"compiler.MAX_EXPANSION": 5}),
    ErrorCase(
        "headline:assad OR body:de~2", "QueryTooBroadError", 23, {"compiler.MAX_EXPANSION": 5}
    ),
    ErrorCase("author:_mow* OR assad", "QueryTooBroadError", 7, {"compiler.MAX_EXPANSION": 0}),
    ErrorCase(
        "headline:assad comments:(assad OR chupachups)",
        "QueryTooBroadError",
        15,
        {"compiler.MAX_HAS_COMMENTS_ARTICLES": 1},
        ID_SETS,
    ),
    # tantivy compiles two words near each other, and a proximity of up to MAX_CHAINS chains,
    # exactly; a wider one narrows candidates and checks them in stored text, at most
    # MAX_PROXIMITY_CANDIDATES of them
    ErrorCase(
        'assad "civil war in"~999',
        "QueryTooBroadError",
        6,
        {"tantivy_compiler.MAX_PROXIMITY_CANDIDATES": 0},
        ("tantivy",),
    ),
    ErrorCase('assad "civil war"~999', "QueryTooBroadError", 6, engines=("postgres",)),
)

SNIPPET_CASES: tuple[SnippetCase, ...] = (
    SnippetCase("chupachups", "seed/1", frozenset({"chupachups"})),
    SnippetCase('"civil war"', "seed", frozenset({"civil", "war"})),
    SnippetCase('"civil war"', "seed/0", frozenset({"civil", "war"})),
    SnippetCase("chupa*", "seed_html/1", frozenset({"chupachups"})),
    SnippetCase("hamza~ kind:comment", "seed/4", frozenset({"hamza"})),
    SnippetCase("physician", "aeb_e372e42c", frozenset({"physician"})),
    SnippetCase("schürze kind:article", "netzpolitik", frozenset({"schürze"})),
    # the forms a query word matched, as the page writes them
    SnippetCase("civilian kind:comment", "seed/1", frozenset({"civilians"})),
    SnippetCase("oesterreich", "tr_skispringen/3", frozenset({"österreichern"})),
    SnippetCase("osterreich", "tr_skispringen/2", frozenset({"österreich"})),
    SnippetCase("societe", "goose_slate_fr/4", frozenset({"société"})),
    SnippetCase("entreprises", "goose_slate_fr/7", frozenset({"entreprise"})),
    # nothing to mark: the start of the text, cut after a whole word
    SnippetCase("author:_mowaten_", "seed/2"),
    SnippetCase("site:naharnet.com kind:article", "seed"),
    SnippetCase("kind:article lang:de", "netzpolitik"),
)
