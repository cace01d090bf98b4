"""The synthetic workshops' vocabulary: the data the builder draws from.

Markets, organisation and people names, roles, system kinds per market and per group,
the planted odd systems, entities and their tables, the hand-written core customer
attributes (:func:`core_attributes`) and the templated warehouse features
(:func:`long_tail`), use-case and process templates, and what each channel captures.
The hand-written records (core attributes, use-case, process and capture-step
templates) are data: ``vocabulary.yaml`` beside this module, read once on import.
Nothing here draws a random number except :func:`long_tail`, which is given its
generator; :mod:`needsmap.synthetic.builder` puts it all together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from needsmap.format import model as m

#: The hand-written records, as ``vocabulary.yaml`` spells them (lists where the code uses tuples).
_DATA: dict[str, Any] = yaml.load(
    resources.files("needsmap.synthetic").joinpath("vocabulary.yaml").read_text(encoding="utf-8"),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
)

#: Counts per scale.  All but ``links`` are produced exactly; ``links`` is the
#: approximate number of references the shape yields (see :func:`needsmap.synthetic.builder.count_links`).
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

#: The gap rules (:mod:`needsmap.analysis.rules`) that every generated workshop contains.
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

FRESH: tuple[m.Freshness, ...] = ("realtime", "hourly", "daily", "weekly", "monthly")
UNKNOWN_RANK = 5  # rank of an unknown freshness: worse than any known one

# --------------------------------------------------------------------------- vocabularies
MARKETS = (
    ("nl", "Netherlands"),
    ("be", "Belgium"),
    ("de", "Germany"),
    ("fr", "France"),
    ("uk", "United Kingdom"),
    ("at", "Austria"),
    ("dk", "Denmark"),
    ("es", "Spain"),
)
REGIONS = (("benelux", "Benelux", ("nl", "be")), ("dach", "DACH", ("de", "at")))
ORGS = (
    "Nordhaven Living",
    "Casa Lumen",
    "Linde & Loom",
    "Woonwerk Group",
    "Maison Brielle",
    "Vondel Home",
    "Kade & Co",
    "Hjem Interiors",
)
FIRST = (
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
LAST = (
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
PEOPLE_FUNCTIONS = (
    ("marketing", 0.2),
    ("sales", 0.17),
    ("service", 0.13),
    ("it", 0.13),
    ("data", 0.12),
    ("operations", 0.1),
    ("finance", 0.08),
    ("legal", 0.07),
)
ROLES = {
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
PEOPLE_NOTES = {
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
SYS = {
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
HUBS = ("dwh", "rdwh", "lake", "cdp")
GROUP_TYPES = {
    "small": ("dwh",),
    "medium": ("dwh", "cdp", "crmb2b", "erp"),
    "enterprise": ("dwh", "cdp", "crmb2b", "erp"),
}
MARKET_TYPES = {
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
PLANTED_SYSTEMS = {
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
EXTRA_TYPES = ("rdwh", "rdwh", "consent", "b2bportal", "lake", "printmail", "outlet")
FALLBACK = {
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
OBJECTS = {
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
TABLES = {
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
ENTITY_ORDER = (
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
ENTITY_OWNER = {
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
PURPOSES = {
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
B2B = frozenset(("crm_account_id", "erp_customer_number", "work_email", "kvk_number", "duns_number"))
CAPTURE_FN = {
    "web": "sales",
    "app": "sales",
    "email": "marketing",
    "sms": "marketing",
    "store": "operations",
    "call_center": "service",
    "field_sales": "sales",
    "post": "marketing",
}
NEEDS_MODE = {"small": 8, "medium": 12, "enterprise": 13}
CATEGORIES = (
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
class AttributeSpec:
    """An attribute before it is placed: what it is and where it comes from."""

    id: str
    name: str
    entity: str
    type: m.AttrType
    definition: str
    sens: m.Sensitivity = "none"
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


def _tuples(record: dict[str, Any]) -> dict[str, Any]:
    """A record's fields with YAML's lists made the tuples the specs hold."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}


def core_attributes() -> list[AttributeSpec]:
    """The hand-written core attributes, in order: fresh specs each call (the builder renames them)."""
    return [AttributeSpec(**_tuples(a)) for a in _DATA["attributes"]]


def long_tail(rng: random.Random) -> tuple[list[AttributeSpec], list[AttributeSpec]]:
    """Templated warehouse features: (not order metrics, order metrics)."""
    other: list[AttributeSpec] = []
    orders: list[AttributeSpec] = []
    A = AttributeSpec
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
    cats = (("", ""),) + CATEGORIES
    metrics: tuple[tuple[str, str, m.AttrType, m.Sensitivity, str], ...] = (
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
    for cslug, cname in CATEGORIES:
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
    for cslug, cname in CATEGORIES:
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
        score_rows: tuple[tuple[str, str, m.AttrType, str], ...] = (
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
        )
        for kind, kname, ktype, kdef in score_rows:
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
    segment_rows: tuple[tuple[str, str, m.AttrType, tuple[str, ...]], ...] = (
        ("value_segment", "Value segment", "enum", ("low", "mid", "high", "top")),
        ("lifestage_segment", "Life stage", "enum", ("starter", "family", "empty_nester", "senior")),
        ("price_sensitivity", "Price sensitivity", "enum", ("low", "medium", "high")),
        ("rfm_score", "RFM score", "integer", ()),
        ("recency_score", "Recency score", "integer", ()),
        ("frequency_score", "Frequency score", "integer", ()),
        ("monetary_score", "Monetary score", "integer", ()),
        ("omnichannel_segment", "Channel mix segment", "enum", ("online_only", "store_only", "omnichannel")),
    )
    for sid, sname, stype, svals in segment_rows:
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
        address_parts: tuple[tuple[str, str, m.AttrType], ...] = (
            ("street", "street and house number", "string"),
            ("house_number", "house number", "string"),
            ("postal_code", "postal code", "string"),
            ("city", "city", "string"),
            ("region", "region", "string"),
            ("country", "country", "country"),
            ("validated", "validated", "boolean"),
            ("latitude", "latitude", "decimal"),
            ("longitude", "longitude", "decimal"),
        )
        for part, pname, ptype in address_parts:
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
    contact_rows: tuple[tuple[str, str, m.AttrType, str, str], ...] = (
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
    )
    for aid, name, typ, d, origin in contact_rows:
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
    household_rows: tuple[tuple[str, str, m.AttrType, str, m.Sensitivity, tuple[str, ...]], ...] = (
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
    )
    for aid, name, typ, d, sens, vals in household_rows:
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
    organization_rows: tuple[tuple[str, str, m.AttrType, str, str, tuple[str, ...]], ...] = (
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
    )
    for aid, name, typ, d, origin, vals in organization_rows:
        other.append(A(aid, name, "organization", typ, d, values=vals, origin=(origin,), core=False, pop=0.4))
    return other, orders


# --------------------------------------------------------------------------- use case and process templates
@dataclass(frozen=True, slots=True)
class UseCaseTemplate:
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


def _use_case(data: dict[str, Any]) -> UseCaseTemplate:
    return UseCaseTemplate(**{**_tuples(data), "base": tuple(data["base"].items())})


# A step: (name, actor, channel, system type, creates, reads, updates, deletes); "@entity" picks attributes of
# that entity the system holds; actor "@type" is the system's name, "@owner"/"@fn" a stakeholder.
StepTemplate = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _step(data: dict[str, Any]) -> StepTemplate:
    return (
        data["name"],
        data["actor"],
        data["channel"],
        data["system"],
        *(tuple(data.get(verb, ())) for verb in ("creates", "reads", "updates", "deletes")),
    )


UC_TEMPLATES: tuple[UseCaseTemplate, ...] = tuple(_use_case(t) for t in _DATA["use_cases"])
PROC_TEMPLATES: tuple[tuple[str, str, str, str, str, tuple[StepTemplate, ...]], ...] = tuple(
    (p["key"], p["fn"], p["scope"], p["title"], p["desc"], tuple(_step(s) for s in p["steps"]))
    for p in _DATA["processes"]
)
PROC_VARIANTS = (("pilot", "pilot of the new platform"), ("legacy", "legacy flow, being phased out"))
SMALL_PROCS = ("loyalty-signup", "online-checkout", "store-purchase", "service-contact", "preference-centre")

#: Channel -> identifiers a step on it would typically capture.
CHANNEL_IDS = {
    "web": ("customer_id", "email"),
    "app": ("app_device_id", "loyalty_number", "customer_id"),
    "email": ("email",),
    "sms": ("mobile_phone",),
    "store": ("loyalty_number", "email"),
    "call_center": ("service_contact_id", "mobile_phone"),
    "field_sales": ("crm_account_id", "kvk_number"),
    "post": ("loyalty_number",),
}
ANONYMOUS = ("chat", "social")
#: A step that captures an identifier on a channel, for channels the sampled steps left without one.
CAPTURE_STEPS: dict[str, StepTemplate] = {ch: _step(s) for ch, s in _DATA["capture_steps"].items()}
OPTIN_FOR = {
    "email": ("email_optin",),
    "sms": ("sms_optin",),
    "app": ("push_optin", "profiling_consent"),
    "post": ("post_optin", "email_optin"),
    "social": ("third_party_consent", "profiling_consent"),
}
