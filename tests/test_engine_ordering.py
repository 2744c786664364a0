"""Sort keys and the proximity rule shared by engines that need them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpsearch.engine.ordering import in_order, mark, sort_keys, stable_order

DATES = st.one_of(st.none(), st.integers(min_value=-(2**33), max_value=2**33))
IDS = st.text(alphabet="0123456789abcdef", min_size=1, max_size=16)


@given(a=st.tuples(DATES, IDS), b=st.tuples(DATES, IDS))
def test_sort_keys_never_contradict_date_then_id(
    a: tuple[int | None, str], b: tuple[int | None, str]
) -> None:
    def oldest_first(doc: tuple[int | None, str]) -> tuple[bool, int, str]:
        return (doc[0] is None, doc[0] or 0, doc[1])

    def newest_first(doc: tuple[int | None, str]) -> tuple[bool, int, str]:
        return (doc[0] is None, -(doc[0] or 0), doc[1])

    (asc_a, desc_a), (asc_b, desc_b) = sort_keys(*a), sort_keys(*b)
    if asc_a < asc_b:
        assert oldest_first(a) < oldest_first(b)
    if desc_a > desc_b:
        assert newest_first(a) < newest_first(b)


def test_stable_order_reads_ids_only_for_equal_keys() -> None:
    read: list[str] = []

    def id_of(value: str) -> str:
        read.append(value)
        return value

    ordered = stable_order([(2, "b"), (1, "z"), (2, "a"), (3, "c")], id_of)
    assert [v for _, v in ordered] == ["z", "a", "b", "c"]
    assert sorted(read) == ["a", "b"]


def test_in_order_counts_words_between_each_pair() -> None:
    words = ["number", "10", "said", "the", "parliamentary", "commissioner", "for", "standards"]
    assert in_order(words, ["number", "the", "standards"], 3)
    assert not in_order(words, ["number", "the", "standards"], 2)
    assert not in_order(words, ["the", "number"], 5)  # order matters
    assert in_order(["a", "a"], ["a", "a"], 0)


def test_mark_counts_bytes_of_utf8() -> None:
    assert mark("café  olé", [(7, 11)]) == "café <mark>olé</mark>"
