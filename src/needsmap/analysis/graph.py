"""The workshop as a graph (networkx).

:func:`build_graph` turns a workshop into one typed multigraph: nodes are
``(kind, id)`` pairs, edges carry a ``type``.  It is the model for graph
questions (lineage of a use case, what a system touches, diagrams).

The analysis asks two narrow graph questions on every edit, so it uses two
small projections instead of the whole graph:

* :func:`identity_components`: systems linked by the identifier attributes
  they share (who can recognise the same customer);
* :func:`best_paths`: for one attribute, the freshest way it travels from the
  systems that hold it along feeds that carry it (a chain is as slow as its
  slowest hop).

Node kinds: stakeholder, function, use_case, process, step, attribute, entity,
system, channel, note.  Edge types: owns, member_of, serves, needs, holds,
feeds, step_of, runs_in, creates, reads, updates, deletes, executes_in,
uses_process, uses_channel, about, of_entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from needsmap.format import model as m
from needsmap.format.naming import subject_kind

#: Rank of an unknown freshness: slower than every known one.
UNKNOWN_RANK = len(m.FRESHNESS_RANK)
RANK_NAME = {**{rank: name for name, rank in m.FRESHNESS_RANK.items()}, UNKNOWN_RANK: "unknown"}


def rank(freshness: str | None) -> int:
    return m.FRESHNESS_RANK.get(freshness or "unknown", UNKNOWN_RANK)


#: A node of the graph: ``(kind, id)``.
Node = tuple[str, str]
#: An edge: ``(from, to, attributes)``; the attributes always have a ``type``.
Edge = tuple[Node, Node, dict[str, Any]]


def node(kind: str, ident: str) -> Node:
    return (kind, ident)


def build_graph(ws: m.Workshop) -> nx.MultiDiGraph:
    """Every item of the workshop and every link between them."""
    g = nx.MultiDiGraph(name=ws.workshop.name)
    add_node = g.add_node
    edges: list[Edge] = []
    for f in ws.function_ids:
        add_node(("function", f), label=f)
    for c in ws.channel_ids:
        add_node(("channel", c), label=c)
    for s in ws.stakeholders:
        add_node(("stakeholder", s.id), label=s.name)
        if s.function:
            edges.append((("stakeholder", s.id), ("function", s.function), {"type": "member_of"}))
    for a in ws.attributes:
        add_node(("attribute", a.id), label=a.name)
        entity = ("entity", a.effective_entity)
        if entity not in g:
            add_node(entity, label=a.effective_entity)
        edges.append((("attribute", a.id), entity, {"type": "of_entity"}))
        if a.owner:
            edges.append((("stakeholder", a.owner), ("attribute", a.id), {"type": "owns"}))
    for sy in ws.systems:
        add_node(("system", sy.id), label=sy.name)
        if sy.owner:
            edges.append((("stakeholder", sy.owner), ("system", sy.id), {"type": "owns"}))
        for h in sy.holds:
            edges.append(
                (
                    ("system", sy.id),
                    ("attribute", h.attribute),
                    {
                        "type": "holds",
                        "role": h.effective_role,
                        "quality": h.quality,
                        "freshness": h.effective_freshness,
                        "coverage": h.coverage,
                    },
                )
            )
        for fd in sy.feeds:
            edges.append(
                (
                    ("system", sy.id),
                    ("system", fd.to),
                    {"type": "feeds", "attributes": tuple(fd.attributes), "frequency": fd.effective_frequency},
                )
            )
    for p in ws.processes:
        add_node(("process", p.id), label=p.name)
        if p.owner:
            edges.append((("stakeholder", p.owner), ("process", p.id), {"type": "owns"}))
        for i, st in enumerate(p.steps):
            step = ("step", f"{p.id}#{i + 1}")
            add_node(step, label=st.name, process=p.id, index=i)
            edges.append((step, ("process", p.id), {"type": "step_of"}))
            if st.system:
                edges.append((step, ("system", st.system), {"type": "runs_in"}))
            if st.channel:
                edges.append((step, ("channel", st.channel), {"type": "uses_channel"}))
            for action in ("creates", "reads", "updates", "deletes"):
                for attr in getattr(st, action):
                    edges.append((step, ("attribute", attr), {"type": action, "system": st.system}))
    for uc in ws.use_cases:
        add_node(("use_case", uc.id), label=uc.title, value=uc.value, status=uc.effective_status)
        if uc.owner:
            edges.append((("stakeholder", uc.owner), ("use_case", uc.id), {"type": "owns"}))
        if uc.function:
            edges.append((("use_case", uc.id), ("function", uc.function), {"type": "serves"}))
        for c in uc.channels:
            edges.append((("use_case", uc.id), ("channel", c), {"type": "uses_channel"}))
        for sid in uc.executes_in:
            edges.append((("use_case", uc.id), ("system", sid), {"type": "executes_in"}))
        for pid in uc.processes:
            edges.append((("use_case", uc.id), ("process", pid), {"type": "uses_process"}))
        for nd in uc.needs:
            edges.append(
                (
                    ("use_case", uc.id),
                    ("attribute", nd.attribute),
                    {"type": "needs", "criticality": nd.effective_criticality, "freshness": nd.effective_freshness},
                )
            )
    ids_by_section = {sec: {it.id for it in ws.section(sec)} for sec in m.ITEM_SECTIONS}
    for n in ws.notes:
        add_node(("note", n.id), label=n.text, kind=n.effective_kind)
        if n.by:
            edges.append((("stakeholder", n.by), ("note", n.id), {"type": "owns"}))
        for target in n.about:
            for sec, ids in ids_by_section.items():
                if target in ids:
                    edges.append((("note", n.id), (subject_kind(sec), target), {"type": "about"}))
    g.add_edges_from(edges)
    return g


def edges_of_type(g: nx.MultiDiGraph, edge_type: str) -> Iterable[Edge]:
    return ((u, v, d) for u, v, d in g.edges(data=True) if d["type"] == edge_type)


def lineage(g: nx.MultiDiGraph, use_case: str) -> nx.MultiDiGraph:
    """Stakeholder -> use case -> attributes -> systems holding them, as a subgraph."""
    uc = ("use_case", use_case)
    keep = {uc}
    keep.update(u for u, _, d in g.in_edges(uc, data=True) if d["type"] == "owns")
    for _, attr, d in g.out_edges(uc, data=True):
        if d["type"] in ("needs", "executes_in"):
            keep.add(attr)
            if d["type"] == "needs":
                keep.update(s for s, _, dd in g.in_edges(attr, data=True) if dd["type"] == "holds")
    return g.subgraph(keep).copy()


def identity_components(system_ids: Iterable[str], identifiers_of: dict[str, set[str]]) -> list[list[str]]:
    """Groups of systems that can recognise the same customer.

    Two systems are linked when both hold the same identifier attribute.  The
    result lists each connected component (systems in the order given), the
    biggest first.
    """
    order = list(system_ids)
    g = nx.Graph()
    g.add_nodes_from(order)
    holders: dict[str, list[str]] = {}
    for sid in order:
        for ident in identifiers_of.get(sid, ()):
            holders.setdefault(ident, []).append(sid)
    for systems in holders.values():
        first = systems[0]
        for other in systems[1:]:
            g.add_edge(first, other)
    position = {sid: i for i, sid in enumerate(order)}
    comps = [sorted(c, key=position.__getitem__) for c in nx.connected_components(g)]
    comps.sort(key=lambda c: (-len(c), position[c[0]]))
    return comps


def best_paths(sources: dict[str, int], hops: list[tuple[str, str, int]]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """The freshest way an attribute reaches each system.

    ``sources``: system -> freshness rank of its holding; ``hops``: feeds that
    carry the attribute as (from, to, frequency rank).  Returns system ->
    (end-to-end rank, path from a holder to it).  The rank of a path is the
    slowest of the source holding and every hop (a bottleneck path); among
    paths of the best rank the one with the fewest hops wins, ties going to the
    holder and feed listed first.  One breadth-first search per rank level
    (six at most) over the few feeds that carry one attribute.
    """
    if not hops:  # the common case: the attribute travels nowhere
        return {s: (r, (s,)) for s, r in sources.items()}
    out: dict[str, list[tuple[str, int]]] = {}
    for src, dst, r in hops:
        out.setdefault(src, []).append((dst, r))
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    levels = sorted(set(sources.values()) | {r for _, _, r in hops})
    for level in levels:
        paths: dict[str, tuple[str, ...]] = {s: (s,) for s, r in sources.items() if r <= level}
        queue = list(paths)
        for u in queue:  # grows while we walk it: breadth first
            for v, r in out.get(u, ()):
                if r <= level and v not in paths:
                    paths[v] = paths[u] + (v,)
                    queue.append(v)
        for v, path in paths.items():
            if v not in best:
                best[v] = (level, path)
    return best


def path_to(best: dict[str, tuple[int, tuple[str, ...]]], target: str) -> list[str]:
    """The systems from a holder to ``target`` along :func:`best_paths`' choice."""
    return list(best[target][1])
