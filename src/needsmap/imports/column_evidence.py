"""What a column's name and table say beyond its spelling: the columns that never hold a customer attribute
(users and scopes of the software, someone else, bookkeeping), negated channels and flags that hold the
opposite of an attribute, the keys and child rows a table's shape gives away, and the generic one-word names
that a person should check.  Pure data and functions over a column's words; :mod:`needsmap.imports.column_match`
weighs them.
"""

from __future__ import annotations

#: Columns that are never a customer attribute: suite bookkeeping, sort keys, tokens, row versions.
NOT_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "mandt",
        "client",
        "sortl",
        "sort1",
        "sort2",
        "busort1",
        "sortkey",
        "sortorder",
        "versionnumber",
        "importsequencenumber",
        "systemmodstamp",
        "timezoneruleversionnumber",
        "exchangerate",
        "hasoptedoutoffax",
        "donotfax",
        "spousesname",
        "tickersymbol",
        "owningbusinessunit",
        "owningteam",
        "processid",
        "importkey",
        "rowversion",
        "lockversion",
        "checksum",
        "rptoken",
        "salt",
        "searchvector",
        "token",
    }
)
#: One-word names that mean different things in different systems; alone, they are not auto-accepted.
GENERIC_NAMES = frozenset(
    {
        "name",
        "type",
        "status",
        "state",
        "source",
        "code",
        "number",
        "title",
        "date",
        "value",
        "category",
        "kind",
        "level",
        "group",
        "reason",
        "statut",
        "channel",
        "comments",
        "comment",
        "description",
        "notes",
        "note",
        "site",
        "image",
        "flags",
        "flag",
        "size",
        "role",
        "label",
        "origin",
        "score",
        "rating",
        "points",
        "ref",
        "reference",
        "active",
        "language",
        "currency",
        "tags",
        "tag",
        "stage",
        "location",
        "owner",
        "domain",
        "entity",
        "created",
        "updated",
        "modified",
        "deleted",
        "verified",
        "default",
        "primary",
        "extra",
        "data",
        "info",
        "details",
    }
)
GENERIC_CAP = 0.85
#: Words of a column about someone else than the customer (AssistantPhone, spousesname).
_OTHER_PERSON = frozenset({"assistant", "spouse", "spouses", "emergency", "mother", "mothers", "father", "fathers"})
#: Counters of the software's security: failed logins, lock-outs.
_SECURITY_WORDS = frozenset({"failed", "failures", "failure", "attempts", "lockout", "locked"})
#: Verbs of audit columns: created_by, modified_user_id and updated_by_id name a user of the software.
_AUDIT_VERBS = frozenset({"created", "modified", "updated", "changed", "deleted", "creat", "modif", "assigned"})
#: Scopes of the software (a website, a store, a tenant): their ids are not customer attributes.
_SCOPES = frozenset({("website",), ("store",), ("shop",), ("tenant",), ("workspace",), ("site",), ("instance",)})
#: Tables whose rows belong to a customer (an address, an e-mail, a consent): audit columns there are the
#: child row's own bookkeeping, not the customer's.
CHILD_ENTITIES = frozenset(
    {"address", "contact_point", "consent", "interaction", "order", "identifier", "preference", "product_holding"}
)
#: What the rows of a child table hold besides their own entity (an address row names a person and a company).
ROW_HOLDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("customer", "organization"),
        frozenset(
            {
                "customer",
                "organization",
                "household",
                "identifier",
                "contact_point",
                "address",
                "consent",
                "preference",
                "interaction",
            }
        ),
    ),
    "address": frozenset({"address", "customer", "organization", "contact_point", "identifier"}),
    "contact_point": frozenset({"contact_point", "consent", "identifier"}),
    "consent": frozenset({"consent", "identifier", "contact_point"}),
    "interaction": frozenset({"interaction", "identifier", "contact_point", "order"}),
    "order": frozenset({"order", "identifier", "address", "contact_point", "interaction"}),
}
OTHER_ENTITY = 0.85
AUDIT_ATTRIBUTES = frozenset({"record_created_at", "record_updated_at", "is_deleted", "is_active"})
#: The row's own key: ``id``, ``rowid``, ``entity_id``.
OWN_KEYS = frozenset({"id", "rowid", "entityid", "pk"})
#: The key a customer-related table's own id stands for, by the table's telling word.
KEY_OF_TABLE = {
    **dict.fromkeys(
        ("contact", "contacts", "lead", "leads", "person", "persons", "people", "socpeople"), "crm_contact_id"
    ),
    **dict.fromkeys(
        (
            "account",
            "accounts",
            "company",
            "companies",
            "organization",
            "organisation",
            "organizations",
            "organisations",
            "societe",
        ),
        "crm_account_id",
    ),
}
#: Negation at the start of a name: do_not_call, donotemail, no_email, dont_mail.
_NEGATION_STARTS = (("do", "not"), ("donot",), ("dont",), ("no",), ("not",), ("never",))
#: What a negated channel word is the opposite of (inverted), or means as it is (email opt-out).
_NEGATED_CHANNELS: dict[str, tuple[str, bool]] = {
    **dict.fromkeys(("call", "phone", "telephone", "telemarketing", "calls"), ("phone_marketing_consent", True)),
    **dict.fromkeys(("email", "emails", "bulkemail", "mailing", "newsletter"), ("email_opt_out", False)),
    **dict.fromkeys(("mail", "postalmail", "post", "postal", "directmail"), ("post_marketing_consent", True)),
    **dict.fromkeys(("sms", "text", "texts"), ("sms_marketing_consent", True)),
}
#: Flags that say the opposite of the attribute: blocked is not active.
OPPOSITE_FLAGS: dict[str, str] = {
    **dict.fromkeys(("blocked", "isblocked", "inactive", "isinactive", "suspended", "issuspended"), "is_active"),
    **dict.fromkeys(("hasaccount", "registered", "isregistered"), "is_guest"),
}
#: Words in a column that make a positive consent or flag its opposite.
_NEGATIVE_WORDS = frozenset(
    {"not", "donot", "dont", "no", "never", "optout", "opted", "unsubscribed", "blocked", "inactive"}
)
#: Attributes that are already negative: a negated column holds them as they are.
_NEGATIVE_ATTRIBUTES = frozenset({"email_opt_out", "consent_withdrawn_date", "erasure_requested", "is_deleted"})


def negated_channel(tokens: tuple[str, ...]) -> tuple[str, bool, str] | None:
    """``do_not_call`` -> (phone_marketing_consent, inverted, 'call'); None when the name is not a negated channel."""
    words = tokens
    if len(words) == 1 and words[0].startswith("donot") and len(words[0]) > 5:
        words = ("donot", words[0][5:])
    for start in _NEGATION_STARTS:
        if len(words) > len(start) and words[: len(start)] == start:
            rest = "".join(words[len(start) :])
            found = _NEGATED_CHANNELS.get(rest)
            if found:
                return found[0], found[1], rest
    return None


def holds_the_opposite(tokens: tuple[str, ...], attribute: str, entity: str) -> bool:
    """True when a column named ``tokens`` holds the opposite of a positive consent or flag (do_not_call for
    phone marketing consent, blocked for active)."""
    compact = "".join(tokens)
    if OPPOSITE_FLAGS.get(compact) == attribute:
        return True
    if attribute in _NEGATIVE_ATTRIBUTES or (entity != "consent" and attribute != "is_active"):
        return False
    return (
        any(w in _NEGATIVE_WORDS for w in tokens)
        or compact.startswith(("donot", "dont", "hasoptedout", "optout"))
        or compact in OPPOSITE_FLAGS
    )


#: Trailing table words that do not make a table about something else (customer_entity, contactdetails).
_TABLE_NOISE = frozenset({"entity", "details", "detail", "data", "info", "master", "main", "base", "table", "record"})


def sub_table(context: tuple[str, ...]) -> bool:
    """``customer_group``, ``contact_target_list``: a table about something of the entity, not the entity."""
    return len(context) > 1 and any(w not in _TABLE_NOISE for w in context[1:])


def not_an_attribute(tokens: tuple[str, ...], entity: str | None) -> str | None:
    """Why a column holds no customer attribute whatever its words say, or None."""
    compact = "".join(tokens)
    if compact in NOT_ATTRIBUTES:
        return "a technical column"
    if "by" in tokens or (tokens and tokens[0] in _AUDIT_VERBS and "user" in tokens and tokens[-1] == "id"):
        if not (tokens[0] == "assigned"):
            return "names a user of the software (audit)"
    if "token" in tokens and "push" not in tokens and "device" not in tokens:
        return "a token of the software"
    if "logo" in tokens:
        return "a logo: a picture of the brand, not of the customer"
    if any(w in _SECURITY_WORDS for w in tokens):
        return "a security counter of the software"
    if any(w in _OTHER_PERSON for w in tokens) or compact.startswith(("assistant", "spouse")):
        return "about another person than the customer"
    if len(tokens) > 1 and tokens[-1] == "id" and tokens[:-1] in _SCOPES and entity != "order":
        return "the scope of the software (website, store, tenant), not the customer"
    if tokens == ("channel", "id") and entity not in ("order", "interaction"):
        return "the scope of the software (website, store, tenant), not the customer"
    return None
