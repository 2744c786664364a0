"""Words a comment template prints around a comment's fields, by what they are rather than by
the class names around them, in the languages of the month tables: controls ("Permalien",
"Reply", "Жалоба"), role badges beside a name ("Author", "Moderator", "Gast"), and labelled
fields ("Autor: NAME", "<dt>Nick</dt><dd>NAME</dd>", "Voto proposto: 5", "Commento: TEXT").

A comment's fields are read by what each part says when its markup names nothing (a scrambled
or unknown template): a line that is only a control or a badge is no part of the text, a badge
is no part of a name, a labelled author field names the author, a rating line is no text.

Used by :mod:`corpsearch.extract.comment_authors` and :mod:`corpsearch.extract.comment_fields`.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from corpsearch.extract.comment_markup import flat_text

__all__ = [
    "BADGE_OR_CONTROL",
    "CONTROL_LINE",
    "EXPAND_CONTROL",
    "ROLE_ONLY",
    "author_label",
    "is_field_label",
    "is_field_line",
    "is_moderation_notice",
    "label_for_name",
    "labelled_author",
    "labelled_value",
    "strip_role_badge",
    "strip_text_label",
    "without_date_label",
]

# a control that opens the rest of a long comment ("rozwiń komentarz", "show more", "mehr
# anzeigen", "leer más", "voir plus"): no part of the text
_EXPAND = (
    r"show more|read more|see more|view more|expand|expand comment|show full comment|"
    r"read full comment|see full comment|show the full comment|read the full comment|"
    r"mehr anzeigen|mehr lesen|weiterlesen|alles anzeigen|ausklappen|kommentar ausklappen|"
    r"ganzen kommentar (?:anzeigen|lesen)|voir plus|afficher plus|lire la suite|lire plus|"
    r"déplier|voir le commentaire complet|leer más|ver más|mostrar más|seguir leyendo|"
    r"desplegar|ver comentario completo|mostra di più|mostra altro|leggi tutto|leggi di più|"
    r"espandi|ler mais|ver mais|mostrar mais|expandir|lees meer|toon meer|meer weergeven|"
    r"uitklappen|rozwiń|rozwiń komentarz|pokaż więcej|pokaż cały komentarz|czytaj dalej|"
    r"zobacz więcej|więcej|показать полностью|развернуть|читать далее|читать полностью|"
    r"показать ещё|показать еще|розгорнути|читати далі|показати повністю|покажи още|"
    r"виж още|прочети още|виж целия коментар|zobrazit více|číst dál|rozbalit|visa mer|"
    r"läs mer|devamını oku|daha fazla göster|展开|展开全文|查看全文|展開|もっと見る|"
    r"続きを読む|더보기"
)

# a control a template prints in a comment (a permalink, reply, quote or report link, a
# rating or expand control), alone on its line; "Like" and counters are in comment_markup's
# DEBRIS_LINE
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
    r"report this comment|report this post|commentaire abusif|kommentar melden|"
    r"citar mensaje|citar comentario|quote message|quote this comment|"
    # a rating control ("Valorar" with its "Positivo" / "Negativo" buttons)
    r"valorar|votar|positivo|negativo|upvote|downvote|vote up|vote down|"
    rf"{_EXPAND})$",
    re.IGNORECASE,
)
# the same control alone in an element, between brackets or after an ellipsis ("… show
# more", "[rozwiń]", "Read more »")
EXPAND_CONTROL = re.compile(rf"^[\s(\[…]*(?:{_EXPAND})[\s)\]….»›>→]*$", re.IGNORECASE)

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
    r"user(?:name)?|benutzer(?:name)?|utilisateur|usuario|utente|gebruiker(?:snaam)?|"
    r"użytkownik|pseudonim|podpis|пользователь|користувач|псевдоним|потребител|"
    r"投稿者|名前|作成者|작성자|글쓴이"
)
# the label of a date field ("Data dodania", "Datum:", "Posted on"), which a template prints
# beside the date as the author's label beside the name
_DATE_LABEL = (
    r"date|date added|date posted|posted|posted on|added|published|time|datum|erstellt|"
    r"erstellt am|veröffentlicht|geschrieben am|zeit|uhrzeit|publié le|publié|heure|fecha|"
    r"hora|publicado|data|data dodania|dodano|opublikowano|czas|godzina|pubblicato|ora|"
    r"geplaatst|tijd|дата|время|добавлено|опубликовано|дата публикации|додано|"
    r"日時|投稿日|投稿日時|날짜|작성일"
)
_LABELLED_AUTHOR = re.compile(
    rf"(?:^|[,;|·•(]\s*)(?:{_AUTHOR_LABEL})\s*[:：]\s*(?P<name>[^;|·•()\n]{{1,80}}?)\s*"
    r"(?=,\s*[^\s,;:：|·•()][^,;:：|·•()]{0,24}[:：]|[;|·•()\n]|$|"
    # or the label of the next field after a space ("Autor: NAME Datum: DATE")
    rf"\s+(?:{_DATE_LABEL}|{_AUTHOR_LABEL})\s*[:：])",
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


_FIELD_LABEL = re.compile(rf"^(?:{_AUTHOR_LABEL}|{_DATE_LABEL})\s*[:：]?$", re.IGNORECASE)
_AUTHOR_LABEL_ONLY = re.compile(rf"^(?:{_AUTHOR_LABEL})\s*(?P<colon>[:：])?$", re.IGNORECASE)


def is_field_label(text: str) -> bool:
    """A field's label alone ("Nick", "Data dodania", "Datum:"): it names the value beside it
    and is never the commenter's name."""
    return _FIELD_LABEL.match(" ".join(text.split())) is not None


def author_label(text: str, *, colon: bool = True) -> bool:
    """An author field's label alone ("Nick", "Autor:"): the next value is the name; outside
    a term of a description list or a table's head the label ends with a colon."""
    m = _AUTHOR_LABEL_ONLY.match(" ".join(text.split()))
    return m is not None and (not colon or m.group("colon") is not None)


_LABEL_BEFORE_DATE = re.compile(rf"(?:^|(?<=\s))(?:{_DATE_LABEL})\s*[:：]?\s*$", re.IGNORECASE)


def without_date_label(raw: str, date_at: int | None) -> str:
    """``raw`` without the label of the date that starts at ``date_at`` ("NAME Data dodania
    DATE" -> "NAME DATE"): right before a date the word is the field's label, no part of a
    name beside it."""
    if date_at is None:
        return raw
    m = _LABEL_BEFORE_DATE.search(raw, 0, date_at)
    return raw[: m.start()] + raw[date_at:] if m else raw


# the term of a pair whose label needs no colon ("<dt>Nick</dt><dd>NAME</dd>", a table's
# "<th>Name</th><td>NAME</td>"), and the element of its value
_TERMS = {"dt": "dd", "th": "td"}


def labelled_value(el: _Element) -> tuple[_Element | None, str] | None:
    """The value an author label alone names, and the element holding it: the ``dd`` after
    its ``dt`` ("Nick" → NAME), the words or the element after a "Label:" element
    ("<b>Autor:</b> NAME")."""
    if not isinstance(el.tag, str) or any(isinstance(c.tag, str) and flat_text(c) for c in el):
        return None
    if not author_label(flat_text(el), colon=el.tag not in _TERMS):
        return None
    after = el.getnext()
    while after is not None and not isinstance(after.tag, str):
        after = after.getnext()
    value_el: _Element | None = after
    if el.tag in _TERMS:
        if after is None or after.tag != _TERMS[el.tag]:
            return None
        value = flat_text(after)
    elif (el.tail or "").strip():
        value, value_el = " ".join((el.tail or "").split()), None
    elif after is not None:
        value = flat_text(after)
    else:
        return None
    if not value or len(value) > 80 or is_field_label(value):
        return None
    return value_el, value


def label_for_name(el: _Element | None, raw: str) -> bool:
    """A field's label taken for a name: "Datum:", or the term of a pair ("<dt>Data
    dodania</dt><dd>DATE</dd>"); a label word alone elsewhere ("Nick") may be a name."""
    if not is_field_label(raw):
        return False
    if raw.rstrip().endswith((":", "：")):
        return True
    return el is not None and el.tag in _TERMS and el.getnext() is not None


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
