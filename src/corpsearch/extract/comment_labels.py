"""Words a comment template prints around a comment's fields, by what they are rather than by
the class names around them, in the languages of the month tables: controls ("Permalien",
"Reply", "Жалоба"), role badges beside a name ("Author", "Moderator", "Gast"), and labelled
fields ("Autor: NAME", "Voto proposto: 5", "Commento: TEXT").

A comment's fields are read by what each part says when its markup names nothing (a scrambled
or unknown template): a line that is only a control or a badge is no part of the text, a badge
is no part of a name, a labelled author field names the author, a rating line is no text.

Used by :mod:`corpsearch.extract.comment_authors` and :mod:`corpsearch.extract.comment_fields`.
"""

from __future__ import annotations

import re

__all__ = [
    "BADGE_OR_CONTROL",
    "CONTROL_LINE",
    "ROLE_ONLY",
    "is_field_line",
    "is_moderation_notice",
    "labelled_author",
    "strip_role_badge",
    "strip_text_label",
]

# a control a template prints in a comment (a permalink, reply, quote or report link), alone on
# its line; "Like" and counters are in comment_markup's DEBRIS_LINE
CONTROL_LINE = re.compile(
    r"^(?:permalink|permalien|lien permanent|enlace permanente|link permanente|link diretto|"
    r"direktlink|permanenter link|permalink to this comment|link to this comment|"
    r"reply|antworten|antwort|répondre|responder|rispondi|beantwoorden|reageren|odpowiedz|ответить|"
    r"reply with quote|quote and reply|mit zitat antworten|antworten mit zitat|"
    r"répondre avec citation|responder con cita|rispondi citando|ответить с цитатой|"
    r"返信|답글|回复|"
    r"quote|zitieren|citer|citar|cita|citeren|cytuj|цитировать|цитата|引用|"
    r"report|report abuse|flag|melden|signaler|denunciar|segnala|rapporteren|zgłoś|"
    r"жалоба|пожаловаться|通報|신고|举报|"
    r"report this comment|report this post|commentaire abusif|kommentar melden)$",
    re.IGNORECASE,
)

# badges that say what a commenter is and are never the commenter's name on their own
_ROLE_WORDS = (
    r"post author|article author|author|autor(?:in)?|auteur|autore|moderator(?:in)?|"
    r"modérateur|moderador|moderatore|moderatorka|модератор|автор|verified|verifiziert|"
    r"vérifié|verificado|verificato|geverifieerd|op|staff|team"
)
ROLE_ONLY = re.compile(rf"^(?:{_ROLE_WORDS})$", re.IGNORECASE)
# what a badge may also say beside a name, though alone it can be the shown name ("Guest",
# "Admin", "Redaktion" sign comments as such)
_BESIDE_NAME = (
    rf"{_ROLE_WORDS}|admin|administrator|administrateur|administrador|amministratore|"
    r"guest|gast|invité|invitado|ospite|gość|гость|member|mitglied|membre|miembro|membro|"
    r"editor|redaktion|rédaction|redacción|redazione|redactie|redakcja|редакция"
)
# a line that is only a badge or a control: never the first or last line of a comment's words
BADGE_OR_CONTROL = re.compile(rf"^(?:{_BESIDE_NAME})$", re.IGNORECASE)
# after a separator ("Ruben•Author", "NAME | Moderator") any badge; after a space only those that
# no name ends with
_BADGE_AFTER = re.compile(
    rf"(?:\s*[•·|/]\s*(?:{_BESIDE_NAME})|\s+(?:moderator(?:in)?|modérateur|moderador|"
    r"moderatore|модератор|verified|verifiziert|vérifié|verificado|verificato|administrator|"
    r"administrateur|post author))\.?$",
    re.IGNORECASE,
)


def strip_role_badge(name: str) -> str:
    """``name`` without a badge after it ("Ruben•Author" -> "Ruben"); a name that is only a
    badge stays as it is."""
    cut = _BADGE_AFTER.sub("", name).strip()
    return cut if cut else name


# labelled fields: "Autor: NAME", "Name: NAME", "投稿者：NAME"; the value runs to the next
# labelled field of the line ("Dodano: DATE, Autor: NAME, Adres IP: …") or a separator other
# than a comma, since a signature may hold a comma of its own ("Autor: Jan Nowak, radny
# dzielnicy, Adres IP: …")
_AUTHOR_LABEL = (
    r"author|posted by|written by|name|nickname|nick|autor|verfasser(?:in)?|auteur|pseudo|"
    r"nom|autore(?: del commento)?|nome|nombre|naam|imię|nazwa|nick|автор|имя|ник|"
    r"投稿者|名前|作成者|작성자|글쓴이"
)
_LABELLED_AUTHOR = re.compile(
    rf"(?:^|[,;|·•(]\s*)(?:{_AUTHOR_LABEL})\s*[:：]\s*(?P<name>[^;|·•()\n]{{1,80}}?)\s*"
    r"(?=,\s*[^\s,;:：|·•()][^,;:：|·•()]{0,24}[:：]|[;|·•()\n]|$)",
    re.IGNORECASE,
)


def labelled_author(line: str) -> str | None:
    """The value of an author field on a short line ("Dodano: 02.03.2021, Autor: NAME")."""
    line = " ".join(line.split())
    if not line or len(line) > 200:
        return None
    m = _LABELLED_AUTHOR.search(line)
    if not m:
        return None
    name = m.group("name").strip()
    head, comma, tail = name.partition(",")
    if comma and (re.search(r"\d", tail) or len(name) > 60):
        # what follows the comma is a date or number, no part of a signature ("Autor: Jan,
        # 03.03.2021"), or the value ran on too far to be one name
        name = head.strip()
    return name or None


# a rating, vote or address field, alone on its line: "Voto proposto: 5", "Valoración: 4/5",
# "Rating: ★★★★☆", "Adres IP: 83.21.144.*" (and a count of the commenter's, below)
_FIELD_LINE = re.compile(
    r"^(?:rating|vote|voto(?: proposto)?|score|stars|note|bewertung|wertung|valoración|"
    r"valoracion|puntuación|calificación|valutazione|voto|évaluation|ocena|оценка|рейтинг|"
    r"waardering|beoordeling|cijfer|評価|평점|ip|ip address|adres ip|ip-adresse|adresse ip|"
    r"dirección ip|indirizzo ip)\s*[:：]\s*[\w./*★☆+-]{0,12}(?:\s*/\s*\d+)?$",
    re.IGNORECASE,
)


# a statistic of the commenter's account that a template prints in every record: "Kommentare:
# 412", "Posts: 1,204", "Beiträge: 38"; the value is a count
_STAT_LINE = re.compile(
    r"^(?:comments|posts|messages|replies|answers|points|karma|reputation|kommentare|beiträge|"
    r"antworten|nachrichten|punkte|commentaires|messages|réponses|comentarios|mensajes|"
    r"respuestas|commenti|messaggi|risposte|comentários|mensagens|reacties|berichten|"
    r"komentarze|posty|wiadomości|odpowiedzi|комментарии|сообщения|ответы)\s*[:：]\s*"
    r"\d[\d.,\s]{0,9}$",
    re.IGNORECASE,
)


def is_field_line(line: str) -> bool:
    line = " ".join(line.split())
    return bool(_FIELD_LINE.match(line) or _STAT_LINE.match(line))


# the label a template prints before the comment's own words ("Commento: TEXT")
_TEXT_LABEL = re.compile(
    r"^(?:comment|commento|kommentar|commentaire|comentario|comentário|komentarz|reactie|"
    r"комментарий|message|messaggio|nachricht|mensaje|mensagem|wiadomość|bericht|сообщение|"
    r"text|texto|testo|treść|コメント|본문)\s*[:：]\s+",
    re.IGNORECASE,
)


def strip_text_label(text: str) -> str:
    """``text`` without a field label before its first words."""
    m = _TEXT_LABEL.match(text)
    return text[m.end() :] if m and len(text) > m.end() else text


# the template's notice that a comment waits for approval, in the commenter's own language: "Your
# comment is awaiting moderation.", "Dein Kommentar wird von uns überprüft …", "Votre
# commentaire est en attente de modération.", "あなたのコメントは承認待ちです。"
_NOTICE = re.compile(
    r"(?:\b(?:your|dein|ihr|votre|ton|tu|su|il tuo|uw|je|twój|ваш)\s+(?:comment|kommentar|"
    r"beitrag|commentaire|comentario|comentário|commento|reactie|komentarz|комментарий)\s+"
    r"(?:[^\W\d_]+\s+){0,3}?(?:is|has been|will be|must be|wird|muss|ist|est|sera|doit|a été|"
    r"está|será|ha sido|debe|è|sarà|deve|wordt|moet|zostanie|został|musi|будет|был|должен)\b"
    r".{0,60}?(?:moderat|await|pending|approv|review|wartet|freigegeben|freigeschaltet|"
    r"freischaltung|überprüft|geprüft|attente|validé|aprobación|aprobado|revisión|revisado|"
    r"approvazione|approvato|goedkeuring|goedgekeurd|beoordeeld|moderac|akceptac|модерац|"
    r"провер)|awaiting moderation|en attente de modération|pendiente de moderación|"
    r"in attesa di moderazione|oczekuje na moderację|ожидает модерации|"
    r"(?:承認|認証)待ち)",
    re.IGNORECASE,
)


def is_moderation_notice(line: str) -> bool:
    """A short line that is the template's notice of a comment waiting for approval."""
    line = " ".join(line.split())
    return len(line) <= 160 and _NOTICE.search(line) is not None
