"""The catalogue of gap rules: stable codes, slugs, severities, why and what to do.

The checks themselves live in :mod:`needsmap.analysis.engine`; this module is the
contract with users (docs/rules.md documents every entry, a test keeps the two
in step) and with tools (codes and slugs never change meaning; new rules get
new codes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    slug: str
    title: str
    severity: str  # the usual severity; some rules grade it (see `graded`)
    why: str
    fix: str
    graded: str = ""  # how the severity is chosen when it varies


_RULES = (
    Rule(
        "NM101",
        "missing-source",
        "Needed but held nowhere",
        "error",
        "A use case cannot run on data that no system captures or stores.",
        "Decide where the attribute should be captured and mastered; add the holding and the process step "
        "that creates it, or drop the need.",
        "error when a use case must have it, warning when it should, info when it could",
    ),
    Rule(
        "NM102",
        "stale",
        "Not fresh enough where it is used",
        "warning",
        "The data reaches the use case, but later than the use case needs it (a feed chain is as slow as "
        "its slowest hop), so messages go out on yesterday's truth.",
        "Speed up the slowest hop of the path (a more frequent or event-driven feed), hold the attribute in "
        "the executing system, or relax the need.",
        "warning for must-needs, info otherwise",
    ),
    Rule(
        "NM103",
        "unknown-freshness",
        "Freshness unknown",
        "info",
        "The use case states how fresh the data must be, but nobody knows how fresh it is on the way there.",
        "Ask the system owners how often the holding is refreshed and the feed runs; record freshness and frequency.",
    ),
    Rule(
        "NM104",
        "low-quality",
        "Quality below the threshold everywhere",
        "warning",
        "Every system that holds the attribute rates its quality below settings.min_quality, so no source "
        "can be trusted for it.",
        "Appoint the owner to fix quality at the source (validation at capture, clean-up), or raise it in "
        "the system that should become master.",
    ),
    Rule(
        "NM105",
        "low-coverage",
        "Filled for too few customers everywhere",
        "warning",
        "Every holding is filled for fewer customers than settings.min_coverage, so the use case reaches "
        "only part of its audience.",
        "Add a capture moment to a process (a step that creates it) or enrich it from another source.",
    ),
    Rule(
        "NM106",
        "unreachable",
        "Held, but never reaches the system that needs it",
        "error",
        "The attribute exists somewhere, but is neither held in nor fed into any system the use case runs "
        "in: the classic silo.",
        "Add the attribute to a feed into the executing system (often an existing feed), or hold it there.",
        "error when a use case must have it, warning when it should, info when it could",
    ),
    Rule(
        "NM107",
        "no-master",
        "Several copies, no master",
        "warning",
        "Held in several systems and none is the master: when the copies disagree, nobody knows which one "
        "is right (the single source of truth is an illusion here).",
        "Decide which system masters the attribute (role: master) and how the others get their copy.",
    ),
    Rule(
        "NM108",
        "many-masters",
        "Several masters",
        "warning",
        "Two or more systems each claim to be the master; their values will drift apart.",
        "Choose one master, or split the attribute into distinct attributes if they really mean different things.",
    ),
    Rule(
        "NM109",
        "definition-conflict",
        "Systems disagree on what it means",
        "warning",
        "A system holds the attribute with a local type or definition that differs from the workshop's or "
        "from another system's: the same word, different data. Merging it silently produces wrong answers.",
        "Agree a definition with the owner; map or convert local variants, or model them as separate "
        "attributes. Record the decision as a note.",
    ),
    Rule(
        "NM110",
        "no-owner",
        "Needed but nobody owns it",
        "warning",
        "Without an owner nobody decides its definition, quality or priorities across departments.",
        "Appoint an owner (attribute owner) from the function that lives with its quality.",
    ),
    Rule(
        "NM111",
        "contested",
        "Ownership contested",
        "warning",
        "Processes of several functions create or update the attribute and nobody owns it, or its owner's "
        "function never writes it: decisions about it will be fought over or ignored.",
        "Appoint an owner from a function that writes it, and agree who may change it.",
    ),
    Rule(
        "NM112",
        "identity-island",
        "Customers cannot be recognised across systems",
        "warning",
        "These systems share no identifier with the rest, so their customers cannot be matched to the same "
        "person elsewhere: the customer stays a stranger there.",
        "Hold a shared identifier (customer number, loyalty id, e-mail hash...) in these systems, as the "
        "other systems do, and keep it filled by a process step or a feed.",
        "error when the island holds attributes that use cases need, warning otherwise",
    ),
    Rule(
        "NM113",
        "no-identifier",
        "Customer data without any identifier",
        "warning",
        "The system holds customer data but no attribute that identifies a customer, so nothing it holds "
        "can be tied to a known customer.",
        "Capture an identifier in this system, or stop holding customer data there.",
    ),
    Rule(
        "NM114",
        "anonymous-channel",
        "Customers stay anonymous on a channel",
        "warning",
        "A channel is used, but no process step on it captures an identifier: customers who come this way "
        "are strangers every time.",
        "Add a process step on this channel that captures (creates) an identifier: a sign-up, a loyalty card "
        "issued, an e-mail address asked for.",
    ),
    Rule(
        "NM115",
        "step-not-held",
        "A step uses data its system does not hold",
        "warning",
        "The process says a step creates, reads or updates an attribute in a system that does not hold it: "
        "either the process description or the system landscape is wrong.",
        "Add the holding to the system, or correct the step's system or attributes.",
    ),
    Rule(
        "NM116",
        "unrepresented-function",
        "A function is not in the room",
        "warning",
        "Use cases serve a function (their function field) but no stakeholder of that function is in the "
        "workshop: its needs are guessed by others.",
        "Invite a stakeholder of that function, or reassign the items.",
        "warning when the function owns something, info when it merely has no stakeholder",
    ),
    Rule(
        "NM117",
        "orphan-use-case",
        "Use case without owner",
        "warning",
        "Nobody in the business asks for it: it will not be prioritised or funded.",
        "Find the stakeholder who owns the outcome, or reject the use case.",
    ),
    Rule(
        "NM118",
        "use-case-without-needs",
        "Use case without needs",
        "warning",
        "Without its needs, nothing can be said about whether the data is there.",
        "List the attributes the use case needs, with must / should / could.",
    ),
    Rule(
        "NM119",
        "unused-attribute",
        "Held or defined, needed by nobody",
        "info",
        "No use case needs it: a data-minimisation candidate (less to secure, less to explain to the "
        "regulator), or a need nobody has voiced yet.",
        "Ask whether anyone needs it; if not, stop capturing it (especially when it is personal).",
    ),
    Rule(
        "NM120",
        "personal-without-consent",
        "Personal data on a marketing channel without consent",
        "warning",
        "The use case contacts customers on a marketing channel with personal data, but needs no consent "
        "attribute: nothing shows the customer agreed.",
        "Add the relevant consent (an attribute of entity consent) to the use case's needs. If another legal "
        "basis applies (a transactional message), record it as a decision note about the use case.",
        "error when sensitive attributes are involved, warning for personal ones",
    ),
    Rule(
        "NM121",
        "consent-mismatch",
        "The consent does not cover the use",
        "error",
        "The use case relies on consent, but none of the consents it needs covers its purpose and every "
        "outbound channel it uses: an e-mail opt-in is no permission to text or call.",
        "Need the consent that covers this purpose on these channels (or capture it), or record the lawful "
        "basis the use case really rests on.",
    ),
    Rule(
        "NM122",
        "special-category-without-basis",
        "Special-category data without an Art. 9 condition",
        "error",
        "Health and other special-category data (GDPR Art. 9) may only be used under a recorded condition: "
        "explicit consent that covers the use, a contract the law allows it for, a legal obligation, vital "
        "interest or a public task. Legitimate interest is never enough.",
        "Record the condition (lawful_basis, with a covering consent when it is consent), or drop the "
        "special-category need.",
    ),
    Rule(
        "NM123",
        "held-beyond-need",
        "Personal data copied where nothing needs it",
        "warning",
        "A copy of personal data in a system where no use case, process step or derived value uses it is "
        "risk without benefit: more to secure, more to explain, more to erase.",
        "Stop feeding it there and remove the copy, or record the use case or step that needs it there.",
        "warning for sensitive or special-category data, info for other personal data",
    ),
    Rule(
        "NM124",
        "copy-never-reaches-master",
        "A change written into a copy never reaches the master",
        "warning",
        "A process step writes the attribute into a system's copy, but no chain of feeds carries it from "
        "there to its master: the change is overwritten at the next refresh, or lives on beside the master.",
        "Feed the attribute from that system towards its master, or have the step write to the master.",
    ),
    Rule(
        "NM125",
        "feed-without-source",
        "A feed lists what its source never has",
        "warning",
        "The feed names the attribute, but its source system neither holds it nor receives it: the lineage "
        "everyone reads from the landscape is not real, and whatever relies on the feed gets nothing.",
        "Hold the attribute in the source system, feed it in there first, or take it off the feed.",
    ),
    Rule(
        "NM126",
        "non-person-identifier",
        "An identifier of no person links an island",
        "warning",
        "The only key between a system and the rest identifies a device, an account, a contract or a "
        "household, not a person: matched as a person, it ties one person's data to another (the meter stays "
        "when the occupier moves; the family shares a policy).",
        "Hold an identifier of a person in that system as well, or record which person each of these keys "
        "belongs to, and since when.",
    ),
    Rule(
        "NM127",
        "no-executes-in",
        "Where the use case runs is not recorded",
        "warning",
        "Without executes_in nobody can tell whether the data it needs reaches it: readiness can check only "
        "that the data exists somewhere.",
        "Add executes_in: the systems where the use case runs.",
    ),
)

RULES: dict[str, Rule] = {r.slug: r for r in _RULES}
RULE_ORDER: dict[str, int] = {r.slug: i for i, r in enumerate(_RULES)}
