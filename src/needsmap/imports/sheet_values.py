"""Reading the values people type in spreadsheets: 'Hoog', 'Must have', '4/5', 'ja', '80%'.

Each ``read_*`` function takes the text of one cell and returns the workshop
value, or raises :class:`ValueNotUnderstood` with a message that says what
would have been understood.  Words are recognised in English, Dutch, German
and French, ignoring case, accents and punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from needsmap.format.naming import name_key


class ValueNotUnderstood(ValueError):
    """The cell's text is not one of the accepted spellings; the message lists them."""


def _table(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, words in groups.items():
        for word in (value, *words):
            key = name_key(word) or word.strip()  # symbols ("✓", "-", "?") are kept as they are
            out[key] = value
    return out


def _key(text: str) -> str:
    return name_key(text) or text.strip()


_LEVELS = _table(
    {
        "high": ("h", "hi", "hoog", "groot", "veel", "hoch", "eleve", "haut", "fort", "strong", "sterk", "large"),
        "medium": (
            "m",
            "med",
            "mid",
            "middle",
            "gemiddeld",
            "middel",
            "midden",
            "matig",
            "mittel",
            "moyen",
            "moyenne",
            "moderate",
        ),
        "low": ("l", "lo", "laag", "klein", "weinig", "niedrig", "gering", "faible", "bas", "basse", "weak", "small"),
    }
)
_MOSCOW = _table(
    {
        "must": (
            "must have",
            "m",
            "moet",
            "moet hebben",
            "muss",
            "doit",
            "required",
            "verplicht",
            "essential",
            "essentieel",
            "mandatory",
            "critical",
            "kritiek",
            "yes",
            "ja",
            "x",
        ),
        "should": (
            "should have",
            "s",
            "zou moeten",
            "zou",
            "sollte",
            "soll",
            "devrait",
            "important",
            "belangrijk",
            "wichtig",
        ),
        "could": (
            "could have",
            "c",
            "kan",
            "zou kunnen",
            "nice to have",
            "leuk om te hebben",
            "kann",
            "koennte",
            "pourrait",
            "optional",
            "optioneel",
            "optionnel",
        ),
        "wont": ("won t", "won t have", "w", "will not", "wont have", "niet", "nicht", "not now", "pas maintenant"),
    }
)
_BOOLS = _table(
    {
        "true": ("yes", "y", "ja", "j", "waar", "x", "1", "oui", "wahr", "vrai", "check", "checked", "✓", "✔"),
        "false": ("no", "n", "nee", "nein", "onwaar", "0", "non", "falsch", "faux", "-"),
    }
)
_FRESHNESS = _table(
    {
        "realtime": (
            "real time",
            "real-time",
            "live",
            "direct",
            "instant",
            "immediate",
            "streaming",
            "online",
            "echtzeit",
            "temps reel",
            "meteen",
            "onmiddellijk",
        ),
        "hourly": (
            "per hour",
            "every hour",
            "elk uur",
            "ieder uur",
            "per uur",
            "stundlich",
            "stuendlich",
            "horaire",
            "toutes les heures",
            "1h",
        ),
        "daily": (
            "per day",
            "every day",
            "nightly",
            "dagelijks",
            "per dag",
            "elke dag",
            "nachtelijks",
            "taglich",
            "taeglich",
            "quotidien",
            "journalier",
            "1d",
            "24h",
        ),
        "weekly": ("per week", "every week", "wekelijks", "elke week", "wochentlich", "woechentlich", "hebdomadaire"),
        "monthly": ("per month", "every month", "maandelijks", "elke maand", "per maand", "monatlich", "mensuel"),
        "unknown": ("onbekend", "unbekannt", "inconnu", "?", "tbd", "n a", "na"),
    }
)
_HORIZONS = _table(
    {
        "now": (
            "nu",
            "direct",
            "short term",
            "korte termijn",
            "this quarter",
            "dit kwartaal",
            "jetzt",
            "sofort",
            "kurzfristig",
            "maintenant",
            "court terme",
            "asap",
        ),
        "next": (
            "straks",
            "volgende",
            "next quarter",
            "volgend kwartaal",
            "medium term",
            "middellange termijn",
            "als nachstes",
            "als naechstes",
            "mittelfristig",
            "ensuite",
            "moyen terme",
            "soon",
            "binnenkort",
        ),
        "later": (
            "lange termijn",
            "long term",
            "someday",
            "ooit",
            "spater",
            "spaeter",
            "langfristig",
            "plus tard",
            "long terme",
        ),
    }
)
_STATUSES = _table(
    {
        "proposed": (
            "proposal",
            "voorstel",
            "voorgesteld",
            "idea",
            "idee",
            "new",
            "nieuw",
            "open",
            "draft",
            "concept",
            "vorgeschlagen",
            "neu",
            "propose",
            "nouveau",
            "backlog",
        ),
        "agreed": (
            "approved",
            "accepted",
            "akkoord",
            "goedgekeurd",
            "afgesproken",
            "go",
            "genehmigt",
            "vereinbart",
            "valide",
            "approuve",
            "accepte",
            "planned",
            "gepland",
        ),
        "rejected": ("declined", "afgewezen", "no go", "abgelehnt", "rejete", "refuse", "cancelled", "geannuleerd"),
        "done": (
            "live",
            "klaar",
            "gereed",
            "afgerond",
            "opgeleverd",
            "completed",
            "finished",
            "erledigt",
            "fertig",
            "termine",
            "fait",
            "in production",
            "in productie",
        ),
    }
)
_SENSITIVITIES = _table(
    {
        "none": (
            "no",
            "nee",
            "geen",
            "public",
            "openbaar",
            "not personal",
            "nein",
            "keine",
            "offentlich",
            "aucune",
            "public data",
            "n",
        ),
        "personal": (
            "pii",
            "yes",
            "ja",
            "personal data",
            "persoonsgegeven",
            "persoonsgegevens",
            "avg",
            "gdpr",
            "personenbezogen",
            "personnel",
            "personnelle",
            "donnee personnelle",
            "y",
            "p",
        ),
        "sensitive": (
            "special",
            "special category",
            "bijzonder",
            "bijzondere persoonsgegevens",
            "gevoelig",
            "confidential",
            "vertrouwelijk",
            "sensibel",
            "sensible",
            "besonders",
            "s",
        ),
    }
)
_ROLES = _table(
    {
        "master": (
            "golden source",
            "source of truth",
            "bron",
            "leading",
            "leidend",
            "primary",
            "primair",
            "owner",
            "system of record",
            "sor",
            "quelle",
            "fuhrend",
            "fuehrend",
            "maitre",
            "source",
        ),
        "copy": ("kopie", "replica", "secondary", "secundair", "cache", "duplicate", "kopie", "copie"),
        "derived": ("afgeleid", "calculated", "berekend", "computed", "abgeleitet", "berechnet", "derive", "calcule"),
    }
)
_TYPES = _table(
    {
        "string": ("text", "tekst", "varchar", "char", "short text", "alphanumeric", "alfanumeriek", "texte"),
        "text": ("long text", "lange tekst", "memo", "free text", "vrije tekst", "texte long"),
        "integer": (
            "int",
            "number",
            "getal",
            "geheel getal",
            "whole number",
            "numeric",
            "nummer",
            "zahl",
            "ganzzahl",
            "entier",
            "nombre",
        ),
        "decimal": ("float", "decimaal", "double", "decimal number", "kommazahl", "decimale"),
        "money": ("amount", "bedrag", "currency amount", "geld", "euro", "betrag", "montant"),
        "boolean": ("bool", "yes no", "ja nee", "flag", "vlag", "checkbox", "j n", "y n", "booleen"),
        "date": ("datum", "day", "dag", "jour"),
        "datetime": ("timestamp", "date time", "tijdstip", "datum tijd", "zeitstempel", "horodatage"),
        "email": ("e mail", "mail", "email address", "e mailadres", "adresse e mail"),
        "phone": ("telephone", "telefoon", "telefoonnummer", "phone number", "mobile", "telefon", "telephone number"),
        "url": ("link", "website", "web address", "webadres"),
        "enum": (
            "list",
            "lijst",
            "keuzelijst",
            "picklist",
            "choice",
            "keuze",
            "code list",
            "codelijst",
            "liste",
            "auswahl",
        ),
        "country": ("land", "pays", "country code", "landcode"),
        "currency": ("valuta", "wahrung", "devise"),
        "id": ("identifier", "key", "sleutel", "code", "nummer id", "schlussel", "identifiant"),
    }
)
_TSHIRT = {"xs": 1, "s": 2, "m": 3, "l": 4, "xl": 5, "xxl": 5}
_SCORE_WORDS = {"high": 5, "medium": 3, "low": 1}
_MOSCOW_SCORE = {"must": 5, "should": 3, "could": 1}
_LEADING_NUMBER = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+)|%|\s*(?:[-–:(].*|[a-zA-Z ].*))?\Z")


def _word(text: str, table: dict[str, str], accepted: str) -> str:
    value = table.get(_key(text))
    if value is None:
        raise ValueNotUnderstood(f"'{text}' is not {accepted}")
    return value


def read_text(text: str) -> str:
    return text.strip()


def read_level(text: str) -> str:
    """low | medium | high, from words (Hoog, Mittel...) or a 1-5 score."""
    number = _number(text)
    if number is not None and float(number).is_integer() and 1 <= number <= 5:
        return "low" if number <= 2 else "medium" if number == 3 else "high"
    return _word(text, _LEVELS, "high/medium/low or 1-5")


def _number(text: str) -> float | None:
    mt = _LEADING_NUMBER.match(text)
    if mt is None:
        return None
    number = float(mt.group(1).replace(",", "."))
    if mt.group(2) is not None:  # "4/5": only a score out of 5 is taken as it stands
        if mt.group(2) != "5":
            return None
    return number


def read_score(text: str) -> int:
    """A 1-5 score (value): '4', '4/5', '4 - high'; High/Medium/Low = 5/3/1; Must/Should/Could = 5/3/1."""
    number = _number(text)
    if number is not None:
        if float(number).is_integer() and 1 <= number <= 5:
            return int(number)
        raise ValueNotUnderstood(f"'{text}' is not a score from 1 to 5")
    key = name_key(text)
    if key in _LEVELS:
        return _SCORE_WORDS[_LEVELS[key]]
    moscow = _MOSCOW.get(key)
    if moscow in _MOSCOW_SCORE:
        return _MOSCOW_SCORE[moscow]
    raise ValueNotUnderstood(f"'{text}' is not 1-5, high/medium/low or must/should/could")


def read_effort(text: str) -> int:
    """A 1-5 effort: as read_score, with T-shirt sizes first (XS, S, M, L, XL = 1..5; so L is large, not low)."""
    size = _TSHIRT.get(name_key(text))
    if size is not None:
        return size
    try:
        return read_score(text)
    except ValueNotUnderstood:
        raise ValueNotUnderstood(f"'{text}' is not 1-5, high/medium/low or a T-shirt size (S, M, L)") from None


def read_criticality(text: str) -> str:
    """must | should | could (MoSCoW, high/medium/low, 1-5, yes); 'wont' for won't-haves."""
    number = _number(text)
    if number is not None and float(number).is_integer() and 1 <= number <= 5:
        return "must" if number >= 4 else "should" if number == 3 else "could"
    key = _key(text)
    if key in _LEVELS:
        return {"high": "must", "medium": "should", "low": "could"}[_LEVELS[key]]
    return _word(text, _MOSCOW, "must/should/could (MoSCoW), high/medium/low or 1-5")


def read_bool(text: str) -> bool:
    return _word(text, _BOOLS, "yes/no (ja/nee, x, true/false)") == "true"


def _word_reader(table: dict[str, str], accepted: str) -> Callable[[str], str]:
    """A reader of one of the words of ``table`` in any of its spellings; ``accepted`` says which words those are."""

    def read(text: str) -> str:
        return _word(text, table, accepted)

    return read


read_freshness = _word_reader(_FRESHNESS, "realtime, hourly, daily, weekly, monthly or unknown")
read_horizon = _word_reader(_HORIZONS, "now, next or later")
read_status = _word_reader(_STATUSES, "proposed, agreed, rejected or done")
read_sensitivity = _word_reader(_SENSITIVITIES, "none, personal or sensitive (yes/no reads as personal/none)")
read_role = _word_reader(_ROLES, "master, copy or derived")
read_type = _word_reader(_TYPES, "a data type (text, number, date, email, phone, yes/no, list...)")


def read_quality(text: str) -> int:
    number = _number(text)
    if number is not None and float(number).is_integer() and 1 <= number <= 5:
        return int(number)
    key = name_key(text)
    if key in _LEVELS:
        return _SCORE_WORDS[_LEVELS[key]]
    raise ValueNotUnderstood(f"'{text}' is not a quality from 1 to 5 or high/medium/low")


def read_coverage(text: str) -> float:
    """A share of customers: '0.8', '80%', '80' (read as percent)."""
    mt = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*", text)
    if mt is None:
        raise ValueNotUnderstood(f"'{text}' is not a share (0.8 or 80%)")
    number = float(mt.group(1).replace(",", "."))
    if mt.group(2) or number > 1:
        number = number / 100
    if not 0 <= number <= 1:
        raise ValueNotUnderstood(f"'{text}' is not a share between 0 and 100%")
    return round(number, 4)


_STRONG_SPLIT = re.compile(r"[;\n\r•·|]+")
_BULLET = re.compile(r"^\s*(?:[-*–]\s+|\d+[.)]\s+)")


def _tidy(part: str) -> str:
    return " ".join(_BULLET.sub("", part).split()).strip(" .-*")


def split_list(text: str, keep: Callable[[str], bool] | None = None) -> list[str]:
    """A cell listing several things: separated by commas, semicolons, line breaks or bullets.

    ``keep(part)`` says whether a part between semicolons or line breaks is one
    thing although it holds commas (an attribute called "Gross margin, last 90 days").
    """
    out: list[str] = []
    for piece in _STRONG_SPLIT.split(text):
        piece = _tidy(piece)
        parts = [piece] if not piece or "," not in piece or (keep and keep(piece)) else piece.split(",")
        for part in parts:
            part = _tidy(part)
            if part and part not in out:
                out.append(part)
    return out


#: Spellings of the default functions and channels (matched after the workshop's own names).
FUNCTION_WORDS = _table(
    {
        "marketing": ("marketeer", "mkt", "communicatie", "communication", "kommunikation"),
        "sales": (
            "verkoop",
            "sales team",
            "vertrieb",
            "verkauf",
            "ventes",
            "vente",
            "commercial",
            "commercie",
            "b2b sales",
        ),
        "service": (
            "customer service",
            "klantenservice",
            "klantcontact",
            "support",
            "kundenservice",
            "service client",
            "service klant",
            "customer care",
        ),
        "it": ("ict", "i t", "informatie", "information technology", "informatique", "techniek", "tech"),
        "data": ("bi", "analytics", "business intelligence", "data team", "data analytics", "donnees", "daten"),
        "finance": (
            "financien",
            "financiele administratie",
            "administratie",
            "finanzen",
            "controlling",
            "accounting",
            "boekhouding",
        ),
        "legal": ("juridisch", "privacy", "compliance", "recht", "juridique", "legal compliance"),
        "operations": ("operatie", "logistiek", "logistics", "ops", "betrieb", "exploitation", "supply chain"),
        "cx": ("customer experience", "klantbeleving", "klantervaring", "experience"),
        "product": ("productmanagement", "product management", "produkt", "produit"),
    }
)
CHANNEL_WORDS = _table(
    {
        "web": ("website", "webshop", "web shop", "online", "e commerce", "ecommerce", "internet", "site"),
        "app": ("mobile app", "mobiele app", "mobile", "mobiel", "application mobile"),
        "email": ("e mail", "mail", "newsletter", "nieuwsbrief", "e mailing", "mailing", "courriel"),
        "sms": ("text", "text message", "sms bericht"),
        "store": (
            "winkel",
            "shop",
            "filiaal",
            "winkels",
            "stores",
            "retail",
            "geschaft",
            "filiale",
            "magasin",
            "boutique",
            "pos",
            "kassa",
        ),
        "call_center": (
            "callcenter",
            "call centre",
            "phone",
            "telefoon",
            "telefonie",
            "contact center",
            "klantenservice telefoon",
            "telefon",
            "centre d appel",
        ),
        "field_sales": ("buitendienst", "field", "aussendienst", "vertreter", "terrain"),
        "chat": ("whatsapp", "webchat", "live chat", "messenger"),
        "social": ("social media", "sociale media", "facebook", "instagram", "linkedin", "reseaux sociaux"),
        "post": ("direct mail", "brief", "letter", "print", "drukwerk", "courrier", "papier"),
    }
)
