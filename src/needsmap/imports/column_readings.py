"""How a column's name is read: the vocabulary of column names (abbreviations, British and American spellings,
qualifiers, the words tables are named with), the context a table's name gives (:func:`table_context`), and the
readings of a column's words the matcher looks up (:func:`variants`: composite fields, glued prefixes, words read
away, counts, the table's word added).  Pure data and functions over words;
:mod:`needsmap.imports.column_match` looks the readings up in its index and weighs them.
"""

from __future__ import annotations

import functools
import re

from needsmap.catalog.name_tokens import name_tokens

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
    "fname": "first name",
    "lname": "last name",
    "mname": "middle name",
    "sname": "surname",
    "gndr": "gender",
    "sex": "gender",
    "cty": "city",
    "twn": "town",
    "prov": "province",
    "curr": "currency",
    "ccy": "currency",
    "cnt": "count",
    "upd": "updated",
    "crt": "created",
    "tm": "time",
    "yr": "year",
    "bdate": "birth date",
    "birthdt": "birth date",
    "mbl": "mobile",
    "cell": "mobile",
    "emp": "employee",
    "empl": "employee",
    "rev": "revenue",
    "dept": "department",
    "pwd": "password",
    "passwd": "password",
    "usr": "user",
    "loc": "location",
    "lat": "latitude",
    "lng": "longitude",
    "lon": "longitude",
    "seg": "segment",
    "stat": "status",
    "sts": "status",
    "subscr": "subscription",
    "unsub": "unsubscribed",
    "verif": "verified",
    "vrfd": "verified",
    "validated": "verified",
    "changed": "updated",
    "asst": "assistant",
}
#: British and American spellings of the same word: a name is also read in the other spelling
#: (:data:`_SPELLING_WORDS`: the words that have one).
SPELLING_VARIANTS: dict[str, str] = {
    "organisation": "organization",
    "organization": "organisation",
    "organisations": "organizations",
    "organizations": "organisations",
    "favourite": "favorite",
    "favorite": "favourite",
    "colour": "color",
    "color": "colour",
    "centre": "center",
    "center": "centre",
    "licence": "license",
    "license": "licence",
    "catalogue": "catalog",
    "behaviour": "behavior",
    "behavior": "behaviour",
    "cancelled": "canceled",
    "canceled": "cancelled",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "enrollment": "enrolment",
    "programme": "program",
    "program": "programme",
}
_SPELLING_WORDS = frozenset(SPELLING_VARIANTS)

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
        "alternate",
        "additional",
        "secondary",
        "extra",
        "selected",
        "associated",
        "custom",
        "cf",
        "udf",
        "properties",
        "property",
        "props",
        "attributes",
        "attrs",
        "fields",
        "merge",
        "meta",
        "metadata",
        "historic",
        "historical",
        "predictive",
        "predicted",
        "computed",
        "calculated",
        "estimated",
    }
)

#: Table words of a company (an organisation): its rows are organisations, and their own key is the account's.
ORGANIZATION_TABLE_WORDS = (
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
)
#: Table words of a means of payment the customer keeps on file (a card, a bank account, a direct-debit mandate):
#: a row of its own, whose key, audit dates and flags are not the customer's (``payment_profiles.verified``).
PAYMENT_TABLE_WORDS = frozenset(
    {
        "payment",
        "payments",
        "card",
        "cards",
        "creditcard",
        "creditcards",
        "mandate",
        "mandates",
        "authorization",
        "authorizations",
        "authorisation",
        "authorisations",
        "wallet",
        "wallets",
        "paymentmethod",
        "paymentmethods",
    }
)
#: Words of a table named for what a means of payment is (``credit_card_payment_profiles``,
#: ``customer_bank_accounts``, ``payment_methods``): after a word of payment, the payment's, not a customer's.
_PAYMENT_HEADS = frozenset({"profile", "profiles", "account", "accounts", "method", "methods", "detail", "details"})
_PAYMENT_MODIFIERS = frozenset({*PAYMENT_TABLE_WORDS, "bank", "debit", "sepa"})
#: Entities of a party: a word of theirs before ``accounts`` names whose accounts they are, not what kind.
_PARTY_ENTITIES = frozenset({"customer", "organization", "household"})
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
            "subscriber",  # a mailing list's subscribers are people (listmonk)
            "subscribers",
            "patient",  # health care's customers (FHIR's Patient, OpenEMR)
            "patients",
            "prospect",
            "prospects",
            "buyer",
            "buyers",
            "donor",  # a charity's
            "donors",
            "passenger",
            "passengers",
            "policyholder",
            "policyholders",
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
            "parties",
            "relatie",
            "constituent",  # a non-profit's people
            "constituents",
            "supporter",
            "supporters",
            "insuree",  # an insurer's
            "insurees",
            "beneficiary",
            "beneficiaries",
            "student",  # a school's
            "students",
            "learner",
            "learners",
            "attendee",
            "attendees",
            "invitee",  # a scheduling tool's (Calendly's invitees)
            "invitees",
            "requester",  # a service desk's (Freshservice, Zendesk)
            "requesters",
        ],
        "customer",
    ),
    **dict.fromkeys((*ORGANIZATION_TABLE_WORDS, "employer"), "organization"),
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
            "carts",
            "baskets",
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
            "post",  # a help desk's or a forum's posts and topics (Helpy, Discourse)
            "posts",
            "topic",
            "topics",
            "chat",
            "chats",
            "appointment",  # a booking system's appointments (Acuity): the meeting with the customer
            "appointments",
            "meeting",
            "meetings",
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
    **dict.fromkeys(
        [
            "identifier",
            "identifiers",
            "identity",
            "identities",
            "xref",
            "idmap",
            "identification",  # an identity document's row (Paystack's customer_identifications, KYC)
            "identifications",
            "kyc",
        ],
        "identifier",
    ),
}
#: Two-word table names that are contact points, not addresses or numbers.
_CONTACT_PAIRS = {
    ("email", "address"),
    ("phone", "number"),
    ("email", "addresses"),
    ("phone", "numbers"),
    ("contact", "point"),
    ("contact", "points"),
    ("telecom", "number"),
    ("telecom", "numbers"),
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
    words = name_tokens(salesforce_field_name(table.rsplit(".", 1)[-1]))  # ssot__Individual__dlm: Individual
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if i > 0 and (words[i - 1], word) in _CONTACT_PAIRS:
            return (words[i - 1], word), "contact_point"
        if i == len(words) - 1 and word in _CONTACT_TABLE_WORDS:  # user_emails.address is the e-mail address
            return (singular(word),), "contact_point"
        if word in PAYMENT_TABLE_WORDS:
            return (word, *words[i + 1 :]), "payment"  # payment_instruments, customer_authorizations
        if word in _PAYMENT_HEADS and i > 0 and words[i - 1] in _PAYMENT_MODIFIERS:
            return (words[i - 1], word, *words[i + 1 :]), "payment"  # bank_account_payment_profiles, bank_accounts
        if word in ("account", "accounts") and i > 1 and ENTITY_WORDS.get(words[i - 1]) not in _PARTY_ENTITIES:
            if any(ENTITY_WORDS.get(w) == "customer" for w in words[: i - 1]):  # customer_identity_accounts,
                return (words[i - 1], word, *words[i + 1 :]), "identifier"  # user_oauth_accounts: theirs elsewhere
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


#: Last words that all mean "when": OPTIN_TIME, optin_ts and optin_at read as optin_date.
_TEMPORAL = frozenset({"time", "timestamp", "ts", "dt", "dte", "datetime", "at", "on", "tstamp", "instant"})
#: First words that say "when" of what follows: date_entered, timestamp_signup (not at_, on_, the prepositions).
_LEADING_DATES = frozenset({"date", "time", "timestamp", "datetime", "ts", "dt"})
#: A context match explains more of the column than the bare name, so it wins ties.
_CONTEXT_FACTOR = 1.02


def _readings(tokens: tuple[str, ...]) -> list[tuple[tuple[str, ...], float, str]]:
    """The column's words, then each rewriting that changes them, applied one after the other."""
    out = [(tokens, 1.0, "")]

    def add(words: tuple[str, ...], factor: float, note: str) -> None:
        last_words, last_factor, last_note = out[-1]
        if words and words != last_words:
            out.append((words, last_factor * factor, join_notes(last_note, note)))

    words = _composite_words(tokens)
    if words != tokens:
        add(words, 0.98, "read as a composite field")
    words = _split_leading_word(out[-1][0])
    if words != out[-1][0]:
        add(words, 1.0, f"'{words[0]}{words[1]}' read as '{words[0]}_{words[1]}'")
    add(tuple(w for t in out[-1][0] for w in ABBREVIATIONS.get(t, t).split()), 0.97, "abbreviations expanded")
    words = out[-1][0]
    if not _SPELLING_WORDS.isdisjoint(words):  # organisation_name, favorite_colour
        add(tuple(SPELLING_VARIANTS.get(w, w) for w in words), 0.99, "in the other spelling")
    words = out[-1][0]
    if len(words) == 1 and len(words[0]) > 8 and words[0].endswith("code"):  # Dataverse: gendercode
        add((words[0][:-4],), 0.97, "without 'code'")
    words = out[-1][0]
    if len(words) > 2 and words[-1] == "id" and words[-2] in _CODED_KEYS:  # MARITAL_STATUS_ENUM_ID, COUNTRY_GEO_ID
        add(words[:-2], 0.97, f"without '_{words[-2]}_id'")
    words = out[-1][0]
    if len(words) > 1 and words[-1] in _FLAG_TAILS:  # DECEASED_FLAG: deceased
        add(words[:-1], 0.97, f"without '_{words[-1]}'")
    words = out[-1][0]
    count = _as_count(words) if words[-1] in _COUNT_TAILS or words[0] in _COUNT_HEADS else None
    if count is not None:  # order_count, num_orders: number of orders
        add(count, 0.97, "read as a count")
    words = out[-1][0]
    if len(words) > 1 and words[-1] in _TRAILING_VARIANTS:  # FIRST_NAME_LOCAL: the name in the local script
        add(words[:-1], 0.96, f"without '_{words[-1]}'")
    words = out[-1][0]
    if len(words) > 1 and words[0] == "id":
        add(words[1:] + ("id",), 0.97, "id_ prefix read as _id")
    words = out[-1][0]
    if len(words) > 1 and words[0] in _LEADING_DATES and words[1] not in _TEMPORAL:  # date_entered, timestamp_signup
        add(words[1:] + ("date",), 0.97, f"'{words[0]}_' read as '_date'")
    words = out[-1][0]
    if len(words) > 1 and words[-1] in _TEMPORAL:
        add(words[:-1] + ("date",), 0.97, f"'_{words[-1]}' read as '_date'")
    words = out[-1][0]
    if any(w.isdigit() for w in words[1:]):  # address1_city, NAME1, HOUSE_NUM1
        add(tuple(w for w in words if not w.isdigit()) or words, 0.97, "without its numbers")
    words = out[-1][0]
    if len(words) > 1 and words[-1] in _VALUE_WORDS:  # emails.value, consents.marketing.email.val: the email's
        add(words[:-1], 0.97, f"without '_{words[-1]}'")
    words = out[-1][0]
    if len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):  # phones, websites
        add(words[:-1] + (words[-1][:-1],), 0.96, f"'{words[-1]}' read as '{words[-1][:-1]}'")
    elif len(words) > 1 and words[-1] == "ids":  # tag_ids, vat_ids: a list of keys
        add(words[:-1], 0.9, "without '_ids'")
    words = out[-1][0]
    inner = [w for w in words[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))]
    if inner:  # phones.number, emails_value: a list's items
        add(tuple(w[:-1] if w in inner else w for w in words), 0.97, f"'{inner[0]}' read as '{inner[0][:-1]}'")
    return out


#: Words before a trailing ``_id`` that say the value is a coded reference: ``_enum_id``, ``_geo_id``, ``_uom_id``.
_CODED_KEYS = frozenset({"enum", "geo", "uom", "code"})
#: Trailing words that name a variant of the same value: ``_local``, ``_native``.
_TRAILING_VARIANTS = frozenset(
    {
        "local",
        "native",
        "utc",
        "gmt",
        "iso",
        "formatted",
        "normalized",
        "normalised",
        "canonical",
        "lower",
        "upper",
        "lowercase",
        "uppercase",
        "raw",
        "html",
        "plain",
        "rendered",
        "sanitized",
        "sanitised",
        "cleaned",
    }
)
#: Trailing words that only say the column is a yes/no: DECEASED_FLAG, vip_ind, newsletter_yn.
_FLAG_TAILS = frozenset({"flag", "flg", "ind", "indicator", "yn", "bool", "boolean"})
#: Words that make a name a count: order_count, num_orders, number_of_visits, cnt_logins.
_COUNT_HEADS = frozenset({"num", "number", "count", "cnt", "nb", "nbr", "nr", "no", "total", "amount"})
_COUNT_TAILS = frozenset({"count", "cnt", "counter", "total", "number", "num", "nr", "no"})


#: Last words of a nested field that only say "its value" (``emails.value``).
_VALUE_WORDS = frozenset({"value", "val", "values"})
#: Tails that are a count only after a plural (orders_number), and otherwise a number of something.
_NUMBER_WORDS = frozenset({"number", "num", "nr", "no"})


def _as_count(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """``order_count``, ``num_orders``, ``count_of_orders`` -> number of orders; None when the name is no count."""
    if len(words) < 2:
        return None
    if words[-1] in _COUNT_TAILS and words[0] not in _COUNT_HEADS:
        rest = words[:-1]
        if words[-1] in _NUMBER_WORDS and not rest[-1].endswith("s"):
            return None  # order_number, phones_0_number: a number, not a count
    elif words[0] in _COUNT_HEADS and words[-1] not in _COUNT_TAILS:
        rest = words[2:] if words[1] == "of" else words[1:]
    else:
        return None
    if not rest or rest[-1] in ("id", "key", "code"):
        return None
    last = rest[-1]
    plural = last if last.endswith("s") else (last[:-1] + "ies" if last.endswith("y") else last + "s")
    return ("number", "of", *rest[:-1], plural)


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
    heads = {words[-1][:3], words[-2][:3]} if len(words) > 2 else set()
    for i in range(len(words) - 2):
        if words[i][:3] in heads and singular(words[i]) in (singular(words[-1]), singular(words[-2])):
            # the group word is repeated by the field: nameFirstName, phonesPrimaryPhoneNumber, and in a path
            # of containers, person.name.firstName
            rest = words[i + 1 :]
            words = words[:i] + (rest[1:] if rest[0] == "primary" else rest)
            break
    return words


def singular(word: str) -> str:
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
    if first[:4] not in _GLUED_STARTS:
        return words
    for prefix in _GLUED_PREFIXES:
        if first.startswith(prefix) and len(first) >= len(prefix) + 3 and first not in _WHOLE_WORDS:
            return (prefix, first[len(prefix) :], *words[1:])
    return words


_GLUED_STARTS = frozenset(p[:4] for p in _GLUED_PREFIXES)
#: Words that begin like a glued table prefix but are one word.
_WHOLE_WORDS = frozenset(
    {"customertype", "accountnumber", "userid", "username", "contactid", "accountid", "leadsource"}
)


_Variant = tuple[tuple[str, ...], float, str, "str | None"]
#: The word of the subject of a table, added to a column's words when the table names it otherwise
#: (``HZ_LOCATIONS``: an address; ``HZ_PARTIES``: a customer).
_SUBJECT_WORDS = {"address": "address", "customer": "customer", "organization": "organization"}


def _read_with_subject(words: tuple[str, ...], entity: str | None) -> bool:
    """Whether a column's words are read with its table's subject: any words in an address table, the
    generic ones (``name``, ``number``) in a customer's or a company's."""
    return entity == "address" or set(words) <= _GENERIC_COLUMNS


def word_variants(
    tokens: tuple[str, ...], context: tuple[str, ...], entity: str | None = None, about_subject: bool = True
) -> list[_Variant]:
    """Readings of a column's words: (words, factor, note, entity hinted by dropped words).  ``about_subject``:
    the table's rows are its subject itself (not ``user_attribute``), so a column may be read with the subject's
    word."""
    out: list[tuple[tuple[str, ...], float, str, str | None]] = []
    table_word = singular(context[0]) if context else ""
    for words, factor, note in _readings(tokens):
        out.append((words, factor, note, None))
        coded = len(words) > 2 or words[0] in _CODED_VALUE_WORDS or words[-1] == "text"
        if len(words) > 1 and words[-1] in _VALUE_NAME_ENDS and coded:
            # statusName, contactTypeName, segment_label: the name of a coded value (an enum attribute only)
            out.append((words[:-1], factor * 0.95, join_notes(note, VALUE_NAME_NOTE), None))
        if len(words) > 2 and words[0] == "external" and words[-1] in _REFERENCE_ENDS:
            # external_constituent_id, external_customer_ref: the record's key in another system
            out.append((("external", "id"), factor * 0.95, join_notes(note, EXTERNAL_KEY_NOTE), None))
        network = social_network(words)
        if network and len(words) > len(network) and set(words[len(network) :]) <= _ACCOUNT_WORDS:
            # facebook_handle, twitter_url, skype_name: the customer's account on that network
            why = join_notes(note, f"{SOCIAL_ACCOUNT_NOTE} '{'_'.join(network)}'")
            out.append((network, factor * 0.97, why, None))
        if entity in ("address", "contact_point") and context and "type" in words[1:] and words[-1] != "type":
            # civicrm_email.location_type_id: the kind of the e-mail address the row is
            out.append(
                (context[:1] + ("type",), factor * 0.92, join_notes(note, f"the type of table '{context[0]}'"), None)
            )
        if context == ("user",) and words == ("name",):  # users.name: the person's name, not the login
            out.append(
                (("full", "name"), factor * _CONTEXT_FACTOR, join_notes(note, "a person's name in table 'user'"), None)
            )
        elif context and words[: len(context)] != context:
            out.append(
                (
                    context + words,
                    factor * _CONTEXT_FACTOR,
                    join_notes(note, f"table context '{' '.join(context)}'"),
                    None,
                )
            )
            if context in _CONTACT_PAIRS:  # email_address.invalid -> email invalid
                out.append(
                    (
                        context[:1] + words,
                        factor * _CONTEXT_FACTOR,
                        join_notes(note, f"table context '{context[0]}'"),
                        None,
                    )
                )
            if set(words) <= _GENERIC_COLUMNS:
                for k in range(len(context)):
                    out.append(
                        (
                            context[k:],
                            factor * 0.95,
                            join_notes(note, f"'{'_'.join(words)}' of table '{'_'.join(context)}'"),
                            None,
                        )
                    )
        subject = _SUBJECT_WORDS.get(entity or "") if about_subject else None
        if subject and context and context[0] != subject and words[0] != subject and _read_with_subject(words, entity):
            # HZ_LOCATIONS.validated: the address verified; a party's name: the customer's name
            out.append(((subject, *words), factor, join_notes(note, f"table context '{subject}'"), None))
        dropped_factor = factor
        only_qualifiers = True
        for k in range(1, len(words)):
            word = words[k - 1]
            if k == 1 and table_word and singular(word) == table_word:
                # companycity in a companies table: the table's name again, read away at no cost
                why = join_notes(note, f"table prefix '{word}_'")
                out.append((words[1:], factor * _CONTEXT_FACTOR, why, None))
                if subject and _read_with_subject(words[1:], entity):  # PARTY_NAME in HZ_PARTIES
                    out.append(((subject, *words[1:]), factor, join_notes(why, f"table context '{subject}'"), None))
                continue
            cheap = word in QUALIFIERS or word in ENTITY_WORDS or word.isdigit()
            only_qualifiers = only_qualifiers and word in QUALIFIERS
            dropped_factor *= 0.96 if cheap else 0.85
            hint = ENTITY_WORDS.get(word)
            why = join_notes(note, f"without '{'_'.join(words[:k])}_'")
            out.append((words[k:], dropped_factor, why, hint))
            if only_qualifiers and context and set(words[k:]) <= _GENERIC_COLUMNS:
                # shipping_name of a customer: the customer's name
                out.append(
                    (context + words[k:], dropped_factor, join_notes(why, f"table context '{context[0]}'"), None)
                )
        if len(words) > 1 and words[-1] in _TRAILING_KEY_WORDS and not _names_an_entity(words[:-1]):
            # country_id, gender_id: a coded attribute; address_id, product_id: a link to another record
            why = join_notes(note, f"without '_{words[-1]}'")
            out.append((words[:-1], factor * 0.9, why, None))
            if context and words[: len(context)] != context:  # ost_ticket.status_id: the ticket's status
                out.append(
                    (context + words[:-1], factor * 0.9, join_notes(why, f"table context '{' '.join(context)}'"), None)
                )
    return out


_READ_AWAY = re.compile(r"without '([a-z0-9_]+?)_'")
_OTHER_REREADS = ("read as", "abbreviations", "close to", "without its", "without '_", "another order")
#: Notes of readings that change a name's form and not its meaning: a composite field's storage words
#: (``nameFirstName``), its numbers (``address1_city``), a time word read as ``_date`` (``Created_Time``), a
#: plural (``phones``), a variant or yes/no tail (``FIRST_NAME_LOCAL``, ``DECEASED_FLG``) or a coded key's
#: (``CITY_GEO_ID``): as sure as a qualifier read away.
_FORM_NOTES = re.compile(
    r"read as a composite field|without its numbers|'_?[a-z]+_?' read as '_date'|'([a-z]+)s' read as '\1'"
    r"|without '_(?:"
    + "|".join(sorted({*_TRAILING_VARIANTS, *_FLAG_TAILS, *_VALUE_WORDS, *(f"{k}_id" for k in _CODED_KEYS)}))
    + ")'"
)


def qualifiers_only(why: str, entity: str | None) -> bool:
    """True when a reading only read qualifier words or words of the table's own entity away (``billing_``,
    ``mailing_``, ``address1_`` in an address table) or added the table's word: ``mailing_city`` is the city,
    ``hs_analytics_source`` and ``contact_last_seen_at`` in a conversations table are guesses."""
    if any(note in why for note in _OTHER_REREADS) and any(note in _FORM_NOTES.sub("", why) for note in _OTHER_REREADS):
        return False
    own = (entity, "address", *(_PARTIES if entity in _PARTIES else ()))  # Person Account: the person's e-mail
    for dropped in _READ_AWAY.findall(why):
        for w in dropped.split("_"):
            if not (w in QUALIFIERS or w.isdigit() or (w in ENTITY_WORDS and ENTITY_WORDS[w] in own)):
                return False
    return True


#: The entities of the parties a customer table is about: a person or a company.
_PARTIES = ("customer", "organization")


#: Words of an address line: ``address2``, ``street_line_3``, ``ADDRESS4``, ``address1_line2``.
_ADDRESS_LINE_WORDS = frozenset({"address", "addr", "adr", "street", "str", "line", "adres", "adresse", "strasse"})


_FURTHER_LINE = frozenset({"additional", "extra", "supplemental"})


#: The highest numbered address line read as one (Oracle's ADDRESS1-4, JD Edwards' ADD1-4; OpenMRS's address5
#: to address15 are fields its address template names).
_LAST_ADDRESS_LINE = 4


def address_line(tokens: tuple[str, ...], entity: str | None) -> tuple[str, str] | None:
    """A numbered address line: the first is the street address, the others the address's further lines
    (``ADDRESS3``, ``street_line_2``; in ``address1_line2`` the line's number counts).  (attribute id, why), or
    None when the name is no numbered address line."""
    if _ADDRESS_LINE_WORDS.isdisjoint(tokens):
        return None
    numbers = [int(w) for w in tokens if w.isdigit()]
    words = [w for w in tokens if not w.isdigit()]
    lines = [w for w in words if w in _ADDRESS_LINE_WORDS]
    if not numbers or not lines or any(w not in _ADDRESS_LINE_WORDS and w not in QUALIFIERS for w in words):
        return None
    if lines == ["line"] and entity != "address":
        return None  # line_2 of an order
    at = tokens.index("line") + 1 if "line" in tokens else -1
    n = int(tokens[at]) if 0 < at < len(tokens) and tokens[at].isdigit() else numbers[-1]
    if n < 1 or n > _LAST_ADDRESS_LINE:
        return None  # OpenMRS's address5 to address15: fields its address template gives a meaning, not lines
    further = n > 1 or not _FURTHER_LINE.isdisjoint(words)  # additional_address_line1: a line after the street
    return ("address_line_2" if further else "street_address"), f"'{'_'.join(tokens)}': an address line ({n})"


#: Short words a glued name may hold (the rest of a glued name's words have three letters or more).
_SHORT_GLUED = frozenset({"id", "ip", "no", "nr", "of"})


def split_glued(word: str, vocabulary: frozenset[str]) -> tuple[str, ...] | None:
    """A name glued together without separators (Dataverse's ``transactioncurrencyid``, ``masterid``) as the
    fewest words of ``vocabulary`` it is made of; None when it is one word or not made of known words."""
    n = len(word)
    counts: list[int | None] = [None] * (n + 1)  # the fewest words the first i letters are made of
    starts = [0] * (n + 1)  # where the last of those words starts
    counts[0] = 0
    for end in range(1, n + 1):
        for start in range(end):
            before = counts[start]
            part = word[start:end]
            if before is None or (len(part) < 3 and part not in _SHORT_GLUED) or part not in vocabulary:
                continue
            now = counts[end]
            if now is None or before + 1 < now:
                counts[end], starts[end] = before + 1, start
    total = counts[n]
    if total is None or total < 2:
        return None
    words = []
    end = n
    while end > 0:
        words.append(word[starts[end] : end])
        end = starts[end]
    return tuple(reversed(words))


def _names_an_entity(words: tuple[str, ...]) -> bool:
    """``address``, ``product``, ``email_address``: a record of its own, not an attribute."""
    return (len(words) == 1 and words[0] in ENTITY_WORDS) or words in _CONTACT_PAIRS


#: Words before a key that make it point to another row of the same table (``primary_contact_id``).
_OTHER_ROW_WORDS = frozenset({"primary", "parent", "master", "main", "merged", "duplicate", "related", "linked"})


def points_to_another_row(tokens: tuple[str, ...], context: tuple[str, ...]) -> bool:
    """``primary_contact_id`` or ``master_id`` in a contacts table: a key of another row of the table."""
    tokens = _split_leading_word(tokens)
    if len(tokens) < 2 or tokens[-1] not in ("id", "key") or tokens[0] not in _OTHER_ROW_WORDS:
        return False
    middle = tokens[1:-1]
    if not middle:  # master_id: the row this one was merged into (parent_id of a child row is its owner)
        return tokens[0] in ("master", "merged", "duplicate")
    return singular(middle[-1]) == singular(context[0])


@functools.lru_cache(maxsize=1024)
def keys_named_after(table_word: str) -> frozenset[str]:
    """The names of a key named after a table's word: ``customer`` -> customerid, customerkey, idcustomer..."""
    words = (table_word, singular(table_word))
    return frozenset({t + k for t in words for k in ("id", "key")} | {"id" + t for t in words})


def is_link(tokens: tuple[str, ...]) -> bool:
    """``address_id``, ``id_product``: a key of another record."""
    if len(tokens) < 2:
        return False
    if tokens[-1] in ("id", "key", "fk"):
        return _names_an_entity(tokens[:-1])
    return tokens[0] == "id" and _names_an_entity(tokens[1:])


#: Word beginnings that turn a name into its opposite: is_inactive is not is_active.
_NEGATIONS = ("in", "un", "non", "not", "no", "dis")


def negates(query: str, key: str) -> bool:
    """True when ``query`` and ``key`` differ only by a negation (isinactive / isactive)."""
    longer, shorter = (query, key) if len(query) > len(key) else (key, query)
    return any(neg in longer and longer.replace(neg, "", 1) == shorter for neg in _NEGATIONS)


def join_notes(a: str, b: str) -> str:
    return f"{a}, {b}" if a and b else a or b


#: First words of a date of the last time something happened, and of the first time.
_LAST_WORDS = frozenset({"last", "latest", "recent", "previous", "prev"})
_FIRST_WORDS = frozenset({"first", "earliest"})
#: Verbs of reaching the customer (``last_emailed_at``, ``last_outgoing_mail_time``): the last contact.
_REACHED_WORDS = frozenset(
    {"emailed", "mailed", "messaged", "called", "phoned", "contacted", "texted", "reached", "outgoing", "outbound"}
)
#: Words of the customer's coming by (``previous_visit_at``, ``last_accessed``): the last visit.
_SEEN_WORDS = frozenset({"seen", "visit", "visited", "access", "accessed", "online"})
#: Words of signing in (``first_login``): the first time the customer came.
_SIGN_IN_WORDS = frozenset({"login", "logon", "signin", "sign", "logged", "in"})
#: Words that say no more than what was reached or when (``last_outgoing_mail_time``).
_ACTIVITY_FILLER = _TEMPORAL | {"date", "utc", "mail", "email", "message", "call", "by", "us", "to"}


def activity_date(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    """The date of the last or first time something happened, read from its verb: when the customer was last
    reached (``last_emailed_at``: the last contact), last came by (``previous_visit_at``: the last visit), last
    signed in (``lastSignInTime``), or
    first came (``first_seen_at``, ``first_login``: a customer since).  (attribute id, why), or None."""
    if len(tokens) < 2 or (tokens[0] not in _LAST_WORDS and tokens[0] not in _FIRST_WORDS):
        return None
    rest = {w for w in tokens[1:] if w not in _ACTIVITY_FILLER}
    said = "_".join(tokens)
    if tokens[0] in _FIRST_WORDS:
        if rest and rest <= _SEEN_WORDS | _SIGN_IN_WORDS:
            return "customer_since", f"'{said}' read as the first time the customer came"
        return None
    if rest and rest <= _REACHED_WORDS:
        return "last_contact_date", f"'{said}' read as the last time the customer was reached"
    if rest and rest <= _SEEN_WORDS:
        return "last_web_visit", f"'{said}' read as the last time the customer came by"
    if rest and rest <= _SIGN_IN_WORDS:  # lastSignInTime, last_logged_in_at
        return "last_login", f"'{said}' read as the last time the customer signed in"
    return None


#: Last parts of a flattened object's path that hold the value of the object above them rather than naming it:
#: ``PrimaryEmailAddr.Address``, ``Mobile.FreeFormNumber``, ``WebAddr.URI``, ``ParentRef.value``.
_PATH_VALUE_PARTS = frozenset(
    {"address", "value", "val", "number", "freeformnumber", "uri", "url", "href", "text", "addr", "data"}
)

#: Last words of a path's last part that are about the object itself (its key, kind, state, label, note).
_PATH_OWN_WORDS = frozenset(
    {
        "id",
        "key",
        "type",
        "status",
        "state",
        "name",
        "label",
        "note",
        "notes",
        "reason",
        "description",
        "title",
        "kind",
        "category",
        "date",
        "at",
        "level",
        "theme",
    }
)


#: An array's element in a flattened path (``address[0].line[1]``), counted from 0.
_ARRAY_INDEX = re.compile(r"\[(\d{1,3})\]")


def path_parts(name: str) -> list[str]:
    """The parts of a flattened object's path, without array indexes (``telecom[0].value`` -> telecom, value)."""
    return [part for part in _ARRAY_INDEX.sub("", name).split(".") if part.strip()]


#: Words of the objects on a path that only hold the record's own bookkeeping (``meta.timestamps.created_at``,
#: ``AuditTrail.CreatedDate``, ``_repo.createDate``): an audit date under them is the record's.
_BOOKKEEPING_PARTS = frozenset(
    {"meta", "metadata", "timestamps", "timestamp", "audit", "trail", "repo", "details", "detail", "system", "sys"}
)


#: Last words of an object on a path whose key is its own, not the customer's (``PrimaryPhone.Id``,
#: ``groups[0].$ref``, ``websites.id``): a contact point's row, a group, a manager.
_OBJECTS_WITH_OWN_KEYS = frozenset(
    {
        "phone",
        "phones",
        "number",
        "numbers",
        "email",
        "emails",
        "address",
        "addresses",
        "website",
        "websites",
        "messenger",
        "messengers",
        "fax",
        "mobile",
        "group",
        "groups",
        "manager",
        "tag",
        "tags",
        "team",
        "plan",
    }
)
_KEY_PARTS = frozenset({"id", "ref", "key", "uuid"})


def key_of_another_object(name: str) -> bool:
    """Whether a flattened path's last part is the key of a contact point's, a group's or a manager's object
    on the path (``PrimaryPhone.Id``, ``manager.$ref``) rather than a reference to the customer."""
    parts = path_parts(name)
    if len(parts) < 2 or "".join(name_tokens(parts[-1])) not in _KEY_PARTS:
        return False
    parent = name_tokens(parts[-2])
    return bool(parent) and parent[-1] in _OBJECTS_WITH_OWN_KEYS


def audit_of_another_object(name: str) -> bool:
    """Whether a flattened path's audit date is an object's on the path rather than the record's
    (``cancellation.created_at``, ``phone_numbers[0].updated_at``; not ``meta.created``)."""
    parts = path_parts(name)
    if len(parts) < 2 or audit_date(name_tokens(parts[-1])) is None:
        return False
    return any(not set(name_tokens(part)) <= _BOOKKEEPING_PARTS for part in parts[:-1])


def counted_from_one(name: str) -> str:
    """A flattened path with its array elements counted from 1 as words (``address[0].line[1]`` ->
    ``address_1_.line_2_``), so that the second line reads as the second line."""
    return _ARRAY_INDEX.sub(lambda i: f"_{int(i.group(1)) + 1}_", name)


#: The last part of a path that says which one of a list of contact points the value is, not what it is.
_PATH_KINDS = frozenset({"business", "office", "private", "personal", "home", "work", "other", "main", "primary"})
#: Social networks whose account objects hold a customer's handle (``twitter-accounts.twitter-account.username``).
_SOCIAL_NETWORKS = frozenset(
    {
        "twitter",
        "facebook",
        "instagram",
        "linkedin",
        "tiktok",
        "youtube",
        "xing",
        "github",
        "skype",
        "googleplus",
        "quora",  # Outreach's quoraUrl, stackOverflowUrl, angelListUrl
        "stackoverflow",
        "angellist",
        "pinterest",
        "snapchat",
        "mastodon",
        "reddit",
        "twitch",
        "dribbble",
        "behance",
    }
)
#: The last part of such an account object that is the handle or the link to the profile.
_ACCOUNT_PARTS = frozenset({"username", "handle", "url", "address", "value", "screenname", "profile"})
#: Words after a social network's name that say the column holds the customer's account there
#: (``facebook_handle``, ``twitter_url``, ``skype_name``, ``linkedin_profile_link``).
_ACCOUNT_WORDS = _ACCOUNT_PARTS | {"id", "name", "link", "page", "user", "account", "slug"}
#: Words of an object that is a login's, an IP address's or a device's: its place is not the customer's.
EVENT_PLACES = frozenset({"login", "logon", "signin", "ip", "geoip", "device", "session", "browser"})


#: Last words of a name that make it a reference to a record (``external_customer_ref``).
_REFERENCE_ENDS = frozenset({"id", "ref", "reference", "key", "number", "no"})
#: Last words that name the value a coded column holds (``statusName``, ``segment_label``) ...
_VALUE_NAME_ENDS = frozenset({"name", "label", "text", "desc", "description", "caption"})
#: ... and one-word codes read that way (``status_name``, ``category_label``; longer names are read whatever
#: their first word, ``contact_type_name``): only a coded (enum) attribute is proposed from such a reading.
_CODED_VALUE_WORDS = frozenset({"status", "segment", "category", "type", "stage", "market", "tier", "level", "rating"})
VALUE_NAME_NOTE = "the name of its value"
#: The notes of readings of the words that labelled systems must confirm like a spelling (``column_support``).
EXTERNAL_KEY_NOTE = "a key in another system"
SOCIAL_ACCOUNT_NOTE = "the customer's account on"
READING_NOTES = (EXTERNAL_KEY_NOTE, SOCIAL_ACCOUNT_NOTE, VALUE_NAME_NOTE)


def social_network(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The social network a column's words start with (``twitter``; ``google plus``, ``linked in`` as one), or
    None."""
    if len(words) >= 2 and words[0] + words[1] in _SOCIAL_NETWORKS:  # google_plus, linkedIn, stackOverflow
        return words[:2]
    return words[:1] if words and words[0] in _SOCIAL_NETWORKS else None


def path_readings(name: str) -> list[tuple[str, str]]:
    """Other names to read a flattened object's field by, each with the note that says how (best first): the
    object's own name when the last part only holds its value (``PrimaryEmailAddr.Address``: the e-mail), else
    the last part alone (``homeAddress.countryOrRegion``: the country; ``BillAddr.City``)."""
    parts = path_parts(name)  # telecom[0].value
    if len(parts) < 2:
        return []
    leaf, parent = parts[-1], parts[-2]
    if "".join(name_tokens(leaf)) == "number" and "street" in name_tokens(parent):
        return [("house_number", f"the number of the object '{parent}'")]  # streetAddress.number
    if "".join(name_tokens(leaf)) in _PATH_VALUE_PARTS:
        return [(parent, f"the value of the object '{parent}'")]
    if "".join(name_tokens(leaf)) in _PATH_KINDS:  # emailAddresses.business[0]: a business e-mail address
        return [(parent, f"the '{leaf}' one of the list '{parent}'")]
    if any(w in EVENT_PLACES for part in parts[:-1] for w in name_tokens(part)):
        return []  # lastLoginLocation.city, ip_info.country: where a login or a device was, not the customer
    if any(name_tokens(part)[-1:] == ("by",) for part in parts[:-1]):
        return []  # createdBy.photo, lastNoteAddedBy.name: the user who did it, not the customer
    if audit_of_another_object(name) or key_of_another_object(name):
        return []  # cancellation.created_at, groups[0].$ref: the object's own, not the customer's
    network = next((w for part in parts[:-1] for w in name_tokens(part) if w in _SOCIAL_NETWORKS), None)
    if network and "".join(name_tokens(leaf)) in _ACCOUNT_PARTS:  # twitter-account.username: the handle there
        return [(network, f"the {leaf} of the '{parent}' account")]
    words = name_tokens(leaf)
    if not words or words[-1] in _PATH_OWN_WORDS or (len(words) == 1 and words[0] in _GENERIC_COLUMNS):
        return []  # payment_method.status, BillAddr.Id, plan.type: the object's own, not the customer's
    return [(leaf, f"read by the path's last part '{leaf}'")]


#: Words of a table's name for the party whose rows a child table belongs to (``party_address``,
#: ``members_stripe_customers``, ``account_emails``, ``A_BusinessPartnerAddress``).
_PARTY_WORDS = frozenset(
    {"customer", "member", "party", "account", "partner", "client", "person", "patient", "subscriber", "debtor"}
)
#: Last words of a key that leave its name (``account_record_id``, ``member_id``, ``party``).
_OWNER_KEY_TAILS = (("record", "id"), ("id",), ("key",), ("fk",), ("ref",), ())


def owner_key(tokens: tuple[str, ...], table_words: tuple[str, ...]) -> str | None:
    """The party a child table's key column names, when the column is named after the party word in the table's
    own name and the table is about something more (``party_address.party``, ``account_emails.account_record_id``,
    ``members_stripe_customers.member_id``): the customer the row belongs to. None otherwise."""
    table = tuple(singular(w) for w in table_words)
    for tail in _OWNER_KEY_TAILS:
        if tail and tokens[-len(tail) :] != tail:
            continue
        stem = tuple(singular(w) for w in tokens[: len(tokens) - len(tail)])
        if not stem or stem[-1] not in _PARTY_WORDS or len(stem) > 3 or stem == ("customer",):
            continue  # customer_id is read by its own name
        for i in range(len(table) - len(stem) + 1):
            if table[i : i + len(stem)] == stem and len(table) > len(stem) + (table[0] == "a"):
                return stem[-1]
        return None
    return None


#: Last words of a row's own key named after its table (``C_BPartner.C_BPartner_ID``, ``AD_User.AD_User_UU``).
_OWN_KEY_TAILS = frozenset({"id", "uu", "uuid", "guid", "key", "no", "nr"})


def key_named_after_its_table(tokens: tuple[str, ...], table_words: tuple[str, ...]) -> bool:
    """True when the column is its table's name with a key's last word: the row's own key, whatever the table
    is called (``C_BPartner.C_BPartner_ID``, ``AD_User.AD_User_ID``, ``Customer.CustomerID``)."""
    return len(tokens) >= 2 and tokens[-1] in _OWN_KEY_TAILS and tokens[:-1] == table_words


#: Roles a party plays for the business, whose yes/no flags say the relationship (``IsCustomer``, ``is_vendor``).
_RELATIONSHIP_ROLES = frozenset(
    {
        "customer",
        "vendor",
        "supplier",
        "manufacturer",
        "prospect",
        "reseller",
        "competitor",
        "distributor",
        "creditor",
        "debtor",
    }
)


def relationship_flag(tokens: tuple[str, ...]) -> bool:
    """``IsCustomer``, ``is_supplier``, ``IsProspect``: a yes/no of the role the party plays (relationship type)."""
    return len(tokens) == 2 and tokens[0] == "is" and tokens[1] in _RELATIONSHIP_ROLES


#: Short names of the audit dates (Unix's ctime and mtime, ActiveCampaign's cdate and udate).
_SHORT_AUDIT_DATES = {
    **dict.fromkeys(("ctime", "cdate", "crdate", "credat", "createdate"), "record_created_at"),
    **dict.fromkeys(("mtime", "mdate", "udate", "moddate", "modifydate", "lastmod"), "record_updated_at"),
}
_CREATE_VERBS = frozenset(
    {
        "created",
        "creation",
        "create",
        "inserted",
        "insert",
        "added",
        "erstellt",  # German, Dutch and French: dErstellt, aangemaakt_op, date_creation
        "angelegt",
        "erstelldatum",
        "aangemaakt",
        "creatie",
        "cree",
        "creee",
    }
)
_UPDATE_VERBS = frozenset(
    {
        "updated",
        "update",
        "modified",
        "modify",
        "mod",
        "changed",
        "edited",
        "written",
        "write",
        "geaendert",
        "veraendert",
        "aenderungsdatum",
        "gewijzigd",
        "bijgewerkt",
        "modifie",
        "modification",
    }
)
_TIME_FILLER = frozenset(
    {
        "time",
        "timestamp",
        "ts",
        "dt",
        "datetime",
        "at",
        "on",
        "date",
        "utc",
        "gmt",
        "local",
        "tz",
        "instant",
        "last",
        "op",
        "am",
        "datum",
        "le",
    }
)


def audit_date(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    """The record's creation or update date from a name that says only that (``created_utc_timestamp``, ``Updated``,
    ``mtime``, ``cdate``): (attribute, why), or None when the name says of what else (``password_changed``)."""
    if len(tokens) == 1 and tokens[0] in _SHORT_AUDIT_DATES:
        return _SHORT_AUDIT_DATES[tokens[0]], f"'{tokens[0]}': the record's audit date"
    verbs = [w for w in tokens if w in _CREATE_VERBS | _UPDATE_VERBS]
    if len(verbs) != 1 or not set(tokens) - {verbs[0]} <= _TIME_FILLER:
        return None
    attribute = "record_created_at" if verbs[0] in _CREATE_VERBS else "record_updated_at"
    return (
        attribute,
        f"'{'_'.join(tokens)}': when the record was {'created' if attribute.endswith('created_at') else 'last changed'}",
    )


#: Short first words of a table family's names that only say which module a table or column is of
#: (Compiere, ADempiere and iDempiere: ``C_BPartner.C_Greeting_ID``, ``AD_User.AD_Language``).
_MODULE_PREFIXES = frozenset({"c", "ad", "m", "r"})


#: The type prefix of a name in Hungarian notation, lower case before the first capital (JTL-Shop's ``cMobil``,
#: ``dErstellt``, ``nAktiv``, ``kKunde``; ``strFirstName``, ``dtCreated``). Not ``f`` (``fName`` is a first name)
#: nor ``b`` (``bDay``), ``i`` (``iPhone``) or ``s`` (SAP Business One's ``sEmployed``).
_TYPE_PREFIX = re.compile(r"^(c|d|n|k|str|int|dt|bln|dbl|dec|lng|txt|sz)(?=[A-Z][a-z])")


#: A Salesforce custom field or relationship (``npe01__HomeEmail__c``, ``ssot__FirstName__c``,
#: ``Region__pc`` of a Person Account, ``Account__r``; Data Cloud's objects ``ssot__Individual__dlm``): its managed
#: package's namespace and its suffix say where it comes from, not what it holds.
_SALESFORCE_CUSTOM = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]{0,14}__)?([A-Za-z][A-Za-z0-9_]*?)__(?:c|pc|r|x|s|dlm|dll)$")


def salesforce_field_name(name: str) -> str:
    """The name of a Salesforce custom field without its namespace and suffix (``npe01__HomeEmail__c`` ->
    ``HomeEmail``); any other name as it is."""
    found = _SALESFORCE_CUSTOM.match(name)
    return found.group(1) if found else name


def without_type_prefix(name: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The column's words without the type prefix of Hungarian notation (``cMobil`` -> ``mobil``); ``k`` says the
    column is a key (``kKunde`` -> ``kunde_id``). The words as they are otherwise."""
    prefix = _TYPE_PREFIX.match(name)
    if prefix is None or len(tokens) < 2 or tokens[0] != prefix.group(1):
        return tokens
    return (*tokens[1:], "id") if prefix.group(1) == "k" else tokens[1:]


def without_module_prefix(tokens: tuple[str, ...], table_words: tuple[str, ...]) -> tuple[str, ...]:
    """The column's words without a module prefix its table's name starts with too (a family of tables whose
    names and columns all start with such a code); the words as they are otherwise."""
    if len(tokens) >= 2 and tokens[0] in _MODULE_PREFIXES and table_words[:1] and table_words[0] in _MODULE_PREFIXES:
        return tokens[1:]
    return tokens


#: Words of an e-mail that came back undelivered (bounced_hard, softBounces, bounce_date).
_BOUNCE_WORDS = frozenset(
    {
        "bounce",
        "bounced",
        "bounces",
        "hardbounce",
        "softbounce",
        "hardbounces",
        "softbounces",
        "bounceback",
        "bouncebacks",
    }
)
_NOT_EMAIL_CHANNELS = frozenset({"sms", "phone", "mobile", "push", "text", "whatsapp"})


def bounce_column(tokens: tuple[str, ...]) -> bool:
    """True when the column says e-mails to the customer bounced (how, how often, when): the e-mail's status."""
    return not _BOUNCE_WORDS.isdisjoint(tokens) and _NOT_EMAIL_CHANNELS.isdisjoint(tokens)


#: Words that say which of a customer's addresses, e-mails or phones a column holds (MailingCity, work_email).
_PLACE_WORDS = frozenset(
    {
        "billing",
        "bill",
        "shipping",
        "ship",
        "mailing",
        "postal",
        "delivery",
        "invoice",
        "home",
        "work",
        "business",
        "office",
        "personal",
        "private",
        "other",
        "person",
        "legal",
        "registered",
        "visiting",
        "physical",
        "residential",
        "main",
        "alt",
        "alternate",
        "secondary",
        "primary",
        "default",
        "contact",
        "company",
    }
)


def place_qualified(why: str) -> bool:
    """True when every word a reading read away names a kind of address or channel (``without 'mailing_'``)."""
    dropped = [w for found in _READ_AWAY.findall(why) for w in found.split("_") if w]
    return bool(dropped) and set(dropped) <= _PLACE_WORDS and "without its" not in why
