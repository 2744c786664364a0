"""A comment's row of controls read as text: reply, report, like, dislike, share and collect
links, with or without their counts, one after another on a line ("查看回复 3 举报", "回复 踩0
赞104", "返信 いいね！ 12", "답글 신고 좋아요 5", "Reply · Report · 12 likes").

A template prints its controls under every comment, and when no element marks the comment's
text they are read with it. What tells them apart from a commenter's words is their shape: only
control words and counts, in any language the word list holds, and nothing else; the words of a
sentence never run so. A single bare word ("赞", "Like") may be a reader's whole comment or its last line, so only a
line of two different controls, or of a control with its count, is taken for the row, with the
lines of single controls next to it (a row wrapped over lines: "回复 踩0 赞104", then "收藏").

Used by :mod:`corpsearch.extract.comment_markup`, which reads a comment's text without them.
"""

from __future__ import annotations

import re

__all__ = ["is_control_run"]

# controls of Chinese (simplified and traditional), Japanese and Korean templates: written
# without spaces between them, so no word boundary is asked for
_CJK_WORDS = (
    # Chinese: view replies, reply, report, like, dislike, collect, share, forward, quote
    "查看更多回复|查看全部回复|查看回复|查看回覆|展开回复|展開回覆|收起回复|回复|回覆|回應|答复|"
    "举报|舉報|检举|檢舉|投诉|點讚|點贊|点赞|赞同|赞|讚|贊|踩|顶|頂|收藏|取消收藏|分享|转发|"
    "轉發|引用|删除|刪除|编辑|編輯|支持|反对|反對|评论|評論|"
    # Japanese: show replies, reply, report, like, share, quote, delete, agree / disagree
    "返信を表示|返信する|返信|通報する|通報|違反報告|いいね！|いいね|共有|シェア|削除|編集|"
    "そう思わない|そう思う|"
    # Korean: reply, report, like, dislike, agree, recommend, share, quote, delete, edit
    "답글쓰기|답글 달기|답글|댓글|신고하기|신고|좋아요|싫어요|비공감|공감|비추천|추천|반대|공유|"
    "삭제|수정|인용"
)
# controls of templates in languages written with spaces: whole words only
_SPACED_WORDS = (
    r"reply|replies|report|flag|like|likes|dislike|dislikes|unlike|share|quote|upvote|downvote|"
    r"vote|votes|edit|delete|permalink|points?|antworten|antwort|melden|teilen|gefällt mir|"
    r"zitieren|répondre|signaler|partager|j'aime|citer|responder|denunciar|compartir|me gusta|"
    r"citar|rispondi|segnala|condividi|mi piace|cita|reageer|reageren|beantwoorden|delen|"
    r"odpowiedz|zgłoś|udostępnij|lubię to|cytuj|ответить|пожаловаться|поделиться|нравится|"
    r"цитировать|жалоба"
)
# icons a template shows for its counters
_ICONS = "👍|👎|❤️|❤|♥|♡|💬|⭐|☆|★"
_LETTER = r"a-zà-ÿāăąćčďđēėęěğīįıłńňőœřśşšťūůűųźżžа-яё"
_WORD = rf"(?:{_CJK_WORDS}|{_ICONS}|(?<![{_LETTER}])(?:{_SPACED_WORDS})(?![{_LETTER}]))"
# a count beside a control: "3", "(12)", "1.2k", "3万", "5条", "[0]", "+4"
_COUNT = r"[(\[（【]?\s*[+-]?\d[\d,.]*\s*(?:[kmw万千]|개|件|条|條|个|個)?\s*[)\]）】]?"
_SEP = r"[\s|·•/・]*"
_ITEM = re.compile(rf"{_SEP}(?:(?P<word>{_WORD})|(?P<count>{_COUNT}))")

# a line no longer than the longest row of controls a template prints
_MAX_LINE = 80


def is_control_run(line: str, *, strict: bool = True) -> bool:
    """Whether ``line`` is only control words, their counts and separators. ``strict`` asks
    more than one word (two different ones, or one with a count), as a bare "赞" or "Like"
    may be all a reader wrote; a line of counts alone is no run of controls."""
    line = " ".join(line.split()).lower()
    if not line or len(line) > _MAX_LINE:
        return False
    words: set[str] = set()
    counted = False
    at = 0
    while at < len(line):
        m = _ITEM.match(line, at)
        if m is None or m.end() == at:
            if re.fullmatch(_SEP, line[at:]) is None:
                return False
            break
        if m.group("word"):
            words.add(m.group("word"))
        else:
            counted = True
        at = m.end()
    return _enough(words, counted, strict)


def _enough(words: set[str], counted: bool, strict: bool) -> bool:
    if not words:
        return False
    return not strict or len(words) >= 2 or counted
