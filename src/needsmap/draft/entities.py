"""The modelling method's reading of the workshop's facts: where each attribute belongs and what shape it takes.

Pure functions of attributes (and the workshop's holdings), each one rule of docs/model.md
("The method"):

* :func:`is_customer_level`: a summary of the customer recorded on an event entity (orders in
  the last 12 months, the last web visit, open tickets): it belongs on the customer, never on
  one order or interaction.
* :func:`is_list`: a list of values (cart lines, favourite categories): JSON or child rows, not text.
* :func:`is_free_text`: notes, comments, descriptions, reasons: TEXT without a length.
* :func:`value_range`: the scale or range a definition states ("0 to 10", "(0 to 1)") or a count implies.
* :func:`is_intermediary`: an organisation the workshop describes as a broker, agent or
  intermediary: it is not the customer's own organisation.
* :func:`is_business_key`: an identifier of a party recorded on that party: UNIQUE.
"""

from __future__ import annotations

import re

from needsmap.format import model as m

#: The parties: who the customer is (a person), the organisation one works for or buys as, the household one lives in.
PARTY_ENTITIES: tuple[str, ...] = ("customer", "organization", "household")
#: Entities whose rows are events or transactions of a customer: one row per order, contact, claim...
EVENT_ENTITIES: tuple[str, ...] = (
    "order",
    "order_line",
    "interaction",
    "claim",
    "usage",
    "visit",
    "ticket",
    "transaction",
    "payment",
    "invoice",
    "booking",
)
#: The entities the method draws as typed rows (one row per value) rather than as one wide row.
ROW_ENTITIES: tuple[str, ...] = ("identifier", "contact_point", "consent", "preference")
#: The entity whose attributes are identifiers: they become id types of the one identity cross-reference.
IDENTIFIER_ENTITY = "identifier"

_WINDOW = re.compile(r"(?:^|_)(\d+[dwmy]|ytd|mtd|qtd|lifetime)(?:_|$)")
_SUMMARY_WORDS = frozenset(
    {"last", "first", "latest", "count", "total", "avg", "average", "sum", "rate", "share", "ytd", "number", "since"}
)
_SUMMARY_PHRASES = (
    "in the last",
    "most recent",
    "this year",
    "this calendar year",
    "per customer",
    "of this customer",
    "all channels",
)
_LIST_ENDINGS = ("_items", "_list", "_lines", "_tags", "categories", "_readings", "_products")
_FREE_TEXT_WORDS = frozenset({"comment", "comments", "note", "notes", "description", "remark", "remarks", "reason"})
_RANGE = re.compile(r"\(?\b(-?\d+(?:\.\d+)?)\s*(?:to|-|–|\.\.)\s*(-?\d+(?:\.\d+)?)\)?")
_COUNT_WORDS = ("count", "number of", "how many")
_INTERMEDIARY_WORDS = re.compile(
    r"\b(broker|brokers|agent|agents|intermediary|intermediaries|adviser|advisor|dealer)\b"
)


def _words(a: m.Attribute) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", a.id.lower()))


def is_customer_level(a: m.Attribute) -> bool:
    """True for an attribute of an event entity that summarises the customer, not one event.

    Its id carries a window (``_12m``, ``_90d``, ``ytd``) or a summary word (``last_``, ``count``,
    ``total``, ``avg``...), or its definition speaks of a period ("in the last", "this year") or
    of the customer as a whole ("per customer", "all channels"); or it is a list the definition
    says is the customer's (a cart, a wish list: an order's own lines are ``order_line`` rows).
    """
    if a.effective_entity not in EVENT_ENTITIES:
        return False
    if _WINDOW.search(a.id.lower()) or _words(a) & _SUMMARY_WORDS:
        return True
    text = (a.definition or "").lower()
    if is_list(a) and "customer" in text:  # a cart or a wish list is the customer's, not one order's lines
        return True
    return any(p in text for p in _SUMMARY_PHRASES)


def metric_window(a: m.Attribute) -> str | None:
    """The window of a customer-level metric from its id (``12m``, ``90d``, ``ytd``), if it has one."""
    found = _WINDOW.search(a.id.lower())
    return found.group(1) if found else None


def is_list(a: m.Attribute) -> bool:
    """True for a list of values (cart lines, wish list, favourite categories, readings): its id ends so."""
    return a.effective_type in ("text", "string") and a.id.lower().endswith(_LIST_ENDINGS)


def is_free_text(a: m.Attribute) -> bool:
    """True for free text: type ``text``, or a string whose id names a comment, note, description or reason."""
    return a.effective_type == "text" or (a.effective_type == "string" and bool(_words(a) & _FREE_TEXT_WORDS))


def value_range(a: m.Attribute) -> tuple[float | None, float | None]:
    """The (minimum, maximum) a numeric attribute's definition states ("0 to 10", "(0 to 1)"), or a count's 0.

    ``(None, None)`` when nothing is stated or the type is not numeric.
    """
    if a.effective_type not in ("integer", "decimal"):
        return (None, None)
    text = a.definition or ""
    found = _RANGE.search(text)
    if found:
        low, high = float(found.group(1)), float(found.group(2))
        if low < high:
            return (low, high)
    lowered = text.lower()
    if a.effective_type == "integer" and (any(w in lowered for w in _COUNT_WORDS) or {"count", "minutes"} & _words(a)):
        return (0, None)
    return (None, None)


def is_intermediary(attributes: list[m.Attribute]) -> bool:
    """True when the workshop describes the organisation as a broker, agent or intermediary of the customer."""
    return any(_INTERMEDIARY_WORDS.search(f"{a.id} {a.name} {a.definition or ''}".lower()) for a in attributes)


def is_business_key(a: m.Attribute) -> bool:
    """True for an identifier of a party recorded on that party (a KvK number on the organisation): UNIQUE."""
    return a.effective_entity in PARTY_ENTITIES and (a.is_identifier or a.effective_type == "id")


def is_contact_value(a: m.Attribute) -> bool:
    """True for a contact point's value (an address, number, token): one typed row each, not a column."""
    return a.effective_entity == "contact_point" and a.effective_type in ("email", "phone", "url", "string", "id")


def is_verification(a: m.Attribute) -> bool:
    """True for a contact point's flag that says the value was verified or validated."""
    return a.effective_type == "boolean" and bool({"verified", "validated", "confirmed"} & _words(a))
