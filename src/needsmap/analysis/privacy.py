"""Privacy rules: consent per purpose and channel, special-category data, data held beyond need.

:func:`privacy_rules` runs four rules over the lookup tables of the engine and returns the consent
part of each use case's readiness:

- ``personal-without-consent`` (NM120): a use case contacts people on an outbound channel
  (``settings.marketing_channels``) with personal data, needs no consent attribute, and records no
  lawful basis other than consent;
- ``consent-mismatch`` (NM121): a use case relies on consent and needs consent attributes that say
  what they cover, and none of them covers its purpose and every outbound channel it uses;
- ``special-category-without-basis`` (NM122): a use case needs special-category data (GDPR Art. 9)
  without a condition that allows it: a covering consent relied on, or a lawful basis of contract,
  legal obligation, vital interest or public task;
- ``held-beyond-need`` (NM123): a copy of personal or sensitive data, not an identifier, in a system
  where nothing needs it.

What is not recorded is not judged: a use case without ``purpose`` is not checked on purpose, a
consent that records neither ``purposes`` nor ``channels`` says nothing to check against, so workshops
written before these fields existed read as they did. docs/rules.md describes each rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from needsmap.format import model as m

if TYPE_CHECKING:
    from collections.abc import Iterable

    from needsmap.analysis.engine import Index

#: The lawful bases that are also a condition of GDPR Art. 9(2) for special-category data, without a consent
#: that covers the use case: a contract is taken as the recorded decision that the member-state law allowing
#: it applies (an insurer assessing claims, a utility's priority services).
ART9_BASES = frozenset({"contract", "legal-obligation", "vital-interest", "public-task"})
#: The readiness statuses of the consent part, best first.
STATUSES = ("ok", "at-risk", "blocked")


class GapSink(Protocol):
    """Where a rule reports a finding (the engine's ``_Analyser.gap``)."""

    def __call__(
        self,
        rule: str,
        severity: str,
        subjects: Iterable[tuple[str, str]],
        message: str,
        action: str,
        use_cases: Iterable[str] = (),
        details: dict[str, Any] | None = None,
        where: tuple[int, int] | None = None,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class ConsentPart:
    """The consent part of a use case's readiness."""

    status: str  # "ok" | "at-risk" | "blocked"
    reasons: tuple[str, ...]  # slugs of the findings behind it, blocking ones first; empty when ok


OK = ConsentPart("ok", ())


def _where(item: object) -> tuple[int, int] | None:
    return m.loc_position(getattr(item, "loc", None))


def _names(ids: Iterable[str]) -> str:
    listed = list(ids)
    return ("; " if any("," in n for n in listed) else ", ").join(listed)


def uncovered(consent: m.Attribute, purpose: str | None, outbound: Iterable[str]) -> tuple[list[str], list[str]]:
    """What ``consent`` does not cover of a use case: (purposes, channels), both empty when it covers it.

    The purpose is checked only when both the use case and the consent record purposes; every outbound
    channel must be among the consent's channels (a consent that names no channel covers none).
    """
    purposes = [purpose] if purpose and consent.purposes and purpose not in consent.purposes else []
    return purposes, [ch for ch in outbound if ch not in consent.channels]


_Finding = tuple[Any, ...]  # the arguments of one GapSink call
_Call = tuple[tuple[Any, ...], dict[str, Any]]  # the arguments and keyword arguments of one GapSink call


class _Recorder:
    """A GapSink that keeps the calls, to replay them later."""

    def __init__(self) -> None:
        self.calls: list[_Call] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((args, kwargs))


class PrivacyMemo:
    """What the privacy rules found in the last version, for an analyser that sees successive versions.

    A use case's consent findings read the use case itself, the attributes and the outbound channels;
    the candidates for held-beyond-need (personal copies, not identifiers) read the systems and the
    attributes.  The engine says which of those are the same objects as last time (see
    :mod:`needsmap.analysis.replaced`) and the memo gives back what they produced.
    """

    def __init__(self) -> None:
        #: use case id -> (the use case object, its consent part, its findings)
        self.use_cases: dict[str, tuple[m.UseCase, ConsentPart, tuple[_Call, ...]]] = {}
        #: (system id, system object, holding, attribute) of every personal copy that is not an identifier
        self.copies: list[tuple[str, m.System, m.Holding, m.Attribute]] | None = None
        #: the same, per system: (the system object, its copies)
        self.copies_of: dict[str, tuple[m.System, list[tuple[str, m.System, m.Holding, m.Attribute]]]] = {}
        #: (system id, attribute id) -> the finding's arguments but its location-free parts
        self.copy_findings: dict[tuple[str, str], _Finding] = {}


def privacy_rules(
    ix: Index,
    gap: GapSink,
    memo: PrivacyMemo | None = None,
    same: frozenset[str] = frozenset(),
    touched: frozenset[str] | None = None,
) -> dict[str, ConsentPart]:
    """Run NM120 (refined), NM121, NM122, NM123 over the index; report findings through ``gap``.

    Returns the consent part of readiness for every non-rejected use case (by id).  With ``memo`` (kept
    by the caller across versions) and ``same`` (the item sections whose items are the same objects as
    in the memo's version), what those sections alone decide is taken from the memo; ``touched`` (the
    attributes whose holdings or feeds an edit changed; None: unknown) lets an edit of one system keep
    the findings about the others.
    """
    if memo is None:
        memo = PrivacyMemo()
        same = frozenset()
    parts: dict[str, ConsentPart] = {}
    attrs = ix.attrs
    outbound_channels = ix.marketing_channels
    known = memo.use_cases if "attributes" in same else {}
    fresh: dict[str, tuple[m.UseCase, ConsentPart, tuple[_Call, ...]]] = {}
    for uc in ix.active:
        cached = known.get(uc.id)
        if cached is not None and cached[0] is uc:
            part, found = cached[1], cached[2]
        else:
            recorder = _Recorder()
            part = _use_case(ix, uc, attrs, outbound_channels, recorder)
            found = tuple(recorder.calls)
        for args, kwargs in found:
            gap(*args, **kwargs)
        parts[uc.id] = part
        fresh[uc.id] = (uc, part, found)
    memo.use_cases = fresh
    if "attributes" not in same or memo.copies is None or ("systems" not in same and touched is None):
        memo.copies_of = {}
        memo.copy_findings = {}
    if "systems" not in same or "attributes" not in same or memo.copies is None:
        memo.copies = _personal_copies(ix, memo)
        if memo.copy_findings and touched:  # a finding names the feeds bringing the copy: they may have changed
            memo.copy_findings = {k: v for k, v in memo.copy_findings.items() if k[1] not in touched}
    _held_beyond_need(ix, gap, memo)
    return parts


def _use_case(
    ix: Index, uc: m.UseCase, attrs: dict[str, m.Attribute], outbound_channels: set[str], gap: GapSink
) -> ConsentPart:
    if not uc.needs:
        return OK
    needed = [attrs[a] for a in dict.fromkeys(nd.attribute for nd in uc.needs) if a in attrs]
    personal = [a.id for a in needed if a.effective_sensitivity != "none"]
    special = [a.id for a in needed if a.is_special_category]
    consents = [a for a in needed if a.is_consent]
    outbound = [ch for ch in dict.fromkeys(uc.channels) if ch in outbound_channels]
    contacts = bool(outbound and personal)
    basis = uc.lawful_basis
    if not (contacts or special or consents):
        return OK
    relies = basis == "consent" or (basis is None and bool(consents or contacts))
    # consents that say what they cover; the others (no purposes, no channels) leave coverage unknown
    stated = [c for c in consents if c.purposes or c.channels]
    gaps_of = {c.id: uncovered(c, uc.purpose, outbound) for c in stated}
    covering = [c.id for c in stated if gaps_of[c.id] == ([], [])]
    blocking: list[str] = []
    risky: list[str] = []
    where = _where(uc)
    if relies and stated and not covering:
        blocking.append("consent-mismatch")
        _consent_mismatch(ix, uc, outbound, stated, gaps_of, where, gap)
    if special and not (basis in ART9_BASES or (relies and covering)):
        blocking.append("special-category-without-basis")
        _special_without_basis(ix, uc, special, basis, relies, consents, covering, where, gap)
    if contacts and not consents and basis in (None, "consent"):
        risky.append("personal-without-consent")
        sensitive = [a for a in personal if attrs[a].effective_sensitivity == "sensitive"]
        because = "records consent as its lawful basis but " if basis == "consent" else ""
        gap(
            "personal-without-consent",
            "error" if sensitive else "warning",
            [("use_case", uc.id)],
            f"{ix.use_case_name(uc.id)} uses {_names(sorted(outbound))} with personal data "
            f"({_short([ix.attr_label(a) for a in personal], 4)}) "
            f"but {because}needs no consent attribute",
            "Add the consent it relies on (entity: consent) to its needs, or record its lawful basis "
            "(lawful_basis: contract, legitimate-interest...).",
            [uc.id],
            {"personal": personal, "sensitive": sensitive, "channels": sorted(outbound), "lawful_basis": basis},
            where,
        )
    if blocking:
        return ConsentPart("blocked", tuple(blocking + risky))
    if risky:
        return ConsentPart("at-risk", tuple(risky))
    return OK


def _short(ids: list[str], limit: int) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _consent_mismatch(
    ix: Index,
    uc: m.UseCase,
    outbound: list[str],
    stated: list[m.Attribute],
    gaps_of: dict[str, tuple[list[str], list[str]]],
    where: tuple[int, int] | None,
    gap: GapSink,
) -> None:
    # what no consent covers, each dimension on its own; both empty when each is covered by a different consent
    purposes = [uc.purpose] if uc.purpose and all(gaps_of[c.id][0] for c in stated) else []
    channels = [ch for ch in outbound if all(ch in gaps_of[c.id][1] for c in stated)]
    missing = []
    if purposes:
        missing.append(f"purpose {uc.purpose}")
    if channels:
        missing.append(f"channel{'s' if len(channels) > 1 else ''} {_names(channels)}")
    says = " nor ".join(missing) if missing else f"purpose {uc.purpose} and channels {_names(outbound)} together"
    ids = [c.id for c in stated]
    label = "consent" if len(ids) == 1 else "consents"
    gap(
        "consent-mismatch",
        "error",
        [("use_case", uc.id), *(("attribute", c) for c in ids)],
        f"{ix.use_case_name(uc.id)} relies on consent, but its {label} ({_names(ix.attr_label(i) for i in ids)}) "
        f"{'does' if len(ids) == 1 else 'do'} "
        f"not cover {says}",
        f"Need the consent that covers {uc.purpose or 'its purpose'} on {_names(outbound) or 'its channels'} "
        "(or widen what the consent asks for), drop the channel, or record the lawful basis it really "
        "processes on.",
        [uc.id],
        {
            "consents": ids,
            "purpose": uc.purpose,
            "channels": outbound,
            "purposes_not_covered": purposes,
            "channels_not_covered": channels,
            "covers": {c.id: {"purposes": list(c.purposes), "channels": list(c.channels)} for c in stated},
        },
        where,
    )


def _special_without_basis(
    ix: Index,
    uc: m.UseCase,
    special: list[str],
    basis: str | None,
    relies: bool,
    consents: list[m.Attribute],
    covering: list[str],
    where: tuple[int, int] | None,
    gap: GapSink,
) -> None:
    if basis is None and not relies:
        why = "records no lawful basis"
    elif basis in (None, "consent"):
        why = (
            "relies on consent, but no consent it needs covers its purpose and channels"
            if consents
            else ("relies on consent, but needs no consent attribute")
        )
    else:
        why = f"rests on {basis}, which is no Art. 9 condition"
    labels = ", ".join(ix.attr_label(a) for a in special[:4]) + (
        f" and {len(special) - 4} more" if len(special) > 4 else ""
    )
    gap(
        "special-category-without-basis",
        "error",
        [("use_case", uc.id), *(("attribute", a) for a in special)],
        f"{ix.use_case_name(uc.id)} needs special-category data ({labels}) and {why}",
        "Need an explicit consent that covers the purpose and channels, record the Art. 9 condition that "
        "applies (contract under the law that allows it, legal-obligation, vital-interest, public-task), or "
        "stop using the data.",
        [uc.id],
        {"special": special, "lawful_basis": basis, "covering_consent": covering or "none"},
        where,
    )


def _personal_copies(ix: Index, memo: PrivacyMemo) -> list[tuple[str, m.System, m.Holding, m.Attribute]]:
    """Every copy (role copy or none) of personal or sensitive data that is not an identifier.

    A system that is the same object as in the memo's version gives its copies from the memo (the
    memo holds only versions with the same attributes); a finding about a system that changed is
    worked out again.
    """
    attrs = ix.attrs
    out: list[tuple[str, m.System, m.Holding, m.Attribute]] = []
    known = memo.copies_of
    fresh: dict[str, tuple[m.System, list[tuple[str, m.System, m.Holding, m.Attribute]]]] = {}
    for sy in ix.ws.systems:
        cached = known.get(sy.id)
        if cached is not None and cached[0] is sy:
            mine = cached[1]
        else:
            mine = []
            for h in sy.holds:
                if h.role not in (None, "copy"):
                    continue
                a = attrs.get(h.attribute)
                if a is None or a.is_identifier or a.effective_sensitivity == "none":
                    continue
                mine.append((sy.id, sy, h, a))
            if memo.copy_findings:
                memo.copy_findings = {k: v for k, v in memo.copy_findings.items() if k[0] != sy.id}
        fresh.setdefault(sy.id, (sy, mine))
        out.extend(mine)
    memo.copies_of = fresh
    return out


def _held_beyond_need(ix: Index, gap: GapSink, memo: PrivacyMemo) -> None:
    """NM123: copies of personal or sensitive data, not identifiers, in systems where nothing needs them."""
    used: dict[str, set[str]] = defaultdict(set)  # system -> attributes something there needs
    anywhere: set[str] = set()  # needed by a use case that does not say where it runs: any holding counts
    for uc in ix.active:
        if uc.executes_in:
            ids = [nd.attribute for nd in uc.needs]
            for sid in uc.executes_in:
                used[sid].update(ids)
        else:
            anywhere.update(nd.attribute for nd in uc.needs)
    for p in ix.ws.processes:
        for step in p.steps:
            if step.system:
                mine = used[step.system]
                mine.update(step.creates)
                mine.update(step.reads)
                mine.update(step.updates)
    for sy in ix.ws.systems:
        for h in sy.holds:
            if h.derived_from:
                used[sy.id].update(h.derived_from)
    reported: set[tuple[str, str]] = set()  # one finding per system and attribute, however often it is listed
    findings = memo.copy_findings
    for sid, sy, h, a in memo.copies or ():
        key = (sid, a.id)
        if a.id in anywhere or a.id in used[sid] or key in reported:
            continue
        reported.add(key)
        args = findings.get(key)
        if args is None:
            args = findings[key] = _held_beyond_need_finding(ix, sy, h, a)
        gap(*args)


def _held_beyond_need_finding(ix: Index, sy: m.System, h: m.Holding, a: m.Attribute) -> _Finding:
    sensitivity = a.effective_sensitivity
    what = "special-category" if a.is_special_category else sensitivity
    fed_by = sorted({s for s, t, _ in ix.carried.get(a.id, ()) if t == sy.id})
    source = f" (fed by {_names(ix.system_names(fed_by))})" if fed_by else ""
    return (
        "held-beyond-need",
        "warning" if sensitivity == "sensitive" else "info",
        [("system", sy.id), ("attribute", a.id)],
        f"{ix.attr_label(a.id)} ({what} data) is copied to {ix.system_name(sy.id)}{source}, where nothing needs "
        "it: no use "
        "case running there, no process step there and no value derived there uses it",
        f"Stop copying it to {ix.system_name(sy.id)} (remove the holding and the feed attribute that brings it), or "
        "record the use case or process step that needs it there.",
        (),
        {"sensitivity": sensitivity, "special_category": a.is_special_category, "fed_by": fed_by},
        _where(h) or _where(sy),
    )
