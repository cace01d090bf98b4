"""Match physical columns (``table.column`` of a source system) to attributes.

Used by the schema and sheet imports and by the catalog tests.  The public API:

.. code-block:: python

    from needsmap.imports.column_match import Column, ColumnMatcher

    matcher = ColumnMatcher.from_catalog()                    # catalog entries only
    matcher = ColumnMatcher.for_workshop(ws)                  # ws.attributes, then catalog entries
    matcher = ColumnMatcher.for_workshop(ws, catalog=None)    # ws.attributes only

    cands = matcher.match("FirstName", table="ps_customer", sql_type="varchar(255)")
    cands[0].attribute, cands[0].confidence, cands[0].reason  # 'first_name', 1.0, "spelling 'firstname'..."
    best = matcher.best("billing_address_city", table="account")   # Candidate | None (>= min_confidence)
    rows = matcher.match_many([Column("zip", "customer_address", "varchar(10)"), ...], limit=3)

* :class:`Candidate` (frozen): ``attribute`` (the workshop attribute id, or the
  catalog id when ``source == "catalog"``), ``source`` (``"workshop"`` or
  ``"catalog"``), ``catalog_id`` (the catalog entry behind it, if any),
  ``name``, ``entity``, ``type``, ``confidence`` (0..1) and ``reason`` (one
  short line a person can check).  Lists are ranked best first, one candidate
  per attribute.
* A workshop attribute that corresponds to a catalog entry (same id, or its
  id/name/synonym is one of the entry's names) inherits the entry's spellings,
  and that entry is not offered again as a separate catalog candidate.
* :meth:`ColumnMatcher.match_many` is the batch API (10,000 columns well under
  two seconds on two cores, see ``python -m benchmarks.matching``);
  identical columns are matched once.

How a column is read (:func:`name_tokens`, :meth:`ColumnMatcher.match`):
camelCase, digits and separators split into lower-case words with accents
dropped (``FirstName``, ``first-name`` and ``FIRST_NAME`` are one key); a
``table.column`` name is split; the table's last telling word gives context
(:func:`table_context`: ``customer_address`` -> address, ``orders`` -> order,
``email_address`` -> a contact point), so ``account.name`` reads as
``account_name`` and ``email_address.name`` as the e-mail address; leading
qualifier and prefix words (``billing_``, ``default_``, ``cust_``, ``ps_``,
``tbl_``) are tried away one at a time; ``id_customer`` is also read as
``customer_id``, ``optin_time`` as ``optin_date``, ``ORT01`` as ``ort``;
common abbreviations (``nm``, ``nr``, ``addr``, ``brth``, ``dt``) are
expanded.  Exact names score highest (spelling, id or name 1.0, synonym
0.97); a reading through the table's context wins a tie with the bare name;
each reinterpretation costs a little.  Names with no exact reading go to
rapidfuzz (``ratio`` >= 85 against keys of a length that can reach it; one
swapped, missing or wrong letter for 5-6 letter names), scored 0.9 x ratio.
Composite fields lose their storage words (``nameFirstName`` -> first name,
``linkedinLinkPrimaryLinkUrl`` -> linkedin); a table or qualifier word glued
on is split off (``companycity``, ``mailingzip``), and costs nothing when it
repeats the table's name; numbers inside a name are dropped (``address1_city``),
a leading ``date_`` moves to the end (``date_entered``), a trailing ``code`` of
one word goes (``gendercode``), plurals are read singular (``phones``).

What the table says counts too (:meth:`ColumnMatcher._structural`): a row's own
key (``id``, ``rowid``, ``contactid``) is the key of the entity the table is about
(none in a child table), ``parent_id`` of a child row is the customer's key, a
negated channel (``do_not_call``, ``donotpostalmail``) is the consent it is the
opposite of.  Some columns are never proposed (:func:`why_not_an_attribute`):
users of the software (``created_by``), its scope (``website_id``), someone else
(``AssistantPhone``), bookkeeping (``MANDT``).  Audit attributes are not proposed in
child tables.  A candidate for a positive consent or flag from a negated name
is marked ``inverted``.  The vocabulary of this evidence is :mod:`needsmap.imports.column_evidence`.

Then the SQL type is checked against the attribute type
(:func:`sql_type_family`, :func:`type_fit`): a fitting type keeps the score,
a loosely fitting one costs 15%, a clashing one 45%; an attribute of the
entity the table is about gets a small bonus, one of an entity a child table's
rows do not hold loses 15%, and a generic one-word name (``status``, ``type``)
read without the table's help stays at 0.85.  Scores are capped at 1.

The scores rank the candidates; the confidence each of the top candidates is
given is what its kind of reading (:func:`~needsmap.imports.column_evidence.evidence_class`:
the name as written, the table's shape, qualifier words read away, other words
read away, a generic word, a near spelling) with that score was worth on the
tune part of the labelled systems: an isotonic fit per kind
(:data:`~needsmap.imports.column_evidence.CALIBRATION`), warped so that 0.9
stands for 97% right and 0.75 for 50% (``ColumnMatcher(..., calibration=None)``
gives the raw scores, which is what the fit is made from).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from needsmap.catalog.name_tokens import compact_key, name_tokens
from needsmap.format import model as m
from needsmap.imports.column_evidence import (
    AUDIT_ATTRIBUTES,
    CALIBRATION,
    CHILD_ENTITIES,
    GENERIC_CAP,
    GENERIC_NAMES,
    KEY_OF_SUB_TABLE,
    KEY_OF_TABLE,
    OPPOSITE_FLAGS,
    OTHER_ENTITY,
    OWN_KEYS,
    ROW_HOLDS,
    USER_KEY_CAP,
    USER_KEYS,
    Calibration,
    calibrated,
    evidence_class,
    holds_the_opposite,
    negated_channel,
    not_an_attribute,
    sub_table,
)

#: The reason of a row's own key read as the key of the entity its table is about.
OWN_KEY_NOTE = "the key of table"
#: Below this confidence :meth:`ColumnMatcher.best` returns None.
DEFAULT_MIN_CONFIDENCE = 0.6
_FUZZY_CUTOFF = 85.0
_FUZZY_WEIGHT = 0.9
_KIND_WEIGHT = {"id": 1.0, "name": 1.0, "spelling": 1.0, "synonym": 0.97}
_INHERITED_WEIGHT = 0.99
#: Readings that also get fuzzy matching: the name as written, and with abbreviations expanded.
_FUZZY_READINGS = ("", "abbreviations expanded")

# ------------------------------------------------------------------ vocabulary of column names

#: Abbreviations read as the word they stand for.
ABBREVIATIONS: dict[str, str] = {
    "nm": "name",
    "nme": "name",
    "nam": "name",
    "no": "number",
    "nr": "number",
    "num": "number",
    "nbr": "number",
    "addr": "address",
    "adr": "address",
    "tel": "phone",
    "ph": "phone",
    "phn": "phone",
    "mob": "mobile",
    "cust": "customer",
    "cst": "customer",
    "fst": "first",
    "frst": "first",
    "lst": "last",
    "dt": "date",
    "dte": "date",
    "bday": "birthday",
    "cntry": "country",
    "ctry": "country",
    "st": "street",
    "str": "street",
    "pc": "postcode",
    "desc": "description",
    "org": "organization",
    "pref": "preference",
    "prefs": "preferences",
    "lang": "language",
    "qty": "quantity",
    "amt": "amount",
    "ts": "timestamp",
    "mail": "email",
    "eml": "email",
    "cd": "code",
    "hh": "household",
    "hse": "house",
    "apt": "apartment",
    "brth": "birth",
    "pstl": "postal",
    "ln": "line",
    "ord": "order",
    "ctct": "contact",
    "acct": "account",
    "co": "company",
    "pers": "person",
    "fav": "favourite",
    "fave": "favourite",
    "info": "information",
}

#: Leading words that qualify a column without changing what it holds.
QUALIFIERS: frozenset[str] = frozenset(
    {
        "billing",
        "bill",
        "invoice",
        "shipping",
        "ship",
        "delivery",
        "default",
        "primary",
        "main",
        "current",
        "home",
        "work",
        "business",
        "private",
        "personal",
        "mailing",
        "postal",
        "legal",
        "registered",
        "preferred",
        "std",
        "standard",
        "new",
        "old",
        "original",
        "the",
        "my",
        "is",
        "has",
        "x",
        "c",
        "fk",
        "ps",
        "tbl",
        "t",
        "src",
        "raw",
        "stg",
        "dim",
        "fct",
        "fld",
        "f",
        "col",
        "v",
        "vw",
        "hs",
        "hubspot",
        "analytics",
        "sf",
        "sfdc",
        "crm",
        "erp",
        "cdp",
        "mdm",
        "ext",
        "other",
        "alt",
        "alternative",
        "selected",
    }
)

#: Table (and leading column) words that say which entity the row is about.
ENTITY_WORDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "address",
            "addresses",
            "addr",
            "adres",
            "adressen",
            "adresse",
            "adressen",
            "anschrift",
            "location",
            "locations",
        ],
        "address",
    ),
    **dict.fromkeys(
        [
            "customer",
            "customers",
            "cust",
            "client",
            "clients",
            "klant",
            "klanten",
            "kunde",
            "kunden",
            "person",
            "persons",
            "people",
            "persoon",
            "contact",
            "contacts",
            "user",
            "users",
            "partner",
            "partners",
            "member",
            "members",
            "lead",
            "leads",
            "individual",
            "consumer",
            "profile",
            "profiles",
            "shopper",
            "guest",
            "guests",
            "party",
            "relatie",
        ],
        "customer",
    ),
    **dict.fromkeys(
        [
            "account",
            "accounts",
            "company",
            "companies",
            "organization",
            "organisation",
            "organizations",
            "organisations",
            "org",
            "bedrijf",
            "firma",
            "unternehmen",
            "societe",
            "entreprise",
            "employer",
        ],
        "organization",
    ),
    **dict.fromkeys(["household", "households", "huishouden", "haushalt", "menage", "family"], "household"),
    **dict.fromkeys(
        [
            "order",
            "orders",
            "bestelling",
            "bestellung",
            "commande",
            "transaction",
            "transactions",
            "invoice",
            "invoices",
            "cart",
            "basket",
            "purchase",
            "purchases",
            "sale",
            "sales",
        ],
        "order",
    ),
    **dict.fromkeys(
        [
            "consent",
            "consents",
            "optin",
            "permission",
            "permissions",
            "gdpr",
            "toestemming",
            "einwilligung",
            "newsletter",
            "subscriber",
            "subscribers",
            "donotcontact",
            "optout",
            "unsubscribe",
            "unsubscribes",
        ],
        "consent",
    ),
    **dict.fromkeys(["preference", "preferences", "voorkeur", "voorkeuren", "setting", "settings"], "preference"),
    **dict.fromkeys(
        [
            "event",
            "events",
            "activity",
            "activities",
            "interaction",
            "interactions",
            "visit",
            "visits",
            "session",
            "sessions",
            "ticket",
            "tickets",
            "case",
            "cases",
            "call",
            "calls",
            "message",
            "messages",
            "thread",
            "threads",
            "note",
            "notes",
            "complaint",
            "complaints",
            "conversation",
            "conversations",
        ],
        "interaction",
    ),
    **dict.fromkeys(
        [
            "product",
            "products",
            "holding",
            "holdings",
            "contract",
            "contracts",
            "policy",
            "policies",
            "subscription",
            "subscriptions",
            "asset",
            "assets",
            "loyalty",
        ],
        "product_holding",
    ),
    **dict.fromkeys(["identifier", "identifiers", "identity", "identities", "xref", "idmap"], "identifier"),
}
#: Two-word table names that are contact points, not addresses or numbers.
_CONTACT_PAIRS = {
    ("email", "address"),
    ("phone", "number"),
    ("email", "addresses"),
    ("phone", "numbers"),
    ("contact", "point"),
    ("contact", "points"),
}
#: Last words of a table of a customer's e-mail addresses or phone numbers (``user_emails``, ``phones``).
_CONTACT_TABLE_WORDS = frozenset({"email", "emails", "phone", "phones"})
#: Column words that only say "the value of the thing the table is about" (email_address.name).
_GENERIC_COLUMNS = frozenset({"name", "value", "number", "text", "address", "code", "label", "lower", "upper"})
_TRAILING_KEY_WORDS = frozenset({"id", "key", "fk", "ref", "code"})


@functools.lru_cache(maxsize=4096)
def table_context(table: str | None) -> tuple[tuple[str, ...], str | None]:
    """The telling word(s) of a table name and the entity they point to: ``customer_address`` -> (address,), address."""
    if not table:
        return (), None
    words = name_tokens(table.rsplit(".", 1)[-1])
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if i > 0 and (words[i - 1], word) in _CONTACT_PAIRS:
            return (words[i - 1], word), "contact_point"
        if i == len(words) - 1 and word in _CONTACT_TABLE_WORDS:  # user_emails.address is the e-mail address
            return (_singular(word),), "contact_point"
        if word in ENTITY_WORDS:
            for plural in ("es", "s"):  # orders.status reads as order status
                if word.endswith(plural) and word[: -len(plural)] in ENTITY_WORDS:
                    word = word[: -len(plural)]
                    break
            else:
                if word.endswith("ies") and word[:-3] + "y" in ENTITY_WORDS:  # companies.name: company name
                    word = word[:-3] + "y"
            return (word, *words[i + 1 :]), ENTITY_WORDS[word]
        for hint, entity in ENTITY_WORDS.items():  # compound words: customernote, klantadres
            if len(hint) >= 4 and len(word) > len(hint) and word.endswith(hint):
                return (hint,), entity
    return (), None


# ------------------------------------------------------------------ SQL types

_FAMILY_WORDS: tuple[tuple[str, str], ...] = (
    (r"tinyint\s*\(\s*1\s*\)|bit\b|bool|boolean", "boolean"),
    (r"uuid|uniqueidentifier|guid", "uuid"),
    (r"jsonb?|hstore|variant|object", "json"),
    (r"timestamp|datetime|timestamptz|smalldatetime|datetime2|datetimeoffset", "datetime"),
    (r"date", "date"),
    (r"time", "time"),
    (
        r"tinyint|smallint|mediumint|bigint|integer|int\d?|serial|bigserial|smallserial|id|many2one|"
        r"number\s*\(\s*\d+\s*(?:,\s*0\s*)?\)|long|short",
        "integer",
    ),
    (r"decimal|numeric|number|float\d?|double|real|money|smallmoney|monetary", "decimal"),
    (
        r"n?varchar2?|n?char|character|text|mediumtext|longtext|tinytext|string|citext|clob|nclob|enum|set|"
        r"selection|html|email|phone|url|tsvector",
        "string",
    ),
    (r"blob|bytea|binary|varbinary|image|raw", "binary"),
)
_FAMILY_RES = tuple((re.compile(r"\s*(?:" + pat + r")(?![A-Za-z0-9_])", re.I), fam) for pat, fam in _FAMILY_WORDS)

_ONE_CHAR = re.compile(r"\s*n?(?:var)?char\s*\(\s*1\s*\)", re.I)

#: For each attribute type: SQL type families that fit, and those that fit loosely.
TYPE_FIT: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "string": (frozenset({"string", "uuid"}), frozenset({"integer", "json", "decimal"})),
    "text": (frozenset({"string"}), frozenset({"json"})),
    "enum": (frozenset({"string", "integer"}), frozenset({"boolean"})),
    "country": (frozenset({"string", "integer"}), frozenset()),
    "currency": (frozenset({"string"}), frozenset({"integer"})),
    "email": (frozenset({"string"}), frozenset({"json"})),
    "phone": (frozenset({"string"}), frozenset({"integer", "decimal", "json"})),
    "url": (frozenset({"string"}), frozenset()),
    "id": (frozenset({"string", "integer", "uuid"}), frozenset({"decimal", "binary"})),
    "integer": (frozenset({"integer"}), frozenset({"decimal", "string"})),
    "decimal": (frozenset({"decimal", "integer"}), frozenset({"string"})),
    "money": (frozenset({"decimal", "integer"}), frozenset({"string"})),
    "boolean": (frozenset({"boolean"}), frozenset({"integer", "string", "date", "datetime"})),
    "date": (frozenset({"date", "datetime"}), frozenset({"string"})),
    "datetime": (frozenset({"datetime", "date"}), frozenset({"string", "integer"})),
}
_LOOSE_FIT, _CLASH = 0.85, 0.55
#: Column types of keys: a ``_id`` column read as a coded attribute (``salutation_id``) may have any of them.
_KEY_FAMILIES = frozenset({"integer", "uuid", "binary"})
#: Attribute types whose values a key can point to (a salutation, a country, a currency, a segment).
_CODED_TYPES = frozenset({"enum", "country", "currency", "string"})


def sql_type_family(sql_type: str | None) -> str | None:
    """``varchar(255)`` -> string, ``tinyint(1)`` -> boolean, ``timestamptz`` -> datetime; None when unknown."""
    if not sql_type:
        return None
    if _ONE_CHAR.match(sql_type):
        return "flag"
    for pattern, family in _FAMILY_RES:
        if pattern.match(sql_type):
            return family
    return None


def type_fit(attr_type: str, family: str | None) -> float:
    """1.0 when a column of ``family`` can hold an ``attr_type`` attribute, 0.85 loosely, 0.55 not."""
    if family == "flag":  # CHAR(1): SAP's 'X' flags, and one-letter codes
        return 1.0 if attr_type in ("boolean", "enum", "string") else type_fit(attr_type, "string")
    if family is None or family in ("time",):
        return 1.0
    strong, loose = TYPE_FIT.get(attr_type, TYPE_FIT["string"])
    if family in strong:
        return 1.0
    return _LOOSE_FIT if family in loose else _CLASH


# ------------------------------------------------------------------ API types


@dataclass(frozen=True, slots=True)
class Column:
    """A physical column: its name, and optionally its table and SQL type."""

    name: str
    table: str | None = None
    sql_type: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    attribute: str
    source: str
    name: str
    entity: str
    type: str
    confidence: float
    reason: str
    catalog_id: str | None = None
    #: the column holds the opposite of the attribute (``do_not_call`` -> phone marketing consent)
    inverted: bool = False
    #: what kind of reading gave it (:func:`evidence_class`), which the confidence is calibrated by
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class _Hit:
    target: int
    weight: float
    how: str  # "spelling 'firstname'"


#: Last words that all mean "when": OPTIN_TIME, optin_ts and optin_at read as optin_date.
_TEMPORAL = frozenset({"time", "timestamp", "ts", "dt", "dte", "datetime", "at", "on", "tstamp"})
#: A context match explains more of the column than the bare name, so it wins ties.
_CONTEXT_FACTOR = 1.02


def _readings(tokens: tuple[str, ...]) -> list[tuple[tuple[str, ...], float, str]]:
    """The column's words, then each rewriting that changes them, applied one after the other."""
    out = [(tokens, 1.0, "")]

    def add(words: tuple[str, ...], factor: float, note: str) -> None:
        last_words, last_factor, last_note = out[-1]
        if words and words != last_words:
            out.append((words, last_factor * factor, _join(last_note, note)))

    words = _composite_words(tokens)
    if words != tokens:
        add(words, 0.98, "read as a composite field")
    words = _split_leading_word(out[-1][0])
    if words != out[-1][0]:
        add(words, 1.0, f"'{words[0]}{words[1]}' read as '{words[0]}_{words[1]}'")
    add(tuple(w for t in out[-1][0] for w in ABBREVIATIONS.get(t, t).split()), 0.97, "abbreviations expanded")
    words = out[-1][0]
    if len(words) == 1 and len(words[0]) > 8 and words[0].endswith("code"):  # Dataverse: gendercode
        add((words[0][:-4],), 0.97, "without 'code'")
    words = out[-1][0]
    if len(words) > 2 and words[-1] == "id" and words[-2] in _CODED_KEYS:  # MARITAL_STATUS_ENUM_ID, COUNTRY_GEO_ID
        add(words[:-2], 0.97, f"without '_{words[-2]}_id'")
    words = out[-1][0]
    if len(words) > 1 and words[-1] in _TRAILING_VARIANTS:  # FIRST_NAME_LOCAL: the name in the local script
        add(words[:-1], 0.96, f"without '_{words[-1]}'")
    words = out[-1][0]
    if len(words) > 1 and words[0] == "id":
        add(words[1:] + ("id",), 0.97, "id_ prefix read as _id")
    words = out[-1][0]
    if len(words) > 1 and words[0] == "date" and words[1] not in _TEMPORAL:  # date_entered: entered_date
        add(words[1:] + ("date",), 0.97, "'date_' read as '_date'")
    words = out[-1][0]
    if len(words) > 1 and words[-1] in _TEMPORAL:
        add(words[:-1] + ("date",), 0.97, f"'_{words[-1]}' read as '_date'")
    words = out[-1][0]
    if any(w.isdigit() for w in words[1:]):  # address1_city, NAME1, HOUSE_NUM1
        add(tuple(w for w in words if not w.isdigit()) or words, 0.97, "without its numbers")
    words = out[-1][0]
    if len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):  # phones, websites
        add(words[:-1] + (words[-1][:-1],), 0.96, f"'{words[-1]}' read as '{words[-1][:-1]}'")
    elif len(words) > 1 and words[-1] == "ids":  # tag_ids, vat_ids: a list of keys
        add(words[:-1], 0.9, "without '_ids'")
    return out


#: Words before a trailing ``_id`` that say the value is a coded reference: ``_enum_id``, ``_geo_id``, ``_uom_id``.
_CODED_KEYS = frozenset({"enum", "geo", "uom", "code"})
#: Trailing words that name a variant of the same value: ``_local``, ``_native``.
_TRAILING_VARIANTS = frozenset({"local", "native"})

#: Trailing words of composite fields that only say how the value is stored (linkedinLinkPrimaryLinkUrl).
_COMPOSITE_TAILS = (("primary", "link", "url"), ("link",), ("amount", "micros"))


def _composite_words(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a composite (ORM/GraphQL) field without its storage words: ``addressAddressStreet1`` ->
    address street 1, ``emailsPrimaryEmail`` -> email, ``nameFirstName`` -> first name,
    ``domainNamePrimaryLinkUrl`` -> domain name."""
    words = tuple(w for i, w in enumerate(tokens) if i == 0 or w != tokens[i - 1])
    for tail in _COMPOSITE_TAILS:
        if len(words) > len(tail) and words[-len(tail) :] == tail:
            words = words[: -len(tail)]
    if len(words) > 2 and _singular(words[0]) in (_singular(words[-1]), _singular(words[-2])):
        # the group word is repeated by the field: nameFirstName, phonesPrimaryPhoneNumber
        words = words[1:]
        if words[0] == "primary":
            words = words[1:]
    return words


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


#: Words a table prefix glued to a column name begins with (companycity, contactemail).
_GLUED_PREFIXES = (
    "company",
    "contact",
    "customer",
    "account",
    "person",
    "client",
    "member",
    "lead",
    "user",
    "mailing",
    "billing",
    "shipping",
    "other",
    "home",
    "work",
    "business",
    "private",
    "primary",
    "default",
    "office",
    "secondary",
    "alternate",
)


def _split_leading_word(words: tuple[str, ...]) -> tuple[str, ...]:
    """``companycity`` -> company, city: a table word glued to the column name without a separator."""
    first = words[0]
    for prefix in _GLUED_PREFIXES:
        if first.startswith(prefix) and len(first) >= len(prefix) + 3 and first not in _WHOLE_WORDS:
            return (prefix, first[len(prefix) :], *words[1:])
    return words


#: Words that begin like a glued table prefix but are one word.
_WHOLE_WORDS = frozenset(
    {"customertype", "accountnumber", "userid", "username", "contactid", "accountid", "leadsource"}
)


_Variant = tuple[tuple[str, ...], float, str, "str | None"]


def _variants(tokens: tuple[str, ...], context: tuple[str, ...]) -> list[_Variant]:
    """Readings of a column's words: (words, factor, note, entity hinted by dropped words)."""
    out: list[tuple[tuple[str, ...], float, str, str | None]] = []
    for words, factor, note in _readings(tokens):
        out.append((words, factor, note, None))
        if context and words[: len(context)] != context:
            out.append(
                (context + words, factor * _CONTEXT_FACTOR, _join(note, f"table context '{' '.join(context)}'"), None)
            )
            if context in _CONTACT_PAIRS:  # email_address.invalid -> email invalid
                out.append(
                    (context[:1] + words, factor * _CONTEXT_FACTOR, _join(note, f"table context '{context[0]}'"), None)
                )
            if set(words) <= _GENERIC_COLUMNS:
                for k in range(len(context)):
                    out.append(
                        (
                            context[k:],
                            factor * 0.95,
                            _join(note, f"'{'_'.join(words)}' of table '{'_'.join(context)}'"),
                            None,
                        )
                    )
        dropped_factor = factor
        for k in range(1, len(words)):
            word = words[k - 1]
            if k == 1 and context and _singular(word) == _singular(context[0]):
                # companycity in a companies table: the table's name again, read away at no cost
                out.append((words[1:], factor * _CONTEXT_FACTOR, _join(note, f"table prefix '{word}_'"), None))
                continue
            cheap = word in QUALIFIERS or word in ENTITY_WORDS or word.isdigit()
            dropped_factor *= 0.96 if cheap else 0.85
            hint = ENTITY_WORDS.get(word)
            out.append((words[k:], dropped_factor, _join(note, f"without '{'_'.join(words[:k])}_'"), hint))
        if len(words) > 1 and words[-1] in _TRAILING_KEY_WORDS and not _names_an_entity(words[:-1]):
            # country_id, gender_id: a coded attribute; address_id, product_id: a link to another record
            out.append((words[:-1], factor * 0.9, _join(note, f"without '_{words[-1]}'"), None))
    return out


_READ_AWAY = re.compile(r"without '([a-z0-9_]+?)_'")
_OTHER_REREADS = ("read as", "abbreviations", "composite", "close to", "without its", "without '_", "another order")


def _qualifiers_only(why: str, entity: str | None) -> bool:
    """True when a reading only read qualifier words or words of the table's own entity away (``billing_``,
    ``mailing_``, ``address1_`` in an address table) or added the table's word: ``mailing_city`` is the city,
    ``hs_analytics_source`` and ``contact_last_seen_at`` in a conversations table are guesses."""
    if any(note in why for note in _OTHER_REREADS):
        return False
    for dropped in _READ_AWAY.findall(why):
        for w in name_tokens(dropped):
            if not (w in QUALIFIERS or w.isdigit() or (w in ENTITY_WORDS and ENTITY_WORDS[w] in (entity, "address"))):
                return False
    return True


def _names_an_entity(words: tuple[str, ...]) -> bool:
    """``address``, ``product``, ``email_address``: a record of its own, not an attribute."""
    return (len(words) == 1 and words[0] in ENTITY_WORDS) or words in _CONTACT_PAIRS


def _is_link(tokens: tuple[str, ...]) -> bool:
    """``address_id``, ``id_product``: a key of another record."""
    if len(tokens) < 2:
        return False
    if tokens[-1] in ("id", "key", "fk"):
        return _names_an_entity(tokens[:-1])
    return tokens[0] == "id" and _names_an_entity(tokens[1:])


#: Word beginnings that turn a name into its opposite: is_inactive is not is_active.
_NEGATIONS = ("in", "un", "non", "not", "no", "dis")


def _negates(query: str, key: str) -> bool:
    """True when ``query`` and ``key`` differ only by a negation (isinactive / isactive)."""
    longer, shorter = (query, key) if len(query) > len(key) else (key, query)
    return any(neg in longer and longer.replace(neg, "", 1) == shorter for neg in _NEGATIONS)


def _join(a: str, b: str) -> str:
    return f"{a}, {b}" if a and b else a or b


def why_not_an_attribute(column: str, table: str | None = None) -> str | None:
    """Why the column holds no customer attribute whatever its words say (a user of the software, the
    scope of the software, a technical column), or None."""
    return not_an_attribute(name_tokens(column), table_context(table)[1])


class ColumnMatcher:
    """Ranks attributes for columns; build it once, then call :meth:`match` / :meth:`match_many`."""

    def __init__(
        self,
        targets: Sequence[tuple[Candidate, Iterable[tuple[str, str, float]]]],
        calibration: Calibration | None = CALIBRATION,
    ) -> None:
        """``targets``: each with (text, kind, weight) names; use the ``from_*``/``for_*`` constructors.
        ``calibration``: the map from a reading's score to its confidence (None: the raw scores, to fit one)."""
        self._calibration = calibration
        self._targets: list[Candidate] = []
        self._exact: dict[str, list[_Hit]] = {}
        #: the same words in any order (email_last_open_date, last_email_open_date): sorted words -> index keys
        self._by_words: dict[str, list[str]] = {}
        for target, names in targets:
            index = len(self._targets)
            self._targets.append(target)
            for text, kind, weight in names:
                key = compact_key(text)
                if not key:
                    continue
                words = name_tokens(text)
                if len(words) > 1:
                    self._by_words.setdefault(" ".join(sorted(words)), []).append(key)
                hits = self._exact.setdefault(key, [])
                how = f"{kind} '{text}'"
                for j, hit in enumerate(hits):
                    if hit.target == index:
                        if weight > hit.weight:
                            hits[j] = _Hit(index, weight, how)
                        break
                else:
                    hits.append(_Hit(index, weight, how))
        self._keys = list(self._exact)
        #: catalog id -> the target that stands for it (a workshop attribute, else the catalog entry)
        self._by_catalog: dict[str, int] = {}
        for index, target in enumerate(self._targets):
            if target.catalog_id and (target.source == "workshop" or target.catalog_id not in self._by_catalog):
                self._by_catalog[target.catalog_id] = index
        self._cache: dict[tuple, list[Candidate]] = {}
        self._by_length: dict[int, list[str]] | None = None
        self._windows: dict[tuple[int, int, int], list[str]] = {}

    # -------------------------------------------------------------- constructors

    @classmethod
    def from_catalog(cls, catalog=None, calibration: Calibration | None = CALIBRATION) -> ColumnMatcher:
        """A matcher over the catalog entries (default: the shipped catalog)."""
        from needsmap.catalog.entries import load_catalog

        catalog = catalog if catalog is not None else load_catalog()
        return cls([(_entry_target(e), _entry_names(e, 1.0)) for e in catalog.entries], calibration)

    @classmethod
    def for_workshop(cls, workshop: m.Workshop | Iterable[m.Attribute], catalog="default") -> ColumnMatcher:
        """A matcher over a workshop's attributes (plus catalog entries unless ``catalog=None``).

        ``workshop`` may be a :class:`~needsmap.format.model.Workshop` or its attributes.
        """
        from needsmap.catalog.entries import load_catalog

        attributes = list(workshop.attributes if isinstance(workshop, m.Workshop) else workshop)
        if catalog == "default":
            catalog = load_catalog()
        entries = list(catalog.entries) if catalog is not None else []
        by_key: dict[str, list] = {}
        for entry in entries:
            for _kind, texts in (
                ("id", [entry.id]),
                ("name", [entry.name]),
                ("synonym", entry.synonyms),
                ("spelling", entry.spellings),
            ):
                for text in texts:
                    by_key.setdefault(compact_key(text), []).append(entry)
        by_id = {e.id: e for e in entries}
        used: set[str] = set()
        targets = []
        for attr in attributes:
            entry = by_id.get(attr.id) or _corresponding(attr, by_key)
            names = [(attr.id, "id", 1.0), (attr.name, "name", 1.0)] if attr.name else [(attr.id, "id", 1.0)]
            names += [(s, "synonym", _KIND_WEIGHT["synonym"]) for s in attr.synonyms]
            if entry is not None:
                used.add(entry.id)
                names += _entry_names(entry, _INHERITED_WEIGHT, inherited=True)
            targets.append(
                (
                    _target(
                        attr.id,
                        "workshop",
                        attr.name or attr.id,
                        attr.effective_entity,
                        attr.effective_type,
                        entry.id if entry else None,
                    ),
                    names,
                )
            )
        targets += [(_entry_target(e), _entry_names(e, 1.0)) for e in entries if e.id not in used]
        return cls(targets)

    # -------------------------------------------------------------- matching

    def match(
        self, column: str, table: str | None = None, sql_type: str | None = None, limit: int = 5
    ) -> list[Candidate]:
        """Candidates for one column, best first (at most ``limit``; empty when nothing is close)."""
        return self.match_many([Column(column, table, sql_type)], limit=limit)[0]

    def best(
        self,
        column: str,
        table: str | None = None,
        sql_type: str | None = None,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    ) -> Candidate | None:
        """The top candidate when its confidence reaches ``min_confidence``, else None."""
        found = self.match(column, table, sql_type, limit=1)
        return found[0] if found and found[0].confidence >= min_confidence else None

    def match_many(self, columns: Iterable[Column | tuple], limit: int = 5) -> list[list[Candidate]]:
        """Candidates for each column (a :class:`Column` or a ``(name, table, sql_type)`` tuple), in order."""
        prepared = []
        pending: dict[tuple, tuple] = {}
        for col in columns:
            if not isinstance(col, Column):
                col = Column(*col)
            name, table = col.name, col.table
            if table is None and "." in name:
                table, name = name.rsplit(".", 1)
            tokens = name_tokens(name)
            context, entity = table_context(table)
            family = sql_type_family(col.sql_type)
            key = (tokens, context, entity, family, limit)
            prepared.append(key)
            if key not in self._cache and key not in pending:
                pending[key] = (tokens, context, entity, family)
        if pending:
            self._solve(pending, limit)
        return [list(self._cache[key]) for key in prepared]

    def _solve(self, pending: dict[tuple, tuple], limit: int) -> None:
        scored: dict[tuple, dict[int, tuple[float, str]]] = {}
        fuzzy_queries: dict[str, list[tuple[tuple, float, str, str | None]]] = {}
        for key, (tokens, context, entity, _family) in pending.items():
            found: dict[int, tuple[float, str]] = {}
            scored[key] = found
            if not tokens or not_an_attribute(tokens, entity):
                continue
            if self._structural(found, tokens, context, entity):
                continue
            variants = _variants(tokens, context)
            link = _is_link(tokens)
            if link:  # address_id, id_product: only an exact name (customer_id is an identifier of its own)
                variants = [v for v in variants if "without" not in v[2]]
            for words, factor, note, hint in variants:
                for hit in self._exact.get("".join(words), ()):
                    self._offer(found, hit.target, factor * hit.weight, _join(hit.how, note), hint, entity)
            if not found:
                for words, factor, note, hint in variants:
                    if len(words) < 2:
                        continue
                    for matched in self._by_words.get(" ".join(sorted(words)), ()):
                        for hit in self._exact[matched]:
                            why = _join(hit.how, _join(note, "its words in another order"))
                            self._offer(found, hit.target, factor * hit.weight * 0.95, why, hint, entity)
            if not link and (not found or max(s for s, _ in found.values()) < 0.9):
                for words, factor, note, hint in variants:
                    query = "".join(words)
                    if note in _FUZZY_READINGS and len(query) >= 4:
                        fuzzy_queries.setdefault(query, []).append((key, factor, note, hint))
        if fuzzy_queries and self._keys:
            for query, hits in self._fuzzy(list(fuzzy_queries)).items():
                for key, factor, note, hint in fuzzy_queries[query]:
                    entity = pending[key][2]
                    for matched, score in hits:
                        for hit in self._exact[matched]:
                            how = f"close to {hit.how} ({score:.0f}%)"
                            self._offer(
                                scored[key],
                                hit.target,
                                factor * hit.weight * _FUZZY_WEIGHT * score / 100,
                                _join(how, note),
                                hint,
                                entity,
                            )
        for key, found in scored.items():
            tokens, _context, entity, family = pending[key]
            ranked = []
            for index, (score, why) in found.items():
                target = self._targets[index]
                about = target.catalog_id or target.attribute
                if (entity in CHILD_ENTITIES or sub_table(_context)) and about in AUDIT_ATTRIBUTES:
                    continue  # the address's own created_at is not the customer's
                if holds_the_opposite(tokens, about, target.entity):
                    target = replace(target, inverted=True)
                    why = _join(why, "inverted: the column holds the opposite")
                fit = type_fit(target.type, family)
                if fit < 1.0 and family in _KEY_FAMILIES and tokens[-1] == "id" and target.type in _CODED_TYPES:
                    fit = 1.0  # salutation_id, country_id: a key to a coded value, whatever the key's type
                if fit < 1.0:
                    why = _join(
                        why, f"{family} column {'fits loosely' if fit > _CLASH else 'clashes with'} {target.type}"
                    )
                score *= fit
                fits_table = ROW_HOLDS.get(entity or "")
                if fits_table is not None and target.entity not in fits_table:
                    score *= OTHER_ENTITY  # a ticket's 'reason' is the ticket's, not a customer attribute
                    why = _join(why, f"a {target.entity} attribute in a {entity} table")
                if len(tokens) == 1 and tokens[0] in GENERIC_NAMES and "table" not in why and score > GENERIC_CAP:
                    score = GENERIC_CAP  # 'status', 'source', 'type' alone: a person checks what it is about
                    why = _join(why, "a generic name: check")
                if "".join(tokens) in USER_KEYS and _context[:1] != ("user",) and score > USER_KEY_CAP:
                    score = USER_KEY_CAP
                    why = _join(why, "a user id outside a users table: the software's user or the customer's login")
                ranked.append((min(1.0, score), target, why))
            ranked.sort(key=lambda r: (-r[0], r[1].attribute))  # the words decide the order ...
            out = []
            ceiling = 1.0
            for score, target, why in ranked[:limit]:
                evidence = evidence_class(tokens, _context, why)
                if evidence == "reread" and _qualifiers_only(why, entity):
                    evidence = "qualified"
                if self._calibration is not None:  # ... and what such readings were worth, the confidence
                    score = ceiling = min(ceiling, calibrated(score, evidence, self._calibration))
                out.append(replace(target, confidence=round(score, 3), reason=why, evidence=evidence))
            self._cache[key] = out

    def _structural(
        self, found: dict[int, tuple[float, str]], tokens: tuple[str, ...], context: tuple[str, ...], entity: str | None
    ) -> bool:
        """Candidates read from the table rather than the words (the row's own key, a parent key, a negated
        channel); True when they settle the column."""
        compact = "".join(tokens)
        table_word = context[0] if context else ""
        names_table = bool(table_word) and compact in {
            t + k for t in (table_word, _singular(table_word)) for k in ("id", "key")
        } | {"id" + table_word, "id" + _singular(table_word)}
        if compact in OWN_KEYS or names_table:
            key_of = KEY_OF_TABLE.get(table_word) or ("customer_id" if entity == "customer" else None)
            why = f"{OWN_KEY_NOTE} '{'_'.join(context)}'"
            if sub_table(context):
                if names_table:  # customer_ip.customer_id: the customer the row belongs to
                    why = f"'{compact}' of a {'_'.join(context)} row: the {table_word} it belongs to"
                else:  # customer_group.id is the group's key
                    key_of = KEY_OF_SUB_TABLE.get(context[-1])
            index = self._by_catalog.get(key_of or "")
            if index is not None:
                found[index] = (0.88 if names_table and sub_table(context) else 0.92, why)
            return True
        if tokens == ("parent", "id") and entity not in (None, "organization"):
            index = self._by_catalog.get("customer_id")
            if index is not None:
                found[index] = (0.85, f"parent_id of a {entity} row: the customer it belongs to")
                return True
        negated = negated_channel(tokens)
        if negated is not None:
            index = self._by_catalog.get(negated[0])
            if index is not None:
                found[index] = (0.95, f"do-not-{negated[2]} flag")
                return True
        opposite = OPPOSITE_FLAGS.get(compact)
        if opposite is not None and (index := self._by_catalog.get(opposite)) is not None:
            found[index] = (0.85, f"'{compact}' is the opposite of {opposite}")
            return True
        return False

    def _offer(
        self,
        found: dict[int, tuple[float, str]],
        index: int,
        score: float,
        why: str,
        hint: str | None,
        table_entity: str | None,
    ) -> None:
        target_entity = self._targets[index].entity
        bonus = 0.0
        if table_entity is not None and target_entity == table_entity:
            bonus = 0.04
        elif hint is not None and target_entity == hint:
            bonus = 0.03
        # the bonus breaks ties; it never lifts a reinterpreted reading over an exact name
        score = score + bonus if score >= 1.0 else min(score + bonus, 0.999)
        if index not in found or score > found[index][0]:
            found[index] = (score, why)

    def _fuzzy(self, queries: list[str]) -> dict[str, list[tuple[str, float]]]:
        """For each query, the index keys with rapidfuzz ``ratio`` >= the cutoff (best 5).

        Only keys of a length that can reach the cutoff are compared (ratio is
        2 * matches / total length).  Short queries (5-6 letters) also accept
        one swapped, missing or wrong letter (emial), which ``ratio`` scores
        below the cutoff.
        """
        share = _FUZZY_CUTOFF / 100
        out: dict[str, list[tuple[str, float]]] = {}
        for q in queries:
            n = len(q)
            choices = self._keys_near(n, int(n * share / (2 - share)), int(n * (2 - share) / share) + 1)
            found = {
                k: s
                for k, s, _ in process.extract(q, choices, scorer=fuzz.ratio, limit=5, score_cutoff=_FUZZY_CUTOFF)
                if not _negates(q, k)
            }
            if 5 <= n <= 6:
                for k, _dist, _ in process.extract(
                    q, self._keys_near(n, n - 1, n + 1), scorer=OSA.distance, limit=5, score_cutoff=1
                ):
                    if not _negates(q, k):
                        found.setdefault(k, 100.0 * (1 - 1 / max(n, len(k))))
            out[q] = sorted(found.items(), key=lambda kv: -kv[1])[:5]
        return out

    def _keys_near(self, n: int, low: int, high: int) -> list[str]:
        """Index keys with a length in low..high (cached per query length and window)."""
        window = self._windows.get((n, low, high))
        if window is None:
            if self._by_length is None:
                by_length: dict[int, list[str]] = {}
                for k in self._keys:
                    by_length.setdefault(len(k), []).append(k)
                self._by_length = by_length
            window = [k for size in range(low, high + 1) for k in self._by_length.get(size, ())]
            self._windows[(n, low, high)] = window
        return window


def _target(attribute: str, source: str, name: str, entity: str, type: str, catalog_id: str | None) -> Candidate:
    """What a column can be matched to: a candidate not yet scored."""
    return Candidate(attribute, source, name, entity, type, 0.0, "", catalog_id)


def _entry_target(entry) -> Candidate:
    return _target(entry.id, "catalog", entry.name, entry.entity, entry.type, entry.id)


def _entry_names(entry, factor: float, inherited: bool = False) -> list[tuple[str, str, float]]:
    via = f" (catalog {entry.id})" if inherited else ""
    names = [(entry.id, "id" if not inherited else "catalog id", factor), (entry.name, "name" + via, factor)]
    names += [(s, "synonym" + via, _KIND_WEIGHT["synonym"] * factor) for s in entry.synonyms]
    names += [(s, "spelling" + via, factor) for s in entry.spellings]
    return names


def _corresponding(attr: m.Attribute, by_key: dict[str, list]):
    """The catalog entry a workshop attribute stands for: one whose names include its id, name or synonym."""
    for text in (attr.id, attr.name, *attr.synonyms):
        found = by_key.get(compact_key(text or ""))
        if found:
            return found[0]
    return None
