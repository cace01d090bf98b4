"""What a column's name and table say beyond its spelling: the columns that never hold a customer attribute
(users and scopes of the software, someone else, bookkeeping), negated channels and flags that hold the
opposite of an attribute, channels a name allows (consents), names that say yes or no, the keys and child rows
a table's shape gives away, the generic one-word names that a person should check, and the calibration: what
each kind of reading was worth on the labelled systems' tune part (:func:`evidence_class`, :func:`fit_isotonic`, :data:`CALIBRATION`).  Pure data and functions over a
column's words; :mod:`needsmap.imports.column_match` weighs them.
"""

from __future__ import annotations

import bisect
import math
import re

from needsmap.imports.column_readings import ENTITY_WORDS, EVENT_PLACES, ORGANIZATION_TABLE_WORDS, QUALIFIERS

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
        "verified",
        "default",
        "primary",
        "extra",
        "data",
        "info",
        "details",
        "url",
        "uri",
        "link",
        "href",
        "prefix",
        "suffix",
    }
)
GENERIC_CAP = 0.85
#: Words of a column about someone else than the customer (AssistantPhone, spousesname).
_OTHER_PERSON = frozenset(
    {"assistant", "asst", "spouse", "spouses", "emergency", "mother", "mothers", "father", "fathers"}
)
#: Counters of the software's security: failed logins, lock-outs.
_SECURITY_WORDS = frozenset({"failed", "failures", "failure", "attempts", "lockout", "locked"})
#: Verbs of audit columns: created_by, modified_user_id and updated_by_id name a user of the software.
_AUDIT_VERBS = frozenset({"created", "modified", "updated", "changed", "deleted", "creat", "modif", "assigned"})
#: Scopes of the software (a website, a store, a tenant): their ids are not customer attributes.
_SCOPES = frozenset(
    {
        ("website",),
        ("store",),
        ("shop",),
        ("tenant",),
        ("workspace",),
        ("site",),
        ("instance",),
        ("internal", "organization"),  # Salesforce Data Cloud's InternalOrganizationId: the org the data lives in
        ("internal", "org"),
    }
)
#: Keys of the system a record came from rather than of the record in it (Data Cloud's ``ExternalSourceId``).
_OTHER_SYSTEM_KEYS = frozenset(
    {
        ("external", "source", "id"),
        ("external", "system", "id"),
        ("source", "system", "id"),
        ("data", "source", "id"),
    }
)
#: Tables whose rows belong to a customer (an address, an e-mail, a consent): audit columns there are the
#: child row's own bookkeeping, not the customer's.
CHILD_ENTITIES = frozenset(
    {
        "address",
        "contact_point",
        "consent",
        "interaction",
        "order",
        "identifier",
        "preference",
        "product_holding",
        "payment",
    }
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
#: The row's own key: ``id``, ``rowid``, ``entity_id``, ``internalId``, ``record_id``.
OWN_KEYS = frozenset(
    {"id", "rowid", "entityid", "pk", "uuid", "guid", "internalid", "recordid", "uid", "uniqueid", "objectid", "sysid"}
)
#: The key a customer-related table's own id stands for, by the table's telling word.
KEY_OF_TABLE = {
    **dict.fromkeys(
        ("contact", "contacts", "lead", "leads", "person", "persons", "people", "socpeople"), "crm_contact_id"
    ),
    **dict.fromkeys(ORGANIZATION_TABLE_WORDS, "crm_account_id"),
    **dict.fromkeys(("ticket", "tickets", "case", "cases", "complaint", "complaints"), "case_number"),
}
#: The key of a table about something of the customer, by its last word: ``customer_group.id`` is the segment
#: (and so are its ``name`` and ``code``: :data:`NAMES_OF_SUB_TABLE`).
KEY_OF_SUB_TABLE = {"group": "customer_segment", "groups": "customer_segment"}
#: Columns of such a table that name the row itself: ``customer_groups.name`` is the segment's name.
NAMES_OF_SUB_TABLE = frozenset({("name",), ("code",), ("label",), ("title",)})
#: A key named after a user in a table that is not about users (``contacts.user_id``): the software's user
#: who owns the row as often as the customer's login, so a person checks it.
USER_KEYS = frozenset({"userid", "useraccountid"})
USER_KEY_CAP = 0.8
#: Negation at the start of a name: do_not_call, donotemail, no_email, dont_mail.
_NEGATION_STARTS = (
    ("do", "not", "use"),
    ("do", "not"),
    ("donotuse",),
    ("donot",),
    ("dont",),
    ("no",),
    ("not",),
    ("never",),
    ("has", "opted", "out", "of"),  # Salesforce's HasOptedOutOfFax, HasOptedOutProfiling (Individual)
    ("has", "opted", "out"),
    ("opted", "out", "of"),
    ("opted", "out"),
    ("suppress", "all"),  # Siebel's SuppressAllCalls, SuppressAllEmails
    ("suppress",),
)
#: What a negated channel word is the opposite of (inverted), or means as it is (email opt-out).
_NEGATED_CHANNELS: dict[str, tuple[str, bool]] = {
    **dict.fromkeys(("call", "phone", "telephone", "telemarketing", "calls"), ("phone_marketing_consent", True)),
    **dict.fromkeys(
        ("email", "emails", "bulkemail", "mailing", "newsletter", "massmail", "bulkmail", "massemail"),
        ("email_opt_out", False),
    ),
    **dict.fromkeys(("marketing",), ("email_marketing_consent", True)),  # NoMarketing: no campaigns at all
    # HasOptedOutProfiling, HasOptedOutTracking, HasOptedOutGeoTracking: no profile built of the person
    **dict.fromkeys(("profiling", "tracking", "geotracking", "profile"), ("profiling_consent", True)),
    # do_not_contact, HasOptedOutSolicit: no approach at all, by e-mail first (Salesforce NPSP, Salesloft)
    **dict.fromkeys(("contact", "solicit", "solicitation"), ("email_marketing_consent", True)),
    **dict.fromkeys(("mail", "postalmail", "post", "postal", "directmail"), ("post_marketing_consent", True)),
    **dict.fromkeys(("sms", "text", "texts"), ("sms_marketing_consent", True)),
    **dict.fromkeys(
        ("trade", "share", "sharedata", "sale", "sell", "selling", "sharing"), ("third_party_consent", True)
    ),
}
#: Flags that say the opposite of the attribute: blocked is not active.
OPPOSITE_FLAGS: dict[str, str] = {
    **dict.fromkeys(
        (
            "blocked",
            "isblocked",
            "inactive",
            "isinactive",
            "suspended",
            "issuspended",
            "disabled",
            "isdisabled",
            "archived",
            "isarchived",
            "banned",
            "isbanned",
            "logindisabled",
            "deactivated",
            "isdeactivated",
            "deprovisioned",
            "isdeprovisioned",
        ),
        "is_active",
    ),
    **dict.fromkeys(("hasaccount", "registered", "isregistered"), "is_guest"),
}
#: Words in a column that make a positive consent or flag its opposite.
_NEGATIVE_WORDS = frozenset(
    {
        "not",
        "donot",
        "dont",
        "no",
        "never",
        "optout",
        "opted",
        "unsubscribed",
        "blocked",
        "inactive",
        "blacklisted",
        "blocklisted",
        "suppressed",
        "suppress",
    }
)
#: Attributes that are already negative: a negated column holds them as they are.
_NEGATIVE_ATTRIBUTES = frozenset({"email_opt_out", "consent_withdrawn_date", "erasure_requested", "is_deleted"})


#: Negation at the end of a name: sms_opt_out, data_sale_optout, phone_opted_out.
_NEGATION_ENDS = (
    ("opt", "out"),
    ("optout",),
    ("opted", "out"),
    ("optedout",),
    ("blacklisted",),  # emailBlacklisted, smsBlocklisted: the channel must not be used
    ("blocklisted",),
    ("suppressed",),
)
_NEGATION_LAST = frozenset(end[-1] for end in _NEGATION_ENDS)


def negated_channel(tokens: tuple[str, ...]) -> tuple[str, bool, str] | None:
    """``do_not_call``, ``sms_opt_out`` -> (phone or sms marketing consent, inverted, the channel word); None when
    the name is not a negated channel."""
    words = tokens
    if len(words) == 1 and words[0].startswith("donotuse") and len(words[0]) > 8:
        words = ("donotuse", words[0][8:])
    elif len(words) == 1 and words[0].startswith("donot") and len(words[0]) > 5:
        words = ("donot", words[0][5:])
    for end in _NEGATION_ENDS if words[-1] in _NEGATION_LAST else ():
        if len(words) > len(end) and words[-len(end) :] == end:
            channel = "".join(w for w in words[: -len(end)] if w not in ("is", "has", "marketing", "data", "my"))
            found = _NEGATED_CHANNELS.get(channel) if channel else None
            if found:
                return found[0], found[1], channel
    for start in _NEGATION_STARTS:
        if len(words) > len(start) and words[: len(start)] == start:
            rest = "".join(words[len(start) :])
            found = _NEGATED_CHANNELS.get(rest)
            if found:
                return found[0], found[1], rest
    return None


#: Words that say a channel may be used (accepts_email, sms_opt_in, email_marketing_consent, marketing_emails).
CONSENT_WORDS = frozenset(
    {
        "accepts",
        "accept",
        "accepted",
        "allow",
        "allows",
        "allowed",
        "wants",
        "receive",
        "receives",
        "optin",
        "opted",
        "consent",
        "consents",
        "consented",
        "permission",
        "subscribed",
        "subscribe",
        "subscription",
        "agrees",
        "agreed",
    }
)
#: Channel words of a positive consent and the consent they name.
_CONSENT_CHANNELS: dict[str, str] = {
    **dict.fromkeys(("email", "emails", "newsletter", "newsletters", "marketing"), "email_marketing_consent"),
    **dict.fromkeys(("sms", "text", "texts", "whatsapp"), "sms_marketing_consent"),
    **dict.fromkeys(("phone", "call", "calls", "telephone", "telemarketing"), "phone_marketing_consent"),
    **dict.fromkeys(("post", "postal", "mail", "directmail"), "post_marketing_consent"),
    **dict.fromkeys(("push",), "push_consent"),
}
#: Words that say a message is marketing (``send_promotional_emails``, ``newsletter_active``): with one of them a
#: weaker word (:data:`_WEAK_CONSENT_WORDS`) says the customer may be sent it; a channel named too decides which.
MARKETING_WORDS = frozenset({"marketing", "promotional", "promotions", "promo", "newsletter", "newsletters"})
_WEAK_CONSENT_WORDS = frozenset({"send", "active", "enabled", "get", "gets", "yes", "flag"})
_CONSENT_CHANNELS.update(dict.fromkeys(("promotional", "promotions", "promo"), "email_marketing_consent"))
#: Words that make a consent column about something else than whether it was given: when, where, how.
_CONSENT_DETAILS = frozenset(
    {
        "at",
        "date",
        "time",
        "timestamp",
        "on",
        "updated",
        "source",
        "ip",
        "text",
        "version",
        "method",
        "by",
        "id",
        "collected",
        "level",
        "type",
        "reason",
        "withdrawn",
        "double",
        "confirmed",
        "sent",
    }
)


def positive_channel(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    """``accepts_email``, ``sms_opt_in``, ``marketing_emails_consent`` -> (the channel's marketing consent, the
    channel word); None when the name does not say a channel may be used, says the opposite, or is about a
    detail of the consent (``email_consent_date``)."""
    words = tuple(w for t in tokens for w in (("opt", "in") if t == "opt" else (t,)))
    words = tuple(w for i, w in enumerate(words) if not (w == "in" and i > 0 and words[i - 1] in ("opt", "opted")))
    words = tuple("optin" if w == "opt" else w for w in words)
    negative = _NEGATIVE_WORDS - {"opted"} if "out" not in words else _NEGATIVE_WORDS
    promotional = any(w in MARKETING_WORDS for w in words)
    consent = any(w in CONSENT_WORDS or (promotional and w in _WEAK_CONSENT_WORDS) for w in words)
    if any(w in negative or w in _CONSENT_DETAILS for w in words) or not consent:
        return None
    channels = {_CONSENT_CHANNELS[w] for w in words if w in _CONSENT_CHANNELS and w not in MARKETING_WORDS}
    if not channels and promotional:
        channels = {_CONSENT_CHANNELS["marketing"]}
    if len(channels) != 1:
        return None
    attribute = channels.pop()
    return attribute, next(w for w in words if w in _CONSENT_CHANNELS)


#: What a word of a consent column's tail says it holds: when, where from, from which address, or the state.
_CONSENT_DETAIL_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("at", "date", "time", "timestamp", "on", "ts", "dt", "datetime", "updated", "when"), "consent_date"
    ),
    **dict.fromkeys(("source", "method", "collected", "level", "channel", "origin", "via"), "consent_source"),
    **dict.fromkeys(("ip",), "consent_ip"),
    **dict.fromkeys(("state", "status", "value"), "state"),
}
#: Words of a consent that was taken back: unsubscribed_at, opted_out_date, consent_withdrawn_on.
_WITHDRAWN_WORDS = frozenset({"unsubscribed", "unsubscribe", "optout", "withdrawn", "revoked", "out"})
#: Words that make a consent column about a step of asking for it (double_opt_in_email_sent_date) or its text.
_NOT_THE_CONSENT = frozenset(
    {"sent", "double", "confirmation", "reminder", "request", "requested", "token", "version", "text", "hash"}
)
#: Words that make a name a consent whatever else it says.
_EXPLICIT_CONSENT = frozenset({"consent", "consents", "consented", "optin", "optout", "opted", "unsubscribed"})
#: Words that make a name a consent when it names a channel too (``subscriptions_email_marketing_timestamp``).
_CHANNEL_CONSENT = (CONSENT_WORDS - _EXPLICIT_CONSENT) | {"marketing", "subscriptions", "unsubscribe"}


def consent_detail(tokens: tuple[str, ...]) -> tuple[str, str] | None:
    """What a column about a consent holds when its name says more than the channel: when it was given
    (``email_consent_date``, ``emailMarketingConsentUpdatedAt``) or taken back (``unsubscribed_at``), where
    it came from (``sms_opt_in_source``), from which address (``marketing_opt_in_ip``), or its state
    (``sms_consent_state``, ``email_marketing_status``: the channel's consent itself).  (attribute id, why),
    or None when the name is no consent or says nothing of these."""
    words = tuple(w for t in tokens for w in (("opt", "in") if t == "opt" else (t,)))
    words = tuple("optin" if w == "opt" else w for w in words if w != "in") if "opt" in words else words
    words = tuple("optout" if w == "out" and "optin" in words[: i + 1] else w for i, w in enumerate(words))
    words = tuple(w for w in words if not (w == "optin" and "optout" in words))
    channel = next((w for w in words if w in _CONSENT_CHANNELS), None)
    # sms_channel.consent_type: 'channel' after a channel's name names the channel, not where the consent came from
    words = tuple(w for i, w in enumerate(words) if not (w == "channel" and i and words[i - 1] in _CONSENT_CHANNELS))
    if _EXPLICIT_CONSENT.isdisjoint(words) and (channel is None or _CHANNEL_CONSENT.isdisjoint(words)):
        return None  # invitation_accepted_at, subscription_start_date: no consent to a channel
    details = [_CONSENT_DETAIL_WORDS[w] for w in words if w in _CONSENT_DETAIL_WORDS]
    if not details or not _NOT_THE_CONSENT.isdisjoint(words):
        return None
    said = "_".join(tokens)
    detail = details[-1]
    if detail == "consent_date" and not _WITHDRAWN_WORDS.isdisjoint(words):
        return "consent_withdrawn_date", f"'{said}' says when the consent was taken back"
    if detail == "state":
        if channel is None or not _WITHDRAWN_WORDS.isdisjoint(words) or details.count("state") != len(details):
            return None
        return _CONSENT_CHANNELS[channel], f"'{said}': the state of the {channel} consent"
    what = {"consent_date": "when", "consent_source": "where or how", "consent_ip": "from which address"}[detail]
    return detail, f"'{said}' says {what} the consent was given"


#: Words of a phone number's parts and of the tables and names that hold them.
_PHONE_WORDS = frozenset({"phone", "phones", "telephone", "tel", "telecom", "mobile", "cell", "fax", "contact"})
_PHONE_PARTS = (("area", "code"), ("country", "code"), ("dial", "code"), ("calling", "code"), ("country", "prefix"))


def phone_part(tokens: tuple[str, ...], context: tuple[str, ...]) -> tuple[str, str] | None:
    """A part of a phone number (``PHONE_AREA_CODE``, a phone table's ``country_code``): held with the phone
    number (the catalog keeps the number whole).  (attribute id, why), or None."""
    if "code" not in tokens and "type" not in tokens and "prefix" not in tokens:
        return None
    pairs = set(zip(tokens, tokens[1:]))
    phone_named = not _PHONE_WORDS.isdisjoint(tokens) or not {"phone", "phones", "telecom"}.isdisjoint(context)
    if "fax" in tokens:
        return None
    if ("area", "code") in pairs and len(tokens) <= 3 or phone_named and pairs & set(_PHONE_PARTS):
        number = "mobile_phone" if not {"mobile", "cell", "sms"}.isdisjoint(tokens) else "phone"
        return number, f"'{'_'.join(tokens)}': a part of the {number.replace('_', ' ')} number"
    if phone_named and ("line", "type") in pairs:  # PHONE_LINE_TYPE: mobile, landline, fax
        return "phone_type", f"'{'_'.join(tokens)}': the kind of the phone number"
    return None


#: Words of the day from which a row holds: valid_from, DATE_FROM, EFFECTIVE_DATE, start_date.
_VALID_FROM = frozenset({"from", "effective", "start", "begin", "since"})
_VALID_FROM_WORDS = _VALID_FROM | {"valid", "date", "validity", "dt", "on", "at"}


def valid_from(tokens: tuple[str, ...], entity: str | None) -> tuple[str, str] | None:
    """An address row's first day (``DATE_FROM``, ``EFFECTIVE_DATE``, ``valid_from``): when the address holds."""
    if entity != "address" or _VALID_FROM.isdisjoint(tokens) or not set(tokens) <= _VALID_FROM_WORDS:
        return None
    return "address_valid_from", f"'{'_'.join(tokens)}': from when the address is valid"


#: Flags besides consents whose opposite a column may hold (``is_disabled``, ``no_valid_address``).
_OPPOSABLE_FLAGS = frozenset({"is_active", "address_verified", "email_verified", "phone_verified"})
#: Negations glued to a channel or written in Dutch, German or French (``nomail``, ``geen_post``,
#: ``keine_werbung``, ``nicht_anrufen``, ``ne_pas_appeler``): catalog spellings of a consent's opposite.
_NEGATED_GLUED = ("nomail", "noemail", "nocall", "nophone", "nosms", "nopost", "geen", "kein", "nicht", "nepas")


def holds_the_opposite(tokens: tuple[str, ...], attribute: str, entity: str) -> bool:
    """True when a column named ``tokens`` holds the opposite of a positive consent or flag (do_not_call for
    phone marketing consent, blocked for active)."""
    compact = "".join(tokens)
    if OPPOSITE_FLAGS.get(compact) == attribute:
        return True
    if attribute in _NEGATIVE_ATTRIBUTES or (entity != "consent" and attribute not in _OPPOSABLE_FLAGS):
        return False
    return (
        any(w in _NEGATIVE_WORDS for w in tokens)
        or compact.startswith(("donot", "dont", "hasoptedout", "optout", *_NEGATED_GLUED))
        or compact.endswith(("optout", "optedout"))
        or compact in OPPOSITE_FLAGS
    )


#: First words of a yes/no column: is_, has_, allow_, use_for_ (an integer column so named is a flag).
_FLAG_STARTS = frozenset({"is", "has", "can", "allow", "allows", "use", "show", "enable", "accepts", "accept", "opted"})
#: Whole names that are flags whatever their type (MySQL's tinyint, Frappe's int checks).
_FLAG_NAMES = frozenset({"active", "enabled", "disabled", "deleted", "verified", "blocked", "suspended", "primary"})
#: Words of an address flag that say which kind of address the row is (is_billing, use_for_shipping).
ADDRESS_KINDS = frozenset({"billing", "shipping", "delivery", "invoice", "mailing", "postal", "home", "work"})
#: Words of a flag that say the row is the preferred one of its kind (is_primary_address, is_default).
PRIMARY_WORDS = frozenset({"primary", "default", "main", "preferred"})


def flag_shaped(tokens: tuple[str, ...]) -> bool:
    """True when the name says yes or no (``is_suspended``, ``disabled``, ``do_not_call``): an integer
    column so named holds a flag, as MySQL's ``tinyint`` and Frappe's ``int`` checks do."""
    if not tokens:
        return False
    compact = "".join(tokens)
    return (
        tokens[0] in _FLAG_STARTS
        or compact in _FLAG_NAMES
        or compact in OPPOSITE_FLAGS
        or negated_channel(tokens) is not None
        or compact.startswith(("donot", "dont", "hasoptedout"))
    )


#: Trailing table words that do not make a table about something else (customer_entity, contactdetails).
_TABLE_NOISE = frozenset(
    {
        "entity",
        "details",
        "detail",
        "data",
        "info",
        "master",
        "main",
        "base",
        "table",
        "record",
        "tab",  # IFS's CUSTOMER_INFO_TAB
        "tbl",
        "view",
        "vw",
        "collection",  # SAP Business ByDesign's CustomerCollection, an OData entity set
        "set",
        "header",
        "core",
    }
)


def sub_table(context: tuple[str, ...]) -> bool:
    """``customer_group``, ``contact_target_list``: a table about something of the entity, not the entity."""
    return len(context) > 1 and any(w not in _TABLE_NOISE for w in context[1:])


def _user_key(tokens: tuple[str, ...]) -> bool:
    return tokens[-2:] == ("user", "id") or tokens[-1:] == ("userid",)


def not_an_attribute(tokens: tuple[str, ...], entity: str | None) -> str | None:
    """Why a column holds no customer attribute whatever its words say, or None."""
    compact = "".join(tokens)
    if compact in NOT_ATTRIBUTES:
        return "a technical column"
    if "by" in tokens or (tokens and tokens[0] in _AUDIT_VERBS and "user" in tokens and tokens[-1] == "id"):
        if not (tokens[0] == "assigned"):
            return "names a user of the software (audit)"
    if _user_key(tokens) and any(w == "audit" or (len(w) > 4 and w.endswith("edon")) for w in tokens):
        return "names a user of the software (audit)"  # Fineract's activatedon_userid, openIMIS's AuditUserID
    if "token" in tokens and "push" not in tokens and "device" not in tokens:
        return "a token of the software"
    if "logo" in tokens:
        return "a logo: a picture of the brand, not of the customer"
    if any(w in _SECURITY_WORDS for w in tokens):
        return "a security counter of the software"
    if any(w in _OTHER_PERSON for w in tokens) or compact.startswith(("assistant", "spouse")):
        return "about another person than the customer"
    if tokens in _OTHER_SYSTEM_KEYS:
        return "names the other system or source, not the record's key there"
    if len(tokens) > 1 and tokens[-1] == "id" and tokens[:-1] in _SCOPES and entity != "order":
        return "the scope of the software (website, store, tenant), not the customer"
    if tokens == ("channel", "id") and entity not in ("order", "interaction"):
        return "the scope of the software (website, store, tenant), not the customer"
    return None


# ------------------------------------------------------------------ calibration

#: Evidence classes, from the most direct reading to the least.
EVIDENCE_CLASSES = (
    "exact",
    "structural",
    "key",
    "part",
    "audit",
    "qualified place",
    "qualified",
    "reread",
    "narrowed",
    "generic",
    "fuzzy",
)
STRUCTURAL_NOTES = (
    "the key of table",
    "parent_id of",
    "do-not-",
    "an opt-out of",
    "is the opposite of",
    "it belongs to",
    "may be used",
    "the consent was",
    "an address line",
    "of the phone number",
    "the address is valid",
    "the state of the",
    "a yes/no",
    "which kind of address",
    "the preferred",
    " row: its ",
    "when the record was",
    "the record's audit date",
    "which role the party plays",
    "e-mails to the customer bounced",
)
_REREAD_NOTES = (
    "without",
    "table prefix",
    "table context",
    "of table",
    "read as",
    "abbreviations",
    "composite",
    "another order",
)
#: A reading's class and, per class, (lowest score of a block, confidence) steps in rising order.
Calibration = dict[str, tuple[tuple[float, float], ...]]


def evidence_class(tokens: tuple[str, ...], context: tuple[str, ...], why: str, target_entity: str = "") -> str:
    """What kind of reading a candidate comes from: ``structural`` (the table's shape: its key, a negated
    channel), ``generic`` (a one-word name such as ``status`` or ``name``, with or without the table's word:
    ``contact_type``), ``fuzzy`` (a near spelling), ``reread`` (words read away, abbreviations expanded;
    :mod:`needsmap.imports.column_match` calls it ``qualified`` when only qualifier and table words were read
    away), ``narrowed`` (words that say which one read away from a generic word: ``image_source``,
    ``tax_category``, ``employment_status``: the words read away were what the column is about) or
    ``exact`` (a name of the attribute as written).  ``target_entity``: the entity of the attribute read (an
    address's kind read away from a word that is no address's, ``invoice_prefix``, said what it is about)."""
    if any(note in why for note in STRUCTURAL_NOTES):
        return "structural"
    own = [w for w in tokens if w not in context and w.rstrip("s") not in context]
    if len(own) == 1 and (own[0] in GENERIC_NAMES or own[0] in _GENERIC_WORDS):
        return "generic"
    matched = _MATCHED.match(why)  # primary_address: only 'address' was read, and it says nothing more
    if matched and "".join(matched.group(1).lower().split("_")) in _GENERIC_WORDS:
        return "generic"
    if "close to" in why:
        return "fuzzy"
    read_away = read_away_words(why)
    # billing_ says no more of an address's state, but an invoice's prefix is not a person's
    kinds = ADDRESS_KINDS if target_entity not in ("address", "contact_point") else frozenset()
    said_which = {
        w
        for w in read_away
        if (w not in QUALIFIERS or w in kinds) and not w.isdigit() and not _names_the_holder(w, target_entity)
    }
    if (
        read_away & _OTHER_SUBJECTS
        or (target_entity == "address" and read_away & EVENT_PLACES)  # last_login_location_city: a login's place
        or (matched and said_which and "".join(matched.group(1).lower().split("_")) in GENERIC_NAMES)
    ):
        return "narrowed"
    if any(note in why for note in _REREAD_NOTES):
        return "reread"
    return "exact"


#: Words read away that name the thing an address or a contact point attribute belongs to, or which one it is
#: (``addresses.state``, ``ADDRESS_MAIL_STATE``, ``homeAddress.primary``): they say no more than the attribute.
_ADDRESS_HOLDERS = frozenset({"mail", "street", "physical", "postal", "mailing"})


def _names_the_holder(word: str, target_entity: str) -> bool:
    """True when ``word``, read away, names an address (or its kind) for an address's or a contact point's
    attribute: the state of ``addresses.state`` is the address's region, not something else's state."""
    if target_entity not in ("address", "contact_point"):
        return False
    return ENTITY_WORDS.get(word) == "address" or word in _ADDRESS_HOLDERS or word in ADDRESS_KINDS


#: The note of leading words read away (``without 'image_'``), as :mod:`needsmap.imports.column_match` writes it.
_READ_AWAY_FRONT = re.compile(r"without '([a-z0-9_]+)_'")


def read_away_words(why: str) -> set[str]:
    """The leading words a reading read away, from its reason (``without 'password_'`` -> ``{'password'}``)."""
    return {w for found in _READ_AWAY_FRONT.findall(why) for w in found.split("_")}


def flag_of_something_else(why: str) -> bool:
    """True when a reading of whether the customer is active read away words that name something else
    (``password_enabled``, ``totp_enabled``: a feature is on, not the customer): only the customer's or its
    account's words, qualifiers and storage words may be read away (``account_enabled``, ``is_active``)."""
    return any(w not in ENTITY_WORDS and w not in QUALIFIERS and not w.isdigit() for w in read_away_words(why))


#: Leading words that say whose or which thing a value is about when it is not the customer's own: the agent's
#: last visit, a legacy password, an OAuth provider's id, an image's source.
_OTHER_SUBJECTS = frozenset(
    {
        "by",  # created_by_name, lastNoteAddedBy: whoever did something, not the customer
        "agent",
        "agents",
        "staff",
        "employee",
        "admin",
        "operator",
        "assignee",
        "sender",
        "recipient",
        "bot",
        "system",
        "legacy",
        "previous",
        "former",
        "oauth",
        "provider",
        "integration",
        "image",
        "avatar",
        "picture",
        "photo",
        "logo",
        "device",
        "browser",
        "api",
        "webhook",
        "sync",
        "import",
        "export",
        "parent",
        "child",
        "template",
        "campaign",
        "product",
        "item",
        "ticket",
        "tax",
        "cc",
        "bcc",
        "ip",
        "geoip",
        "next",
        "upcoming",
        "planned",
        "scheduled",
        "phonetic",  # how a name is read aloud (Dynamics' PersonPhoneticFirstName, Japan's yomi and kana)
        "yomi",
        "kana",
        "furigana",
        "rep",  # a sales representative's first name, not the customer's
        "representative",
        "commission",
        "collections",
        "freight",
        "carrier",
        "issuing",  # an identity document's issuing country is not where the customer lives
        "issuer",
        "creator",  # the profile that created or last changed the row
        "updater",
        "modifier",
        "editor",
        "supervisor",  # someone else's phone
        "manager",
        "dunning",  # a dunning campaign is not how the customer was won
    }
)
_MATCHED = re.compile(r"(?:close to )?(?:spelling|id|name|synonym|catalog id)[^']* '([^']+)'")
#: One-word names that only say "the value": ``name``, ``address``, ``number`` (their table says of what).
_GENERIC_WORDS = frozenset(
    {"name", "value", "number", "text", "address", "code", "label", "id", "uuid", "guid", "identifier", "title"}
)

#: Observed precision -> confidence: a confidence of 0.9 (accepted without review) stands for 97% observed
#: precision, 0.75 (the least the schema import proposes) for 50%.
_WARP = ((0.0, 0.3), (0.5, 0.75), (0.97, 0.9), (1.0, 1.0))


#: A catalog attribute whose readings the calibration accepted automatically on the tune part were right less
#: often than this (smoothed towards one half) is held for review whatever the reading (:data:`UNSURE_ATTRIBUTES`).
UNSURE_LEVEL = 0.9
#: The confidence a reading of an unsure attribute is held at: below the 0.9 of automatic acceptance.
UNSURE_CAP = 0.895


def unsure_note(attribute: str, record: tuple[int, int]) -> str:
    """The review note of a reading of an unsure ``attribute``, with its ``record`` (right, accepted)."""
    right, accepted = record
    return (
        f"readings of '{attribute}' accepted without review were right {right} of {accepted} times"
        " on the labelled systems: check"
    )


def confidence_text(confidence: float) -> str:
    """A confidence as people read it: two decimals, rounded down, so that a proposal held for review just below
    the automatic acceptance (0.895) never reads as 0.90."""
    return f"{math.floor(round(confidence * 100, 6)) / 100:.2f}"


def warp(precision: float) -> float:
    """The confidence that stands for an observed ``precision`` (piecewise linear through :data:`_WARP`)."""
    for (p0, c0), (p1, c1) in zip(_WARP, _WARP[1:]):
        if precision <= p1:
            return c0 + (c1 - c0) * (precision - p0) / (p1 - p0)
    return 1.0


def calibrated(score: float, evidence: str, calibration: Calibration) -> float:
    """The confidence of a candidate with this raw ``score`` and ``evidence`` class: the observed precision
    of its block of the isotonic fit (:data:`CALIBRATION`), warped so that 0.9 means 97%."""
    steps = calibration.get(evidence)
    if not steps:
        return score
    i = bisect.bisect_right(steps, (score, 2.0)) - 1  # the last block starting at or below the score
    return steps[i][1] if i >= 0 else min(score, steps[0][1])  # below every block seen: never raised


def fit_isotonic(points: list[tuple[float, bool]], prior: float = 0.5) -> tuple[tuple[float, float], ...]:
    """Pool-adjacent-violators over (score, right) pairs: blocks of rising score whose precision never falls,
    each as (where it starts, warped precision); a block's precision is smoothed towards one half by ``prior``
    (a block of three right answers is not 100% sure: 2.75 of 3.5).  A block starts halfway between the
    highest score of the block below and its own lowest, so a score never seen between two blocks (a
    workshop attribute's inherited catalog name, 0.99) is worth what the nearer block is worth."""
    tied: dict[float, list[float]] = {}  # equal scores are one block, whatever order they came in
    for score, ok in points:
        right_n = tied.setdefault(score, [0.0, 0.0])
        right_n[0] += ok
        right_n[1] += 1
    blocks: list[list[float]] = []  # [lowest score, highest score, right, count]
    for score in sorted(tied):
        blocks.append([score, score, *tied[score]])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][3] >= blocks[-1][2] / blocks[-1][3]:
            _low, high, right, n = blocks.pop()
            blocks[-1][1] = high
            blocks[-1][2] += right
            blocks[-1][3] += n
    out: list[tuple[float, float]] = []
    below = None  # the highest score of the block below
    for low, high, right, n in blocks:
        confidence = round(warp((right + prior / 2) / (n + prior)), 3)
        start = low if below is None else (below + low) / 2
        below = high
        if out and confidence <= out[-1][1]:
            continue
        out.append((round(start, 3), confidence))
    return tuple(out)


# fmt: off
#: The isotonic fit on the tune part of the labelled systems (``python -m benchmarks.matching
#: --fit-calibration`` prints it); the held-out part is never used for it.  Per evidence class, and apart
#: (``exact/1``) for readings that one labelled system confirms (:mod:`needsmap.imports.column_support`), each
#: tune system's proposals read as a system nobody labelled would see them.
CALIBRATION: Calibration = {
    "exact": ((0.85, 0.888), (0.942, 0.946)),
    "exact/1": ((0.85, 0.825), (0.855, 0.861)),
    "exact/few": ((0.8, 0.795), (0.867, 0.866), (0.96, 0.871)),
    "structural": ((0.765, 0.859), (0.835, 0.935)),
    "structural/few": ((0.765, 0.817), (0.814, 0.872), (0.925, 0.895)),
    "key": ((0.84, 0.35), (0.845, 0.822)),
    "key/few": ((0.84, 0.35), (0.845, 0.822)),
    "part": ((0.79, 0.45), (0.86, 0.861)),
    "audit": ((0.773, 0.762),),
    "audit/few": ((0.773, 0.998),),
    "qualified place": ((0.922, 0.88), (0.95, 0.969)),
    "qualified place/few": ((0.922, 0.885), (0.98, 0.928)),
    "qualified": ((0.783, 0.876), (0.853, 0.883), (0.96, 0.896), (1.0, 0.977)),
    "qualified/1": ((0.783, 0.82), (0.994, 0.856)),
    "qualified/few": ((0.768, 0.825), (0.845, 0.828), (0.876, 0.842), (1.0, 0.898)),
    "reread": ((0.752, 0.803), (0.808, 0.85), (0.844, 0.86), (0.853, 0.886), (0.966, 0.943)),
    "reread/1": ((0.752, 0.64), (0.811, 0.74), (0.873, 0.8), (0.895, 0.81), (0.984, 0.892)),
    "reread/few": ((0.752, 0.778), (0.824, 0.788), (0.833, 0.798), (0.853, 0.803), (0.94, 0.809), (0.966, 0.859)),
    "narrowed": ((0.756, 0.556), (0.873, 0.75), (0.906, 0.887)),
    "narrowed/1": ((0.783, 0.364), (0.804, 0.624)),
    "narrowed/few": ((0.756, 0.37), (0.833, 0.422), (0.887, 0.467), (0.906, 0.55), (0.931, 0.641), (0.986, 0.717)),
    "generic": ((0.818, 0.45), (0.825, 0.875)),
    "generic/1": ((0.771, 0.364), (0.825, 0.75)),
    "generic/few": ((0.752, 0.32), (0.821, 0.462), (0.848, 0.705), (0.851, 0.805), (1.0, 0.809)),
    "fuzzy": ((0.771, 0.75), (0.784, 0.799), (0.797, 0.89)),
    "fuzzy/1": ((0.759, 0.489), (0.831, 0.75), (0.882, 0.856)),
    "fuzzy/few": ((0.759, 0.45), (0.765, 0.759), (0.825, 0.819), (0.859, 0.863)),
}
#: The catalog attributes whose readings accepted automatically (0.9 or more with :data:`CALIBRATION`) on the
#: tune part were right less often than :data:`UNSURE_LEVEL`, each with (right, accepted): held for review.
UNSURE_ATTRIBUTES: dict[str, tuple[int, int]] = {
    "academic_title": (1, 1),
    "account_balance": (1, 1),
    "acquisition_campaign": (5, 6),
    "address_label": (1, 1),
    "birth_year": (1, 1),
    "company_domain": (1, 1),
    "crm_contact_id": (1, 1),
    "customer_notes": (1, 1),
    "customer_status": (1, 1),
    "device_model": (1, 1),
    "duns_number": (1, 1),
    "education_level": (1, 1),
    "email_type": (3, 4),
    "external_reference": (1, 1),
    "household_id": (1, 1),
    "initials": (4, 6),
    "is_active": (12, 14),
    "is_guest": (1, 1),
    "last_order_date": (1, 1),
    "legal_name": (0, 1),
    "lifetime_value": (1, 1),
    "loyalty_number": (1, 1),
    "national_id_number": (4, 5),
    "number_of_orders": (1, 1),
    "order_total": (1, 1),
    "parent_organization": (16, 19),
    "preferred_currency": (1, 1),
    "preferred_payment_method": (1, 1),
    "referrer": (4, 5),
    "religion": (1, 1),
}
# fmt: on
