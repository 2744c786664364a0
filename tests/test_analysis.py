"""corpsearch.analysis: folding, stemming by language, and the query side, on real sentences of
the fixture pages (fixtures/query-pages/) and the seed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpsearch import analysis
from corpsearch.analysis import (
    PLAIN,
    QueryAnalyser,
    analyse,
    analyse_text,
    analyser_of,
    exact_words,
    fold,
    fold_value,
    marked_words,
    name_words,
    site_keys,
    words,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "query-pages"


def test_folding_takes_case_and_accents_off_latin_letters() -> None:
    assert fold("Österreich") == "osterreich"
    assert fold("Société") == "societe"
    assert fold("Straße") == "strasse"
    assert fold("España") == "espana"
    assert fold("Łódź") == "lodz"
    # other scripts keep the marks that make their letters: й is not и
    assert fold("Йогурт") == "йогурт"
    assert fold("ёлка") == "елка"


def test_each_language_has_its_stemmer_and_unknown_ones_are_folded() -> None:
    for code, name in [("de", "german"), ("fr", "french"), ("es", "spanish"), ("en", "english")]:
        assert analyser_of(code) == name
    for code in ("it", "pt", "nl", "da", "sv", "no", "fi", "ru", "pl"):
        assert analyser_of(code) != PLAIN
    assert analyser_of("de-AT") == "german"
    assert analyser_of("ja") == analyser_of(None) == PLAIN


def test_word_forms_of_real_sentences_share_their_stem() -> None:
    # tr_cicero (de): "ins Krankenhaus" … "in Krankenhäusern"; "Pflegeheim…" "in Pflegeheimen"
    assert analyse("Krankenhaus Krankenhäusern", "de") == ["krankenhaus", "krankenhaus"]
    assert analyse("Pflegeheim Pflegeheimen", "de") == ["pflegeheim", "pflegeheim"]
    # goose_slate_fr (fr): "leur dette à la société", "aux autres générations"
    assert analyse("société sociétés", "fr") == analyse("societe societe", "fr")
    assert analyse("générations", "fr") == analyse("generation", "fr")
    # xataka (es): "los coches más vendidos", "949.359 vehículos"
    assert analyse("coches vehículos", "es") == analyse("coche vehiculo", "es")
    # the seed (en): "bombing of civilians"
    assert analyse("civilians", "en") == analyse("civilian", "en") == ["civilian"]
    # no stemmer: folded only
    assert analyse("Sociétés", None) == ["societes"]


def test_one_analysed_word_per_word_keeps_positions() -> None:
    text = "Die Zahlen aus der Zeit vor Covid-19 zeigen, dass die Wahrscheinlichkeit größer ist"
    analysed = analyse_text(text, "de").split(" ")
    assert len(analysed) == len(exact_words(text)) == 14
    assert analysed[-2] == "gross"  # größer
    assert exact_words(text)[-2] == "größer"


def test_query_words_stand_for_their_stems_in_each_language_of_the_index() -> None:
    index = QueryAnalyser.of_languages(["de", "en", None])
    assert index.word("Wahlen") == ("wahl", "wahlen")  # German stem, English and plain forms
    assert QueryAnalyser.of_languages(["de"]).word("Wahlen") == ("wahl",)
    # ä ö ü typed as ae oe ue match in documents of any language
    assert "osterreich" in index.word("Oesterreich")
    assert "muller" in QueryAnalyser.of_languages(["en"]).word("Mueller")
    # a phrase is one tuple per analyser, not every mix of them
    assert QueryAnalyser.of_languages(["de", "en"]).phrase("die Wahlen") == (
        ("die", "wahl"),
        ("die", "wahlen"),
    )
    assert QueryAnalyser.of_languages([]).word("Société") == ("societe",)


def test_snippets_mark_every_form_of_the_word() -> None:
    # the dev page tr_skispringen (de)
    text = (
        "Die Gesamtweltcupführende Marita Kramer aus Österreich wird das Saisonhighlight "
        "aufgrund positiver Corona-Tests verpassen, wie der Österreichische Skiverband (ÖSV) "
        "mitteilten. Mit uns Österreichern kann man ja alles machen"
    )
    terms = QueryAnalyser.of_languages(["de"]).word("osterreich")
    assert marked_words(text, "de", terms) == {"österreich", "österreichische", "österreichern"}
    assert marked_words(text, "de", ()) == set()


def test_names_and_sites() -> None:
    assert name_words("Ernst-Günther Konrad") == ["ernst", "gunther", "konrad"]  # tr_cicero
    assert name_words("_mowaten_") == ["_mowaten_"]  # the seed: one word
    assert fold_value("Ing Javier Sánchez  González") == "ing javier sanchez gonzalez"
    assert site_keys("blog.wikimedia.org") == ["blog.wikimedia.org", "wikimedia.org"]
    assert site_keys("www.spiegel.de") == ["spiegel.de"]
    assert site_keys("naharnet.com") == ["naharnet.com"]
    assert site_keys("") == []


_TEXTS = st.text(
    alphabet=st.sampled_from(list("aZé_9 .,’—\n\t-ßÖ\u00a0йΣ🙂'\"")) | st.characters(), max_size=60
)


@given(_TEXTS, st.sampled_from(["de", "en", "fr", None]))
def test_fast_analysis_is_the_analysis_of_every_word(text: str, lang: str | None) -> None:
    """Texts are cut at C speed into pieces looked up whole (corpsearch.analysis); the words
    and their analysed forms are still those of the \\w+ runs, one by one, in order."""
    runs = re.findall(r"\w+", text)
    assert words(text) == runs
    assert analyse(text, lang) == [analyse(run, lang)[0] for run in runs]
    assert analyse_text(text, lang).split() == analyse(text, lang)
    forms = {analyse(run, lang)[0] for run in runs[:2]}
    expected = {run.lower() for run in runs if analyse(run, lang)[0] in forms}
    assert marked_words(text, lang, forms) == expected


@given(_TEXTS, _TEXTS, st.sampled_from(["de", "en", "ru", None]))
def test_both_streams_are_the_words_of_each_field(body: str, quote: str, lang: str | None) -> None:
    """The extraction workers cut each text into pieces once and take both streams from them
    (corpsearch.analysis.Streams): the exact stream is every \\w+ run lower-cased
    (exact_words), the analysed one analyse_text's, field by field and passage by passage."""
    from corpsearch.passages import PASSAGE_JOIN, quote_passages

    joined = PASSAGE_JOIN.join([quote, body])
    streams = analysis.Streams.of(body, body, "", joined, lang)
    assert streams.exact_of("headline").split() == exact_words(body)
    assert streams.exact_of("body").split() == exact_words(body)
    assert streams.exact_of("text") == ""
    assert streams.body == analyse_text(body, lang)
    passages = quote_passages(joined)
    assert [e.split() for e in streams.quote_exact] == [exact_words(p) for p in passages]
    assert list(streams.quote) == [analyse_text(p, lang) for p in passages]
    assert analysis.exact_text(body).split() == exact_words(body)


def test_both_streams_hold_when_the_caches_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real page text analysed with caches emptied every few hundred pieces: the same streams."""
    raw = (FIXTURES / "netzpolitik.html").read_bytes().decode("utf-8", "replace")
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    chunks = [text[start : start + 3000] for start in range(0, len(text), 3000)]
    monkeypatch.setattr(analysis, "_CACHE_LIMIT", 300)
    for chunk in chunks:
        streams = analysis.Streams.of("", chunk, "", "", "de")
        assert streams.exact_of("body").split() == exact_words(chunk)
        assert streams.body.split() == [analyse(run, "de")[0] for run in words(chunk)]


def test_snippet_words_inside_punctuation_are_the_words_themselves() -> None:
    # "dogs’" and "don’t" are pieces with a non-word character inside: the marked words are
    # the \w+ runs as the exact stream holds them
    text = "The dogs’ owners don’t agree—„Wahlen“ sind wichtig."
    assert marked_words(text, "en", {"dog", "don"}) == {"dogs", "don"}
    assert marked_words(text, "de", {"wahl"}) == {"wahlen"}
    assert marked_words(text, "en", (), ("own",)) == {"owners"}


def _reference_marks(text: str, lang: str, forms: set[str], starts: tuple[str, ...]) -> set[str]:
    """The words a snippet marks, found word by word (what marked_words computes faster)."""
    runs = re.findall(r"\w+", text)
    return {
        run.lower()
        for run in runs
        if analyse(run, lang)[0] in forms or analyse(run, lang)[0].startswith(starts or ("\0",))
    }


@pytest.mark.parametrize(
    ("page", "lang", "forms", "starts"),
    [
        ("netzpolitik.html", "de", {"antwort", "arbeit", "tradwiv"}, ()),
        ("tr_cicero.html", "de", {"krankenhaus", "pflegeheim", "mensch"}, ("medizin",)),
        ("goose_slate_fr.html", "fr", {"octobr", "expliqu"}, ("proven",)),
        ("xataka.html", "es", {"enchuf", "matricul", "automovil"}, ("electr",)),
    ],
)
def test_snippet_marks_of_real_pages_hold_when_the_cache_empties(
    monkeypatch: pytest.MonkeyPatch, page: str, lang: str, forms: set[str], starts: tuple[str, ...]
) -> None:
    """marked_words finds the pieces holding a form through an index of the cached pieces; it
    must stay right when the cache is emptied (here every few hundred pieces) and refilled."""
    raw = (FIXTURES / page).read_bytes().decode("utf-8", "replace")
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    expected = _reference_marks(text, lang, forms, starts)
    assert expected  # the page holds forms of these words
    monkeypatch.setattr(analysis, "_CACHE_LIMIT", 300)
    for start in range(0, len(text), 5000):
        chunk = text[start : start + 5000]
        assert marked_words(chunk, lang, forms, starts) == _reference_marks(
            chunk, lang, forms, starts
        )
    # chunks small enough to stay cached: the second time, every piece is found in the cache
    # (and the pieces holding the forms were listed before the cache last grew or emptied)
    for start in range(0, len(text), 400):
        chunk = text[start : start + 400]
        for _ in range(2):
            assert marked_words(chunk, lang, forms, starts) == _reference_marks(
                chunk, lang, forms, starts
            )
    monkeypatch.setattr(analysis, "_CACHE_LIMIT", 200_000)
    assert marked_words(text, lang, forms, starts) == expected
