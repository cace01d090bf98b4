"""Synthetic workshops: realistic-shaped, valid, deterministic, with planted gaps.

``generate(scale, seed)`` builds a :class:`needsmap.format.model.Workshop` for a
fictional omnichannel home & living retailer.  The same ``(scale, seed)``
always gives the same workshop (and so the same :func:`needsmap.format.saver.dump`
text): all randomness comes from one ``random.Random(seed)``; nothing reads the
clock, uuids, the global random state or the iteration order of sets.

Scales (:data:`SCALES`; the counts are exact except ``links``, which is what
the shape produces, within a few percent):

===========  ============  =========  =========  ==========  =======  =====  =======  ========
scale        stakeholders  use cases  processes  attributes  systems  notes  markets  links
===========  ============  =========  =========  ==========  =======  =====  =======  ========
small                  10         15          5          50        8      8        1     ~700
medium                 12         80         60         500       24     30        3   ~5,200
enterprise             60        400        300       2,500      120    120        8  ~25,000
===========  ============  =========  =========  ==========  =======  =====  =======  ========

*Links* are all references from one item to another (:func:`count_links`):
needs, holdings, attributes carried by feeds, attributes that steps create,
read, update or delete, and every other reference (owners, functions,
channels, ``executes_in``, ``processes``, a step's system and channel, a feed's
target, a note's ``about`` and ``by``).

Shape
-----
* **Markets.** The organisation sells in 1 (small), 3 (medium) or 8
  (enterprise) countries.  Operational systems exist per market (web shop, tills,
  marketing automation, service desk, loyalty, web analytics, ... ids such as
  ``webshop-de``); hubs and B2B systems exist once for the group (``dwh``,
  ``cdp``, ``crm-b2b``, ``erp``), plus regional warehouses at enterprise scale.
  Systems come from fictional suppliers of the kinds crm, marketing_automation,
  ecommerce, pos, service_desk, loyalty, erp, web_analytics, data_warehouse,
  cdp and other.
* **Attributes** start from 88 hand-written customer attributes
  (identifiers, names, contact points, addresses, household, consent,
  preferences, orders, interactions, organisation), each with type,
  sensitivity, definition and synonyms; a handful per entity family are
  identifiers.  Bigger scales add templated warehouse features (order metrics
  per window, channel and product category; engagement per channel, topic and
  category; interests; propensities...); order metrics are about two thirds of
  an enterprise catalogue.  Distribution is skewed: e-mail, first name, customer
  number and consent are needed by a large share of use cases and held in dozens
  of systems; most attributes are needed by one or two use cases and held in
  their source system and the warehouse.
* **Holdings**: every attribute has one master (its source system); the
  warehouse holds a copy of almost everything, the CDP of the core and a
  quarter of the rest; popular attributes are copied into every system of the
  kinds that use them.  Process steps may capture attributes in further
  systems (the tills capture e-mail addresses, for instance).
* **Feeds** form chains: sources -> (regional warehouse ->) warehouse and
  sources -> CDP, warehouse -> CDP for derived scores, CDP or warehouse ->
  activation systems (marketing automation, service desk, tills, CRM...), and
  systems that capture data sync it back to its master.  Copies carry the
  freshness of their slowest upstream hop.
* **Use cases** come from 39 templates across the functions (marketing,
  sales, service, cx, data, finance, legal, operations), per market and, at
  enterprise scale, per product category; each has an owner, channels, value,
  horizon, status, 1-2 ``executes_in`` systems and 5-15 needs with a mix of
  criticality and freshness.  Every need that is not planted as a gap can be
  met: the attribute is held in, or fed to, a system the use case executes in,
  fast enough, with acceptable quality and coverage.
* **Processes** come from 22 templates (sign-up, checkout, store
  purchase, service contact, preference centre, returns, B2B onboarding,
  erasure...), with 3-8 steps each that create, read, update or delete
  attributes in systems that hold them.  Attribute owners sit in the function
  whose processes write the attribute.
* **Notes** are questions, risks, decisions, ideas and parking-lot items, most
  of them about the planted gaps.

Planted gaps (the rules of issue 3; :func:`generate_detailed` returns what was
planted, per rule).  ``tests/synthetic/test_synthetic.py`` re-implements each rule
literally and checks that every rule fires, on a few percent at most.  Proportions are a few percent of the population each rule
looks at, with at least one instance at every scale:

* ``missing-source``: about 1.5 % of needed attributes (always
  ``consent_timestamp`` and ``moving_date``) are held by no system.
* ``stale``: about 2 % of needs ask for fresher data than the best path
  delivers (typically nightly warehouse scores needed hourly or in real time).
* ``unknown-freshness``: about 1 % of needs state a freshness while the only
  paths start at a holding whose freshness nobody knows (an attribute mastered
  in the system the use case runs in, freshness left out).
* ``low-quality`` / ``low-coverage``: about 1.5 % / 1 % of needed attributes
  have every holding below ``settings.min_quality`` (3) / ``min_coverage`` (0.5).
* ``unreachable``: about 2.5 % of (attribute, system) pairs that need a feed
  get none; the web-analytics island's attributes are needed but never leave it.
* ``no-master`` / ``many-masters``: about 1.5 % / 1 % of needed attributes
  held in 2+ systems have no master / two masters.
* ``definition-conflict``: about 1.5 % of needed attributes held in 2+ systems
  get two holdings with different local definitions or local types.
* ``no-owner``: about 1.5 % of needed attributes have no owner.
* ``contested``: a tenth of the attributes written by processes of 2+
  functions (few: most attributes are computed, not written by a process) are
  owned by someone from a function that does not write them.
* ``identity-island``: one web analytics system (small) / an A/B testing tool
  (medium) / an A/B testing tool and a heat-map tool sharing only the cookie id,
  plus an old loyalty database with its own member number (enterprise) share
  no identifier with the rest.  The ``no-identifier`` systems below are islands
  too when systems without identifiers take part in the component computation
  (the literal reading, as in the demo workshop).
* ``no-identifier``: a survey tool (and, at enterprise scale, a reviews
  platform) holds customer data but no identifier.
* ``anonymous-channel``: ``chat`` and ``social`` are used by use cases and
  steps, but no step on them captures an identifier.
* ``step-not-held``: about 1 % of steps (at least one) update an attribute in
  a system that does not hold it (agents correcting data in the service desk).
* ``unrepresented-function``: ``cx`` owns use cases but has no stakeholder;
  ``product`` has no stakeholder at all (the info variant).
* ``orphan-use-case`` / ``use-case-without-needs``: about 2 % / 1.5 % of use
  cases (``erasure-requests`` is the first use case left without needs).
* ``unused-attribute``: about 3 % of attributes (at least two) are held but
  needed by no use case.
* ``personal-without-consent``: about 3 % of the use cases on marketing
  channels that need personal data need no consent attribute (always the
  transactional click & collect message when present).

Everything else is healthy: one master per attribute held twice or more,
quality 3-5 and coverage 0.5-1 on the master, no local definitions, every
system but the planted ones shares an identifier with the warehouse, every
other channel has a step that captures an identifier, every function that owns
something has a stakeholder.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import random
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate

from needsmap.format import model as m
from needsmap.format import spec

__all__ = ["SCALES", "GAP_RULES", "Synthetic", "generate", "generate_detailed", "count_links"]

#: Counts per scale.  All but ``links`` are produced exactly; ``links`` is the
#: approximate number of references the shape yields (see :func:`count_links`).
SCALES: dict[str, dict[str, int]] = {
    "small": {
        "stakeholders": 10,
        "use_cases": 15,
        "processes": 5,
        "attributes": 50,
        "systems": 8,
        "notes": 8,
        "markets": 1,
        "links": 700,
    },
    "medium": {
        "stakeholders": 12,
        "use_cases": 80,
        "processes": 60,
        "attributes": 500,
        "systems": 24,
        "notes": 30,
        "markets": 3,
        "links": 5_200,
    },
    "enterprise": {
        "stakeholders": 60,
        "use_cases": 400,
        "processes": 300,
        "attributes": 2_500,
        "systems": 120,
        "notes": 120,
        "markets": 8,
        "links": 25_000,
    },
}

#: The gap rules of issue 3 that every generated workshop contains.
GAP_RULES: tuple[str, ...] = (
    "missing-source",
    "stale",
    "unknown-freshness",
    "low-quality",
    "low-coverage",
    "unreachable",
    "no-master",
    "many-masters",
    "definition-conflict",
    "no-owner",
    "contested",
    "identity-island",
    "no-identifier",
    "anonymous-channel",
    "step-not-held",
    "unrepresented-function",
    "orphan-use-case",
    "use-case-without-needs",
    "unused-attribute",
    "personal-without-consent",
)

FRESH: tuple[str, ...] = ("realtime", "hourly", "daily", "weekly", "monthly")
_UNKNOWN = 5  # rank of an unknown freshness: worse than any known one

# --------------------------------------------------------------------------- vocabularies
_MARKETS = (
    ("nl", "Netherlands"),
    ("be", "Belgium"),
    ("de", "Germany"),
    ("fr", "France"),
    ("uk", "United Kingdom"),
    ("at", "Austria"),
    ("dk", "Denmark"),
    ("es", "Spain"),
)
_REGIONS = (("benelux", "Benelux", ("nl", "be")), ("dach", "DACH", ("de", "at")))
_ORGS = (
    "Nordhaven Living",
    "Casa Lumen",
    "Linde & Loom",
    "Woonwerk Group",
    "Maison Brielle",
    "Vondel Home",
    "Kade & Co",
    "Hjem Interiors",
)
_FIRST = (
    "Sanne",
    "Noor",
    "Tom",
    "Lotte",
    "Ahmed",
    "Ilse",
    "Joost",
    "Priya",
    "Karin",
    "Bas",
    "Femke",
    "Daan",
    "Eva",
    "Lucas",
    "Mila",
    "Sem",
    "Julia",
    "Finn",
    "Emma",
    "Levi",
    "Zoë",
    "Milan",
    "Sara",
    "Thijs",
    "Yara",
    "Ruben",
    "Fatima",
    "Jesse",
    "Lina",
    "Mehmet",
    "Anouk",
    "Pieter",
    "Chloé",
    "Jonas",
    "Léa",
    "Hugo",
    "Marta",
    "Oskar",
    "Ingrid",
    "Matteo",
    "Sofia",
    "Lars",
    "Elif",
    "Bram",
    "Hanna",
    "Koen",
    "Nadia",
    "Rik",
    "Amira",
    "Stijn",
    "Camille",
    "Felix",
    "Greta",
    "Wout",
    "Laura",
    "Youssef",
    "Esther",
    "Niels",
    "Ana",
    "Victor",
    "Inès",
    "Tobias",
    "Maud",
    "Kasper",
)
_LAST = (
    "de Vries",
    "Hamdi",
    "Peeters",
    "Janssens",
    "El Amrani",
    "Vos",
    "Verhoeven",
    "Raman",
    "Mulder",
    "Hendriks",
    "Dijkstra",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Claes",
    "Maes",
    "Wouters",
    "Schmidt",
    "Müller",
    "Weber",
    "Dubois",
    "Laurent",
    "Moreau",
    "Novak",
    "Jensen",
    "Nielsen",
    "García",
    "Rossi",
    "Yılmaz",
    "Kaya",
    "Öztürk",
    "Bos",
    "Kramer",
    "de Jong",
    "van Dijk",
    "Jacobs",
    "Lambert",
    "Fischer",
    "Hoffmann",
    "Becker",
    "Wagner",
    "Andersen",
    "Lindqvist",
    "Martin",
    "Bernard",
    "Leroy",
    "Costa",
    "Silva",
    "Kowalski",
    "Nowak",
    "Haddad",
    "Benali",
    "O'Brien",
    "Murphy",
    "Evans",
    "Taylor",
)

#: Functions that have stakeholders, with their share of the people.
_PEOPLE_FUNCTIONS = (
    ("marketing", 0.2),
    ("sales", 0.17),
    ("service", 0.13),
    ("it", 0.13),
    ("data", 0.12),
    ("operations", 0.1),
    ("finance", 0.08),
    ("legal", 0.07),
)
_ROLES = {
    "marketing": (
        "Head of CRM and loyalty",
        "Marketing automation specialist",
        "Campaign manager",
        "Loyalty programme manager",
        "Customer insights analyst",
        "Social media lead",
        "Brand marketing manager",
        "Content marketing manager",
    ),
    "sales": (
        "Head of e-commerce",
        "Key account manager, business customers",
        "Store sales manager",
        "App product owner",
        "Sales operations lead",
        "Clienteling lead",
    ),
    "service": (
        "Head of customer service",
        "Team lead customer service",
        "Service quality coordinator",
        "Knowledge manager",
    ),
    "it": (
        "IT manager, commerce and store systems",
        "Enterprise architect",
        "Integration lead",
        "Application manager CRM",
        "Store systems manager",
    ),
    "data": ("Lead data engineer", "Data scientist", "BI manager", "Data governance lead", "Analytics engineer"),
    "operations": ("Store operations manager", "Logistics manager", "Click and collect coordinator", "Returns manager"),
    "finance": ("Finance controller, credit and receivables", "Credit manager", "Head of accounts receivable"),
    "legal": ("Privacy officer (DPO)", "Legal counsel", "Compliance manager"),
}
_PEOPLE_NOTES = {
    "marketing": (
        "Business sponsor of the programme.",
        "Builds every journey and knows which fields actually arrive in the marketing tools, and when.",
        "Wants members recognised in every channel.",
    ),
    "sales": (
        "Sceptical of anything that slows down checkout.",
        "Owns the web shop results.",
        "Speaks for the business customers.",
    ),
    "service": ("Leads the agents on phone, e-mail and chat.", "Agents switch between four screens today."),
    "it": ("Owns most of the integrations.", "Joined on the second day only."),
    "data": ("Runs the warehouse and the scoring models.", "Chairs the weekly data quality meeting."),
    "operations": ("Speaks for the store managers.", "Joined on the second day only."),
    "finance": ("Follows up the business customers' invoices.", "Interested mainly in the points liability."),
    "legal": ("Wants one consent register before the next audit.", "Handles all erasure and access requests."),
}

# system type -> (kind, id stem, name, suppliers, owner functions, operational?)
_SYS = {
    "webshop": (
        "ecommerce",
        "webshop",
        "Web shop",
        ("Shopwerk Commerce", "Cartello", "Basketry Cloud"),
        ("sales",),
        True,
    ),
    "outlet": ("ecommerce", "webshop-outlet", "Outlet web shop", ("Cartello",), ("sales",), True),
    "app": ("ecommerce", "app", "Shopping app back end", ("Appcraft Mobile", "Pocketstore"), ("sales", "it"), True),
    "pos": (
        "pos",
        "pos",
        "Store tills",
        ("Kassanova Retail Systems", "TillPoint", "Storelink POS"),
        ("operations", "it"),
        True,
    ),
    "mailing": (
        "marketing_automation",
        "mailing",
        "Marketing automation",
        ("Mailvoet", "Campaignly", "Journeyworks"),
        ("marketing",),
        True,
    ),
    "smsgw": ("marketing_automation", "sms", "SMS gateway", ("Textpost", "Bleep Messaging"), ("marketing", "it"), True),
    "printmail": (
        "marketing_automation",
        "print-mail",
        "Direct mail print service",
        ("Drukwerk Direct",),
        ("marketing",),
        True,
    ),
    "servicedesk": (
        "service_desk",
        "servicedesk",
        "Customer service desk",
        ("Helpwise", "Ticketbaan", "Supportly"),
        ("service",),
        True,
    ),
    "chat": ("service_desk", "chat", "Chat platform", ("Chatterbox", "Talkwise"), ("service",), True),
    "club": ("loyalty", "club", "Loyalty platform", ("Loyalista", "PointPark", "Clubware"), ("marketing",), True),
    "crm": ("crm", "crm", "Customer CRM", ("Relata CRM", "Accountive", "Pipewise"), ("sales", "marketing"), True),
    "crmb2b": ("crm", "crm-b2b", "B2B sales CRM", ("Relata CRM", "Pipewise"), ("sales",), True),
    "b2bportal": ("ecommerce", "b2b-portal", "B2B ordering portal", ("Orderdesk Pro",), ("sales",), True),
    "analytics": (
        "web_analytics",
        "analytics",
        "Web analytics",
        ("Clickspoor", "Statlens", "Visitrix"),
        ("marketing", "data"),
        False,
    ),
    "erp": ("erp", "erp", "ERP finance", ("Grootboek Systems", "Ledgerline ERP"), ("finance", "it"), False),
    "dwh": ("data_warehouse", "dwh", "Customer data warehouse", ("Polar Data Cloud", "Datafjord"), ("data",), False),
    "rdwh": ("data_warehouse", "dwh", "Regional data warehouse", ("Datafjord", "Warehouse Works"), ("data",), False),
    "lake": ("data_warehouse", "lake", "Data lake", ("Polar Data Cloud",), ("data", "it"), False),
    "cdp": ("cdp", "cdp", "Customer data platform", ("Segmentum", "Unifyr CDP"), ("data", "marketing"), False),
    "consent": ("other", "consent-hub", "Consent management platform", ("Permisso", "OptMatrix"), ("legal",), True),
    "appointments": (
        "other",
        "appointments",
        "Store appointment booking",
        ("Afspraakly", "Bookwise"),
        ("operations",),
        True,
    ),
    "returns": ("other", "returns", "Returns portal", ("Retourly", "Backflow"), ("operations",), True),
    "events": ("other", "events", "Event ticketing", ("Ticketlab",), ("marketing",), True),
    # planted
    "island": ("web_analytics", "analytics", "Web analytics", ("Clickspoor",), ("marketing",), False),
    "abtest": ("web_analytics", "abtest", "A/B testing tool", ("Splitwise Labs",), ("marketing",), False),
    "heatmaps": ("web_analytics", "heatmaps", "Heat map and session recording", ("Scrollmap",), ("marketing",), False),
    "legacy": ("loyalty", "legacy-club", "Old loyalty database", ("in-house (2009)",), ("marketing",), False),
    "survey": ("other", "survey", "Customer survey tool", ("Enquetix", "Pulsebox"), ("service",), False),
    "reviews": ("other", "reviews", "Product reviews platform", ("Reviewly",), ("marketing",), False),
}
_HUBS = ("dwh", "rdwh", "lake", "cdp")
_GROUP_TYPES = {
    "small": ("dwh",),
    "medium": ("dwh", "cdp", "crmb2b", "erp"),
    "enterprise": ("dwh", "cdp", "crmb2b", "erp"),
}
_MARKET_TYPES = {
    "small": ("webshop", "pos", "mailing", "servicedesk", "crm"),
    "medium": ("webshop", "pos", "mailing", "servicedesk", "club", "analytics"),
    "enterprise": (
        "webshop",
        "pos",
        "mailing",
        "servicedesk",
        "club",
        "analytics",
        "crm",
        "app",
        "appointments",
        "returns",
        "chat",
        "events",
        "smsgw",
    ),
}
_PLANTED_SYSTEMS = {
    "small": (("island", "identity-island"), ("survey", "no-identifier")),
    "medium": (("abtest", "identity-island"), ("survey", "no-identifier")),
    "enterprise": (
        ("abtest", "identity-island"),
        ("heatmaps", "identity-island"),
        ("legacy", "identity-island"),
        ("survey", "no-identifier"),
        ("reviews", "no-identifier"),
    ),
}
_EXTRA_TYPES = ("rdwh", "rdwh", "consent", "b2bportal", "lake", "printmail", "outlet")
_FALLBACK = {
    "club": ("club", "crm", "webshop"),
    "crm": ("crm", "club", "crmb2b", "servicedesk"),
    "crmb2b": ("crmb2b", "crm", "erp"),
    "erp": ("erp", "crmb2b", "crm"),
    "app": ("app", "webshop"),
    "outlet": ("outlet", "webshop"),
    "chat": ("chat", "servicedesk"),
    "smsgw": ("smsgw", "mailing"),
    "printmail": ("printmail", "mailing"),
    "appointments": ("appointments", "crm", "servicedesk"),
    "returns": ("returns", "webshop"),
    "events": ("events", "mailing"),
    "cdp": ("cdp", "dwh"),
    "consent": ("consent", "webshop"),
    "analytics": ("analytics", "webshop"),
    "b2bportal": ("b2bportal", "crmb2b", "crm"),
}
#: Field-name prefix per entity, for operational systems.
_OBJECTS = {
    "customer": "Customer",
    "identifier": "Customer",
    "contact_point": "Contact",
    "address": "Address",
    "household": "Household",
    "consent": "Consent",
    "preference": "Preference",
    "order": "CustomerStats",
    "interaction": "Activity",
    "organization": "Account",
}
_TABLES = {
    "customer": "dim_customer",
    "identifier": "dim_customer",
    "contact_point": "dim_contact",
    "address": "dim_address",
    "household": "dim_household",
    "consent": "dim_consent",
    "preference": "dim_preference",
    "order": "fct_customer_orders",
    "interaction": "fct_customer_activity",
    "organization": "dim_organization",
}
_ENTITY_ORDER = (
    "identifier",
    "customer",
    "contact_point",
    "address",
    "household",
    "consent",
    "preference",
    "order",
    "interaction",
    "organization",
)
_ENTITY_OWNER = {
    "identifier": "it",
    "customer": "marketing",
    "contact_point": "marketing",
    "address": "sales",
    "household": "data",
    "consent": "legal",
    "preference": "marketing",
    "order": "data",
    "interaction": "service",
    "organization": "sales",
}
_PURPOSES = {
    "identifier": "Links the customer's records across systems.",
    "customer": "Selects the audience or personalises the contact.",
    "contact_point": "To reach the customer.",
    "address": "For deliveries, letters and the nearest store.",
    "household": "Tailors the offer to the home situation.",
    "consent": "Only customers who agreed may be included.",
    "preference": "Matches the offer to what the customer prefers.",
    "order": "Selects and ranks customers by what and where they buy.",
    "interaction": "Shows what happened in earlier contacts.",
    "organization": "Identifies the business customer and its terms.",
}
_B2B = frozenset(("crm_account_id", "erp_customer_number", "work_email", "kvk_number", "duns_number"))
_CAPTURE_FN = {
    "web": "sales",
    "app": "sales",
    "email": "marketing",
    "sms": "marketing",
    "store": "operations",
    "call_center": "service",
    "field_sales": "sales",
    "post": "marketing",
}
_NEEDS_MODE = {"small": 8, "medium": 12, "enterprise": 13}
_CATEGORIES = (
    ("sofas", "sofas"),
    ("beds", "beds"),
    ("tables", "tables"),
    ("chairs", "chairs"),
    ("storage", "storage"),
    ("kitchen", "kitchen"),
    ("dining", "dining"),
    ("textiles", "textiles"),
    ("bedding", "bedding"),
    ("curtains", "curtains"),
    ("rugs", "rugs"),
    ("lighting", "lighting"),
    ("decoration", "decoration"),
    ("garden", "garden"),
    ("bathroom", "bathroom"),
    ("kids", "kids"),
    ("office", "home office"),
    ("plants", "plants"),
    ("candles", "candles"),
    ("outdoor", "outdoor"),
)


@dataclass(slots=True)
class _ASpec:
    """An attribute before it is placed: what it is and where it comes from."""

    id: str
    name: str
    entity: str
    type: str
    definition: str
    sens: str = "none"
    ident: bool = False
    values: tuple[str, ...] = ()
    syn: tuple[str, ...] = ()
    origin: tuple[str, ...] = ("dwh",)
    copies: tuple[str, ...] = ()
    pop: float = 1.0
    small: bool = False
    special: str = ""  # missing | island | legacy | survey | reviews
    cat: str = ""
    core: bool = True


def _core_attributes() -> list[_ASpec]:
    A = _ASpec
    return [
        # identifiers
        A(
            "customer_id",
            "Customer number",
            "identifier",
            "id",
            "The number the web shop gives a customer when an online account is created; most systems copy it "
            "as their link to the web shop.",
            "personal",
            True,
            syn=("shop customer id", "account number"),
            origin=("webshop",),
            copies=("app", "mailing", "servicedesk", "club", "crm", "returns", "outlet"),
            pop=28,
            small=True,
        ),
        A(
            "loyalty_number",
            "Loyalty card number",
            "identifier",
            "id",
            "The number printed on the loyalty card and shown in the app; one per member.",
            "personal",
            True,
            syn=("club card", "member number"),
            origin=("club",),
            copies=("pos", "webshop", "app", "mailing", "crm"),
            pop=18,
            small=True,
        ),
        A(
            "crm_account_id",
            "Business account id",
            "identifier",
            "id",
            "The id of a business account in the B2B sales CRM.",
            ident=True,
            origin=("crmb2b",),
            copies=("erp", "b2bportal"),
            pop=4,
            small=True,
        ),
        A(
            "service_contact_id",
            "Service contact id",
            "identifier",
            "id",
            "The id the service desk gives a caller or writer the first time they get in touch.",
            "personal",
            True,
            origin=("servicedesk",),
            copies=("chat",),
            pop=4,
            small=True,
        ),
        A(
            "web_visitor_id",
            "Web visitor id",
            "identifier",
            "id",
            "The cookie id web analytics gives a browser on its first visit; it changes when cookies are cleared.",
            "personal",
            True,
            syn=("client id", "cookie id"),
            pop=1,
            small=True,
            special="island",
        ),
        A(
            "erp_customer_number",
            "Debtor number",
            "identifier",
            "id",
            "The number under which finance invoices a customer and follows up payments.",
            "personal",
            True,
            syn=("debtor number",),
            origin=("erp",),
            copies=("crmb2b", "b2bportal"),
            pop=5,
        ),
        A(
            "app_device_id",
            "App installation id",
            "identifier",
            "id",
            "The id of one installation of the shopping app on one device.",
            "personal",
            True,
            origin=("app",),
            copies=("mailing",),
            pop=3,
        ),
        A(
            "cdp_profile_id",
            "Unified profile id",
            "identifier",
            "id",
            "The id of the merged customer profile in the customer data platform.",
            ident=True,
            origin=("cdp",),
            copies=("mailing",),
            pop=3,
        ),
        A(
            "legacy_member_number",
            "Old member number",
            "identifier",
            "id",
            "The member number of the loyalty programme before the 2015 relaunch.",
            "personal",
            True,
            pop=1,
            special="legacy",
        ),
        # customer
        A(
            "first_name",
            "First name",
            "customer",
            "string",
            "The first name the customer wants to be addressed by.",
            "personal",
            origin=("webshop",),
            copies=("pos", "mailing", "servicedesk", "club", "crm", "app"),
            pop=35,
            small=True,
        ),
        A(
            "last_name",
            "Last name",
            "customer",
            "string",
            "The customer's family name, including prefixes such as van or de.",
            "personal",
            origin=("webshop",),
            copies=("servicedesk", "club", "crm"),
            pop=12,
            small=True,
        ),
        A(
            "date_of_birth",
            "Date of birth",
            "customer",
            "date",
            "The customer's date of birth as given by the customer; optional when joining the club.",
            "personal",
            syn=("birthday",),
            origin=("club",),
            copies=("mailing",),
            pop=5,
            small=True,
        ),
        A(
            "gender",
            "Gender",
            "customer",
            "enum",
            "The gender the customer chose when signing up; used in the past for the salutation of letters.",
            "personal",
            values=("female", "male", "non_binary", "unknown"),
            origin=("webshop",),
            pop=1,
            small=True,
        ),
        A(
            "customer_since",
            "Customer since",
            "customer",
            "date",
            "The date from which the company counts someone as a customer.",
            origin=("webshop",),
            copies=("club",),
            pop=3,
            small=True,
        ),
        A(
            "customer_segment",
            "Customer segment",
            "customer",
            "enum",
            "The lifecycle segment a customer is in, recalculated every week from purchases in all channels.",
            values=("new", "active", "lapsing", "lapsed", "vip"),
            origin=("dwh",),
            copies=("mailing",),
            pop=9,
            small=True,
        ),
        A(
            "churn_score",
            "Churn risk score",
            "customer",
            "decimal",
            "The modelled chance (0 to 1) that a customer buys nothing in the next six months.",
            "personal",
            origin=("dwh",),
            copies=("mailing",),
            pop=5,
            small=True,
        ),
        A(
            "lifetime_value",
            "Customer lifetime value",
            "customer",
            "money",
            "The expected margin of a customer over the next three years, in euros.",
            "personal",
            syn=("CLV",),
            origin=("dwh",),
            copies=("servicedesk",),
            pop=6,
            small=True,
        ),
        A(
            "loyalty_tier",
            "Loyalty tier",
            "customer",
            "enum",
            "The tier of the member in the loyalty programme.",
            values=("member", "silver", "gold"),
            origin=("club",),
            copies=("pos", "mailing", "servicedesk", "app"),
            pop=9,
            small=True,
        ),
        A(
            "points_balance",
            "Points balance",
            "customer",
            "integer",
            "Loyalty points the member can spend today.",
            origin=("club",),
            copies=("pos", "app"),
            pop=4,
            small=True,
        ),
        A(
            "salutation",
            "Salutation",
            "customer",
            "enum",
            "How letters and e-mails address the customer.",
            values=("mr", "ms", "mx", "none"),
            origin=("webshop",),
            copies=("mailing",),
            pop=2,
        ),
        A(
            "customer_status",
            "Customer status",
            "customer",
            "enum",
            "Whether the customer relationship is active, inactive or blocked.",
            values=("active", "inactive", "blocked"),
            origin=("webshop",),
            pop=3,
        ),
        A(
            "is_employee",
            "Employee",
            "customer",
            "boolean",
            "The customer is an employee and gets staff discount.",
            origin=("erp",),
            pop=1,
        ),
        # contact points
        A(
            "email",
            "E-mail address",
            "contact_point",
            "email",
            "The address the customer agreed to be contacted on.",
            "personal",
            True,
            syn=("e-mail", "mail"),
            origin=("webshop",),
            copies=("pos", "mailing", "servicedesk", "club", "crm", "app", "returns", "appointments", "events"),
            pop=45,
            small=True,
        ),
        A(
            "mobile_phone",
            "Mobile phone number",
            "contact_point",
            "phone",
            "The mobile number the customer gave, in international format.",
            "personal",
            True,
            syn=("phone", "GSM"),
            origin=("webshop",),
            copies=("servicedesk", "mailing", "smsgw", "appointments", "club"),
            pop=12,
            small=True,
        ),
        A(
            "push_token",
            "App push token",
            "contact_point",
            "string",
            "The token that lets the app send push notifications to one device.",
            "personal",
            origin=("app",),
            copies=("mailing",),
            pop=3,
            small=True,
        ),
        A(
            "email_verified",
            "E-mail address verified",
            "contact_point",
            "boolean",
            "The customer clicked the confirmation link sent to the address.",
            origin=("mailing",),
            pop=2,
            small=True,
        ),
        A(
            "landline_phone",
            "Landline phone number",
            "contact_point",
            "phone",
            "A fixed-line number, if given.",
            "personal",
            origin=("webshop",),
            copies=("servicedesk",),
            pop=1,
        ),
        A(
            "email_bounced",
            "E-mail bounces",
            "contact_point",
            "boolean",
            "The last message to the address bounced permanently.",
            origin=("mailing",),
            pop=2,
        ),
        A(
            "work_email",
            "Work e-mail address",
            "contact_point",
            "email",
            "E-mail address at the customer's employer.",
            "personal",
            origin=("crmb2b",),
            pop=1,
        ),
        # address
        A(
            "street_address",
            "Street and house number",
            "address",
            "string",
            "Street and house number of the customer's home address.",
            "personal",
            origin=("webshop",),
            copies=("erp", "servicedesk", "printmail", "crm"),
            pop=5,
            small=True,
        ),
        A(
            "postal_code",
            "Postal code",
            "address",
            "string",
            "Postal code of the home address.",
            "personal",
            origin=("webshop",),
            copies=("erp", "mailing", "servicedesk", "club", "printmail"),
            pop=8,
            small=True,
        ),
        A(
            "city",
            "City",
            "address",
            "string",
            "City of the home address.",
            "personal",
            origin=("webshop",),
            copies=("erp", "servicedesk", "printmail"),
            pop=4,
            small=True,
        ),
        A(
            "country",
            "Country",
            "address",
            "country",
            "Country of the home address (ISO code).",
            origin=("webshop",),
            copies=("erp", "mailing", "servicedesk"),
            pop=5,
            small=True,
        ),
        A(
            "region",
            "Region",
            "address",
            "string",
            "Province or state of the home address.",
            origin=("webshop",),
            pop=1,
        ),
        A(
            "address_validated",
            "Address validated",
            "address",
            "boolean",
            "The address was checked against the postal register.",
            origin=("webshop",),
            pop=1,
        ),
        # household
        A(
            "household_size",
            "Household size",
            "household",
            "integer",
            "Number of people living in the customer's household.",
            "personal",
            origin=("dwh",),
            pop=2,
            small=True,
        ),
        A(
            "moving_date",
            "Expected moving date",
            "household",
            "date",
            "The date the customer expects to move house.",
            "personal",
            pop=1,
            small=True,
            special="missing",
        ),
        A(
            "household_id",
            "Household id",
            "household",
            "id",
            "The id the warehouse gives to people living at the same address.",
            "personal",
            origin=("dwh",),
            pop=2,
        ),
        A(
            "children_count",
            "Children in the household",
            "household",
            "integer",
            "Number of children living in the household.",
            "sensitive",
            origin=("club",),
            pop=1,
        ),
        A(
            "home_type",
            "Home type",
            "household",
            "enum",
            "The kind of home the customer lives in.",
            values=("apartment", "terraced", "semi_detached", "detached", "other"),
            origin=("club",),
            pop=1,
        ),
        A(
            "income_band",
            "Income band",
            "household",
            "enum",
            "Estimated household income band.",
            "sensitive",
            values=("low", "middle", "high"),
            origin=("dwh",),
            pop=1,
        ),
        # consent
        A(
            "email_optin",
            "Newsletter consent",
            "consent",
            "boolean",
            "The customer agreed to receive commercial e-mail.",
            "personal",
            syn=("opt-in", "subscribed"),
            origin=("consent", "webshop"),
            copies=("mailing", "club", "servicedesk", "app"),
            pop=28,
            small=True,
        ),
        A(
            "sms_optin",
            "SMS consent",
            "consent",
            "boolean",
            "The customer agreed to receive commercial text messages.",
            "personal",
            origin=("consent", "webshop"),
            copies=("mailing", "smsgw"),
            pop=5,
            small=True,
        ),
        A(
            "profiling_consent",
            "Personalisation consent",
            "consent",
            "boolean",
            "The customer agreed that purchases and behaviour are used to personalise offers.",
            "personal",
            origin=("consent", "club"),
            copies=("mailing", "pos", "app"),
            pop=7,
            small=True,
        ),
        A(
            "consent_timestamp",
            "Consent given at",
            "consent",
            "datetime",
            "Date and time at which the customer last gave or withdrew a consent.",
            "personal",
            pop=1,
            small=True,
            special="missing",
        ),
        A(
            "consent_source",
            "Consent source",
            "consent",
            "enum",
            "Where the last consent change was made.",
            values=("web", "app", "store", "call_center", "import"),
            origin=("consent", "webshop"),
            pop=2,
            small=True,
        ),
        A(
            "post_optin",
            "Direct mail consent",
            "consent",
            "boolean",
            "The customer agreed to receive printed offers by post.",
            "personal",
            origin=("consent", "webshop"),
            copies=("printmail",),
            pop=2,
        ),
        A(
            "push_optin",
            "Push notification consent",
            "consent",
            "boolean",
            "The customer allowed commercial push notifications in the app.",
            "personal",
            origin=("consent", "app"),
            copies=("mailing",),
            pop=2,
        ),
        A(
            "third_party_consent",
            "Partner data sharing consent",
            "consent",
            "boolean",
            "The customer agreed that data is shared with advertising partners.",
            "personal",
            origin=("consent", "webshop"),
            pop=1,
        ),
        A(
            "privacy_policy_version",
            "Privacy policy version",
            "consent",
            "string",
            "The version of the privacy statement the customer last accepted.",
            origin=("consent", "webshop"),
            pop=1,
        ),
        # preferences
        A(
            "preferred_language",
            "Preferred language",
            "preference",
            "enum",
            "The language the customer wants to be addressed in.",
            values=("nl", "fr", "de", "en", "da", "es"),
            origin=("webshop",),
            copies=("mailing", "servicedesk", "club", "app"),
            pop=10,
            small=True,
        ),
        A(
            "preferred_store",
            "Home store",
            "preference",
            "string",
            "The store the customer visits most or chose.",
            origin=("club",),
            copies=("pos", "mailing", "appointments"),
            pop=5,
            small=True,
        ),
        A(
            "style_preference",
            "Interior style",
            "preference",
            "enum",
            "The interior style the customer picked in the style quiz.",
            values=("scandinavian", "industrial", "classic", "botanical", "modern"),
            origin=("club",),
            copies=("pos", "mailing"),
            pop=4,
            small=True,
        ),
        A(
            "favourite_categories",
            "Favourite categories",
            "preference",
            "text",
            "The product categories the customer buys or browses most, recalculated weekly.",
            "personal",
            origin=("dwh",),
            copies=("mailing",),
            pop=5,
            small=True,
        ),
        A(
            "preferred_channel",
            "Preferred contact channel",
            "preference",
            "enum",
            "The channel the customer prefers for service messages.",
            values=("email", "sms", "app", "post", "phone"),
            origin=("club",),
            pop=2,
        ),
        A(
            "contact_frequency",
            "Contact frequency",
            "preference",
            "enum",
            "How often the customer wants to hear from us.",
            values=("weekly", "monthly", "quarterly"),
            origin=("webshop",),
            pop=1,
        ),
        # orders
        A(
            "last_order_date",
            "Last order date",
            "order",
            "date",
            "Date of the customer's last purchase in any channel.",
            origin=("dwh",),
            copies=("servicedesk", "mailing", "crm"),
            pop=9,
            small=True,
        ),
        A(
            "order_count_12m",
            "Orders in the last 12 months",
            "order",
            "integer",
            "Number of orders in all channels in the last 12 months.",
            origin=("dwh",),
            pop=4,
            small=True,
        ),
        A(
            "total_spend_12m",
            "Spend in the last 12 months",
            "order",
            "money",
            "Amount spent in all channels in the last 12 months, in euros including VAT, after returns.",
            "personal",
            origin=("dwh",),
            copies=("servicedesk",),
            pop=6,
            small=True,
        ),
        A(
            "open_order_status",
            "Status of open orders",
            "order",
            "enum",
            "Where the customer's open orders are in the fulfilment process.",
            values=("received", "picking", "ready_for_pickup", "shipped", "delivered", "cancelled"),
            origin=("webshop",),
            copies=("servicedesk", "chat", "app", "returns"),
            pop=4,
            small=True,
        ),
        A(
            "cart_items",
            "Shopping cart contents",
            "order",
            "text",
            "Products in the customer's online cart.",
            "personal",
            origin=("webshop",),
            pop=2,
            small=True,
        ),
        A(
            "wishlist_items",
            "Wish list",
            "order",
            "text",
            "Products the customer saved for later.",
            "personal",
            origin=("webshop",),
            copies=("app",),
            pop=2,
            small=True,
        ),
        A(
            "last_store_visit",
            "Last store visit",
            "order",
            "date",
            "Date of the last purchase in a store.",
            origin=("pos",),
            copies=("club",),
            pop=3,
            small=True,
        ),
        A(
            "first_order_date",
            "First order date",
            "order",
            "date",
            "Date of the customer's first purchase.",
            origin=("dwh",),
            pop=2,
        ),
        A(
            "average_basket_value",
            "Average basket value",
            "order",
            "money",
            "Average order value over the customer's lifetime, in euros.",
            "personal",
            origin=("dwh",),
            pop=2,
        ),
        A(
            "return_rate_12m",
            "Return rate",
            "order",
            "decimal",
            "Share of items returned in the last 12 months.",
            origin=("dwh",),
            pop=2,
        ),
        A(
            "preferred_payment_method",
            "Preferred payment method",
            "order",
            "enum",
            "The payment method the customer used most.",
            values=("card", "ideal", "bancontact", "invoice", "paypal"),
            origin=("webshop",),
            pop=1,
        ),
        # interactions
        A(
            "last_contact_reason",
            "Last contact reason",
            "interaction",
            "string",
            "Why the customer last contacted customer service.",
            origin=("servicedesk",),
            pop=2,
            small=True,
        ),
        A(
            "open_ticket_count",
            "Open service tickets",
            "interaction",
            "integer",
            "Number of service tickets still open for the customer.",
            origin=("servicedesk",),
            pop=3,
            small=True,
        ),
        A(
            "nps_score",
            "Net promoter score",
            "interaction",
            "integer",
            "The customer's answer (0 to 10) to the last recommendation survey.",
            pop=3,
            small=True,
            special="survey",
        ),
        A(
            "nps_comment",
            "Survey comment",
            "interaction",
            "text",
            "What the customer wrote in the last survey, in their own words.",
            "sensitive",
            pop=1,
            small=True,
            special="survey",
        ),
        A(
            "last_web_visit",
            "Last web visit",
            "interaction",
            "datetime",
            "When the customer was last seen logged in on the web shop.",
            "personal",
            origin=("analytics",),
            pop=2,
            small=True,
        ),
        A(
            "browsed_categories",
            "Recently browsed categories",
            "interaction",
            "text",
            "Product categories viewed in the last 30 days, by cookie.",
            "personal",
            pop=1,
            small=True,
            special="island",
        ),
        A(
            "email_open_rate_90d",
            "E-mail open rate",
            "interaction",
            "decimal",
            "Share of commercial e-mails opened in the last 90 days.",
            origin=("mailing",),
            pop=3,
        ),
        A(
            "csat_last_contact",
            "Satisfaction with last contact",
            "interaction",
            "integer",
            "Score (1 to 5) the customer gave after the last service contact.",
            origin=("servicedesk",),
            pop=2,
        ),
        A(
            "complaint_count_12m",
            "Complaints in the last 12 months",
            "interaction",
            "integer",
            "Number of complaints registered in the last 12 months.",
            origin=("servicedesk",),
            pop=2,
        ),
        A(
            "ab_test_variant",
            "A/B test variant",
            "interaction",
            "string",
            "The experiment variant the browser was last shown.",
            pop=1,
            special="island",
        ),
        A(
            "legacy_points_balance",
            "Old points balance",
            "customer",
            "integer",
            "Points left from the loyalty programme before the relaunch.",
            pop=1,
            special="legacy",
        ),
        A(
            "review_rating_avg",
            "Average review rating",
            "interaction",
            "decimal",
            "Average star rating of the product reviews the customer wrote.",
            pop=1,
            special="reviews",
        ),
        A(
            "review_count",
            "Reviews written",
            "interaction",
            "integer",
            "Number of product reviews the customer wrote.",
            pop=1,
            special="reviews",
        ),
        # organisation
        A(
            "company_name",
            "Company name",
            "organization",
            "string",
            "Registered name of the business customer.",
            origin=("crmb2b",),
            copies=("erp", "b2bportal"),
            pop=4,
            small=True,
        ),
        A(
            "kvk_number",
            "Chamber of Commerce number",
            "organization",
            "string",
            "Registration number of the business in the trade register.",
            ident=True,
            syn=("KvK", "CoC number"),
            origin=("crmb2b",),
            copies=("erp",),
            pop=3,
            small=True,
        ),
        A(
            "account_manager",
            "Account manager",
            "organization",
            "string",
            "The employee responsible for the business account.",
            origin=("crmb2b",),
            pop=2,
            small=True,
        ),
        A(
            "vat_number",
            "VAT number",
            "organization",
            "string",
            "VAT identification number of the business.",
            origin=("crmb2b",),
            copies=("erp",),
            pop=2,
        ),
        A(
            "credit_limit",
            "Credit limit",
            "organization",
            "money",
            "The amount a business customer may have outstanding on invoice.",
            origin=("erp",),
            pop=2,
        ),
        A(
            "payment_terms",
            "Payment terms",
            "organization",
            "enum",
            "The payment term agreed with a business customer.",
            values=("prepaid", "net14", "net30", "net60"),
            origin=("erp",),
            pop=2,
        ),
        A(
            "industry_code",
            "Industry",
            "organization",
            "string",
            "Industry classification code of the business.",
            origin=("crmb2b",),
            pop=1,
        ),
        A(
            "duns_number",
            "D-U-N-S number",
            "organization",
            "string",
            "The business's D-U-N-S number.",
            ident=True,
            origin=("erp",),
            pop=1,
        ),
    ]


def _long_tail(rng: random.Random) -> tuple[list[_ASpec], list[_ASpec]]:
    """Templated warehouse features: (not order metrics, order metrics)."""
    other: list[_ASpec] = []
    orders: list[_ASpec] = []
    A = _ASpec
    windows = (
        ("30d", "in the last 30 days", "last 30 days"),
        ("90d", "in the last 90 days", "last 90 days"),
        ("12m", "in the last 12 months", "last 12 months"),
        ("24m", "in the last 24 months", "last 24 months"),
    )
    chans = (
        ("", "", ""),
        ("web", " in the web shop", "web shop"),
        ("app", " in the app", "app"),
        ("store", " in stores", "stores"),
    )
    cats = (("", ""),) + _CATEGORIES
    metrics = (
        ("order_count", "Orders", "integer", "none", "Number of orders the customer placed{c}{ch} {w}."),
        (
            "spend",
            "Spend",
            "money",
            "personal",
            "Amount the customer spent{c}{ch} {w}, in euros including VAT, after returns.",
        ),
        ("avg_basket", "Average basket", "money", "personal", "Average order value{c}{ch} {w}, in euros."),
        ("return_count", "Returns", "integer", "none", "Number of items the customer returned{c}{ch} {w}."),
        (
            "discount_share",
            "Share bought on discount",
            "decimal",
            "none",
            "Share (0 to 1) of the customer's spend{c}{ch} {w} that was on discounted items.",
        ),
        (
            "margin",
            "Gross margin",
            "money",
            "personal",
            "Gross margin on the customer's purchases{c}{ch} {w}, in euros.",
        ),
    )
    for cslug, cname in cats:
        ctext = f" on {cname} products" if cslug else ""
        for chslug, chtext, chname in chans:
            for mid, mname, mtype, msens, mdef in metrics:
                for wslug, wtext, wname in windows:
                    aid = "_".join(p for p in (mid, wslug, chslug, cslug) if p)
                    name = ", ".join(p for p in (mname, cname, chname, wname) if p)
                    orders.append(
                        A(
                            aid,
                            name[0].upper() + name[1:],
                            "order",
                            mtype,
                            mdef.format(c=ctext, ch=chtext, w=wtext),
                            msens,
                            cat=cslug,
                            core=False,
                            pop=3.0 if rng.random() < 0.03 else 0.3,
                        )
                    )
            aid = "_".join(p for p in ("last_purchase", chslug, cslug) if p)
            name = ", ".join(p for p in ("Last purchase date", cname, chname) if p)
            orders.append(
                A(
                    aid,
                    name,
                    "order",
                    "date",
                    f"Date of the customer's last purchase{ctext}{chtext}.",
                    cat=cslug,
                    core=False,
                    pop=0.3,
                )
            )
    # engagement per channel
    events = (
        ("email", "opens", "E-mail opens", "mailing"),
        ("email", "clicks", "E-mail clicks", "mailing"),
        ("email", "bounces", "E-mail bounces", "mailing"),
        ("email", "unsubscribes", "Unsubscribes", "mailing"),
        ("sms", "clicks", "SMS link clicks", "smsgw"),
        ("sms", "replies", "SMS replies", "smsgw"),
        ("app", "sessions", "App sessions", "app"),
        ("app", "push_opens", "Push notifications opened", "app"),
        ("app", "product_views", "Product views in the app", "app"),
        ("web", "visits", "Web visits", "analytics"),
        ("web", "product_views", "Product views on the web", "analytics"),
        ("web", "searches", "Site searches", "analytics"),
        ("web", "cart_adds", "Add-to-cart events", "analytics"),
        ("store", "visits", "Store visits with card", "pos"),
        ("call_center", "calls", "Calls to service", "servicedesk"),
        ("chat", "conversations", "Chat conversations", "chat"),
        ("social", "engagements", "Social ad engagements", "mailing"),
    )
    ewin = windows + (("7d", "in the last 7 days", "last 7 days"),)
    for ch, ev, ename, origin in events:
        for wslug, wtext, wname in ewin:
            pfx = "" if ev.startswith(ch) else f"{ch}_"
            other.append(
                A(
                    f"{pfx}{ev}_{wslug}",
                    f"{ename}, {wname}",
                    "interaction",
                    "integer",
                    f"{ename} by the customer {wtext}.",
                    origin=(origin, "dwh"),
                    core=False,
                    pop=0.4,
                )
            )
    for ch, chname, origin in (
        ("email", "e-mail", "mailing"),
        ("sms", "SMS", "smsgw"),
        ("app", "app", "app"),
        ("web", "web shop", "analytics"),
        ("store", "store", "pos"),
        ("call_center", "phone", "servicedesk"),
        ("chat", "chat", "chat"),
        ("post", "post", "printmail"),
    ):
        other.append(
            A(
                f"last_{ch}_interaction",
                f"Last {chname} interaction",
                "interaction",
                "datetime",
                f"When the customer last interacted with us by {chname}.",
                "personal",
                origin=(origin, "dwh"),
                core=False,
                pop=0.5,
            )
        )
    reasons = (
        "delivery",
        "returns",
        "complaint",
        "product_question",
        "invoice",
        "assembly",
        "warranty",
        "account",
        "payment",
        "damage",
    )
    for r in reasons:
        rn = r.replace("_", " ")
        other.append(
            A(
                f"tickets_12m_{r}",
                f"Tickets about {rn}, last 12 months",
                "interaction",
                "integer",
                f"Number of service tickets with reason {rn} in the last 12 months.",
                origin=("servicedesk",),
                core=False,
                pop=0.4,
            )
        )
        other.append(
            A(
                f"last_ticket_{r}_date",
                f"Last ticket about {rn}",
                "interaction",
                "date",
                f"Date of the last service ticket with reason {rn}.",
                origin=("servicedesk",),
                core=False,
                pop=0.3,
            )
        )
    for cslug, cname in _CATEGORIES:
        for kind, kname, kdef in (
            ("product_views", "Product views", "Views of {c} product pages"),
            ("searches", "Searches", "Site searches for {c}"),
            ("cart_adds", "Add-to-cart events", "{c} products added to the cart"),
        ):
            for wslug, wtext, wname in (ewin[-1],) + windows[:2]:
                other.append(
                    A(
                        f"{kind}_{wslug}_{cslug}",
                        f"{kname}, {cname}, {wname}",
                        "interaction",
                        "integer",
                        kdef.format(c=cname).capitalize() + f" by the logged-in customer {wtext}.",
                        origin=("analytics", "dwh"),
                        cat=cslug,
                        core=False,
                        pop=0.3,
                    )
                )
        other.append(
            A(
                f"first_purchase_{cslug}",
                f"First purchase date, {cname}",
                "order",
                "date",
                f"Date of the customer's first purchase of {cname} products.",
                origin=("dwh",),
                cat=cslug,
                core=False,
                pop=0.3,
            )
        )
    topics = (
        "new_collection",
        "promotions",
        "events",
        "inspiration",
        "sustainability",
        "workshops",
        "kids",
        "outdoor_living",
        "home_office",
        "sale",
        "recipes",
        "diy",
        "gift_ideas",
        "design_classics",
        "small_spaces",
        "pets",
    )
    for t in topics:
        tn = t.replace("_", " ")
        for w in ("90d", "12m"):
            span = f"last {w[:-1]} {'days' if w.endswith('d') else 'months'}"
            for ev in ("clicks", "opens"):
                other.append(
                    A(
                        f"email_{ev}_{w}_{t}",
                        f"E-mail {ev} on {tn}, {span}",
                        "interaction",
                        "integer",
                        f"{ev.capitalize()} of e-mails about {tn}, {span}.",
                        origin=("mailing", "dwh"),
                        core=False,
                        pop=0.3,
                    )
                )
        other.append(
            A(
                f"interest_{t}",
                f"Interested in {tn}",
                "preference",
                "boolean",
                f"The customer ticked {tn} as a topic of interest in the preference centre.",
                origin=("club", "webshop"),
                core=False,
                pop=0.5,
            )
        )
    for cslug, cname in _CATEGORIES:
        other.append(
            A(
                f"preferred_colour_{cslug}",
                f"Preferred colours, {cname}",
                "preference",
                "string",
                f"Colours the customer chose or bought most for {cname}.",
                origin=("dwh",),
                cat=cslug,
                core=False,
                pop=0.3,
            )
        )
        other.append(
            A(
                f"budget_band_{cslug}",
                f"Budget band, {cname}",
                "preference",
                "enum",
                f"The price range the customer usually buys in for {cname}.",
                values=("low", "mid", "high"),
                origin=("dwh",),
                cat=cslug,
                core=False,
                pop=0.3,
            )
        )
        other.append(
            A(
                f"interest_{cslug}",
                f"Interested in {cname}",
                "preference",
                "boolean",
                f"The customer said to be interested in {cname} products.",
                origin=("club", "webshop"),
                cat=cslug,
                core=False,
                pop=0.4,
            )
        )
        for kind, kname, ktype, kdef in (
            (
                "propensity",
                "Purchase propensity",
                "decimal",
                "Modelled chance (0 to 1) that the customer buys {c} in the next 90 days.",
            ),
            ("affinity", "Affinity", "decimal", "How strongly (0 to 1) the customer's behaviour points to {c}."),
            (
                "next_purchase_days",
                "Expected days to next purchase",
                "integer",
                "Modelled number of days until the customer's next {c} purchase.",
            ),
            ("clv", "Lifetime value", "money", "Expected margin (euros) on {c} over the next three years."),
            ("churn_risk", "Lapse risk", "decimal", "Modelled chance (0 to 1) that the customer stops buying {c}."),
        ):
            other.append(
                A(
                    f"{kind}_{cslug}",
                    f"{kname}, {cname}",
                    "customer",
                    ktype,
                    kdef.format(c=cname),
                    "personal",
                    origin=("dwh",),
                    cat=cslug,
                    core=False,
                    pop=0.4,
                )
            )
    for sid, sname, stype, svals in (
        ("value_segment", "Value segment", "enum", ("low", "mid", "high", "top")),
        ("lifestage_segment", "Life stage", "enum", ("starter", "family", "empty_nester", "senior")),
        ("price_sensitivity", "Price sensitivity", "enum", ("low", "medium", "high")),
        ("rfm_score", "RFM score", "integer", ()),
        ("recency_score", "Recency score", "integer", ()),
        ("frequency_score", "Frequency score", "integer", ()),
        ("monetary_score", "Monetary score", "integer", ()),
        ("omnichannel_segment", "Channel mix segment", "enum", ("online_only", "store_only", "omnichannel")),
    ):
        other.append(
            A(
                sid,
                sname,
                "customer",
                stype,
                f"{sname} of the customer, computed weekly in the warehouse.",
                "personal",
                values=svals,
                origin=("dwh",),
                copies=("mailing",),
                core=False,
                pop=1.0,
            )
        )
    purposes = (
        ("marketing", "marketing"),
        ("profiling", "personalisation"),
        ("surveys", "surveys"),
        ("partner_offers", "partner offers"),
        ("research", "market research"),
    )
    for p, pn in purposes:
        for c, cn in (("email", "e-mail"), ("sms", "SMS"), ("post", "post"), ("push", "push"), ("phone", "phone")):
            other.append(
                A(
                    f"consent_{p}_{c}",
                    f"Consent for {pn} by {cn}",
                    "consent",
                    "boolean",
                    f"The customer agreed to be contacted by {cn} for {pn}.",
                    "personal",
                    origin=("consent", "webshop"),
                    core=False,
                    pop=0.5,
                )
            )
        other.append(
            A(
                f"consent_{p}_changed_at",
                f"Consent for {pn} changed at",
                "consent",
                "datetime",
                f"When the consent for {pn} was last given or withdrawn.",
                "personal",
                origin=("consent", "webshop"),
                core=False,
                pop=0.3,
            )
        )
    for k, kn, origin in (
        ("billing", "billing", "erp"),
        ("delivery", "delivery", "webshop"),
        ("work", "work", "crmb2b"),
        ("previous", "previous", "dwh"),
    ):
        for part, pname, ptype in (
            ("street", "street and house number", "string"),
            ("house_number", "house number", "string"),
            ("postal_code", "postal code", "string"),
            ("city", "city", "string"),
            ("region", "region", "string"),
            ("country", "country", "country"),
            ("validated", "validated", "boolean"),
            ("latitude", "latitude", "decimal"),
            ("longitude", "longitude", "decimal"),
        ):
            other.append(
                A(
                    f"{k}_{part}",
                    f"{kn.capitalize()} address {pname}",
                    "address",
                    ptype,
                    f"The {pname} of the customer's {kn} address.",
                    "personal" if part != "validated" else "none",
                    origin=(origin, "webshop"),
                    core=False,
                    pop=0.4,
                )
            )
    for aid, name, typ, d, origin in (
        ("secondary_email", "Second e-mail address", "email", "Another address the customer gave.", "webshop"),
        ("work_phone", "Work phone number", "phone", "Phone number at work.", "crmb2b"),
        ("whatsapp_number", "WhatsApp number", "phone", "Number the customer uses for WhatsApp service.", "chat"),
        ("phone_type", "Phone type", "string", "Mobile or landline, as detected.", "servicedesk"),
        ("email_domain_type", "E-mail domain type", "string", "Private, business or disposable address.", "dwh"),
        ("social_handle", "Social media handle", "string", "The customer's public handle on social media.", "mailing"),
        (
            "phone_verified",
            "Phone number verified",
            "boolean",
            "The customer confirmed the number by SMS code.",
            "webshop",
        ),
        (
            "email_hard_bounce_date",
            "E-mail hard bounce date",
            "date",
            "When the address last bounced permanently.",
            "mailing",
        ),
    ):
        other.append(
            A(
                aid,
                name,
                "contact_point",
                typ,
                d,
                "personal" if typ in ("email", "phone") else "none",
                origin=(origin,),
                core=False,
                pop=0.5,
            )
        )
    for aid, name, typ, d, sens, vals in (
        ("pets", "Pets in the household", "boolean", "The household has pets.", "personal", ()),
        ("has_garden", "Has a garden", "boolean", "The home has a garden or balcony.", "none", ()),
        ("home_size_m2", "Home size", "integer", "Floor area of the home in square metres.", "personal", ()),
        (
            "renovation_planned",
            "Renovation planned",
            "boolean",
            "The customer plans to renovate this year.",
            "personal",
            (),
        ),
        ("residence_type", "Residence type", "enum", "Owner-occupied or rented.", "personal", ("owner", "tenant")),
        ("children_age_bands", "Ages of children", "text", "Age bands of children in the household.", "sensitive", ()),
        ("urbanity", "Urbanity", "enum", "How urban the neighbourhood is.", "none", ("urban", "suburban", "rural")),
        ("number_of_rooms", "Number of rooms", "integer", "Rooms in the home.", "personal", ()),
        ("garden_size", "Garden size", "enum", "Size of the garden.", "none", ("none", "small", "large")),
        ("moved_in_date", "Moved in", "date", "When the household moved to the current address.", "personal", ()),
    ):
        other.append(A(aid, name, "household", typ, d, sens, values=vals, origin=("dwh",), core=False, pop=0.4))
    for metric, mname in (("revenue", "Revenue"), ("orders", "Orders"), ("quotes", "Quotes"), ("returns", "Returns")):
        for w, wn in (("90d", "last 90 days"), ("12m", "last 12 months"), ("24m", "last 24 months")):
            other.append(
                A(
                    f"b2b_{metric}_{w}",
                    f"Business {mname.lower()}, {wn}",
                    "organization",
                    "money" if metric == "revenue" else "integer",
                    f"{mname} of the business account over the {wn}.",
                    origin=("dwh",),
                    core=False,
                    pop=0.4,
                )
            )
    for aid, name, typ, d, origin, vals in (
        ("sector", "Sector", "string", "The sector the business works in.", "crmb2b", ()),
        (
            "employee_band",
            "Company size",
            "enum",
            "Number of employees, in bands.",
            "crmb2b",
            ("1-9", "10-49", "50-249", "250+"),
        ),
        ("number_of_locations", "Locations", "integer", "Number of sites the business furnishes.", "crmb2b", ()),
        ("contract_end_date", "Contract end date", "date", "End of the framework agreement.", "crmb2b", ()),
        (
            "framework_agreement",
            "Framework agreement",
            "boolean",
            "The business buys under a framework agreement.",
            "crmb2b",
            (),
        ),
        ("purchasing_contact", "Purchasing contact", "string", "Name of the buyer at the business.", "crmb2b", ()),
        ("invoice_email", "Invoice e-mail address", "email", "Where invoices are sent.", "erp", ()),
        (
            "po_required",
            "Purchase order required",
            "boolean",
            "Invoices must quote a purchase order number.",
            "erp",
            (),
        ),
        ("discount_group", "Discount group", "enum", "Price agreement group.", "erp", ("a", "b", "c")),
        ("sales_region", "Sales region", "string", "The sales region the account belongs to.", "crmb2b", ()),
        ("parent_company", "Parent company", "string", "The group the business belongs to.", "crmb2b", ()),
        ("preferred_delivery_window", "Delivery window", "string", "When deliveries are accepted.", "erp", ()),
        ("open_invoice_amount", "Open invoices", "money", "Amount invoiced and not yet paid.", "erp", ()),
        (
            "days_sales_outstanding",
            "Days sales outstanding",
            "integer",
            "Average days until invoices are paid.",
            "erp",
            (),
        ),
    ):
        other.append(A(aid, name, "organization", typ, d, values=vals, origin=(origin,), core=False, pop=0.4))
    return other, orders


# --------------------------------------------------------------------------- use case and process templates
@dataclass(frozen=True, slots=True)
class _UCT:
    key: str
    fn: str
    title: str
    desc: str
    channels: tuple[str, ...]
    exec: tuple[str, ...]
    base: tuple[tuple[str, str], ...]
    slots: tuple[str, ...]
    procs: tuple[str, ...] = ()
    scope: str = "market"  # market | group
    cats: bool = False
    value: tuple[int, int] = (2, 5)


M, S_, C = "must", "should", "could"
_UC_TEMPLATES: tuple[_UCT, ...] = (
    _UCT(
        "welcome-journey",
        "marketing",
        "Welcome journey for new loyalty members",
        "New members get a series of e-mails and app messages in the first month: the card in the app, the style "
        "quiz, the home store's events and a first-purchase voucher.",
        ("email", "app"),
        ("mailing",),
        (("email", M), ("first_name", M), ("email_optin", M), ("preferred_language", S_), ("push_token", C)),
        ("preference", "customer", "contact_point"),
        ("loyalty-signup",),
        value=(3, 5),
    ),
    _UCT(
        "cart-abandonment",
        "marketing",
        "Reminder for abandoned carts",
        "A logged-in customer who leaves products in the cart gets a reminder with those products within two hours.",
        ("email",),
        ("mailing", "webshop"),
        (("cart_items", M), ("email", M), ("email_optin", M), ("first_name", S_)),
        ("order", "interaction"),
        ("online-checkout",),
        value=(4, 5),
    ),
    _UCT(
        "nbo-in-store",
        "sales",
        "Next best offer at the till",
        "When a member's card is scanned the till shows the cashier one personal suggestion to mention.",
        ("store",),
        ("pos",),
        (("loyalty_number", M), ("style_preference", M), ("profiling_consent", M), ("loyalty_tier", S_)),
        ("order", "preference", "customer"),
        ("store-purchase",),
        cats=True,
        value=(3, 5),
    ),
    _UCT(
        "service-360",
        "service",
        "Customer view for service agents",
        "An agent who picks up a call, e-mail or chat sees in one screen who the customer is, what is on order and "
        "which tickets are open.",
        ("call_center", "chat", "email"),
        ("servicedesk",),
        (
            ("customer_id", M),
            ("email", M),
            ("mobile_phone", M),
            ("open_order_status", M),
            ("last_order_date", S_),
            ("loyalty_tier", C),
            ("open_ticket_count", S_),
        ),
        ("order", "interaction", "customer"),
        ("service-contact",),
        value=(4, 5),
    ),
    _UCT(
        "win-back",
        "marketing",
        "Win-back journey for lapsing customers",
        "Customers whose churn risk rises get a personal offer before they lapse.",
        ("email", "sms"),
        ("mailing",),
        (
            ("churn_score", M),
            ("email", M),
            ("email_optin", M),
            ("last_order_date", M),
            ("sms_optin", S_),
            ("mobile_phone", S_),
        ),
        ("order", "customer", "interaction"),
        cats=True,
        value=(3, 5),
    ),
    _UCT(
        "b2b-handover",
        "sales",
        "Handover of business accounts to inside sales",
        "Small business accounts move from field sales to the inside sales desk after the first order.",
        ("field_sales", "call_center"),
        ("crmb2b",),
        (
            ("company_name", M),
            ("kvk_number", M),
            ("crm_account_id", M),
            ("account_manager", M),
            ("credit_limit", S_),
            ("payment_terms", S_),
        ),
        ("organization",),
        ("b2b-onboarding",),
        scope="group",
    ),
    _UCT(
        "consent-management",
        "legal",
        "One consent register",
        "Every consent given or withdrawn in any channel is recorded once, with time and source, and honoured "
        "everywhere within an hour.",
        ("web", "app", "store", "call_center"),
        ("mailing", "cdp"),
        (
            ("email_optin", M),
            ("sms_optin", M),
            ("consent_timestamp", M),
            ("consent_source", S_),
            ("profiling_consent", M),
        ),
        ("consent",),
        ("preference-centre",),
        value=(4, 5),
    ),
    _UCT(
        "new-home-journey",
        "marketing",
        "Moving-house journey",
        "Customers who are about to move get inspiration and offers for the new home.",
        ("email", "post"),
        ("mailing",),
        (("moving_date", M), ("household_size", S_), ("street_address", M), ("email", M), ("email_optin", M)),
        ("household", "address"),
        value=(2, 4),
    ),
    _UCT(
        "click-collect-notify",
        "operations",
        "Click and collect ready messages",
        "The customer gets a message as soon as an online order is ready for pick-up in the store.",
        ("sms", "email"),
        ("webshop",),
        (("open_order_status", M), ("mobile_phone", M), ("email", S_)),
        ("order",),
        ("click-collect",),
        value=(2, 4),
    ),
    _UCT(
        "social-lookalike",
        "marketing",
        "Look-alike audiences for social ads",
        "The best customers are uploaded, hashed, to social platforms to find people like them.",
        ("social",),
        ("cdp", "mailing"),
        (("email", M), ("mobile_phone", S_), ("customer_segment", M), ("lifetime_value", S_)),
        ("customer", "order"),
        ("social-campaign",),
        value=(2, 4),
    ),
    _UCT(
        "points-liability",
        "finance",
        "Loyalty points liability reporting",
        "Finance reports the value of outstanding points every month.",
        (),
        ("erp", "dwh"),
        (("points_balance", M), ("loyalty_number", M)),
        ("customer",),
        scope="group",
        value=(2, 3),
    ),
    _UCT(
        "nps-followup",
        "cx",
        "Follow-up on detractor survey responses",
        "Customers who give a low recommendation score are called back within two working days.",
        ("call_center", "email"),
        ("servicedesk",),
        (("nps_score", M), ("mobile_phone", S_), ("nps_comment", C)),
        ("interaction",),
        ("survey-feedback",),
        value=(2, 4),
    ),
    _UCT(
        "birthday-offer",
        "marketing",
        "Birthday offer",
        "Members get a personal offer in their birthday week.",
        ("email", "app"),
        ("mailing",),
        (("date_of_birth", M), ("email", M), ("email_optin", M), ("loyalty_tier", S_)),
        ("customer", "preference"),
        value=(2, 4),
    ),
    _UCT(
        "ropo-attribution",
        "data",
        "Online research, offline purchase attribution",
        "Measure how often customers research on the web and buy in a store.",
        ("web", "store"),
        ("dwh",),
        (
            ("web_visitor_id", M),
            ("customer_id", M),
            ("loyalty_number", M),
            ("last_web_visit", S_),
            ("browsed_categories", C),
        ),
        ("interaction", "order"),
        scope="group",
        value=(2, 4),
    ),
    _UCT(
        "erasure-requests",
        "legal",
        "Right to erasure requests",
        "Requests to erase personal data are handled in all systems within a month.",
        ("email", "call_center"),
        ("servicedesk",),
        (("customer_id", M), ("email", M)),
        ("identifier",),
        ("erasure-request",),
        scope="group",
        value=(3, 4),
    ),
    _UCT(
        "category-campaign",
        "marketing",
        "Seasonal campaign",
        "A seasonal campaign for one product category, to customers who bought or browsed it.",
        ("email", "app", "post"),
        ("mailing",),
        (("email", M), ("email_optin", M), ("favourite_categories", S_), ("postal_code", C)),
        ("order", "preference", "customer"),
        cats=True,
        value=(2, 4),
    ),
    _UCT(
        "newsletter-personalisation",
        "marketing",
        "Personalised newsletter content",
        "Each newsletter block is chosen from the customer's style and favourite categories.",
        ("email",),
        ("mailing",),
        (
            ("email", M),
            ("email_optin", M),
            ("profiling_consent", M),
            ("style_preference", S_),
            ("favourite_categories", S_),
        ),
        ("preference", "interaction", "order"),
        value=(2, 4),
    ),
    _UCT(
        "push-offers",
        "marketing",
        "App offers near a store",
        "App users who are near their home store get that store's offers.",
        ("app",),
        ("mailing", "app"),
        (("push_token", M), ("app_device_id", M), ("preferred_store", S_), ("profiling_consent", M)),
        ("preference", "interaction"),
        ("app-onboarding",),
        value=(2, 4),
    ),
    _UCT(
        "direct-mail-catalogue",
        "marketing",
        "Printed catalogue mailing",
        "The spring and autumn catalogues go to customers who want post and bought in the last two years.",
        ("post",),
        ("printmail", "mailing"),
        (("street_address", M), ("postal_code", M), ("city", M), ("country", M), ("post_optin", M)),
        ("household", "address", "order"),
        value=(2, 3),
    ),
    _UCT(
        "loyalty-tier-upgrade",
        "marketing",
        "Tier upgrade nudges",
        "Members close to the next tier are told how much more to spend.",
        ("email", "app"),
        ("club", "mailing"),
        (("loyalty_number", M), ("loyalty_tier", M), ("points_balance", M), ("email", M), ("email_optin", M)),
        ("order", "customer"),
        ("loyalty-signup",),
        value=(2, 4),
    ),
    _UCT(
        "event-invitations",
        "marketing",
        "Store event invitations",
        "Members are invited to workshops and evenings in their home store.",
        ("email", "sms"),
        ("mailing", "events"),
        (("preferred_store", M), ("email", M), ("email_optin", M), ("first_name", S_)),
        ("preference", "interaction"),
        ("event-registration",),
        value=(1, 3),
    ),
    _UCT(
        "clienteling",
        "sales",
        "Clienteling for store advisers",
        "Advisers see a member's wish list, style and recent purchases on a tablet.",
        ("store",),
        ("crm", "pos"),
        (("loyalty_number", M), ("first_name", M), ("last_name", M), ("wishlist_items", S_), ("last_store_visit", S_)),
        ("order", "preference", "interaction"),
        ("store-purchase",),
        cats=True,
        value=(3, 5),
    ),
    _UCT(
        "web-personalisation",
        "sales",
        "Personalised home page",
        "The web shop home page shows categories and products matching the customer.",
        ("web", "app"),
        ("webshop", "cdp"),
        (("customer_id", M), ("profiling_consent", M), ("favourite_categories", S_)),
        ("preference", "interaction", "order"),
        ("online-checkout",),
        cats=True,
        value=(3, 5),
    ),
    _UCT(
        "b2b-reorder-reminders",
        "sales",
        "Reorder reminders for business customers",
        "Business customers are reminded when consumables usually run out.",
        ("email", "field_sales"),
        ("crmb2b",),
        (("crm_account_id", M), ("email", M), ("company_name", M), ("last_order_date", S_)),
        ("organization", "order"),
        ("b2b-reorder",),
        scope="group",
    ),
    _UCT(
        "caller-recognition",
        "service",
        "Recognise callers by phone number",
        "The service desk opens the caller's record before the agent picks up.",
        ("call_center",),
        ("servicedesk",),
        (("mobile_phone", M), ("service_contact_id", M), ("first_name", S_), ("last_contact_reason", S_)),
        ("interaction", "contact_point"),
        ("service-contact",),
        value=(3, 4),
    ),
    _UCT(
        "proactive-delay",
        "service",
        "Proactive delivery delay messages",
        "Customers hear about a delayed delivery before they call.",
        ("email", "sms"),
        ("servicedesk", "mailing"),
        (("open_order_status", M), ("email", M), ("mobile_phone", S_)),
        ("order",),
        value=(3, 4),
    ),
    _UCT(
        "chat-order-status",
        "service",
        "Order status in chat",
        "The chat answers where-is-my-order questions by itself.",
        ("chat",),
        ("chat",),
        (("open_order_status", M), ("email", S_)),
        ("order",),
        ("service-contact",),
        value=(2, 3),
    ),
    _UCT(
        "complaint-priority",
        "service",
        "Priority handling for valuable customers",
        "Complaints from top customers go to a senior agent.",
        ("call_center", "email"),
        ("servicedesk",),
        (("lifetime_value", M), ("loyalty_tier", S_), ("complaint_count_12m", S_)),
        ("interaction", "customer"),
        ("complaint-handling",),
        value=(2, 4),
    ),
    _UCT(
        "journey-analytics",
        "cx",
        "Cross-channel journey analysis",
        "Follow customers from first web visit to store purchase and service contact.",
        ("web", "store", "call_center"),
        ("dwh",),
        (("customer_id", M), ("loyalty_number", M), ("last_web_visit", S_), ("web_visitor_id", C)),
        ("interaction", "order"),
        scope="group",
        value=(2, 4),
    ),
    _UCT(
        "voice-of-customer",
        "cx",
        "Voice of the customer dashboard",
        "Scores and comments from surveys and service contacts, per store and channel.",
        (),
        ("dwh",),
        (("nps_score", M), ("nps_comment", S_), ("csat_last_contact", S_)),
        ("interaction",),
        scope="group",
        value=(2, 3),
    ),
    _UCT(
        "churn-model",
        "data",
        "Churn prediction model",
        "A weekly model scores every customer's risk of lapsing.",
        (),
        ("dwh",),
        (
            ("customer_id", M),
            ("last_order_date", M),
            ("order_count_12m", M),
            ("total_spend_12m", M),
            ("churn_score", M),
        ),
        ("order", "interaction", "customer"),
        ("scoring",),
        scope="group",
        value=(3, 4),
    ),
    _UCT(
        "household-matching",
        "data",
        "Household matching",
        "People living at the same address are linked into households.",
        (),
        ("dwh",),
        (("street_address", M), ("postal_code", M), ("last_name", M), ("household_id", S_), ("household_size", S_)),
        ("household", "address"),
        ("identity-resolution",),
        scope="group",
        value=(2, 3),
    ),
    _UCT(
        "single-customer-view",
        "data",
        "Single customer view",
        "One golden record per customer, linking web shop, club, service and finance.",
        (),
        ("cdp", "dwh"),
        (
            ("customer_id", M),
            ("loyalty_number", M),
            ("email", M),
            ("mobile_phone", M),
            ("erp_customer_number", S_),
            ("service_contact_id", S_),
        ),
        ("identifier", "contact_point", "address", "customer"),
        ("identity-resolution",),
        scope="group",
        value=(4, 5),
    ),
    _UCT(
        "clv-model",
        "data",
        "Customer lifetime value model",
        "Expected margin per customer, to steer acquisition and service levels.",
        (),
        ("dwh",),
        (("lifetime_value", M), ("total_spend_12m", M), ("first_order_date", S_)),
        ("order", "customer"),
        ("scoring",),
        scope="group",
        cats=True,
        value=(3, 4),
    ),
    _UCT(
        "b2b-credit-check",
        "finance",
        "Credit check for business orders",
        "Orders on invoice are checked against the credit limit before they are confirmed.",
        ("field_sales",),
        ("erp", "crmb2b"),
        (("erp_customer_number", M), ("credit_limit", M), ("payment_terms", M), ("company_name", M), ("kvk_number", M)),
        ("organization",),
        ("credit-control",),
        scope="group",
        value=(3, 4),
    ),
    _UCT(
        "dunning",
        "finance",
        "Payment reminders",
        "Overdue invoices get a reminder by e-mail, then by post.",
        ("email", "post"),
        ("erp",),
        (("erp_customer_number", M), ("email", M), ("street_address", S_)),
        ("organization", "address"),
        ("credit-control",),
        scope="group",
        value=(2, 3),
    ),
    _UCT(
        "access-requests",
        "legal",
        "Subject access requests",
        "A customer who asks what we know about them gets it from all systems within a month.",
        ("email",),
        ("servicedesk",),
        (("customer_id", M), ("email", M)),
        ("identifier", "contact_point", "consent"),
        ("erasure-request",),
        scope="group",
        value=(2, 3),
    ),
    _UCT(
        "store-appointments",
        "operations",
        "Appointment reminders for home advice",
        "Customers who booked a home advice session get a reminder and a short style questionnaire.",
        ("sms", "email"),
        ("appointments",),
        (("mobile_phone", M), ("first_name", S_), ("preferred_store", M)),
        ("preference", "address"),
        ("store-appointment",),
        value=(2, 3),
    ),
    _UCT(
        "returns-insight",
        "operations",
        "Returns reasons analysis",
        "Which customers return most, what and why.",
        (),
        ("dwh",),
        (("return_rate_12m", M), ("customer_id", M)),
        ("order",),
        ("returns-refunds",),
        scope="group",
        value=(2, 3),
    ),
)

# A step: (name, actor, channel, system type, creates, reads, updates, deletes); "@entity" picks attributes of
# that entity the system holds; actor "@type" is the system's name, "@owner"/"@fn" a stakeholder.
_St = tuple
_PROC_TEMPLATES: tuple[tuple[str, str, str, str, str, tuple[_St, ...]], ...] = (
    (
        "loyalty-signup",
        "marketing",
        "market",
        "Loyalty member sign-up",
        "How a customer becomes a loyalty member, in a store, on the web or in the app, and completes the profile.",
        (
            (
                "Cashier hands out a loyalty card and keys in the customer's e-mail address",
                "store staff",
                "store",
                "pos",
                ("loyalty_number", "email"),
                (),
                (),
                (),
            ),
            (
                "Customer completes the member profile through the link in the welcome e-mail",
                "customer",
                "web",
                "club",
                ("first_name", "last_name", "date_of_birth", "postal_code", "style_preference", "profiling_consent"),
                (),
                ("email_optin",),
                (),
            ),
            (
                "Customer joins directly in the app",
                "customer",
                "app",
                "app",
                ("loyalty_number", "email", "first_name", "push_token", "preferred_store"),
                (),
                ("email_optin",),
                (),
            ),
            (
                "Customer posts a paper application form; store staff key it in later",
                "store staff",
                "post",
                "club",
                ("loyalty_number", "first_name", "last_name", "street_address", "postal_code"),
                (),
                (),
                (),
            ),
            (
                "Marketing automation sends the confirmation e-mail and records the verification click",
                "@mailing",
                "email",
                "mailing",
                (),
                ("email", "first_name"),
                ("email_verified",),
                (),
            ),
            (
                "Customer joins by texting a keyword to the club short code",
                "customer",
                "sms",
                "smsgw",
                ("mobile_phone",),
                (),
                ("sms_optin",),
                (),
            ),
            (
                "Loyalty platform assigns the starting tier and welcome points",
                "@club",
                "",
                "club",
                (),
                ("loyalty_number",),
                ("loyalty_tier", "points_balance"),
                (),
            ),
        ),
    ),
    (
        "online-checkout",
        "sales",
        "market",
        "Web shop account and checkout",
        "How a customer shops online, creates an account or checks out, and is kept informed about the order.",
        (
            (
                "Customer creates an account or checks out and enters contact and delivery details",
                "customer",
                "web",
                "webshop",
                (
                    "customer_id",
                    "email",
                    "first_name",
                    "last_name",
                    "street_address",
                    "postal_code",
                    "city",
                    "country",
                    "mobile_phone",
                ),
                (),
                (),
                (),
            ),
            (
                "Customer ticks or unticks the newsletter and SMS boxes",
                "customer",
                "web",
                "webshop",
                (),
                (),
                ("email_optin", "sms_optin"),
                (),
            ),
            (
                "Customer adds products to the cart or the wish list",
                "customer",
                "web",
                "webshop",
                ("cart_items", "wishlist_items"),
                ("customer_id",),
                (),
                (),
            ),
            (
                "Customer pays and the order is confirmed by e-mail",
                "customer",
                "web",
                "webshop",
                (),
                ("email", "cart_items"),
                ("open_order_status",),
                (),
            ),
            (
                "Customer logs in to the app and checks out there",
                "customer",
                "app",
                "app",
                ("app_device_id",),
                ("customer_id", "email"),
                ("cart_items",),
                (),
            ),
            (
                "Order is booked as an invoice in the ERP",
                "@erp",
                "",
                "erp",
                ("erp_customer_number",),
                ("customer_id", "street_address"),
                (),
                (),
            ),
            (
                "Customer is invited to join the club on the confirmation page",
                "customer",
                "web",
                "webshop",
                (),
                ("loyalty_number",),
                ("@consent",),
                (),
            ),
        ),
    ),
    (
        "store-purchase",
        "operations",
        "market",
        "Purchase in a store",
        "What happens with customer data at the till when a customer buys in a store.",
        (
            (
                "Customer scans the loyalty card or the app at the till",
                "customer",
                "store",
                "pos",
                (),
                ("loyalty_number", "loyalty_tier", "points_balance"),
                (),
                (),
            ),
            (
                "Cashier asks for the e-mail address to send an e-receipt",
                "store staff",
                "store",
                "pos",
                ("email",),
                (),
                (),
                (),
            ),
            (
                "Till books the purchase and the points",
                "@pos",
                "store",
                "pos",
                ("last_store_visit",),
                ("loyalty_number",),
                ("points_balance",),
                (),
            ),
            (
                "Customer without a card is offered to join on the spot",
                "store staff",
                "store",
                "pos",
                ("loyalty_number",),
                (),
                (),
                (),
            ),
            (
                "Store adviser looks up the customer's wish list on a tablet",
                "store staff",
                "store",
                "crm",
                (),
                ("wishlist_items", "style_preference"),
                (),
                (),
            ),
            (
                "Receipts are sent to the loyalty platform every night",
                "@pos",
                "",
                "club",
                (),
                ("loyalty_number",),
                ("last_store_visit",),
                (),
            ),
        ),
    ),
    (
        "service-contact",
        "service",
        "market",
        "Customer contact with the service desk",
        "How calls, e-mails and chats reach an agent and what the agent records.",
        (
            (
                "Customer calls; the agent searches by phone number or e-mail",
                "customer",
                "call_center",
                "servicedesk",
                ("service_contact_id",),
                ("mobile_phone", "email"),
                (),
                (),
            ),
            (
                "Agent opens a ticket with the contact reason",
                "service agent",
                "call_center",
                "servicedesk",
                ("last_contact_reason",),
                ("customer_id",),
                ("open_ticket_count",),
                (),
            ),
            ("Customer starts a chat on the web site", "customer", "chat", "chat", (), ("open_order_status",), (), ()),
            (
                "Agent corrects the customer's address on request",
                "service agent",
                "call_center",
                "servicedesk",
                (),
                (),
                ("street_address", "postal_code", "city"),
                (),
            ),
            (
                "Customer e-mails the service desk; the mail is matched to a contact",
                "customer",
                "email",
                "servicedesk",
                ("service_contact_id",),
                ("email",),
                (),
                (),
            ),
            (
                "Customer answers the satisfaction survey after the contact",
                "customer",
                "email",
                "survey",
                ("nps_score", "nps_comment"),
                (),
                (),
                (),
            ),
            (
                "Agent updates the phone number the customer gives",
                "service agent",
                "call_center",
                "servicedesk",
                (),
                (),
                ("mobile_phone",),
                (),
            ),
        ),
    ),
    (
        "preference-centre",
        "marketing",
        "market",
        "Preference centre and unsubscribe",
        "How customers change what they receive, and how that reaches every system.",
        (
            (
                "Customer opens the preference centre from a newsletter",
                "customer",
                "email",
                "mailing",
                (),
                ("email", "email_optin"),
                (),
                (),
            ),
            (
                "Customer changes topics and channels",
                "customer",
                "web",
                "webshop",
                (),
                (),
                ("email_optin", "sms_optin", "preferred_language", "@preference"),
                (),
            ),
            (
                "Customer unsubscribes with one click",
                "customer",
                "email",
                "mailing",
                (),
                ("email",),
                ("email_optin",),
                (),
            ),
            (
                "Customer asks an agent by phone to stop all mailings",
                "customer",
                "call_center",
                "servicedesk",
                (),
                ("service_contact_id",),
                ("email_optin",),
                (),
            ),
            (
                "The consent change is logged with its source",
                "@consent",
                "",
                "consent",
                ("consent_source",),
                (),
                (),
                (),
            ),
        ),
    ),
    (
        "b2b-onboarding",
        "sales",
        "group",
        "Business account onboarding",
        "How a business customer is registered, credit-checked and handed over.",
        (
            (
                "Account manager registers the company after the first meeting",
                "@owner",
                "field_sales",
                "crmb2b",
                ("company_name", "kvk_number", "vat_number", "crm_account_id", "email", "account_manager"),
                (),
                (),
                (),
            ),
            (
                "Finance runs a credit check and sets the credit limit",
                "@finance",
                "",
                "erp",
                ("erp_customer_number", "credit_limit", "payment_terms"),
                ("kvk_number",),
                (),
                (),
            ),
            (
                "Account manager hands the account over to inside sales",
                "@owner",
                "field_sales",
                "crmb2b",
                (),
                ("credit_limit",),
                ("account_manager",),
                (),
            ),
            (
                "The company orders on the B2B portal for the first time",
                "customer",
                "web",
                "b2bportal",
                (),
                ("crm_account_id",),
                ("@organization",),
                (),
            ),
        ),
    ),
    (
        "returns-refunds",
        "operations",
        "market",
        "Returns and refunds",
        "How a customer returns a product and gets the money back.",
        (
            (
                "Customer registers a return online",
                "customer",
                "web",
                "returns",
                (),
                ("customer_id", "open_order_status"),
                ("@order",),
                (),
            ),
            ("Customer hands in the parcel in a store", "customer", "store", "pos", (), ("loyalty_number",), (), ()),
            (
                "Warehouse checks the goods and approves the refund",
                "warehouse staff",
                "",
                "erp",
                (),
                ("erp_customer_number",),
                ("@order",),
                (),
            ),
            (
                "The refund confirmation is e-mailed",
                "@mailing",
                "email",
                "mailing",
                (),
                ("email", "first_name"),
                (),
                (),
            ),
        ),
    ),
    (
        "click-collect",
        "operations",
        "market",
        "Click and collect",
        "From an online order to the pick-up in the store.",
        (
            (
                "Customer orders online and chooses a pick-up store",
                "customer",
                "web",
                "webshop",
                (),
                ("customer_id", "preferred_store"),
                ("open_order_status",),
                (),
            ),
            (
                "Store staff mark the order ready for pick-up",
                "store staff",
                "store",
                "pos",
                (),
                ("open_order_status",),
                (),
                (),
            ),
            (
                "Customer gets a text message that the order is ready",
                "@smsgw",
                "sms",
                "smsgw",
                (),
                ("mobile_phone",),
                (),
                (),
            ),
            (
                "Customer collects the order and shows the pick-up code",
                "customer",
                "store",
                "pos",
                (),
                ("loyalty_number",),
                ("last_store_visit",),
                (),
            ),
        ),
    ),
    (
        "store-appointment",
        "operations",
        "market",
        "Home advice appointments",
        "How a customer books a session with an interior adviser.",
        (
            (
                "Customer books an appointment online",
                "customer",
                "web",
                "appointments",
                ("email", "mobile_phone", "first_name"),
                ("preferred_store",),
                (),
                (),
            ),
            ("Reminder text message the day before", "@smsgw", "sms", "smsgw", (), ("mobile_phone",), (), ()),
            (
                "Adviser records the style and budget discussed",
                "store adviser",
                "store",
                "crm",
                (),
                (),
                ("style_preference", "@preference"),
                (),
            ),
        ),
    ),
    (
        "complaint-handling",
        "service",
        "market",
        "Complaint handling",
        "How a complaint is registered, resolved and followed up.",
        (
            (
                "Customer files a complaint by e-mail",
                "customer",
                "email",
                "servicedesk",
                ("service_contact_id",),
                ("email",),
                ("@interaction",),
                (),
            ),
            (
                "Agent checks the order history",
                "service agent",
                "call_center",
                "servicedesk",
                (),
                ("last_order_date", "total_spend_12m"),
                (),
                (),
            ),
            (
                "Team lead approves a goodwill voucher",
                "@service",
                "",
                "club",
                (),
                ("loyalty_number",),
                ("points_balance",),
                (),
            ),
            (
                "Customer receives a satisfaction survey",
                "customer",
                "email",
                "survey",
                ("nps_score", "nps_comment"),
                (),
                (),
                (),
            ),
        ),
    ),
    (
        "erasure-request",
        "legal",
        "group",
        "Right to erasure",
        "How a request to be forgotten is verified and carried out.",
        (
            (
                "Customer asks for erasure through the web form",
                "customer",
                "web",
                "webshop",
                (),
                ("customer_id", "email"),
                (),
                (),
            ),
            (
                "Privacy team verifies the identity by e-mail",
                "@legal",
                "email",
                "servicedesk",
                (),
                ("email", "service_contact_id"),
                (),
                (),
            ),
            (
                "Customer data is erased in the web shop",
                "@it",
                "",
                "webshop",
                (),
                (),
                (),
                ("first_name", "last_name", "street_address", "mobile_phone"),
            ),
            (
                "Loyalty membership is closed and the points forfeited",
                "@club",
                "",
                "club",
                (),
                ("loyalty_number",),
                ("points_balance",),
                ("date_of_birth",),
            ),
            (
                "The marketing automation contact is suppressed",
                "@mailing",
                "",
                "mailing",
                (),
                ("email",),
                ("email_optin",),
                (),
            ),
        ),
    ),
    (
        "event-registration",
        "marketing",
        "market",
        "Store event registration",
        "How customers sign up for workshops and evenings in a store.",
        (
            (
                "Customer registers for a workshop in a store",
                "customer",
                "web",
                "events",
                ("email", "first_name"),
                ("preferred_store",),
                (),
                (),
            ),
            (
                "Customer scans the loyalty card at the door",
                "customer",
                "store",
                "pos",
                (),
                ("loyalty_number",),
                ("last_store_visit",),
                (),
            ),
            ("The organiser sends the follow-up e-mail", "@mailing", "email", "mailing", (), ("email",), (), ()),
        ),
    ),
    (
        "social-campaign",
        "marketing",
        "market",
        "Social media campaigns",
        "How social ads reach customers and how reactions are followed up.",
        (
            ("Customer reacts to a social ad", "customer", "social", "mailing", (), (), ("@interaction",), ()),
            (
                "Audiences are synced from the CDP to the social platform",
                "@cdp",
                "social",
                "cdp",
                (),
                ("email", "customer_segment"),
                (),
                (),
            ),
            (
                "Clicks are attributed to the customer profile",
                "@cdp",
                "web",
                "cdp",
                (),
                ("customer_id",),
                ("@interaction",),
                (),
            ),
        ),
    ),
    (
        "newsletter-signup",
        "marketing",
        "market",
        "Newsletter sign-up",
        "How visitors subscribe to the newsletter.",
        (
            (
                "Visitor subscribes in the web shop footer",
                "customer",
                "web",
                "webshop",
                ("email",),
                (),
                ("email_optin",),
                (),
            ),
            (
                "Customer confirms the subscription in the double opt-in e-mail",
                "customer",
                "email",
                "mailing",
                ("email",),
                (),
                ("email_verified",),
                (),
            ),
            (
                "The welcome e-mail asks for preferences",
                "@mailing",
                "email",
                "mailing",
                (),
                ("email",),
                ("@preference",),
                (),
            ),
        ),
    ),
    (
        "identity-resolution",
        "data",
        "group",
        "Nightly identity matching",
        "How records from all systems are matched into one customer and one household.",
        (
            (
                "The warehouse loads contacts from all sources",
                "@data",
                "",
                "dwh",
                (),
                ("customer_id", "loyalty_number", "email", "mobile_phone"),
                (),
                (),
            ),
            (
                "The matching job links records into households",
                "@data",
                "",
                "dwh",
                ("household_id", "household_size"),
                ("street_address", "postal_code", "last_name"),
                (),
                (),
            ),
            ("The golden record is published to the CDP", "@data", "", "cdp", (), ("customer_id",), ("@customer",), ()),
        ),
    ),
    (
        "scoring",
        "data",
        "group",
        "Weekly customer scoring",
        "How purchase statistics, scores and segments are computed.",
        (
            (
                "The warehouse computes purchase statistics",
                "@data",
                "",
                "dwh",
                (),
                ("@order",),
                ("order_count_12m", "total_spend_12m", "last_order_date"),
                (),
            ),
            (
                "Models score churn risk and lifetime value",
                "@data",
                "",
                "dwh",
                (),
                ("@order",),
                ("churn_score", "lifetime_value", "@customer"),
                (),
            ),
            ("Segments are assigned and sent to marketing", "@data", "", "cdp", (), ("customer_segment",), (), ()),
        ),
    ),
    (
        "credit-control",
        "finance",
        "group",
        "Credit control and dunning",
        "How overdue invoices are followed up and credit limits adjusted.",
        (
            ("The ERP flags overdue invoices", "@erp", "", "erp", (), ("erp_customer_number", "payment_terms"), (), ()),
            (
                "Reminder letters are sent",
                "@finance",
                "post",
                "erp",
                (),
                ("street_address", "postal_code", "city"),
                (),
                (),
            ),
            ("The credit manager lowers the credit limit", "@finance", "", "erp", (), (), ("credit_limit",), ()),
        ),
    ),
    (
        "address-change",
        "service",
        "market",
        "Address change",
        "How a new address reaches every system.",
        (
            (
                "Customer changes the address in the account",
                "customer",
                "web",
                "webshop",
                (),
                ("customer_id",),
                ("street_address", "postal_code", "city", "country"),
                (),
            ),
            (
                "Customer reports a move by phone",
                "customer",
                "call_center",
                "servicedesk",
                (),
                ("service_contact_id",),
                ("street_address", "postal_code", "city"),
                (),
            ),
            (
                "Finance updates the billing address",
                "@finance",
                "",
                "erp",
                (),
                ("erp_customer_number",),
                ("street_address", "postal_code"),
                (),
            ),
        ),
    ),
    (
        "app-onboarding",
        "sales",
        "market",
        "App installation and login",
        "How a customer starts using the shopping app.",
        (
            (
                "Customer installs the app and allows notifications",
                "customer",
                "app",
                "app",
                ("app_device_id", "push_token"),
                (),
                (),
                (),
            ),
            (
                "Customer logs in with the web shop account",
                "customer",
                "app",
                "app",
                (),
                ("customer_id", "email"),
                (),
                (),
            ),
            (
                "Customer adds the loyalty card to the app",
                "customer",
                "app",
                "app",
                (),
                ("loyalty_number",),
                ("@preference",),
                (),
            ),
        ),
    ),
    (
        "b2b-reorder",
        "sales",
        "group",
        "Business reorders and quotes",
        "How business customers reorder and get quotes.",
        (
            ("The buyer logs in to the B2B portal", "customer", "web", "b2bportal", (), ("crm_account_id",), (), ()),
            (
                "Inside sales sends a quote",
                "inside sales",
                "email",
                "crmb2b",
                (),
                ("company_name", "email"),
                ("@organization",),
                (),
            ),
            ("The order is invoiced", "@finance", "", "erp", (), ("erp_customer_number",), (), ()),
        ),
    ),
    (
        "survey-feedback",
        "service",
        "market",
        "Customer feedback survey",
        "How surveys are sent and detractors followed up.",
        (
            ("A survey is sent after delivery", "@survey", "email", "survey", (), (), ("@interaction",), ()),
            ("Customer answers the survey", "customer", "email", "survey", ("nps_score", "nps_comment"), (), (), ()),
            (
                "Detractors are called back",
                "service agent",
                "call_center",
                "servicedesk",
                (),
                ("mobile_phone",),
                ("last_contact_reason",),
                (),
            ),
        ),
    ),
    (
        "consent-audit",
        "legal",
        "group",
        "Consent audit",
        "How the privacy officer checks that consents agree across systems.",
        (
            (
                "The privacy officer exports consents from all systems",
                "@legal",
                "",
                "cdp",
                (),
                ("email_optin", "sms_optin", "profiling_consent"),
                (),
                (),
            ),
            ("Differences are corrected in the web shop", "@legal", "", "webshop", (), (), ("email_optin",), ()),
            ("Corrections are confirmed to the customer", "@mailing", "email", "mailing", (), ("email",), (), ()),
        ),
    ),
)
_PROC_VARIANTS = (("pilot", "pilot of the new platform"), ("legacy", "legacy flow, being phased out"))
_SMALL_PROCS = ("loyalty-signup", "online-checkout", "store-purchase", "service-contact", "preference-centre")

#: Channel -> identifiers a step on it would typically capture.
_CHANNEL_IDS = {
    "web": ("customer_id", "email"),
    "app": ("app_device_id", "loyalty_number", "customer_id"),
    "email": ("email",),
    "sms": ("mobile_phone",),
    "store": ("loyalty_number", "email"),
    "call_center": ("service_contact_id", "mobile_phone"),
    "field_sales": ("crm_account_id", "kvk_number"),
    "post": ("loyalty_number",),
}
_ANONYMOUS = ("chat", "social")
#: A step that captures an identifier on a channel, for channels the sampled steps left without one.
_CAPTURE_STEPS = {
    "web": (
        "Visitor creates an account in the web shop",
        "customer",
        "web",
        "webshop",
        ("customer_id", "email"),
        (),
        (),
        (),
    ),
    "app": (
        "Customer logs in to the app for the first time",
        "customer",
        "app",
        "app",
        ("app_device_id", "loyalty_number"),
        (),
        (),
        (),
    ),
    "email": (
        "Customer confirms the address in the double opt-in e-mail",
        "customer",
        "email",
        "mailing",
        ("email",),
        (),
        ("email_verified",),
        (),
    ),
    "sms": (
        "Customer confirms the mobile number with a code sent by text message",
        "customer",
        "sms",
        "smsgw",
        ("mobile_phone",),
        (),
        (),
        (),
    ),
    "store": (
        "Cashier registers the customer's loyalty card at the till",
        "store staff",
        "store",
        "pos",
        ("loyalty_number",),
        (),
        (),
        (),
    ),
    "call_center": (
        "Agent registers a new caller",
        "service agent",
        "call_center",
        "servicedesk",
        ("service_contact_id", "mobile_phone"),
        (),
        (),
        (),
    ),
    "field_sales": (
        "Account manager registers a new business contact",
        "@owner",
        "field_sales",
        "crmb2b",
        ("crm_account_id", "kvk_number"),
        (),
        (),
        (),
    ),
    "post": (
        "Customer sends back the paper form with the loyalty card number",
        "customer",
        "post",
        "club",
        ("loyalty_number",),
        (),
        (),
        (),
    ),
}
_OPTIN_FOR = {
    "email": ("email_optin",),
    "sms": ("sms_optin",),
    "app": ("push_optin", "profiling_consent"),
    "post": ("post_optin", "email_optin"),
    "social": ("third_party_consent", "profiling_consent"),
}


# --------------------------------------------------------------------------- result
@dataclass(slots=True)
class Synthetic:
    """A generated workshop and what was planted in it, per gap rule."""

    workshop: m.Workshop
    planted: dict[str, list] = field(default_factory=dict)


def generate(scale: str, seed: int) -> m.Workshop:
    """A valid synthetic workshop of ``scale`` (a key of :data:`SCALES`), the same for the same seed."""
    return generate_detailed(scale, seed).workshop


def generate_detailed(scale: str, seed: int) -> Synthetic:
    """Like :func:`generate`, with the planted gaps: ``{rule slug: [subjects...]}``.

    Subjects per rule: per-need rules (missing-source, stale, unknown-freshness,
    unreachable) give ``{use_case, attribute, criticality}`` for every need the
    planting affects (stale adds ``path`` and ``needed``); ``many-masters``
    ``{attribute, masters}``; ``definition-conflict`` ``{attribute, detail,
    systems}``; ``step-not-held`` ``{process, step (1-based), action,
    attribute, system}``; the others a list of ids (attributes, systems, use
    cases, channels or functions).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError("seed must be an integer")
    return _Builder(scale, seed).build()


def count_links(ws: m.Workshop) -> dict[str, int]:
    """References from one item to another, by kind, and their ``total``.

    Kinds: ``needs``, ``holdings``, ``feed_attributes`` (attributes carried by
    feeds), ``step_attributes`` (creates/reads/updates/deletes) and ``other``
    (every other reference field declared in :mod:`needsmap.format.spec`: owners,
    functions, channels, executes_in, processes, a step's system, a feed's
    target, a note's about and by, settings.marketing_channels).
    """
    out = {"needs": 0, "holdings": 0, "feed_attributes": 0, "step_attributes": 0, "other": 0}
    special = {
        ("need", "attribute"): "needs",
        ("holding", "attribute"): "holdings",
        ("feed", "attributes"): "feed_attributes",
        ("step", "creates"): "step_attributes",
        ("step", "reads"): "step_attributes",
        ("step", "updates"): "step_attributes",
        ("step", "deletes"): "step_attributes",
    }

    def walk(obj, rec: spec.Record) -> None:
        for fld in rec.fields:
            value = getattr(obj, fld.attr)
            if value is None:
                continue
            shape = fld.shape
            n = 0
            if isinstance(shape, spec.Scalar):
                n = 1 if shape.kind == "ref" else 0
            elif isinstance(shape, spec.ListOf):
                if isinstance(shape.item, spec.Record):
                    for child in value:
                        walk(child, shape.item)
                elif shape.item.kind == "ref":
                    n = len(value)
            elif isinstance(shape, spec.Record):
                walk(value, shape)
            if n:
                out[special.get((rec.name, fld.key), "other")] += n

    walk(ws, spec.WORKSHOP)
    out["total"] = sum(out.values())
    return out


# --------------------------------------------------------------------------- builder
def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and (c.isalnum()))


@dataclass(frozen=True, slots=True)
class _Named:
    name: str
    sens: str


def _lower_first(name: str) -> str:
    """'E-mail address' -> 'e-mail address', but 'RFM score' and 'D-U-N-S number' stay."""
    first = name.split(" ")[0]
    return name if any(c.isupper() for c in first[1:]) else name[:1].lower() + name[1:]


def _camel(aid: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in aid.split("_"))


def _r(f: str | None) -> int:
    return _UNKNOWN if f is None or f == "unknown" else FRESH.index(f)


@dataclass(slots=True)
class _Sys:
    id: str
    type: str
    market: str | None
    obj: m.System
    holds: dict[str, m.Holding] = field(default_factory=dict)
    planted: str = ""
    markets: tuple[str, ...] = ()  # markets a regional warehouse serves


class _Builder:
    def __init__(self, scale: str, seed: int) -> None:
        self.scale = scale
        self.seed = seed
        self.cfg = SCALES[scale]
        self.rng = random.Random(seed)
        self.markets = _MARKETS[: self.cfg["markets"]]
        self.multi = len(self.markets) > 1
        self.used_ids: set[str] = set()
        self.planted: dict[str, list] = {slug: [] for slug in GAP_RULES}
        # holding bookkeeping: (system, attribute) -> upstream system ("" = captured/origin)
        self.upstream: dict[tuple[str, str], str] = {}
        self.feeds: dict[tuple[str, str], dict[str, None]] = {}
        self.feed_freq: dict[tuple[str, str], str] = {}
        self.feed_in: dict[str, list[tuple[str, str]]] = {}  # attribute -> [(src, dst)]

    # -- helpers -------------------------------------------------------------
    def claim(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.used_ids:
            ident, n = f"{base}-{n}", n + 1
        self.used_ids.add(ident)
        return ident

    def k(self, rate: float, population: int, minimum: int = 1) -> int:
        return max(minimum, round(rate * population))

    def pick(self, seq, k: int) -> list:
        seq = list(seq)
        return self.rng.sample(seq, min(k, len(seq)))

    def market_name(self, code: str | None) -> str:
        return dict(_MARKETS).get(code or "", "")

    # -- stakeholders --------------------------------------------------------
    def build_stakeholders(self) -> None:
        n = self.cfg["stakeholders"]
        fns = [f for f, _ in _PEOPLE_FUNCTIONS]
        counts = {f: max(1, int(w * n)) for f, w in _PEOPLE_FUNCTIONS}
        while sum(counts.values()) > n:
            counts[max(fns, key=lambda f: counts[f])] -= 1
        while sum(counts.values()) < n:
            counts[max(fns, key=lambda f: dict(_PEOPLE_FUNCTIONS)[f] * n - counts[f])] += 1
        firsts = self.pick(_FIRST, len(_FIRST))
        lasts = list(_LAST)
        self.people: list[m.Stakeholder] = []
        self.people_by_fn: dict[str, list[str]] = {f: [] for f in fns}
        idx = 0
        for f in fns:
            for j in range(counts[f]):
                first = firsts[idx % len(firsts)]
                last = self.rng.choice(lasts)
                idx += 1
                base = _fold(first).lower()
                if base in self.used_ids:
                    base = f"{base}.{''.join(_fold(p)[:1].lower() for p in last.split())}"
                sid = self.claim(base)
                titles = _ROLES[f]
                # the head of the function first; then the other roles, per market when there are several
                role = titles[0] if j == 0 else titles[1 + (j - 1) % (len(titles) - 1)]
                if self.multi and j >= 1:
                    role = f"{role}, {self.market_name(self.markets[(j - 1) % len(self.markets)][0])}"
                first_of_fn = j == 0
                st = m.Stakeholder(
                    id=sid,
                    name=f"{first} {last}",
                    role=role,
                    function=f,
                    influence=self.rng.choice(("high", "high", "medium")) if first_of_fn else self.rng.choice(m.LEVELS),
                    interest=self.rng.choice(("medium", "high", "low", "high")),
                    notes=self.rng.choice(_PEOPLE_NOTES[f]) if self.rng.random() < 0.3 else None,
                )
                self.people.append(st)
                self.people_by_fn[f].append(sid)
        self.fn_of = {p.id: p.function for p in self.people}
        self.facilitator = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def person(self, fn: str, fallback: tuple[str, ...] = ("it",)) -> str:
        for f in (fn,) + fallback:
            people = self.people_by_fn.get(f)
            if people:
                # the head of the function is picked more often
                return people[0] if self.rng.random() < 0.35 else self.rng.choice(people)
        return self.people[0].id

    # -- systems -------------------------------------------------------------
    def build_systems(self) -> None:
        n = self.cfg["systems"]
        plan: list[tuple[str, str | None, tuple[str, ...]]] = []
        for t in _GROUP_TYPES[self.scale]:
            plan.append((t, None, ()))
        for code, _ in self.markets:
            for t in _MARKET_TYPES[self.scale]:
                plan.append((t, code, ()))
        planted = list(_PLANTED_SYSTEMS[self.scale])
        room = n - len(planted)
        if len(plan) > room:
            plan = plan[:room]
        regions = iter(_REGIONS)
        extras = iter(_EXTRA_TYPES)
        while len(plan) < room:
            t = next(extras, "outlet")
            if t == "rdwh":
                region = next(regions, None)
                if region is None:
                    continue
                plan.append(("rdwh", region[0], region[2]))
            else:
                plan.append((t, None, ()))
        self.sys: dict[str, _Sys] = {}
        self.by_type: dict[str, list[str]] = {}
        self.by_tm: dict[tuple[str, str | None], str] = {}
        main_supplier = {t: self.rng.choice(v[3]) for t, v in _SYS.items()}
        for t, market, served in plan + [(t, None, ()) for t, _ in planted]:
            kind, stem, name, suppliers, owner_fns, _op = _SYS[t]
            if t == "rdwh":
                region = next(r for r in _REGIONS if r[0] == market)
                sid = self.claim(f"{stem}-{region[0]}")
                sname = f"{name} {region[1]}"
                market = None
            else:
                sid = self.claim(f"{stem}-{market}" if market and self.multi else stem)
                sname = f"{name} {self.market_name(market)}" if market and self.multi else name
            supplier = main_supplier[t] if self.rng.random() < 0.75 else self.rng.choice(suppliers)
            obj = m.System(id=sid, name=sname, kind=kind, supplier=supplier, owner=self.person(owner_fns[0]))
            rec = _Sys(sid, t, market, obj, markets=served)
            self.sys[sid] = rec
            self.by_type.setdefault(t, []).append(sid)
            self.by_tm.setdefault((t, market), sid)
        for t, slug in planted:
            sid = self.by_type[t][0]
            self.sys[sid].planted = slug
            self.planted[slug].append(sid)
        self.island_ids = [s for s in self.sys.values() if s.type in ("island", "abtest", "heatmaps")]
        self.dwh = self.by_type["dwh"][0]
        self.cdp = self.by_type.get("cdp", [None])[0]
        self.lead = self.markets[0][0]

    def resolve(self, t: str, market: str | None) -> str | None:
        for cand in _FALLBACK.get(t, (t,)):
            for key in ((cand, market), (cand, None), (cand, self.lead)):
                sid = self.by_tm.get(key)
                if sid is not None:
                    return sid
            if cand in self.by_type and cand not in _PLANTED_TYPES:
                return self.by_type[cand][0]
        return None

    def is_op(self, sid: str) -> bool:
        return _SYS[self.sys[sid].type][5]

    # -- attributes ----------------------------------------------------------
    def build_attributes(self) -> None:
        n = self.cfg["attributes"]
        present = set(self.by_type)
        core = [
            a
            for a in _core_attributes()
            if a.special != "legacy" or "legacy" in present
            if a.special != "reviews" or "reviews" in present
        ]
        if self.scale == "small":
            chosen = [a for a in core if a.small][:n]
            chosen += [a for a in core if not a.small and not a.special][: n - len(chosen)]
        else:
            chosen = core[:n]
            other, orders = _long_tail(self.rng)
            taken = {a.id for a in chosen}
            other = [a for a in other if a.id not in taken]
            orders = [a for a in orders if a.id not in taken]
            left = n - len(chosen)
            n_other = min(len(other), int(left * 0.45))
            chosen += self.rng.sample(other, n_other)
            chosen += self.rng.sample(orders, left - n_other)
        rank = {e: i for i, e in enumerate(_ENTITY_ORDER)}
        chosen.sort(key=lambda a: (rank[a.entity], not a.core))
        self.specs: dict[str, _ASpec] = {}
        self.attrs: dict[str, m.Attribute] = {}
        for a in chosen:
            aid = self.claim(a.id)
            a.id = aid
            self.specs[aid] = a
            self.attrs[aid] = m.Attribute(
                id=aid,
                name=a.name,
                entity=a.entity,
                type=a.type,
                values=list(a.values),
                definition=a.definition,
                identifier=True if a.ident else None,
                sensitivity=a.sens if a.sens != "none" else None,
                synonyms=list(a.syn),
            )
        # planted: missing-source and unused-attribute
        eligible = [a for a in self.specs.values() if not a.special and not a.ident and a.entity != "consent"]
        missing = [a.id for a in self.specs.values() if a.special == "missing"]
        more = self.k(0.015, n) - len(missing)
        if more > 0:
            missing += [a.id for a in self.pick([a for a in eligible if not a.copies and a.pop < 3], more)]
        self.missing = set(missing)
        pool = [a.id for a in eligible if a.id not in self.missing and a.pop < 5]
        unused = self.pick(pool, self.k(0.03, n, 2))
        self.unused = set(unused)
        self.planted["unused-attribute"] = [a for a in self.attrs if a in self.unused]

    # -- holdings -------------------------------------------------------------
    def hold(
        self,
        sid: str,
        aid: str,
        upstream: str,
        role: str | None = None,
        quality: int | None = None,
        coverage: float | None = None,
        freshness: str | None = None,
    ) -> m.Holding | None:
        rec = self.sys[sid]
        if aid in rec.holds:
            return None
        spec_ = self.specs[aid]
        field_name = None
        if self.rng.random() < 0.85:
            if rec.type in ("dwh", "rdwh", "lake"):
                field_name = f"{_TABLES[spec_.entity]}.{aid}"
            elif rec.type == "cdp":
                field_name = f"traits.{aid}"
            else:
                field_name = f"{_OBJECTS[spec_.entity]}.{_camel(aid)}"
        h = m.Holding(
            attribute=aid, field=field_name, role=role, quality=quality, freshness=freshness, coverage=coverage
        )
        rec.holds[aid] = h
        self.upstream[(sid, aid)] = upstream
        return h

    def copy_quality(self) -> tuple[int | None, float | None]:
        q = self.rng.choice((2, 3, 3, 4, 4, 4, 5)) if self.rng.random() < 0.9 else None
        c = round(self.rng.uniform(0.3, 1.0), 2) if self.rng.random() < 0.8 else None
        return q, c

    def build_holdings(self) -> None:
        rng = self.rng
        self.origin: dict[str, str] = {}
        weights = [3] + [1] * (len(self.markets) - 1)
        codes = [c for c, _ in self.markets]
        specials = {
            "island": [s.id for s in self.island_ids],
            "legacy": self.by_type.get("legacy", []),
            "survey": self.by_type.get("survey", []),
            "reviews": self.by_type.get("reviews", []),
        }
        for aid, a in self.specs.items():
            if aid in self.missing:
                continue
            if a.special:
                holders = specials[a.special]
                for i, sid in enumerate(holders):
                    q = rng.choice((3, 4, 4, 5))
                    self.hold(
                        sid,
                        aid,
                        "",
                        role="master" if i == 0 else "copy",
                        quality=q,
                        coverage=round(rng.uniform(0.55, 1.0), 2),
                        freshness="monthly" if a.special == "legacy" else "daily",
                    )
                self.origin[aid] = holders[0]
                if a.special in ("survey", "reviews") and a.sens != "sensitive":
                    self.hold(
                        self.dwh,
                        aid,
                        holders[0],
                        role="copy",
                        quality=rng.choice((3, 4)),
                        coverage=round(rng.uniform(0.5, 0.9), 2),
                    )
                continue
            market = rng.choices(codes, weights)[0]
            osid = None
            for t in a.origin:
                osid = self.resolve(t, market)
                if osid:
                    break
            osid = osid or self.dwh
            self.origin[aid] = osid
            otype = self.sys[osid].type
            if self.is_op(osid):
                fresh = "realtime" if rng.random() < 0.7 else "hourly"
            elif otype == "erp":
                fresh = rng.choice(("hourly", "daily"))
            elif otype in ("dwh", "rdwh", "lake"):
                fresh = rng.choices(("daily", "weekly", "monthly"), (80, 15, 5))[0]
            elif otype == "cdp":
                fresh = "realtime"
            else:
                fresh = "daily"
            cov = None if a.entity == "order" and a.core and rng.random() < 0.3 else round(rng.uniform(0.6, 1.0), 2)
            self.hold(osid, aid, "", role="master", quality=rng.choice((3, 4, 4, 5, 5)), coverage=cov, freshness=fresh)
            # hubs
            if osid != self.dwh:
                region = self.region_of(osid)
                if region:
                    self.hold(region, aid, osid, role="copy", quality=self.sys[osid].holds[aid].quality, coverage=cov)
                    self.hold(
                        self.dwh, aid, region, role="copy", quality=self.sys[osid].holds[aid].quality, coverage=cov
                    )
                else:
                    self.hold(self.dwh, aid, osid, role="copy", quality=self.sys[osid].holds[aid].quality, coverage=cov)
            if self.cdp and osid != self.cdp and (a.core or rng.random() < 0.25):
                self.hold(
                    self.cdp,
                    aid,
                    osid if self.is_op(osid) else self.dwh,
                    role="derived" if not a.core and rng.random() < 0.3 else "copy",
                    quality=rng.choice((3, 4, 4)),
                    coverage=cov,
                )
            for lake in self.by_type.get("lake", []):
                if rng.random() < 0.1:
                    self.hold(lake, aid, self.dwh, role="copy", quality=rng.choice((3, 4)), coverage=cov)
            for t in a.copies:
                for sid in self.by_type.get(t, []):
                    if sid != osid:
                        q, c = self.copy_quality()
                        self.hold(sid, aid, "?", role="copy", quality=q, coverage=c)

    def region_of(self, sid: str) -> str | None:
        market = self.sys[sid].market
        if market is None:
            return None
        for rid in self.by_type.get("rdwh", []):
            if market in self.sys[rid].markets:
                return rid
        return None

    # -- processes ------------------------------------------------------------
    def eligible_in(self, aid: str, sid: str) -> bool:
        """May a step in ``sid`` use ``aid`` (adding a holding if needed)?"""
        rec = self.sys[sid]
        if aid not in self.attrs or aid in self.missing:
            return False
        if rec.planted:
            return aid in rec.holds
        return not self.specs[aid].special

    def build_processes(self) -> None:
        rng = self.rng
        n = self.cfg["processes"]
        templates = {t[0]: t for t in _PROC_TEMPLATES}
        cands: list[tuple[str, str | None, tuple[str, str] | None]] = []
        if self.scale == "small":
            cands = [(key, self.lead, None) for key in _SMALL_PROCS]
        else:
            rounds: list[list] = [[], [], []]
            for key, _fn, scope, *_ in _PROC_TEMPLATES:
                if scope == "group":
                    rounds[0].append((key, None, None))
                    for v in _PROC_VARIANTS:
                        rounds[2].append((key, None, v))
                else:
                    for i, (code, _) in enumerate(self.markets):
                        rounds[0 if i == 0 else 1].append((key, code, None))
                        for v in _PROC_VARIANTS:
                            rounds[2].append((key, code, v))
            for r in rounds:
                if len(cands) >= n:
                    break
                need = n - len(cands)
                cands += r if len(r) <= need else [r[i] for i in sorted(rng.sample(range(len(r)), need))]
        self.processes: list[m.Process] = []
        self.proc_fn: dict[str, str] = {}
        self.proc_index: dict[str, list[tuple[str, str | None]]] = {}
        self.steps: list[tuple[m.Process, m.Step]] = []
        for key, market, variant in cands[:n]:
            _, fn, scope, name, desc, steps = templates[key]
            suffix = "" if scope == "group" or not self.multi else f"-{market}"
            pid = self.claim(f"{key}{suffix}{'-' + variant[0] if variant else ''}")
            quals = [
                q
                for q in (
                    (self.market_name(market) if scope != "group" and self.multi else ""),
                    variant[1] if variant else "",
                )
                if q
            ]
            pname = f"{name} ({', '.join(quals)})" if quals else name
            owner = self.person(fn)
            proc = m.Process(id=pid, name=pname, owner=owner, description=desc)
            k = len(steps)
            count = rng.randint(min(3, k), min(8, k))
            keep = [0] + sorted(rng.sample(range(1, k), count - 1))
            for i in keep:
                step = self.make_step(steps[i], market or self.lead, owner, fn)
                if step is not None:
                    proc.steps.append(step)
                    self.steps.append((proc, step))
            self.processes.append(proc)
            self.proc_fn[pid] = fn
            self.proc_index.setdefault(key, []).append((pid, market))

    def make_step(self, tpl, market: str, owner: str, fn: str) -> m.Step | None:
        name, actor, channel, stype, creates, reads, updates, deletes = tpl
        sid = self.resolve(stype, market)
        if sid is None:
            return None
        rec = self.sys[sid]
        if actor.startswith("@"):
            word = actor[1:]
            if word == "owner":
                actor = owner
            elif word in self.people_by_fn:
                actor = self.person(word)
            else:
                actor = rec.obj.name
        lists: dict[str, list[str]] = {}
        for key, items in (("creates", creates), ("reads", reads), ("updates", updates), ("deletes", deletes)):
            out: list[str] = []
            for item in items:
                if item.startswith("@"):
                    ent = item[1:]
                    pool = [a for a in rec.holds if self.specs[a].entity == ent and self.eligible_in(a, sid)]
                    out += self.pick(pool, self.rng.randint(1, 2))
                elif self.eligible_in(item, sid):
                    out.append(item)
            if channel in _ANONYMOUS and key == "creates":
                out = [a for a in out if not self.specs[a].ident]
            seen: list[str] = []
            for a in out:
                if a not in seen and all(a not in v for v in lists.values()):
                    seen.append(a)
            lists[key] = seen
        if not any(lists.values()):
            pool = [a for a in rec.holds if self.eligible_in(a, sid)]
            lists["reads"] = self.pick(pool, 2)
        for key, items in lists.items():
            for a in items:
                if a not in rec.holds and key != "deletes":
                    q, c = self.copy_quality()
                    captured = key in ("creates", "updates")
                    self.hold(
                        sid,
                        a,
                        "" if captured else "?",
                        role="copy",
                        quality=max(q or 3, 3),
                        coverage=c,
                        freshness="realtime" if captured else None,
                    )
            lists[key] = [a for a in items if a in rec.holds]
        return m.Step(
            name=name,
            actor=actor,
            channel=channel or None,
            system=sid,
            creates=lists["creates"],
            reads=lists["reads"],
            updates=lists["updates"],
            deletes=lists["deletes"],
        )

    def captured_channels(self) -> set[str]:
        return {s.channel for _, s in self.steps if s.channel and any(self.specs[a].ident for a in s.creates)}

    def ensure_capture(self) -> None:
        """Every channel but the planted anonymous ones gets a step that captures an identifier."""
        captured = self.captured_channels()
        for ch, tpl in _CAPTURE_STEPS.items():
            if ch in captured:
                continue
            for _proc, step in self.steps:  # an existing step on the channel that can capture naturally
                rec = self.sys[step.system]
                ids = [
                    a
                    for a in _CHANNEL_IDS[ch]
                    if a in rec.holds
                    and not rec.planted
                    and a not in step.reads + step.updates + step.deletes + step.creates
                ]
                if step.channel == ch and ids:
                    step.creates.append(ids[0])
                    break
            else:
                procs = [p for p in self.processes if len(p.steps) < 8]
                fitting = [p for p in procs if self.proc_fn[p.id] == _CAPTURE_FN[ch]]
                with_ch = [p for p in fitting or procs if any(st.channel == ch for st in p.steps)]
                proc = (with_ch or fitting or procs or self.processes)[0]
                step = self.make_step(tpl, self.lead, proc.owner or self.people[0].id, self.proc_fn[proc.id])
                if step is not None and any(self.specs[a].ident for a in step.creates):
                    proc.steps.append(step)
                    self.steps.append((proc, step))

    def plant_step_not_held(self) -> None:
        k = self.k(0.01, len(self.steps))
        cands = [(p, s) for p, s in self.steps if not self.sys[s.system].planted and s.channel not in _ANONYMOUS]
        self.rng.shuffle(cands)
        done = 0
        for proc, step in cands:
            if done >= k:
                break
            rec = self.sys[step.system]
            ent_pref = ("address", "contact_point", "preference", "customer")
            pool = [
                a
                for a in self.origin
                if a not in rec.holds
                and not self.specs[a].special
                and self.specs[a].entity in ent_pref
                and self.specs[a].core
            ]
            if not pool:
                continue
            aid = self.rng.choice(pool)
            if aid in step.creates or aid in step.reads or aid in step.updates:
                continue
            step.updates.append(aid)
            idx = proc.steps.index(step) + 1
            self.planted["step-not-held"].append(
                {"process": proc.id, "step": idx, "action": "updates", "attribute": aid, "system": step.system}
            )
            done += 1

    # -- identifiers ------------------------------------------------------------
    def ensure_identifiers(self) -> None:
        main = [a for a, s in self.specs.items() if s.ident and not s.special and a in self.origin]
        for sid, rec in self.sys.items():
            if rec.planted:
                continue
            if any(self.specs[a].ident for a in rec.holds):
                continue
            prefer = {"erp": "erp_customer_number", "crmb2b": "crm_account_id", "b2bportal": "crm_account_id"}
            aid = prefer.get(rec.type, "customer_id")
            if aid not in self.origin:
                aid = main[0]
            q, c = self.copy_quality()
            self.hold(sid, aid, "?", role="copy", quality=max(q or 3, 3), coverage=c)

    # -- feeds --------------------------------------------------------------------
    def freq(self, src: str, dst: str) -> str:
        key = (src, dst)
        f = self.feed_freq.get(key)
        if f is None:
            rng = self.rng
            st, dt = self.sys[src].type, self.sys[dst].type
            if st in ("survey", "reviews"):
                f = "weekly"
            elif dt in ("dwh", "rdwh", "lake"):
                f = "daily" if rng.random() < 0.8 else "hourly"
            elif st in ("dwh", "rdwh", "lake"):
                f = "daily"
            elif dt == "cdp" or st == "cdp":
                f = "hourly" if rng.random() < 0.6 else "realtime"
            elif st == "erp" or dt == "erp":
                f = rng.choice(("hourly", "daily"))
            else:
                f = "realtime" if rng.random() < 0.6 else "hourly"
            self.feed_freq[key] = f
        return f

    def add_feed(self, src: str, dst: str, aid: str) -> None:
        assert src != dst
        attrs = self.feeds.setdefault((src, dst), {})
        if aid not in attrs:
            attrs[aid] = None
            self.feed_in.setdefault(aid, []).append((src, dst))
        self.freq(src, dst)

    def build_sync_feeds(self) -> None:
        tier = {"rdwh": 1, "dwh": 2, "cdp": 3, "lake": 4}
        items = sorted(self.upstream.items(), key=lambda kv: tier.get(self.sys[kv[0][0]].type, 5))
        for (sid, aid), up in items:
            h = self.sys[sid].holds[aid]
            origin = self.origin.get(aid)
            if up == "":
                if origin and origin != sid and not self.sys[sid].planted:
                    # captured here: synchronised back to the master
                    self.add_feed(sid, origin, aid)
                if h.freshness is None:
                    h.freshness = "realtime"
                continue
            if up == "?":
                up = self.pick_upstream(sid, aid)
            self.upstream[(sid, aid)] = up
            self.add_feed(up, sid, aid)
            src_f = self.sys[up].holds[aid].freshness or "daily"
            h.freshness = FRESH[max(_r(src_f), _r(self.freq(up, sid)))]

    def pick_upstream(self, sid: str, aid: str) -> str:
        origin = self.origin[aid]
        stype = self.sys[sid].type
        if stype in ("dwh", "rdwh", "lake"):
            if stype == "lake" and aid in self.sys[self.dwh].holds:
                return self.dwh
            region = self.region_of(origin) if sid == self.dwh else None
            return region if region and aid in self.sys[region].holds else origin
        if self.cdp and sid != self.cdp and aid in self.sys[self.cdp].holds and self.rng.random() < 0.85:
            return self.cdp
        if self.is_op(origin) and (self.sys[origin].market in (None, self.sys[sid].market)):
            return origin
        if sid != self.dwh and aid in self.sys[self.dwh].holds:
            return self.dwh
        return origin

    # -- use cases ------------------------------------------------------------------
    def build_use_cases(self) -> None:
        rng = self.rng
        n = self.cfg["use_cases"]
        cands: list[tuple[_UCT, str | None, str]] = []
        if self.scale == "small":
            cands = [(t, self.lead, "") for t in _UC_TEMPLATES[:n]]
        else:
            rounds: list[list] = [[], [], []]
            for t in _UC_TEMPLATES:
                if t.scope == "group":
                    rounds[0].append((t, None, ""))
                else:
                    for i, (code, _) in enumerate(self.markets):
                        rounds[0 if i == 0 else 1].append((t, code, ""))
                if t.cats:
                    markets = [None] if t.scope == "group" else [c for c, _ in self.markets]
                    for code in markets:
                        for cslug, _ in _CATEGORIES:
                            rounds[2].append((t, code, cslug))
            for r in rounds:
                if len(cands) >= n:
                    break
                need = n - len(cands)
                cands += r if len(r) <= need else [r[i] for i in sorted(rng.sample(range(len(r)), need))]
        cat_names = dict(_CATEGORIES)
        self.use_cases: list[m.UseCase] = []
        self.uc_meta: dict[str, dict] = {}
        for t, market, cat in cands[:n]:
            suffix = "-".join(p for p in (cat, market if t.scope != "group" and self.multi else "") if p)
            uid = self.claim(f"{t.key}-{suffix}" if suffix else t.key)
            quals = [q for q in (cat_names.get(cat, ""),) if q]
            title = t.title + (f": {quals[0]}" if quals else "")
            if t.scope != "group" and self.multi:
                title += f" ({self.market_name(market)})"
            mk = market or self.lead
            execs: list[str] = []
            for i, et in enumerate(t.exec):
                if i > 0 and rng.random() < 0.45:
                    continue
                sid = self.resolve(et, mk)
                if sid and sid not in execs:
                    execs.append(sid)
            procs = []
            for pk in t.procs:
                inst = self.proc_index.get(pk, [])
                same = [p for p, pm in inst if pm in (market, None)]
                if same:
                    procs.append(same[0])
                elif inst and rng.random() < 0.5:
                    procs.append(inst[0][0])
            uc = m.UseCase(
                id=uid,
                title=title,
                description=t.desc,
                owner=None,
                function=t.fn,
                channels=list(t.channels),
                value=rng.randint(*t.value),
                effort=rng.randint(1, 5) if rng.random() < 0.8 else None,
                horizon=rng.choices(m.HORIZONS, (40, 35, 25))[0],
                status=rng.choices(m.USE_CASE_STATUSES, (45, 40, 5, 10))[0],
                executes_in=execs,
                processes=procs,
            )
            owner_fn = t.fn if self.people_by_fn.get(t.fn) else ("service" if t.fn == "cx" else t.fn)
            uc.owner = self.person(owner_fn, ("marketing",))
            self.use_cases.append(uc)
            self.uc_meta[uid] = {
                "t": t,
                "cat": cat,
                "target": max(5, min(15, round(rng.triangular(5, 15.99, _NEEDS_MODE[self.scale])))),
            }
        self.fix_channels()
        # planted: orphan, without needs, personal without consent
        ucs = self.use_cases
        k = self.k(0.015, n)
        pref = [u for u in ucs if self.uc_meta[u.id]["t"].key in ("erasure-requests", "access-requests")]
        rest = [u for u in ucs if u not in pref]
        no_needs = (pref[:1] + self.pick(rest, k))[:k]
        self.no_needs = {u.id for u in no_needs}
        self.planted["use-case-without-needs"] = [u.id for u in ucs if u.id in self.no_needs]
        orphans = self.pick([u for u in ucs if u.id not in self.no_needs], self.k(0.02, n))
        for u in orphans:
            u.owner = None
        self.planted["orphan-use-case"] = [u.id for u in ucs if u.owner is None]
        mchan = set(m.DEFAULT_MARKETING_CHANNELS)
        mk_ucs = [u for u in ucs if mchan & set(u.channels) and u.id not in self.no_needs and u.function != "legal"]
        pwc = [u for u in mk_ucs if self.uc_meta[u.id]["t"].key == "click-collect-notify"][:1]
        k = self.k(0.03, len(mk_ucs))
        pwc += self.pick([u for u in mk_ucs if u not in pwc], k - len(pwc))
        self.pwc = {u.id for u in pwc}
        self.build_needs()

    def build_needs(self) -> None:
        rng = self.rng
        ucs = [u for u in self.use_cases if u.id not in self.no_needs]
        chosen: dict[str, dict[str, str]] = {u.id: {} for u in ucs}  # uc -> attr -> criticality
        by_id = {u.id: u for u in ucs}
        target = {u.id: self.uc_meta[u.id]["target"] for u in ucs}
        mchan = set(m.DEFAULT_MARKETING_CHANNELS)
        cap = {u.id: 14 if mchan & set(u.channels) else 15 for u in ucs}  # room for a consent need
        for u in ucs:
            target[u.id] = min(target[u.id], cap[u.id])
        needed_count: dict[str, int] = {a: 0 for a in self.attrs}

        def add(uid: str, aid: str, crit: str) -> bool:
            if aid in chosen[uid] or aid in self.unused or aid not in self.attrs:
                return False
            if uid in self.pwc and self.specs[aid].entity == "consent":
                return False  # planted: personal data on a marketing channel without consent
            chosen[uid][aid] = crit
            needed_count[aid] += 1
            return True

        for u in ucs:
            for aid, crit in self.uc_meta[u.id]["t"].base:
                if len(chosen[u.id]) < target[u.id]:
                    add(u.id, aid, crit)
        slot_index: dict[str, list[str]] = {}
        cat_index: dict[tuple[str, str], list[str]] = {}
        for u in ucs:
            meta = self.uc_meta[u.id]
            for ent in meta["t"].slots:
                slot_index.setdefault(ent, []).append(u.id)
                if meta["cat"]:
                    cat_index.setdefault((ent, meta["cat"]), []).append(u.id)

        def crit_pick() -> str:
            return rng.choices(m.CRITICALITIES, (25, 40, 35))[0]

        def b2b(aid: str) -> bool:
            return aid in _B2B or self.specs[aid].entity == "organization"

        def fits(uid: str, aid: str) -> bool:
            slots = self.uc_meta[uid]["t"].slots
            if b2b(aid):
                return "organization" in slots
            return self.specs[aid].entity in slots + ("contact_point", "consent", "identifier")

        # coverage: every attribute but the unused ones is needed at least once
        order = [a for a in self.attrs if needed_count[a] == 0 and a not in self.unused]
        rng.shuffle(order)
        all_ids = [u.id for u in ucs]
        for aid in order:
            s = self.specs[aid]
            placed = False
            pools = [
                cat_index.get((s.entity, s.cat), []) if s.cat else [],
                [u for u in slot_index.get(s.entity, []) if fits(u, aid)],
            ]
            for pool in pools:
                for _ in range(12):
                    if not pool:
                        break
                    uid = rng.choice(pool)
                    if len(chosen[uid]) < target[uid] and add(uid, aid, crit_pick()):
                        placed = True
                        break
                if placed:
                    break
            if not placed:
                fitting = [u for u in all_ids if fits(u, aid)] or all_ids
                for limit in (target, None):
                    for uid in sorted(fitting, key=lambda x: len(chosen[x]) - (limit or target)[x]):
                        if len(chosen[uid]) < (limit or cap)[uid] and add(uid, aid, crit_pick()):
                            placed = True
                            break
                    if placed:
                        break
        # popular fill up to each use case's target
        groups: dict[tuple[str, bool], tuple[list[str], list[float]]] = {}
        for ent in _ENTITY_ORDER:
            for business in (False, True):
                ids = [
                    a
                    for a, s in self.specs.items()
                    if s.entity == ent
                    and a not in self.unused
                    and a not in self.missing
                    and not s.special
                    and (business or not b2b(a))
                ]
                groups[(ent, business)] = (ids, list(accumulate(self.specs[a].pop for a in ids)))
        for u in ucs:
            slots = self.uc_meta[u.id]["t"].slots
            business = "organization" in slots
            generic = ("contact_point", "consent") if mchan & set(u.channels) else ("contact_point",)
            ents = [e for e in slots + generic if groups[(e, business)][0]]
            tries = 0
            while len(chosen[u.id]) < target[u.id] and tries < 60:
                tries += 1
                ids, cum = groups[(rng.choice(ents), business)]
                aid = rng.choices(ids, cum_weights=cum)[0]
                if aid not in chosen[u.id]:
                    add(u.id, aid, crit_pick())
        # consent for personal data on marketing channels
        for u in ucs:
            chans = [c for c in u.channels if c in mchan]
            if not chans:
                continue
            needs = chosen[u.id]
            personal = any(self.specs[a].sens != "none" for a in needs)
            consent = [a for a in needs if self.specs[a].entity == "consent"]
            if u.id in self.pwc:
                if not personal:
                    add(u.id, "email", "must")
                continue
            if personal and not consent:
                for c in chans:
                    for aid in _OPTIN_FOR.get(c, ("email_optin",)):
                        if aid in self.attrs and aid not in self.missing:
                            add(u.id, aid, "must")
                            break
                    if any(self.specs[a].entity == "consent" for a in needs):
                        break
        self.planted["personal-without-consent"] = [u.id for u in self.use_cases if u.id in self.pwc]
        purposes = _PURPOSES
        for uid, needs in chosen.items():
            u = by_id[uid]
            for aid, crit in needs.items():
                ent = self.specs[aid].entity
                purpose = purposes[ent] if rng.random() < 0.2 else None
                u.needs.append(m.Need(attribute=aid, criticality=crit, purpose=purpose))

    # -- routing ------------------------------------------------------------------------
    def route_needs(self) -> None:
        pairs: dict[tuple[str, str], None] = {}
        for u in self.use_cases:
            for need in u.needs:
                aid = need.attribute
                if aid not in self.origin or not u.executes_in:
                    continue
                if any(aid in self.sys[s].holds for s in u.executes_in):
                    continue
                pairs[(aid, u.executes_in[0])] = None
        plist = [p for p in pairs if not self.specs[p[0]].special]
        k = self.k(0.025, len(plist))
        skip = set(self.pick(plist, k))
        self.unreachable_pairs = [p for p in plist if p in skip] + [p for p in pairs if self.specs[p[0]].special]
        for aid, sid in pairs:
            if (aid, sid) in skip or self.specs[aid].special in ("island", "legacy"):
                continue
            src = self.route_source(aid, sid)
            if src and src != sid:
                self.add_feed(src, sid, aid)

    def route_source(self, aid: str, sid: str) -> str | None:
        stype = self.sys[sid].type
        if self.cdp and aid in self.sys[self.cdp].holds and sid != self.cdp and stype not in ("dwh", "erp", "lake"):
            return self.cdp
        if aid in self.sys[self.dwh].holds and sid != self.dwh:
            return self.dwh
        return self.origin.get(aid)

    # -- freshness --------------------------------------------------------------------------
    def best(self, aid: str) -> dict[str, int]:
        """Best path rank per system for ``aid`` (UNKNOWN when only unknown paths)."""
        dist: dict[str, int] = {}
        heap: list[tuple[int, str]] = []
        for sid, rec in self.sys.items():
            h = rec.holds.get(aid)
            if h is not None:
                r = _r(h.freshness)
                if r < dist.get(sid, 99):
                    dist[sid] = r
                    heapq.heappush(heap, (r, sid))
        out_edges: dict[str, list[str]] = {}
        for src, dst in self.feed_in.get(aid, ()):
            out_edges.setdefault(src, []).append(dst)
        while heap:
            r, sid = heapq.heappop(heap)
            if r > dist.get(sid, 99):
                continue
            for dst in out_edges.get(sid, ()):
                nr = max(r, _r(self.feed_freq[(sid, dst)]))
                if nr < dist.get(dst, 99):
                    dist[dst] = nr
                    heapq.heappush(heap, (nr, dst))
        return dist

    def need_rank(self, u: m.UseCase, aid: str, cache: dict) -> int | None:
        dist = cache.get(aid)
        if dist is None:
            dist = cache[aid] = self.best(aid)
        ranks = [dist[s] for s in u.executes_in if s in dist]
        return min(ranks) if ranks else None

    def set_freshness(self) -> None:
        rng = self.rng
        # planted unknown freshness: an attribute mastered in the system a use case runs in, freshness unknown
        fed_into = {(a, d) for a, edges in self.feed_in.items() for _, d in edges}
        cands: dict[tuple[str, str], list] = {}
        for u in self.use_cases:
            for need in u.needs:
                aid = need.attribute
                o = self.origin.get(aid)
                if (
                    o in u.executes_in
                    and not self.specs[aid].special
                    and not any((aid, s) in fed_into for s in u.executes_in)
                ):
                    cands.setdefault((aid, o), []).append((u, need))
        total_needs = sum(len(u.needs) for u in self.use_cases)
        k = self.k(0.01, total_needs)
        unknown_keys: list[tuple[str, str]] = []
        for key in self.pick(sorted(cands), len(cands)):
            if sum(len(cands[x]) for x in unknown_keys) >= k:
                break
            unknown_keys.append(key)
        for aid, o in unknown_keys:
            self.sys[o].holds[aid].freshness = None
        self.unknown_attrs = {aid for aid, _ in unknown_keys}
        cache: dict[str, dict[str, int]] = {}
        rank: dict[int, int | None] = {}
        for u in self.use_cases:
            for need in u.needs:
                rank[id(need)] = self.need_rank(u, need.attribute, cache)
        # planted stale
        stale_c = [
            (u, n)
            for u in self.use_cases
            for n in u.needs
            if (r := rank[id(n)]) is not None and 1 <= r <= 4 and n.attribute not in self.unknown_attrs
        ]
        stale = self.pick(stale_c, self.k(0.02, total_needs))
        stale_ids = {id(n) for _, n in stale}
        for u, need in stale:
            r = rank[id(need)]
            need.freshness = FRESH[rng.randrange(0, r)]
            self.planted["stale"].append(
                {
                    "use_case": u.id,
                    "attribute": need.attribute,
                    "criticality": need.criticality,
                    "path": FRESH[r],
                    "needed": need.freshness,
                }
            )
        for u in self.use_cases:
            for need in u.needs:
                if id(need) in stale_ids:
                    continue
                r = rank[id(need)]
                if r == _UNKNOWN:
                    need.freshness = rng.choice(("hourly", "daily"))
                    self.planted["unknown-freshness"].append(
                        {"use_case": u.id, "attribute": need.attribute, "criticality": need.criticality}
                    )
                elif r is None:
                    need.freshness = rng.choice(("daily", "weekly")) if rng.random() < 0.5 else None
                elif rng.random() < 0.3:
                    need.freshness = None
                else:
                    need.freshness = FRESH[min(4, r + rng.choice((0, 0, 0, 1, 1, 2)))]
        for u in self.use_cases:
            for need in u.needs:
                if rank[id(need)] is None:
                    rule = "unreachable" if need.attribute in self.origin else "missing-source"
                    self.planted[rule].append(
                        {"use_case": u.id, "attribute": need.attribute, "criticality": need.criticality}
                    )

    # -- owners ----------------------------------------------------------------------------------
    def assign_owners(self) -> None:
        writers: dict[str, dict[str, int]] = {}
        for proc, step in self.steps:
            fn = self.proc_fn[proc.id]
            for aid in step.creates + step.updates:
                w = writers.setdefault(aid, {})
                w[fn] = w.get(fn, 0) + 1
        self.writers = writers
        for aid, attr in self.attrs.items():
            w = writers.get(aid)
            if w:
                top = max(sorted(w), key=lambda f: w[f])
                attr.owner = self.person(top, ())
            else:
                attr.owner = self.person(_ENTITY_OWNER[self.specs[aid].entity], ("marketing",))
        needed = [a for a in self.attrs if a not in self.unused]
        # contested: written by 2+ functions, owned outside them
        multi = [a for a in needed if len(writers.get(a, {})) >= 2]
        contested = self.pick(multi, self.k(0.1, len(multi)))
        for aid in contested:
            outside = [
                f
                for f in ("finance", "legal", "data", "it", "marketing", "sales", "service", "operations")
                if f not in writers[aid] and self.people_by_fn.get(f)
            ]
            self.attrs[aid].owner = self.person(outside[0], ())
        self.planted["contested"] = [a for a in self.attrs if a in set(contested)]
        self.reserved = set(contested)
        single = [a for a in needed if len(writers.get(a, {})) <= 1 and a not in self.reserved]
        no_owner = self.pick(single, self.k(0.015, len(needed)))
        for aid in no_owner:
            self.attrs[aid].owner = None
        self.reserved |= set(no_owner)
        self.planted["no-owner"] = [a for a in self.attrs if a in set(no_owner)]

    # -- attribute-level plants -----------------------------------------------------------------
    def holders(self, aid: str) -> list[_Sys]:
        return [rec for rec in self.sys.values() if aid in rec.holds]

    def plant_attribute_gaps(self) -> None:
        rng = self.rng
        needed = [
            a
            for a in self.attrs
            if a not in self.unused and a in self.origin and not self.specs[a].special and a not in self.unknown_attrs
        ]
        n = len(needed)
        taken = set(self.reserved)
        holders = {a: self.holders(a) for a in needed}

        def take(pool: list[str], k: int) -> list[str]:
            pool = [a for a in pool if a not in taken]
            got = self.pick(pool, k)
            taken.update(got)
            return [a for a in needed if a in set(got)]

        multi = [a for a in needed if len(holders[a]) >= 2]
        for aid in take(multi, self.k(0.015, n)):
            for rec in holders[aid]:
                if rec.holds[aid].role == "master":
                    rec.holds[aid].role = "copy"
            self.planted["no-master"].append(aid)
        for aid in take([a for a in multi if len(holders[a]) >= 3], self.k(0.01, n)):
            second = [r for r in holders[aid] if r.holds[aid].role != "master" and r.type not in _HUBS]
            second = second or [r for r in holders[aid] if r.holds[aid].role != "master"]
            second[0].holds[aid].role = "master"
            self.planted["many-masters"].append(
                {"attribute": aid, "masters": [r.id for r in holders[aid] if r.holds[aid].role == "master"]}
            )
        alt_type = {
            "date": "string",
            "datetime": "date",
            "decimal": "string",
            "integer": "string",
            "money": "decimal",
            "boolean": "string",
            "enum": "string",
            "id": "string",
        }
        for aid in take(multi, self.k(0.015, n)):
            a = self.attrs[aid]
            recs = holders[aid][:2] if len(holders[aid]) < 3 else self.pick(holders[aid], 2)
            if a.type in alt_type and rng.random() < 0.4:
                recs[0].holds[aid].type = alt_type[a.type]
                recs[1].holds[aid].type = a.type
                detail = "type"
            else:
                recs[0].holds[
                    aid
                ].definition = (
                    f"{a.name} as {recs[0].obj.name} records it: the value the customer last gave in this system."
                )
                recs[1].holds[
                    aid
                ].definition = f"{a.name} as {recs[1].obj.name} derives it, from the most recent source it receives."
                detail = "definition"
            self.planted["definition-conflict"].append(
                {"attribute": aid, "detail": detail, "systems": [r.id for r in recs]}
            )
        for aid in take(needed, self.k(0.015, n)):
            for rec in holders[aid]:
                rec.holds[aid].quality = rng.choice((1, 2))
            self.planted["low-quality"].append(aid)
        for aid in take(needed, self.k(0.01, n)):
            for rec in holders[aid]:
                rec.holds[aid].coverage = round(rng.uniform(0.05, 0.45), 2)
            self.planted["low-coverage"].append(aid)

    # -- channels -------------------------------------------------------------------------------
    def fix_channels(self) -> None:
        used_by_steps = {s.channel for _, s in self.steps if s.channel}
        captured = self.captured_channels()
        for u in self.use_cases:
            kept = [c for c in u.channels if c in captured or c in _ANONYMOUS]
            if u.channels and not kept:
                kept = ["web"] if "web" in captured else sorted(captured)[:1]
            u.channels = kept
        used = {c for u in self.use_cases for c in u.channels} | used_by_steps
        self.planted["anonymous-channel"] = [c for c in m.DEFAULT_CHANNELS if c in used and c in _ANONYMOUS]
        self.planted["unrepresented-function"] = ["cx"]

    # -- notes ------------------------------------------------------------------------------------
    def build_notes(self) -> None:
        rng = self.rng
        n = self.cfg["notes"]
        p = self.planted
        A = {aid: _Named(_lower_first(a.name), a.effective_sensitivity) for aid, a in self.attrs.items()}
        ucs = {u.id: u for u in self.use_cases}
        by = self.person
        notes: list[m.Note] = []

        def note(kind: str, text: str, about: list[str], fn: str, status: str = "open") -> None:
            prefix = {"question": "q", "risk": "r", "decision": "d", "idea": "i", "parking": "p"}[kind]
            nid = self.claim(f"{prefix}-{len(notes) + 1:03d}")
            notes.append(m.Note(id=nid, kind=kind, text=text, about=about, by=by(fn), status=status))

        makers = []
        for aid in dict.fromkeys(item["attribute"] for item in p["missing-source"]):
            makers.append(
                lambda aid=aid: note(
                    "risk",
                    f"None of our systems keeps {A[aid].name}. Use cases that need it cannot start "
                    "until a process captures it.",
                    [aid],
                    "legal" if self.specs[aid].entity == "consent" else "data",
                )
            )
        for aid in p["no-owner"]:
            makers.append(
                lambda aid=aid: note(
                    "question",
                    f"Who owns {A[aid].name}? Several teams use it and nobody feels responsible for its quality.",
                    [aid],
                    "data",
                )
            )
        for item in p["many-masters"]:
            makers.append(
                lambda item=item: note(
                    "risk",
                    f"{' and '.join(self.sys[s].obj.name for s in item['masters'])} both consider themselves "
                    f"master of {A[item['attribute']].name}.",
                    [item["attribute"]] + item["masters"],
                    "it",
                )
            )
        for item in p["definition-conflict"]:
            makers.append(
                lambda item=item: note(
                    "question",
                    f"What does {A[item['attribute']].name} mean? The systems disagree on its {item['detail']}.",
                    [item["attribute"]] + item["systems"],
                    "data",
                )
            )
        for sid in p["identity-island"]:
            makers.append(
                lambda sid=sid: note(
                    "risk",
                    f"{self.sys[sid].obj.name} cannot be linked to the other systems: it shares no customer "
                    "identifier with them.",
                    [sid],
                    "data",
                )
            )
        for uid in p["orphan-use-case"]:
            makers.append(
                lambda uid=uid: note(
                    "question",
                    f"Who sponsors '{ucs[uid].title}'? Nobody claimed it on the workshop day.",
                    [uid],
                    "marketing",
                )
            )
        for aid in p["unused-attribute"]:
            makers.append(
                lambda aid=aid: note(
                    "idea",
                    f"Stop copying {A[aid].name} around: no use case needs it"
                    + (", and we must minimise personal data." if A[aid].sens != "none" else "."),
                    [aid],
                    "legal" if A[aid].sens != "none" else "data",
                )
            )
        for uid in p["personal-without-consent"][:1]:
            makers.append(
                lambda uid=uid: note(
                    "decision",
                    f"'{ucs[uid].title}' sends service messages; they need no marketing consent as long "
                    "as they contain no offers.",
                    [uid],
                    "legal",
                    "closed",
                )
            )
        for item in p["stale"][:3]:
            makers.append(
                lambda item=item: note(
                    "idea",
                    f"Move {A[item['attribute']].name} to a faster feed: it arrives {item['path']} "
                    f"but is needed {item['needed']}.",
                    [item["attribute"], item["use_case"]],
                    "it",
                )
            )
        rng.shuffle(makers)
        for make in makers[:n]:
            make()
        generic = [
            ("parking", "Revisit after the platform decision in the spring.", "it"),
            ("question", "Can the business case be quantified per market?", "finance"),
            ("idea", "Pilot in one market first and measure the uplift.", "marketing"),
            ("decision", "Agreed as a priority for the next quarter.", "marketing"),
            ("risk", "Depends on the integration team, which is fully booked until summer.", "it"),
        ]
        while len(notes) < n:
            kind, text, fn = rng.choice(generic)
            u = rng.choice(self.use_cases)
            note(kind, text, [u.id], fn, "closed" if kind == "decision" else "open")
        self.notes = notes[:n]

    # -- assembly ------------------------------------------------------------------------------------
    def build(self) -> Synthetic:
        self.build_stakeholders()
        self.build_systems()
        self.build_attributes()
        self.build_holdings()
        self.build_processes()
        self.ensure_capture()
        self.plant_step_not_held()
        self.ensure_identifiers()
        self.build_sync_feeds()
        self.build_use_cases()
        self.route_needs()
        self.set_freshness()
        self.assign_owners()
        self.plant_attribute_gaps()
        self.build_notes()
        return Synthetic(self.assemble(), self.planted)

    def system_order(self, rec: _Sys) -> int:
        return 2 if rec.planted else 1 if rec.type in _HUBS else 0

    def assemble(self) -> m.Workshop:
        rng = self.rng
        org = rng.choice(_ORGS)
        start = _dt.date(2026, 1, 5) + _dt.timedelta(days=7 * rng.randrange(0, 44))
        days = {"small": 2, "medium": 3, "enterprise": 4}[self.scale]
        dates = [start + _dt.timedelta(days=7 * i) for i in range(days)]
        countries = ", ".join(name for _, name in self.markets)
        for rec in self.sys.values():
            rec.obj.holds = list(rec.holds.values())
        for (src, dst), attrs in self.feeds.items():
            self.sys[src].obj.feeds.append(m.Feed(to=dst, attributes=list(attrs), frequency=self.feed_freq[(src, dst)]))
        header = (
            f"Synthetic needsmap workshop: needsmap generate --scale {self.scale} --seed {self.seed}\n"
            "The organisation, its people and its suppliers are fictional. Gaps of every kind are planted\n"
            "on purpose; see the needsmap.synthetic.builder module for what and how many."
        )
        return m.Workshop(
            workshop=m.WorkshopInfo(
                name=f"Customer data discovery - {org}",
                organization=org,
                dates=dates,
                facilitator=self.facilitator,
                scope=f"{org} sells furniture, textiles and home accessories in stores, a web shop and an app"
                f" ({countries}). These sessions mapped what each department needs from customer data, "
                "where that data lives today and who owns it.",
            ),
            settings=m.Settings(min_quality=m.DEFAULT_MIN_QUALITY, min_coverage=m.DEFAULT_MIN_COVERAGE),
            functions=list(m.DEFAULT_FUNCTIONS),
            channels=list(m.DEFAULT_CHANNELS),
            stakeholders=self.people,
            attributes=list(self.attrs.values()),
            systems=[rec.obj for rec in sorted(self.sys.values(), key=self.system_order)],
            use_cases=self.use_cases,
            processes=self.processes,
            notes=self.notes,
            header=header,
        )


_PLANTED_TYPES = frozenset(t for group in _PLANTED_SYSTEMS.values() for t, _ in group)
