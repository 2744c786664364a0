"""A declared charset is read as browsers read it (the WHATWG Encoding Standard's supersets), and
a page of which only a few bytes are invalid in its charset keeps the rest of its characters."""

from __future__ import annotations

import pytest

from corpsearch.extract.charset import decode_page


def _page(charset: str, body: str) -> str:
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>t</title></head><body><p>{body}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("label", "codec", "body"),
    [
        # NEC's circled digit and IBM's kanji: Windows-31J, not in strict Shift_JIS
        ("Shift_JIS", "cp932", "違い ① 髙橋"),
        # a GBK character outside GB2312
        ("gb2312", "gb18030", "评论 镕"),
        # a Unified Hangul Code syllable outside KS X 1001
        ("euc-kr", "cp949", "댓글 똠"),
        # curly quotes at 0x93/0x94: windows-1252 under a Latin-1 label
        ("iso-8859-1", "cp1252", "“café”"),
    ],
)
def test_a_declared_charset_is_read_as_its_superset(label: str, codec: str, body: str) -> None:
    data = _page(label, body).encode(codec)
    # the label's own codec fails on these characters, or reads others (C1 controls)
    assert body not in data.decode(label, errors="replace")
    decoded = decode_page(data)
    assert body in decoded.text
    assert decoded.problem is None


def test_a_few_bad_bytes_are_replaced_and_the_rest_read_as_declared() -> None:
    good = _page("Shift_JIS", "ハードなソフトの話 " * 40).encode("cp932")
    data = good.replace("話".encode("cp932"), b"\x81\xff", 1)  # one invalid pair
    decoded = decode_page(data)
    assert "ハードなソフト" in decoded.text
    assert decoded.problem is not None and "replaced" in decoded.problem


def test_bytes_of_another_charset_still_fall_back_with_a_note() -> None:
    # Japanese bytes under a Korean label: most pairs invalid, nothing is read as declared
    data = _page("euc-kr", "ハードなソフトの話、違いに関する詳細記事 " * 20).encode("cp932")
    decoded = decode_page(data)
    assert decoded.problem is not None
