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
one word goes (``gendercode``), plurals are read singular (``phones``).  A name is
also read in its other spelling (``favorite``/``favourite``, ``organisation``), as a
count (``count_of_orders``: number of orders), without a yes/no tail (``DECEASED_FLG``)
or a variant tail (``created_at_utc``); storage words of flattened and custom fields
(``properties_``, ``custom_fields_``) and ``additional_``/``secondary_`` read away as
qualifiers.  The same words in another order (``verified_email``) are looked up
before words are read away.  In a customer's own table a value may be the one the
customer prefers (``currency_code`` -> preferred currency); in an e-mail, phone or
address table a ``*_type_id`` is the kind of that e-mail, phone or address.  A name glued together from
known words is read as those words (``billingpostalcode``, ``masterid``: :func:`split_glued`); a group word
repeated anywhere in a path (``person.name.firstName``), a list's items (``phones.number``, ``emails.value``)
and a leading time word (``timestamp_signup``) are read as people mean them, and so is a date of the last or
first time by its verb (``last_emailed_at``: :func:`~needsmap.imports.column_readings.activity_date`); a location
or party table's
subject is read with its columns (``HZ_LOCATIONS.VALIDATED_FLAG``: the address verified).

What the table says counts too (:meth:`ColumnMatcher._structural`): a row's own
key (``id``, ``rowid``, ``contactid``) is the key of the entity the table is about
(none in a child table), ``parent_id`` of a child row is the customer's key, a
negated channel (``do_not_call``, ``donotpostalmail``) is the consent it is the
opposite of (so is a negation at the end: ``sms_opt_out``), a channel a name allows (``accepts_sms``,
``email_opt_in``) that channel's consent, and what a consent column says of the consent (when it was given or
taken back, where from, its state: :func:`~needsmap.imports.column_evidence.consent_detail`).  A numbered
address line (``ADDRESS3``) is the street or a further line, a phone's ``area_code`` part of the phone number,
an address's ``EFFECTIVE_DATE`` the day from which it holds.  A yes/no ``status`` is whether the row is active; an address's
``is_billing`` says its kind and ``is_primary_address`` that it is the preferred one;
a group table's ``name`` is the segment; a ticket's own key is the case number and
an interaction's creation is when it happened.  A link to a record a table's rows do
not hold (``addresses.order_id``) or to another row of the same table
(``primary_contact_id`` in a contacts table, ``master_id``) is not proposed.  Some columns are never proposed (:func:`why_not_an_attribute`):
users of the software (``created_by``), its scope (``website_id``), someone else
(``AssistantPhone``), bookkeeping (``MANDT``).  Audit attributes are not proposed in
child tables.  A candidate for a positive consent or flag from a negated name
is marked ``inverted``.  The vocabulary of this evidence is :mod:`needsmap.imports.column_evidence`; the
vocabulary of names and their readings is :mod:`needsmap.imports.column_readings`.

Then the SQL type is checked against the attribute type
(:func:`sql_type_family`, :func:`type_fit`; ``decimal(18, 0)`` is a whole number,
``double`` a measure that holds no text or key, ``CHAR(1)`` no country, currency or
date; an integer column named like a flag, ``is_suspended tinyint``, is a yes/no):
a fitting type keeps the score,
a loosely fitting one costs 15%, a clashing one 45%; an attribute of the
entity the table is about gets a small bonus, one of an entity a child table's
rows do not hold loses 15%, and a generic one-word name (``status``, ``type``)
read without the table's help stays at 0.85.  Scores are capped at 1.

The scores rank the candidates; the confidence each of the top candidates is
given is what its kind of reading (:func:`~needsmap.imports.column_evidence.evidence_class`:
the name as written, the table's shape, qualifier words read away, other words
read away, words read away that said what the value is about, a generic word, a
near spelling) with that score was worth on the
tune part of the labelled systems: an isotonic fit per kind
(:data:`~needsmap.imports.column_evidence.CALIBRATION`), warped so that 0.9
stands for 97% right and 0.75 for 50% (``ColumnMatcher(..., calibration=None)``
gives the raw scores, which is what the fit is made from).  A reading is also only as sure as the labelled
systems that confirm what it rests on (:mod:`needsmap.imports.column_support`: the catalog spelling it matched,
the qualifiers it read away, the rule of the table's shape): readings one system confirms are calibrated apart
(``exact/1``) and held below the automatic acceptance, and so are readings fewer than
:data:`~needsmap.imports.column_support.ACCEPT_SUPPORT` confirm and readings none confirms (a spelling added by
hand); a reread or a near spelling of a catalog attribute that none confirms is not proposed at all.  A catalog
attribute the tune part's automatic accepts were too often wrong about
(:data:`~needsmap.imports.column_evidence.UNSURE_ATTRIBUTES`) is held for review with its record, and so is a
reading whose ground labelled systems contradict too often (:func:`~needsmap.imports.column_support.record_of`:
``contactid``, a contact's key on some systems and a link to one on others).  A consent read from a column is
never accepted automatically (:data:`CONSENT_NOTE`).  When another attribute is read from the name nearly as well (:data:`RIVAL`: ``last_activity_date``,
the last contact or an interaction), the best one is held at :data:`RIVALLED_CAP`, for review, unless the rival
is its general form (:func:`general_form`: the phone number of ``MobilePhone``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from needsmap.catalog.name_tokens import compact_key, name_tokens
from needsmap.format import model as m
from needsmap.imports.column_evidence import (
    ADDRESS_KINDS,
    AUDIT_ATTRIBUTES,
    CALIBRATION,
    CHILD_ENTITIES,
    CONSENT_WORDS,
    GENERIC_CAP,
    GENERIC_NAMES,
    KEY_OF_SUB_TABLE,
    KEY_OF_TABLE,
    MARKETING_WORDS,
    NAMES_OF_SUB_TABLE,
    OPPOSITE_FLAGS,
    OTHER_ENTITY,
    OWN_KEYS,
    PRIMARY_WORDS,
    ROW_HOLDS,
    STRUCTURAL_NOTES,
    UNSURE_ATTRIBUTES,
    UNSURE_CAP,
    USER_KEY_CAP,
    USER_KEYS,
    Calibration,
    calibrated,
    consent_detail,
    evidence_class,
    flag_of_something_else,
    flag_shaped,
    holds_the_opposite,
    negated_channel,
    not_an_attribute,
    phone_part,
    positive_channel,
    sub_table,
    unsure_note,
    valid_from,
)
from needsmap.imports.column_readings import (
    ABBREVIATIONS,
    ENTITY_WORDS,
    QUALIFIERS,
    VALUE_NAME_NOTE,
    activity_date,
    address_line,
    audit_date,
    audit_of_another_object,
    bounce_column,
    counted_from_one,
    is_link,
    join_notes,
    key_named_after_its_table,
    key_of_another_object,
    keys_named_after,
    negates,
    owner_key,
    path_readings,
    place_qualified,
    points_to_another_row,
    qualifiers_only,
    relationship_flag,
    salesforce_field_name,
    singular,
    split_glued,
    table_context,
    without_module_prefix,
    without_type_prefix,
    word_variants,
)
from needsmap.imports.column_support import (
    ACCEPT_SUPPORT,
    ONCE_SUPPORTED_CAP,
    UNCONFIRMED_GUESSES,
    UNSUPPORTED_CAP,
    Support,
    load_support,
    record_of,
    record_text,
    support_block,
    support_keys,
    support_of,
)
from needsmap.imports.suite_codes import suite_code

#: Words without which a name is no consent to a channel (:func:`positive_channel` and :func:`consent_detail`
#: are not asked): the consent words, ``opt`` of a split ``opt_in``, and the words of a consent's state or end.
_CONSENT_HINTS = CONSENT_WORDS | MARKETING_WORDS | {"opt", "optout", "subscriptions", "unsubscribed", "unsubscribe"}
#: One-word statuses that, stored as yes/no, say whether the row is active.
_STATUS_WORDS = frozenset({"status", "statut", "state", "estado"})
#: Column type families of a point in time.
_DATE_FAMILIES = frozenset({"date", "datetime"})
#: The reason of a row's own key read as the key of the entity its table is about.
OWN_KEY_NOTE = "the key of table"
#: Below this confidence :meth:`ColumnMatcher.best` returns None.
DEFAULT_MIN_CONFIDENCE = 0.6
#: A reading that read away words saying what the value is of (``invoice_prefix`` as a name's prefix) is never
#: proposed: the narrowed readings the calibration rates highest were right four times in five on 77 systems,
#: and the columns they missed were mostly the software's own (round 7: top-1 -0.1 point, non-customer
#: columns proposed -0.3 point).
NARROWED_CAP = 0.55
#: A flag read as the opposite of an attribute (``is_inactive``, ``blocked``) is held for review.
OPPOSITE_CAP = 0.89
#: Last words of a count, whose name is never read by its look-alikes (address_count is no address_country).
_COUNTS = frozenset({"count", "cnt", "counter"})
#: The notes of the record's audit dates (:func:`~needsmap.imports.column_readings.audit_date`): calibrated
#: apart from the other rules of the table's shape, as a child table's own dates that no name gives away
#: (SAP Business One's CRD1, Zuora's Contact) make them less sure than a consent's or a key's.
_AUDIT_NOTES = re.compile(r"when the record was (created|last changed)|the record's audit date")
#: The notes of a value's parts that are less sure than the rules of the table's shape: a phone number's country
#: or area code (the customer's number, or the country's dialling code alone) and the third and fourth address
#: lines (a line, a city, or a field an address template names): calibrated apart.
_PART_NOTES = re.compile(r"a part of the (mobile )?phone number|an address line \([34]\)")
#: Words of a date of something else than the record (``password_changed``, ``statusChanged``).
_OTHER_DATES = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pin",
        "status",
        "state",
        "email",
        "phone",
        "address",
        "consent",
        "terms",
        "version",
        "price",
        "stage",
        "owner",
        "role",
        "plan",
        "subscription",
        "score",
        "login",
        "token",
    }
)
#: Entities whose attributes a qualifier read away names one of several of (which address, which e-mail):
#: calibrated apart from the other qualified readings when the words read away name a kind of address or
#: channel (:func:`place_qualified`), as they are far surer (round 7: 281 of 283 right on 77 systems).
_QUALIFIED_PLACES = frozenset({"address", "contact_point"})
#: A flattened object's field (``BillAddr.City``) whose whole path reads below this is read by its parts too.
PATH_READING_BELOW = 0.75
_FUZZY_CUTOFF = 85.0
_FUZZY_WEIGHT = 0.9
_KIND_WEIGHT = {"id": 1.0, "name": 1.0, "spelling": 1.0, "synonym": 0.97}
_INHERITED_WEIGHT = 0.99
#: Readings that also get fuzzy matching: the name as written, and with abbreviations expanded.
_FUZZY_READINGS = ("", "abbreviations expanded")

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
    (r"float\d?|double|real", "float"),
    (r"decimal|numeric|number|money|smallmoney|monetary", "decimal"),
    (
        r"n?varchar2?|n?char|character|text|mediumtext|longtext|tinytext|string|citext|clob|nclob|enum|set|"
        r"selection|html|email|phone|url|tsvector",
        "string",
    ),
    (r"blob|bytea|binary|varbinary|image|raw", "binary"),
)
_FAMILY_RES = tuple((re.compile(r"\s*(?:" + pat + r")(?![A-Za-z0-9_])", re.I), fam) for pat, fam in _FAMILY_WORDS)

_ONE_CHAR = re.compile(r"\s*n?(?:var)?char\s*\(\s*1\s*\)", re.I)
_WHOLE_NUMBER = re.compile(r"\s*(?:decimal|numeric|number)\s*\(\s*\d+\s*(?:,\s*0\s*)?\)", re.I)

#: For each attribute type: SQL type families that fit, and those that fit loosely.
TYPE_FIT: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "string": (frozenset({"string", "uuid"}), frozenset({"integer", "json", "decimal"})),
    "text": (frozenset({"string"}), frozenset({"json"})),
    "enum": (frozenset({"string", "integer"}), frozenset({"boolean"})),
    "country": (frozenset({"string", "integer"}), frozenset()),
    "currency": (frozenset({"string"}), frozenset({"integer"})),
    "email": (frozenset({"string"}), frozenset({"json"})),
    "phone": (frozenset({"string"}), frozenset({"integer", "decimal", "json"})),
    "url": (frozenset({"string"}), frozenset({"json"})),  # an API's object of links (a photo's sizes)
    "id": (frozenset({"string", "integer", "uuid"}), frozenset({"decimal", "binary", "json"})),
    "integer": (frozenset({"integer"}), frozenset({"decimal", "float", "string"})),
    "decimal": (frozenset({"decimal", "integer", "float"}), frozenset({"string"})),
    "money": (frozenset({"decimal", "integer", "float"}), frozenset({"string"})),
    "boolean": (frozenset({"boolean"}), frozenset({"integer", "string", "date", "datetime"})),
    "date": (frozenset({"date", "datetime"}), frozenset({"string"})),
    "datetime": (frozenset({"datetime", "date"}), frozenset({"string", "integer"})),
}
_LOOSE_FIT, _CLASH = 0.85, 0.55
#: Attribute types a single character (``CHAR(1)``) cannot hold: a country, a currency, an address, a date.
_NOT_ONE_CHAR = frozenset({"country", "currency", "email", "phone", "url", "date", "datetime", "decimal", "money"})
#: Column types of keys: a ``_id`` column read as a coded attribute (``salutation_id``) may have any of them.
_KEY_FAMILIES = frozenset({"integer", "uuid", "binary"})
#: Generic names that a child row may hold of the customer (an address names the person it is for) or say of
#: itself (the default one): read whatever the table.
_ROW_NAMES = frozenset({"name", "prefix", "suffix", "title", "default", "primary", "type", "url", "link"})
#: Words of a contact point in a column name (``is_primary_email``).
_CONTACT_WORDS = frozenset({"email", "phone", "address", "mail", "telephone", "mobile"})
#: Attributes held as a stored file, whose key (``avatar_id``) stands for them.
_STORED_FILES = frozenset({"photo"})
#: Keys of whoever holds an address or a phone number kept for any kind of record (``OWNER_TABLE_ID``).
_HOLDER_KEYS = frozenset({("owner", "id"), ("owner", "table", "id"), ("owner", "record", "id")})
#: Columns of a means of payment (a card, a bank account, a mandate) that name the customer's holding there:
#: its account number is the bank account's, its holder the person's name (``customer_authorizations``).
_PAYMENT_COLUMNS = {
    **dict.fromkeys(("accountnumber", "accountno", "acctnumber", "acctno", "bankaccountnumber"), "iban"),
    **dict.fromkeys(
        ("accountname", "holdername", "accountholdername", "accountholder", "cardholdername", "nameoncard"),
        "full_name",
    ),
    **dict.fromkeys(("brand", "cardbrand", "scheme", "cardscheme", "network"), "payment_card_last_digits"),
}
#: Plural names of a list of coded values kept whole (``segments``): the codes the customer has.
_LISTED_CODES = frozenset({"segments", "classifications", "categories", "cohorts", "tiers", "types", "statuses"})
#: Words that make a whole number a point in time (Unix seconds or milliseconds: Drift's ``createDateTime``).
_EPOCH_WORDS = frozenset({"date", "time", "datetime", "timestamp", "at", "ts"})
#: A row's number as people quote it (``tickets.number``).
_NUMBER_WORDS = frozenset({"number", "no", "nr", "num"})
#: Words of a means of payment's own dates and of the address it is billed to (``billing_city`` of a card is the
#: customer's billing address; its bare ``country`` is the bank's).
_EXPIRY_WORDS = frozenset({"expiration", "expiry", "expires", "exp", "expire", "expiring"})
_BILLING_WORDS = frozenset({"billing", "bill", "address", "addr", "street", "postal", "zip", "postcode", "city"})
#: Rows of something issued to the customer (a card, a bank account, an identity document): their bare places
#: are the issuer's.
_ISSUED_ENTITIES = frozenset({"payment", "identifier"})
#: First words of an appointment's or an event's time: its start is when the interaction happens (Calendly's
#: ``start_time``), its end says nothing of the customer.
_START_WORDS = frozenset({"start", "starts", "begin", "begins"})
_END_WORDS = frozenset({"end", "ends", "finish"})
#: A date with nothing else said: in an appointment's or an event's row, when it takes place.
_BARE_DATES = frozenset({("date",), ("datetime",), ("time",), ("date", "time"), ("start",), ("starts", "at")})
_WHEN_WORDS = frozenset({"time", "date", "at", "datetime", "timestamp", "ts", "on", "utc"})
#: A runner-up of at least this confidence, for another attribute, is a rival: the best one is checked
#: (kept at :data:`RIVALLED_CAP`, below the automatic acceptance).  Read off systems the calibration never saw:
#: round 3's readings with such a rival (read from the name, not a generic word) were right 5 times in 7 there,
#: those without one 96.5% of the time.
RIVAL, RIVALLED_CAP = 0.8, 0.89
#: The reason's note of a reading whose spelling or rule no labelled system confirms, and one only.
UNCONFIRMED_NOTE = "no labelled system confirms this reading: check"
ONCE_CONFIRMED_NOTE = "one labelled system confirms this reading"

#: The review note of a consent read from a column: whatever the calibration says, a person confirms what the
#: import takes for a customer's permission (a consent read wrong, or its inversion missed, is a privacy matter).
CONSENT_NOTE = "a consent: a person confirms it"
#: The review note of a reading that fewer than ``column_support.ACCEPT_SUPPORT`` labelled systems confirm, after
#: their number (``only 3 labelled systems confirm this reading: check``).
FEW_CONFIRMED_NOTE = "labelled systems confirm this reading: check"


def mixed_record_note(record: tuple[str, int, int]) -> str:
    """The review note of a reading whose least sure ground (``column_support.record_of``) reads some labelled
    systems right and others wrong: ``'contactid' read right on 14 labelled systems, wrong on 12: check``."""
    key, right, wrong = record
    return f"{record_text(key)} read right on {right} labelled systems, wrong on {wrong}: check"


#: Readings that make a rival: a generic word (``address`` of ``email_address``) or a near spelling does not.
_RIVAL_EVIDENCE = frozenset({"exact", "structural", "qualified", "reread"})
#: Attribute types whose values a key can point to (a salutation, a country, a currency, a segment).
_CODED_TYPES = frozenset({"enum", "country", "currency", "string"})


def sql_type_family(sql_type: str | None) -> str | None:
    """``varchar(255)`` -> string, ``tinyint(1)`` -> boolean, ``timestamptz`` -> datetime, ``double`` -> float
    (a measure: never a text or a key); None when unknown."""
    if not sql_type:
        return None
    if _ONE_CHAR.match(sql_type):
        return "flag"
    if _WHOLE_NUMBER.match(sql_type):  # decimal(18, 0), numeric(10): whole numbers (HubSpot, Oracle, iDempiere)
        return "integer"
    for pattern, family in _FAMILY_RES:
        if pattern.match(sql_type):
            return family
    return None


def type_fit(attr_type: str, family: str | None) -> float:
    """1.0 when a column of ``family`` can hold an ``attr_type`` attribute, 0.85 loosely, 0.55 not."""
    if family == "flag":  # CHAR(1): SAP's 'X' flags, and one-letter codes
        if attr_type in _NOT_ONE_CHAR:
            return _CLASH
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
    #: how many labelled systems confirm what the reading rests on (:mod:`~needsmap.imports.column_support`;
    #: None: the attribute's id or name as written, nothing to confirm)
    support: int | None = None
    #: what the reading rests on (:func:`~needsmap.imports.column_support.support_keys`)
    support_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Hit:
    target: int
    weight: float
    how: str  # "spelling 'firstname'"


#: Values of a customer that are not a preference when the column says nothing more (``name`` is not the
#: preferred name): the words a customer's preferred value is not read from.
_NOT_PREFERENCES = frozenset({"name", "firstname", "email", "phone", "address", "title", "id", "code", "number"})
#: Tables whose columns may hold the customer's preferred value without saying so (``currency_code``).
_PREFERRING_ENTITIES = frozenset({"customer", "organization"})


def general_form(best: Candidate, rival: Candidate) -> bool:
    """True when ``rival`` is the general form of ``best``, which then is no rival: an attribute of the same
    type whose id is ``best``'s without some of its words (``phone`` of ``mobile_phone``, ``email`` of
    ``work_email``), or the same name read without the number that ``best`` read as written (``ORT02``: the
    district, the city only without its number; ``emailaddress2``)."""
    if best.type != rival.type:
        return False
    words = set((best.catalog_id or best.attribute).split("_"))
    general = set((rival.catalog_id or rival.attribute).split("_"))
    if general < words:
        return True
    return best.evidence == "exact" and "without its numbers" in rival.reason


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
        support: Support | None = None,
        unsure: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        """``targets``: each with (text, kind, weight) names; use the ``from_*``/``for_*`` constructors.
        ``calibration``: the map from a reading's score to its confidence (None: the raw scores, to fit one).
        ``support``: which labelled systems confirm each spelling and rule (default: the shipped table,
        :func:`~needsmap.imports.column_support.load_support`).  ``unsure``: the catalog ids whose readings
        accepted automatically were too often wrong, each with (right, accepted) (default:
        :data:`~needsmap.imports.column_evidence.UNSURE_ATTRIBUTES`; ``{}`` to fit it)."""
        self._calibration = calibration
        self._support = load_support() if support is None else support
        self._unsure = UNSURE_ATTRIBUTES if unsure is None else unsure
        self._targets: list[Candidate] = []
        self._exact: dict[str, list[_Hit]] = {}
        #: the same words in any order (email_last_open_date, last_email_open_date): sorted words -> index keys
        self._by_words: dict[str, list[str]] = {}
        self._words_of: dict[str, tuple[str, ...]] = {}
        for target, names in targets:
            index = len(self._targets)
            self._targets.append(target)
            for text, kind, weight in names:
                key = compact_key(text)
                if not key:
                    continue
                words = name_tokens(text)
                self._words_of.setdefault(key, words)
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
        #: the words names are made of, to read a name glued together (``transactioncurrencyid``)
        self._vocabulary = frozenset(
            {w for key in self._keys for w in self._words_of.get(key, ())}
            | {w for w in (*QUALIFIERS, *ENTITY_WORDS, *ABBREVIATIONS) if len(w) >= 3}
            | {"id", "ip"}
        )
        self._glued: dict[str, tuple[str, ...] | None] = {}
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
    def from_catalog(
        cls,
        catalog=None,
        calibration: Calibration | None = CALIBRATION,
        support: Support | None = None,
        unsure: Mapping[str, tuple[int, int]] | None = None,
    ) -> ColumnMatcher:
        """A matcher over the catalog entries (default: the shipped catalog; ``support``: the shipped table;
        ``unsure``: the shipped record of unsure attributes)."""
        from needsmap.catalog.entries import load_catalog

        catalog = catalog if catalog is not None else load_catalog()
        targets = [(_entry_target(e), _entry_names(e, 1.0)) for e in catalog.entries]
        return cls(targets, calibration, support, unsure)

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
            # an attribute that stands for a catalog entry and says no entity or type of its own is what the entry
            # is: a workshop's ``email_optin`` is a consent, so ``no_marketing`` is its opposite and a person checks it
            entity = attr.entity or (entry.entity if entry else None) or attr.effective_entity
            kind = attr.type or (entry.type if entry else None) or attr.effective_type
            targets.append(
                (_target(attr.id, "workshop", attr.name or attr.id, entity, kind, entry.id if entry else None), names)
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
        given = [col if isinstance(col, Column) else Column(*col) for col in columns]
        for col in given:
            name, table = col.name, col.table
            if table is None and "." in name:
                table, name = name.rsplit(".", 1)
            if "__" in name:  # npe01__HomeEmail__c: a Salesforce custom field
                head, _, leaf = name.rpartition(".")
                name = (head + "." if head else "") + salesforce_field_name(leaf)
            tokens = name_tokens(counted_from_one(name))  # address[0].line[1]: the second line
            if "." in name and (audit_of_another_object(name) or key_of_another_object(name)):
                tokens = ()  # cancellation.created_at, PrimaryPhone.Id: the object's own, not the customer record's
            context, entity = table_context(table)
            family = sql_type_family(col.sql_type)
            table_words = name_tokens(table.rsplit(".", 1)[-1]) if table else ()
            if key_named_after_its_table(tokens, table_words):
                tokens = ("id",)  # C_BPartner.C_BPartner_ID, AD_User.AD_User_UU: the row's own key
            tokens = without_module_prefix(tokens, table_words)
            tokens = without_type_prefix(name.rsplit(".", 1)[-1], tokens)  # cMobil, kKunde: Hungarian notation
            owner = owner_key(tokens, table_words) if tokens else None
            owner_of = (owner, "_".join(table_words)) if owner else None
            coded = suite_code(name.rsplit(".", 1)[-1])  # ABAN8, OKCUNO: a suite's short code
            key = (tokens, context, entity, family, limit, owner_of, coded)
            prepared.append(key)
            if key not in self._cache and key not in pending:
                pending[key] = (tokens, context, entity, family)
        if pending:
            self._solve(pending, limit)
        out = [list(self._cache[key]) for key in prepared]
        for i, col in enumerate(given):
            if (
                col.table is None
                or "." not in col.name.strip(".")
                or (out[i] and out[i][0].confidence >= PATH_READING_BELOW)
            ):
                continue
            read = self._path_reading(col.name, col.table, col.sql_type, limit)
            if read and (not out[i] or read[0].confidence > out[i][0].confidence):
                out[i] = read
        return out

    def _path_reading(self, name: str, table: str, sql_type: str | None, limit: int) -> list[Candidate]:
        """A flattened object's field read by its parts when the whole path says nothing sure
        (:func:`path_readings`: ``PrimaryEmailAddr.Address`` is the e-mail, ``homeAddress.countryOrRegion`` the
        country), each reading noted in the reason."""
        best: list[Candidate] = []
        for part, note in path_readings(name):
            found = self.match_many([Column(part, table, sql_type)], limit=limit)[0]
            if found and (not best or found[0].confidence > best[0].confidence):
                best = [replace(c, reason=join_notes(c.reason, note)) for c in found]
        return best

    def _solve(self, pending: dict[tuple, tuple], limit: int) -> None:
        scored: dict[tuple, dict[int, tuple[float, str]]] = {}
        fuzzy_queries: dict[str, list[tuple[tuple, float, str, str | None]]] = {}
        for key, (tokens, context, entity, family) in pending.items():
            found: dict[int, tuple[float, str]] = {}
            scored[key] = found
            glued = self._split_glued(tokens)
            if glued is not None:  # masterid: master_id, transactioncurrencyid: transaction_currency_id
                tokens = glued
                pending[key] = (tokens, context, entity, family)
            if not tokens or not_an_attribute(tokens, entity):
                continue
            owner_of = key[5]
            if owner_of is not None and (index := self._by_catalog.get("customer_id")) is not None:
                # party_address.party, account_emails.account_record_id: the party the row belongs to
                found[index] = (0.88, f"'{'_'.join(tokens)}' of a {owner_of[1]} row: the {owner_of[0]} it belongs to")
                continue
            if self._structural(found, tokens, context, entity, family):
                continue
            coded = key[6]
            if coded is not None and (index := self._by_catalog.get(coded[0])) is not None:
                found[index] = (0.9, coded[1])
                continue
            variants = word_variants(tokens, context, entity, not sub_table(context))
            link = is_link(tokens)
            if link:  # address_id, id_product: only an exact name (customer_id is an identifier of its own)
                variants = [v for v in variants if "without" not in v[2]]
            prefers = entity in _PREFERRING_ENTITIES
            for words, factor, note, hint in variants:
                query = "".join(words)
                for hit in self._exact.get(query, ()):
                    self._offer(found, hit.target, factor * hit.weight, join_notes(hit.how, note), hint, entity)
                if prefers and query not in _NOT_PREFERENCES:  # currency_code of a customer: the one they prefer
                    for hit in self._exact.get("preferred" + query, ()):
                        why = join_notes(hit.how, join_notes(note, "read as the customer's preferred"))
                        self._offer(found, hit.target, factor * hit.weight * 0.98, why, hint, entity)
            if not _CONSENT_HINTS.isdisjoint(tokens):
                self._consent(found, tokens, family)
            if not found and family not in ("boolean", "flag") and (dated := activity_date(tokens)) is not None:
                index = self._by_catalog.get(dated[0])
                if index is not None:  # last_emailed_at: the last contact, first_login: a customer since
                    found[index] = (0.9, dated[1])
            if not found or max(s for s, _ in found.values()) < 0.9:  # verified_email: not just the e-mail
                for words, factor, note, hint in variants:
                    if len(words) < 2:
                        continue
                    for matched in self._by_words.get(" ".join(sorted(words)), ()):
                        for hit in self._exact[matched]:
                            why = join_notes(hit.how, join_notes(note, "its words in another order"))
                            self._offer(found, hit.target, factor * hit.weight * 0.95, why, hint, entity)
            if not link and tokens[-1] not in _COUNTS and (not found or max(s for s, _ in found.values()) < 0.9):
                for words, factor, note, hint in variants:  # address_count is no address_country
                    query = "".join(words)
                    if note in _FUZZY_READINGS and len(query) >= 5:  # etag is no tag, depth no dept
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
                                join_notes(how, note),
                                hint,
                                entity,
                            )
        interaction_date = self._by_catalog.get("interaction_date")
        for key, found in scored.items():
            tokens, _context, entity, family = pending[key]
            link = is_link(tokens)
            fits_table = ROW_HOLDS.get(entity or "")
            one_generic = len(tokens) == 1 and tokens[0] in GENERIC_NAMES and tokens[0] not in _ROW_NAMES
            ranked = []
            for index, (score, why) in found.items():
                target = self._targets[index]
                about = target.catalog_id or target.attribute
                if about == "record_created_at" and entity == "interaction" and interaction_date is not None:
                    target, about = self._targets[interaction_date], "interaction_date"
                    why = join_notes(why, "an interaction's creation is when it happened")
                elif (entity in CHILD_ENTITIES or sub_table(_context)) and about in AUDIT_ATTRIBUTES:
                    continue  # the address's own created_at is not the customer's
                elif about in ("record_created_at", "record_updated_at") and not _OTHER_DATES.isdisjoint(tokens):
                    continue  # password_changed, statusChanged: when something else changed, not the record
                if link and fits_table is not None and target.entity not in fits_table:
                    continue  # addresses.order_id: a link to an order, which an address row does not hold
                if entity in _ISSUED_ENTITIES and target.entity == "address" and _BILLING_WORDS.isdisjoint(tokens):
                    continue  # a bank account's or an identity document's country: its issuer's, not an address
                if about == "account_manager" and entity == "interaction":
                    continue  # a ticket's assignee: the agent working on it, not the customer's account manager
                if about == "address_label" and entity != "address" and "address" not in tokens:
                    continue  # a user's alias is no address's label
                if (
                    about == "contact_point_primary"
                    and entity in _PREFERRING_ENTITIES
                    and _CONTACT_WORDS.isdisjoint(tokens)
                ):
                    continue  # a contact person's is_primary: the company's main contact, not a contact point
                if tokens[-1] == "id" and target.type == "boolean":
                    continue  # employee_id: a key is never a yes/no
                if about in ("is_active", "is_deleted") and flag_of_something_else(why):
                    continue  # password_enabled, totp_enabled: a feature is on, not the customer
                if one_generic and entity in CHILD_ENTITIES and target.entity not in (entity, "identifier"):
                    continue  # an e-mail row's 'status', an address's 'description': the row's, not the customer's
                if about == "crm_contact_id" and entity == "organization" and "contact" not in "".join(tokens):
                    account = self._by_catalog.get("crm_account_id")
                    if account is not None:  # a company table's object id is the account's key
                        target, about = self._targets[account], "crm_account_id"
                        why = join_notes(why, "the key of a company row is the account's")
                if about == "clothing_size" and entity == "organization":
                    employees = self._by_catalog.get("number_of_employees")
                    if employees is not None:  # accounts.size: how big the company is, not a garment's size
                        target, about = self._targets[employees], "number_of_employees"
                        why = join_notes(why, "the size of a company row is its head count")
                if about in ("last_name", "full_name") and entity == "organization" and len(tokens) == 1:
                    named = self._by_catalog.get("organization_name")
                    if named is not None:  # a company table's 'nom', 'name': the company's name
                        target, about = self._targets[named], "organization_name"
                        why = join_notes(why, "the name of a company row is the company's")
                if _context and target.entity == "identifier" and points_to_another_row(tokens, _context):
                    continue  # primary_contact_id in a contacts table: another contact, not this one's key
                if holds_the_opposite(tokens, about, target.entity):
                    target = replace(target, inverted=True)
                    why = join_notes(why, "inverted: the column holds the opposite")
                fit = type_fit(target.type, family)
                if fit < 1.0 and family == "integer" and target.type == "boolean" and flag_shaped(tokens):
                    fit = 1.0  # is_suspended tinyint: MySQL's and Frappe's yes/no columns
                if fit < 1.0 and family in ("string", "integer") and "the state of the" in why:
                    fit = 1.0  # a consent's state: 'subscribed', 'unsubscribed', 'pending'
                if fit < 1.0 and family in _KEY_FAMILIES and tokens[-1] == "id" and about in _STORED_FILES:
                    fit = 1.0  # avatar_id, picture_id: a key to the stored picture
                if fit < 1.0 and family == "json" and target.type == "enum" and tokens[-1] in _LISTED_CODES:
                    fit = 1.0  # segments, Classifications: a list of the coded values (groups: of the software's too)
                if fit < 1.0 and family in ("binary", "json") and about in _STORED_FILES:
                    fit = 1.0  # a picture kept in the row (SQL Server's image, a blob) or as an object of links
                if fit < 1.0 and family in _KEY_FAMILIES and tokens[-1] == "id" and target.type in _CODED_TYPES:
                    fit = 1.0  # salutation_id, country_id: a key to a coded value, whatever the key's type
                if fit < 1.0:
                    why = join_notes(
                        why, f"{family} column {'fits loosely' if fit > _CLASH else 'clashes with'} {target.type}"
                    )
                score *= fit
                if fits_table is not None and target.entity not in fits_table:
                    score *= OTHER_ENTITY  # a ticket's 'reason' is the ticket's, not a customer attribute
                    why = join_notes(why, f"a {target.entity} attribute in a {entity} table")
                if len(tokens) == 1 and tokens[0] in GENERIC_NAMES and "table" not in why and score > GENERIC_CAP:
                    # 'status', 'source', 'type' alone: a person checks what it is about (the order kept: a
                    # customer's 'currency' is the one they prefer before it is an order's)
                    score = GENERIC_CAP + (min(score, 1.0) - GENERIC_CAP) * 0.01
                    why = join_notes(why, "a generic name: check")
                if "".join(tokens) in USER_KEYS and _context[:1] != ("user",) and score > USER_KEY_CAP:
                    score = USER_KEY_CAP
                    why = join_notes(
                        why, "a user id outside a users table: the software's user or the customer's login"
                    )
                ranked.append((min(1.0, score), target, why))
            ranked.sort(key=lambda r: (-r[0], r[1].attribute))  # the words decide the order ...
            if len(ranked) > 1 and evidence_class(tokens, _context, ranked[0][2], ranked[0][1].entity) == "narrowed":
                # ... but a reading about something else (newsletter_active: the newsletter's being active) does
                # not come before what a rule of the name's shape reads (that the newsletter may be sent)
                ruled = next((r for r in ranked[1:4] if any(n in r[2] for n in STRUCTURAL_NOTES)), None)
                if ruled is not None:
                    ranked.remove(ruled)
                    ranked.insert(0, ruled)
            out = []
            ceiling = 1.0
            for score, target, why in ranked[: max(limit, 2)]:  # the runner-up, to see whether it is a rival
                about = target.catalog_id or target.attribute
                evidence = evidence_class(tokens, _context, why, target.entity)
                keys = support_keys(tokens, why, target.catalog_id if target.source == "catalog" else None)
                count = support_of(keys, self._support)
                if evidence == "reread" and qualifiers_only(why, entity):
                    evidence = "qualified"
                if evidence == "structural" and _AUDIT_NOTES.search(why.split(", ", 1)[0]):
                    evidence = "audit"  # created_at: right unless the table is a child's nobody can tell by name
                elif evidence == "structural" and (
                    "it belongs to" in why or (why.startswith(OWN_KEY_NOTE) and about != "customer_id")
                ):  # a contact's or an account's own key, or its owner's: which identifier is a system's convention
                    evidence = "key"
                elif evidence == "structural" and _PART_NOTES.search(why.split(", ", 1)[0]):
                    evidence = "part"  # a phone's country code, a third address line: part of a value, or not
                if evidence == "qualified" and target.entity in _QUALIFIED_PLACES and place_qualified(why):
                    evidence = "qualified place"  # MailingCity, BillingState, work_email: which address or channel
                if self._calibration is not None:  # ... and what such readings were worth, the confidence
                    record = record_of(keys, self._support)
                    block = support_block(count, record)
                    kind = f"{evidence}/{block}" if block and f"{evidence}/{block}" in self._calibration else evidence
                    worth = calibrated(score, kind, self._calibration)
                    cap = UNSUPPORTED_CAP if block == "0" else ONCE_SUPPORTED_CAP if block else 1.0
                    worth = min(worth, cap)  # written for one system, confirmed by no other or by one: checked
                    if evidence == "narrowed":  # invoice_prefix, unsubscribe_reason: about something else
                        worth = min(worth, NARROWED_CAP)
                    if "is the opposite of" in why:  # is_inactive, blocked: an inverted flag is for a person to confirm
                        worth = min(worth, OPPOSITE_CAP)
                    # a reread or a near spelling nothing confirms: mostly the software's own column (a workshop's
                    # own attribute, which no labelled system can confirm, is still proposed)
                    if block == "0" and evidence in UNCONFIRMED_GUESSES and target.source == "catalog":
                        continue
                    if block in ("0", "1"):
                        why = join_notes(why, UNCONFIRMED_NOTE if block == "0" else ONCE_CONFIRMED_NOTE)
                    elif block and count is not None and count < ACCEPT_SUPPORT:  # often a third system's other thing
                        why = join_notes(why, f"only {count} {FEW_CONFIRMED_NOTE}")
                    elif block and record is not None:  # contactid: a contact's key here, a link to one there
                        why = join_notes(why, mixed_record_note(record))
                    unsure = self._unsure.get(about)
                    if unsure is not None and worth > UNSURE_CAP:  # initials, is_active: often something else
                        worth = UNSURE_CAP
                        why = join_notes(why, unsure_note(about, unsure))
                    if target.entity == "consent" and worth > UNSURE_CAP:  # DoNotCall, accepts_marketing
                        worth = UNSURE_CAP
                        why = join_notes(why, CONSENT_NOTE)
                    score = ceiling = min(ceiling, worth)
                out.append(
                    replace(
                        target,
                        confidence=round(score, 3),
                        reason=why,
                        evidence=evidence,
                        support=count,
                        support_keys=keys,
                    )
                )
            if (
                self._calibration is not None
                and len(out) > 1
                and out[1].confidence >= RIVAL
                and out[1].evidence in _RIVAL_EVIDENCE
                and out[1].attribute != out[0].attribute
                and not general_form(out[0], out[1])
            ):  # another attribute fits nearly as well (last_activity_date: the last contact or an interaction)
                why = join_notes(out[0].reason, f"'{out[1].attribute}' fits nearly as well: check")
                out[0] = replace(out[0], confidence=min(out[0].confidence, RIVALLED_CAP), reason=why)
            self._cache[key] = out[:limit]

    def _structural(
        self,
        found: dict[int, tuple[float, str]],
        tokens: tuple[str, ...],
        context: tuple[str, ...],
        entity: str | None,
        family: str | None = None,
    ) -> bool:
        """Candidates read from the table rather than the words (the row's own key, a parent key, a negated
        channel, a yes/no status, the kind of an address); True when they settle the column."""
        compact = "".join(tokens)
        settled = self._structural_flag(found, tokens, entity, family)
        if settled:
            return True
        dated = (
            family in _DATE_FAMILIES or family is None or (family == "integer" and not _EPOCH_WORDS.isdisjoint(tokens))
        )
        audit = audit_date(tokens) if entity != "interaction" and dated else None  # createDateTime bigint: Unix time
        if audit is not None:
            if entity in CHILD_ENTITIES or sub_table(context):
                return True  # an address's own created_at is not the customer's
            if (index := self._by_catalog.get(audit[0])) is not None:  # below the consents' rules: calibrated apart
                found[index] = (0.91, audit[1])
                return True
        if entity == "payment" and tokens[0] in _EXPIRY_WORDS:
            return True  # a card's expirationDate: the card's, no contract's end
        if entity == "payment" and (held := _PAYMENT_COLUMNS.get(compact)) and (index := self._by_catalog.get(held)):
            found[index] = (0.86, f"'{compact}' of a means of payment: the customer's {held.replace('_', ' ')} there")
            return True
        when = len(tokens) <= 3 and set(tokens[1:]) <= _WHEN_WORDS
        bare_date = tokens in _BARE_DATES and family not in ("boolean", "integer")
        if entity == "interaction" and (bare_date or (family in _DATE_FAMILIES and when and tokens[0] in _START_WORDS)):
            if (index := self._by_catalog.get("interaction_date")) is not None:
                found[index] = (0.86, f"'{compact}': when the {'_'.join(context) or 'interaction'} takes place")
            return True
        if entity == "interaction" and when and tokens[0] in _END_WORDS:
            return True  # an appointment's end_time: the meeting's, not the customer's
        if bounce_column(tokens) and (index := self._by_catalog.get("email_status")) is not None:
            found[index] = (0.9, f"'{compact}' says how e-mails to the customer bounced")
            return True
        if relationship_flag(tokens) and (index := self._by_catalog.get("relationship_type")) is not None:
            found[index] = (0.9, f"'{compact}' says which role the party plays")
            return True
        part = address_line(tokens, entity) or phone_part(tokens, context) or valid_from(tokens, entity)
        if part is not None and (index := self._by_catalog.get(part[0])) is not None:
            found[index] = (0.93, part[1])
            return True
        if sub_table(context) and context[-1] in KEY_OF_SUB_TABLE and tokens in NAMES_OF_SUB_TABLE:
            index = self._by_catalog.get(KEY_OF_SUB_TABLE[context[-1]])
            if index is not None:  # customer_groups.name: the segment's name
                found[index] = (0.88, f"'{compact}' of a {'_'.join(context)} row: its {singular(context[-1])}")
                return True
        table_word = context[0] if context else ""
        if KEY_OF_TABLE.get(table_word) == "case_number" and not sub_table(context) and compact in _NUMBER_WORDS:
            if (index := self._by_catalog.get("case_number")) is not None:  # tickets.number: the ticket's number
                found[index] = (0.88, f"'{compact}' of a {table_word} row: its number")
                return True
        names_table = bool(table_word) and compact in keys_named_after(table_word)
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
        if tokens == ("parent", "id") and entity in CHILD_ENTITIES:  # a customer's parent_id is another customer
            index = self._by_catalog.get("customer_id")
            if index is not None:
                found[index] = (0.85, f"parent_id of a {entity} row: the customer it belongs to")
                return True
        if tokens in _HOLDER_KEYS and entity in ("address", "contact_point"):  # a customer's owner is an agent
            index = self._by_catalog.get("customer_id")
            if index is not None:
                raw = 0.85 if len(tokens) > 2 else 0.84  # OWNER_TABLE_ID names the party; owner_id may be a user
                found[index] = (raw, f"{'_'.join(tokens)} of a {entity} row: the customer it belongs to")
                return True
        negated = negated_channel(tokens)
        if negated is not None:
            index = self._by_catalog.get(negated[0])
            if index is not None:
                opt_out = compact.endswith(("optout", "optedout"))
                found[index] = (0.95, f"an opt-out of {negated[2]}" if opt_out else f"do-not-{negated[2]} flag")
                return True
        opposite = OPPOSITE_FLAGS.get(compact) if family not in _DATE_FAMILIES else None  # registered: a date
        if opposite is not None and (index := self._by_catalog.get(opposite)) is not None:
            found[index] = (0.82, f"'{compact}' is the opposite of {opposite}")
            return True
        return False

    def _split_glued(self, tokens: tuple[str, ...]) -> tuple[str, ...] | None:
        """The words of a name whose words are glued together from known words (:func:`split_glued`:
        ``masterid``, ``address1_addresstypecode``), or None when none is."""
        out: list[str] = []
        changed = False
        for word in tokens:
            if len(word) < 7 or not word.isalpha() or (len(tokens) > 1 and word in self._vocabulary):
                out.append(word)
                continue
            if word not in self._glued:
                self._glued[word] = split_glued(word, self._vocabulary)
            parts = self._glued[word]
            out.extend(parts or (word,))
            changed = changed or parts is not None
        return tuple(out) if changed else None

    def _consent(self, found: dict[int, tuple[float, str]], tokens: tuple[str, ...], family: str | None) -> None:
        """A channel a name allows (``accepts_sms``: the channel's marketing consent, not the e-mail address), or
        what a consent column says of it (when, where from, its state: :func:`consent_detail`)."""
        offer = None
        detail = consent_detail(tokens)
        if detail is not None:
            dated = detail[0] in ("consent_date", "consent_withdrawn_date")
            fits = family in _DATE_FAMILIES or family in (None, "string", "integer")
            if fits if dated else family not in _DATE_FAMILIES:
                offer = detail
        if offer is None and family not in _DATE_FAMILIES and (consent := positive_channel(tokens)) is not None:
            offer = consent[0], f"'{'_'.join(tokens)}' says {consent[1]} may be used"
        index = self._by_catalog.get(offer[0]) if offer else None
        if offer and index is not None and found.get(index, (0.0, ""))[0] < 0.95:
            found[index] = (0.95, offer[1])

    def _structural_flag(
        self, found: dict[int, tuple[float, str]], tokens: tuple[str, ...], entity: str | None, family: str | None
    ) -> bool:
        """A yes/no column whose meaning is the table's: a boolean ``status`` is whether the row is active, an
        address's ``is_billing`` says its kind, its ``is_primary`` that it is the preferred one."""
        compact = "".join(tokens)
        attribute = why = None
        if compact in _STATUS_WORDS and family == "boolean":
            attribute, why = "is_active", f"a yes/no '{compact}': whether the row is active"
        elif entity in ("address", "contact_point") and (family == "boolean" or flag_shaped(tokens)):
            words = set(tokens)
            if entity == "address" and words & ADDRESS_KINDS and "default" not in words:
                attribute, why = "address_type", f"'{compact}' says which kind of address the row is"
            elif words & PRIMARY_WORDS and len(tokens) <= 3:
                attribute, why = "contact_point_primary", f"'{compact}': the preferred {entity.replace('_', ' ')}"
        index = self._by_catalog.get(attribute or "")
        if index is None:
            return False
        found[index] = (0.9, why or "")
        return True

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
        if VALUE_NAME_NOTE in why and self._targets[index].type != "enum" and target_entity != "address":
            return  # statusName is a status's name; company_name is no company read this way (region_text is)
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
            choices = self._keys_near(n, max(5, int(n * share / (2 - share))), int(n * (2 - share) / share) + 1)
            found = {
                k: s
                for k, s, _ in process.extract(q, choices, scorer=fuzz.ratio, limit=5, score_cutoff=_FUZZY_CUTOFF)
                if not negates(q, k)
                and k != q + "id"
                and q != k + "id"  # organization is not organization_id
                and not self._a_word_more(q, k)  # is_customer is not is_vip_customer
            }
            if 5 <= n <= 6:
                for k, _dist, _ in process.extract(
                    q, self._keys_near(n, max(5, n - 1), n + 1), scorer=OSA.distance, limit=5, score_cutoff=1
                ):
                    if not negates(q, k) and not self._a_word_more(q, k):
                        found.setdefault(k, 100.0 * (1 - 1 / max(n, len(k))))
            out[q] = sorted(found.items(), key=lambda kv: -kv[1])[:5]
        return out

    def _a_word_more(self, query: str, key: str) -> bool:
        """True when ``key`` is ``query`` with one more word or another word beside the same ones
        (``vipcustomer`` for ``iscustomer``, ``isvipcustomer`` for ``iscustomer``): another thing, not a typo."""
        words = self._words_of.get(key, ())
        if len(key) > len(query) and any(
            "".join(w for j, w in enumerate(words) if j != i) == query for i in range(len(words))
        ):
            return True
        for i in range(1, len(words)):
            head, tail = "".join(words[:i]), "".join(words[i:])
            for same, other, rest in ((tail, head, query[: -len(tail)]), (head, tail, query[len(head) :])):
                kept = query.endswith(same) if same == tail else query.startswith(same)
                if kept and rest and fuzz.ratio(rest, other) < 60:
                    return True
        return False

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
