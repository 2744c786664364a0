"""Gate on the whole extraction pipeline (sources → extract), scored like
benchmarks/score_extraction.py on a pinned subset: 40 pages of the article-extraction benchmark
and every labelled comment page. The minimums sit slightly below the measured figures
(docs/extraction.md), so a change that makes extraction worse fails here."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from .conftest import ROOT, SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "article-extraction-benchmark").is_dir()
    or not (SHARED_DATA / "comment-pages").is_dir(),
    reason="the shared data sets (shared/data next to the checkout) are not available",
)

# every fourth page of the benchmark in name order (measured F1 0.980 on these)
BENCHMARK_PAGES = [
    "042bb7b5fedab6eac7db576522b89b93904c237d344bcbe14a6a5ab7f7335856",
    "06ee193de4bd611f7fafbab0c59b0f6fe3495093516720632cd093b24c7a0e98",
    "0d46122928b6f468cc4bbc694051d0dbae5702bc75a16dab82a99b58daf150a0",
    "11ea381ad92b5448cf66eae62f52ac565361a244c8881615fc6a7bb523cc0c32",
    "1ace8c85aaee21b9d4505eca506d50c4721c29db62848b567a9703bfe0583892",
    "21486419bb109c5a62a68957f528e6ff29c92f58d8d3c1f2837c86ff3f3e11f9",
    "287e4d9f4af31733aad6534aefb2bd00fb344ec8d6ebf1ac99dbc4d762da0ca4",
    "30b771a40a4e96156d398716c877deef54b05d091770d2717c98e4c6b670010c",
    "359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea",
    "39d5c43beb60605c3eec760c99500e62e7bd71ebbe4ae05edf382125e1b0b80a",
    "3cb5e2f46626d5bb0345759453036f7eabc0b0c7796b796513606bf693060ced",
    "42aad16bde9288623543642a9ce1a396be83e2db44aa2ff8cbbfe46e14abd7cc",
    "51374560f40088e227f0053ff1bb0b8525d10a8d7bfbff1cd6033f42347fd85b",
    "57b4dafd18cfd0531b69f81e87158648227c673ef159f8d8c87d34e34bdb21f2",
    "5ae11e580afc12d3ba1a12944281e6a7a5dded5c98b4efcf24aedcb28f0d5b22",
    "5fa3154ec031ab35411a457d78eb5aa92c0e803c5329bd05c001e6d64009e206",
    "624fcd903d56fc7055fa7097b330629450c095ad6937318deb027be7803bbf35",
    "65ce3a4577a0306994efa190a0d96e84014f9d4257ad54753e807ede518f02c0",
    "6ebac05f637ece8aa57c298a2a5e3a8047f546f855d0f29cc683cea60ce85c85",
    "7837c9d66c815b9a21dd669a3dc21677c3f084b1b7dd603d56e87867d8970dd3",
    "7a664e40d256470fdb12d10c3f8d1c6db0581e9b080c71765e55f273a3ac7d03",
    "7dfc3e359d7c0ca48ac9046ae5759286cedf80abe7526fc6c6e6546b9ba43e33",
    "833caf3bdba53dcf48de273cf646370eebe9ac565744b0d0e941e298e1b79730",
    "8634d1211c3f2b73041e6cadd5d59676619838949999a83a23c51a3195b44892",
    "8b194530308204139d9c8f7d495a26b117c78756ac1802cfc3c0a8bfdf2c0d50",
    "95301fb7883e0ee5214d1111554d30dd97e08c6380d7699369c0b9c15f42e6aa",
    "9da36ae4714bfccc72374c6c146e9d1cd3cca39e2110bd67ccdbcc806f4cf139",
    "a078b3656adc0295d0e37bd4f599342f4a0894da2451e0ef3038ac045434fef3",
    "aadb38e527d5379306de3b910ec62cb2447cc1035686b2b2d152580f8f8a1ea2",
    "ad826691a8a2f9c4ce50cf0b885af933c4b5119c1f6235cd7df1dfb83f255bcc",
    "b37be3535e1fb61e5a238b7fa1ead1ad98b651cb09f138efadac3d54a122fb21",
    "ba07d1e64775f4090e39116c382111f5a2cfe9528dd179673f4e9bfcea370c15",
    "bdb56ac83513635db1d8b9eb46b2da4c0de8da2f1f28f5bf5163df3eb3d3ec06",
    "c4a3637c6696f238cf9fe1c7fbb17bbb6731a71d4f5fe399b9b4fc3294a96a6b",
    "c69e539d689a8335a69042727f1b58edab09d5d99fb607ec625a63151a537dc2",
    "c90731f051d033e49e4cfcc920895051bbc3b54ef1a11519abcf22a115c3aa79",
    "d1c57d7821e5a5b27fb468c59489601bb2a042b1c05221166e3221d2b5dc217f",
    "db6b0816c612296c7f1f001c6df874214fcca0da0fc86fb3aea9358c7f681754",
    "e1c7023ee2148901b086256fdd30a0893d10b0720b510d5ff07a021109347266",
    "e593d7fe88f9f5cd6587ac172be2db6055d40b6f071023f97ab1ce373534261e",
]

MIN_BODY_F1 = 0.97
# measure: minimum share (measured: all 1.0 except date 37/38 and text 286/288)
MIN_SHARE = {
    "read": 1.0,
    "headline": 0.97,
    "date": 0.94,
    "body_first_sentence": 0.97,
    "body_last_sentence": 0.96,
    "matched": 0.98,
    "author": 0.98,
    "time": 0.98,
    "text": 0.97,
}
MAX_FALSE = 3  # false comments on the pages with comments (measured 0)
MAX_INVENTED = 0  # comments on the pages without any (measured 0)


@pytest.fixture(scope="module")
def bench() -> Any:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import score_extraction

    return score_extraction


def test_body_f1_on_the_pinned_benchmark_pages(bench: Any) -> None:
    run = bench.run_pages(bench.benchmark_paths(BENCHMARK_PAGES))
    assert not run.failures
    scores = bench.score_benchmark(run)
    assert scores["pages"] == len(BENCHMARK_PAGES)
    assert scores["f1"] >= MIN_BODY_F1, scores


def test_article_fields_and_comments_on_every_comment_page(bench: Any) -> None:
    golds = bench.comment_golds()
    run = bench.run_pages(bench.PAGES / gold["file"] for gold in golds)
    assert not run.failures
    scores = bench.score_comment_pages(run, golds)
    assert scores["matched"][1] == 288
    shares = {key: right / of for key, (right, of) in scores.items() if key in MIN_SHARE}
    below = {key: share for key, share in shares.items() if share < MIN_SHARE[key]}
    assert not below, (below, scores)
    assert scores["false"][0] <= MAX_FALSE
    assert scores["invented"] == (MAX_INVENTED, 10)


# set 2: sites and templates that set 1 does not have, the first three comments of a page
# labelled (measured: found 89/89, author 89/89, time 80/80, text 85/89, headline 51/51,
# day 49/50)
SET2_MIN_SHARE = {
    "read": 1.0,
    "headline": 0.97,
    "date": 0.95,
    "matched": 0.97,
    "author": 0.96,
    "time": 0.97,
    "text": 0.93,
}


@pytest.mark.skipif(
    not (SHARED_DATA / "comment-pages-2").is_dir(), reason="comment-pages-2 is not available"
)
def test_article_fields_and_comments_on_the_second_comment_set(bench: Any) -> None:
    golds = bench.comment_golds(bench.PAGES2)
    run = bench.run_pages(bench.PAGES2 / gold["file"] for gold in golds)
    assert not run.failures
    scores = bench.score_comment_pages(run, golds)
    assert scores["matched"][1] == 89
    shares = {key: right / of for key, (right, of) in scores.items() if key in SET2_MIN_SHARE}
    below = {key: share for key, share in shares.items() if share < SET2_MIN_SHARE[key]}
    assert not below, (below, scores)
    assert scores["invented"] == (0, 20)
    output, present = scores["output"]  # every comment of the HTML, not only the labelled ones
    assert present == 595 and abs(output - present) <= 6, scores["output"]


# the project's labels of the benchmark pages' headlines and days (first measured on all 176
# pages, before the changes made for them: headline 174/176, day 157/170; on the pinned 40,
# 39/40 and 34/40; now 40/40 and 39/40 there)
def test_headline_and_day_on_the_pinned_benchmark_pages(bench: Any) -> None:
    run = bench.run_pages(bench.benchmark_paths(BENCHMARK_PAGES))
    scores = bench.benchmark_fields(run)
    assert scores["headline"] == (40, 40), scores
    assert scores["date"][1] == 40 and scores["date"][0] >= 38, scores
