"""The workshop as a graph: build_graph, lineage, identity components, freshest feed paths."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from needsmap.analysis import graph as gr
from needsmap.analysis.graph import best_paths, build_graph, edges_of_type, identity_components, lineage, path_to
from needsmap.format import model as m
from tests.analysis.conftest import build
from tests.conftest import DEMO, assert_opens_clean

# Freshness ranks, by name, to keep the best_paths tests readable.
RT, HOURLY, DAILY, WEEKLY, MONTHLY = (m.FRESHNESS_RANK[f] for f in ("realtime", "hourly", "daily", "weekly", "monthly"))
UNKNOWN = gr.UNKNOWN_RANK


def _docstring_list(label: str) -> set[str]:
    text = " ".join(gr.__doc__.split())
    found = re.search(rf"{label}: ([a-z_, ]+)\.", text)
    assert found, label
    return {w.strip() for w in found.group(1).split(",")}


EDGE_TYPES = _docstring_list("Edge types")
NODE_KINDS = _docstring_list("Node kinds")


def test_docstring_lists_are_parsed():
    assert len(EDGE_TYPES) == 17 and {"owns", "feeds", "deletes", "of_entity"} <= EDGE_TYPES
    assert NODE_KINDS == {
        "stakeholder",
        "function",
        "use_case",
        "process",
        "step",
        "attribute",
        "entity",
        "system",
        "channel",
        "note",
    }


# -- build_graph on a small workshop ----------------------------------------------------------

_SMALL = """
functions: [marketing, it]
channels: [web, email]
stakeholders:
  - {id: ann, function: marketing}
  - {id: joe, function: it}
  - {id: guest}
attributes:
  - {id: cid, identifier: true, entity: identifier, owner: joe}
  - {id: email, owner: ann}
  - {id: optin, entity: consent}
systems:
  - id: shop
    owner: joe
    holds: [{attribute: cid, role: master, quality: 5, freshness: realtime, coverage: 1.0}, email]
    feeds:
      - {to: mailer, attributes: [cid, email], frequency: hourly}
      - {to: mailer, attributes: [optin]}
  - {id: mailer, holds: [cid, email, optin]}
use_cases:
  - id: welcome
    owner: ann
    function: marketing
    channels: [email]
    value: 4
    status: agreed
    executes_in: [mailer]
    processes: [signup]
    needs: [email, {attribute: optin, criticality: should, freshness: daily}]
processes:
  - id: signup
    owner: ann
    steps:
      - {channel: web, system: shop, creates: [cid, email], reads: [optin]}
      - {system: mailer, updates: [email], deletes: [optin]}
notes:
  - {id: n1, text: "who owns email?", about: [email, shop, welcome], by: ann}
"""


@pytest.fixture(scope="module")
def small() -> nx.MultiDiGraph:
    return build_graph(build(_SMALL))


def _edges(g, edge_type):
    return {(u, v) for u, v, _ in edges_of_type(g, edge_type)}


def test_small_graph_has_every_node_kind_and_edge_type(small):
    assert {kind for kind, _ in small.nodes} == NODE_KINDS
    assert {d["type"] for _, _, d in small.edges(data=True)} == EDGE_TYPES


def test_nodes_are_kind_id_pairs_with_labels(small):
    assert small.nodes[("use_case", "welcome")] == {"label": "welcome", "value": 4, "status": "agreed"}
    assert small.nodes[("step", "signup#2")]["process"] == "signup"
    assert small.nodes[("step", "signup#2")]["index"] == 1
    assert ("entity", "customer") in small  # the default entity of email
    assert {n for n in small if n[0] == "entity"} == {("entity", e) for e in ("identifier", "customer", "consent")}
    assert {n for n in small if n[0] == "function"} == {("function", "marketing"), ("function", "it")}
    assert small.graph["name"] == "Test workshop"


def test_people_edges(small):
    assert _edges(small, "member_of") == {
        (("stakeholder", "ann"), ("function", "marketing")),
        (("stakeholder", "joe"), ("function", "it")),
    }
    assert _edges(small, "owns") == {
        (("stakeholder", "joe"), ("attribute", "cid")),
        (("stakeholder", "ann"), ("attribute", "email")),
        (("stakeholder", "joe"), ("system", "shop")),
        (("stakeholder", "ann"), ("use_case", "welcome")),
        (("stakeholder", "ann"), ("process", "signup")),
        (("stakeholder", "ann"), ("note", "n1")),
    }
    assert _edges(small, "serves") == {(("use_case", "welcome"), ("function", "marketing"))}


def test_data_edges_carry_their_properties(small):
    holds = {(u[1], v[1]): d for u, v, d in edges_of_type(small, "holds")}
    assert holds[("shop", "cid")] == {
        "type": "holds",
        "role": "master",
        "quality": 5,
        "freshness": "realtime",
        "coverage": 1.0,
    }
    # effective values for what the file does not state
    assert holds[("shop", "email")] == {
        "type": "holds",
        "role": "copy",
        "quality": None,
        "freshness": "unknown",
        "coverage": None,
    }
    assert len(holds) == 5
    feeds = sorted((d["attributes"], d["frequency"]) for _, _, d in edges_of_type(small, "feeds"))
    assert feeds == [(("cid", "email"), "hourly"), (("optin",), "unknown")]
    assert small.number_of_edges(("system", "shop"), ("system", "mailer")) == 2  # a multigraph
    needs = {v[1]: d for _, v, d in edges_of_type(small, "needs")}
    assert needs["email"] == {"type": "needs", "criticality": "must", "freshness": "unknown"}
    assert needs["optin"] == {"type": "needs", "criticality": "should", "freshness": "daily"}
    assert _edges(small, "of_entity") == {
        (("attribute", "cid"), ("entity", "identifier")),
        (("attribute", "email"), ("entity", "customer")),
        (("attribute", "optin"), ("entity", "consent")),
    }


def test_process_edges(small):
    s1, s2 = ("step", "signup#1"), ("step", "signup#2")
    assert _edges(small, "step_of") == {(s1, ("process", "signup")), (s2, ("process", "signup"))}
    assert _edges(small, "runs_in") == {(s1, ("system", "shop")), (s2, ("system", "mailer"))}
    assert _edges(small, "creates") == {(s1, ("attribute", "cid")), (s1, ("attribute", "email"))}
    assert _edges(small, "reads") == {(s1, ("attribute", "optin"))}
    assert _edges(small, "updates") == {(s2, ("attribute", "email"))}
    assert _edges(small, "deletes") == {(s2, ("attribute", "optin"))}
    systems = {v[1]: d["system"] for _, v, d in edges_of_type(small, "creates")}
    assert systems == {"cid": "shop", "email": "shop"}
    assert _edges(small, "uses_channel") == {(s1, ("channel", "web")), (("use_case", "welcome"), ("channel", "email"))}


def test_use_case_and_note_edges(small):
    uc = ("use_case", "welcome")
    assert _edges(small, "executes_in") == {(uc, ("system", "mailer"))}
    assert _edges(small, "uses_process") == {(uc, ("process", "signup"))}
    assert _edges(small, "about") == {
        (("note", "n1"), ("attribute", "email")),
        (("note", "n1"), ("system", "shop")),
        (("note", "n1"), uc),
    }


def test_empty_workshop_graph():
    g = build_graph(m.Workshop())
    assert g.number_of_edges() == 0
    assert {k for k, _ in g.nodes} == {"function", "channel"}  # the default lists
    assert g.number_of_nodes() == len(m.DEFAULT_FUNCTIONS) + len(m.DEFAULT_CHANNELS)


# -- build_graph on the demo ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_ws() -> m.Workshop:
    return assert_opens_clean(DEMO)


@pytest.fixture(scope="module")
def demo(demo_ws) -> nx.MultiDiGraph:
    return build_graph(demo_ws)


def test_demo_graph_has_every_node_kind(demo):
    assert {kind for kind, _ in demo.nodes} == NODE_KINDS


def test_demo_graph_uses_only_documented_edge_types(demo):
    assert {d["type"] for _, _, d in demo.edges(data=True)} <= EDGE_TYPES


def test_demo_graph_has_every_edge_type_but_deletes(demo):
    # The demo has no process step that deletes anything (erasure is parked in a note), so 'deletes'
    # is only covered by the small workshop above.
    present = {d["type"] for _, _, d in demo.edges(data=True)}
    assert EDGE_TYPES - present <= {"deletes"}


def test_demo_graph_counts(demo, demo_ws):
    kinds = {}
    for kind, _ in demo.nodes:
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds["attribute"] == len(demo_ws.attributes)
    assert kinds["system"] == len(demo_ws.systems)
    assert kinds["use_case"] == len(demo_ws.use_cases)
    assert kinds["step"] == sum(len(p.steps) for p in demo_ws.processes)
    assert kinds["entity"] == len({a.effective_entity for a in demo_ws.attributes})
    assert sum(1 for _ in edges_of_type(demo, "holds")) == sum(len(s.holds) for s in demo_ws.systems)
    assert sum(1 for _ in edges_of_type(demo, "needs")) == sum(len(u.needs) for u in demo_ws.use_cases)
    assert sum(1 for _ in edges_of_type(demo, "feeds")) == sum(len(s.feeds) for s in demo_ws.systems)
    # webshop feeds campaigns twice (customer data hourly, carts daily): two parallel edges
    assert demo.number_of_edges(("system", "webshop"), ("system", "campaigns")) == 2


# -- lineage -----------------------------------------------------------------------------------


def test_lineage_of_a_use_case(small):
    sub = lineage(small, "welcome")
    assert set(sub.nodes) == {
        ("use_case", "welcome"),
        ("stakeholder", "ann"),
        ("attribute", "email"),
        ("attribute", "optin"),
        ("system", "shop"),
        ("system", "mailer"),
    }
    # an induced subgraph: every edge between the kept nodes, so the feeds between them too
    types = {d["type"] for _, _, d in sub.edges(data=True)}
    assert types == {"owns", "needs", "executes_in", "holds", "feeds"}
    assert sub.number_of_edges(("system", "shop"), ("system", "mailer")) == 2
    # the subgraph is a copy: changing it leaves the workshop graph alone
    sub.add_node(("system", "extra"))
    assert ("system", "extra") not in small


def test_lineage_leaves_out_what_is_not_needed(small):
    sub = lineage(small, "welcome")
    assert ("attribute", "cid") not in sub  # held and fed, but not needed
    assert ("process", "signup") not in sub and ("note", "n1") not in sub
    assert ("function", "marketing") not in sub and ("channel", "email") not in sub


def test_lineage_on_the_demo(demo, demo_ws):
    uc = next(u for u in demo_ws.use_cases if u.id == "welcome-journey")
    sub = lineage(demo, uc.id)
    needed = {nd.attribute for nd in uc.needs}
    holders = {s.id for s in demo_ws.systems if any(h.attribute in needed for h in s.holds)}
    expected = (
        {("use_case", uc.id), ("stakeholder", uc.owner)}
        | {("attribute", a) for a in needed}
        | {("system", s) for s in holders | set(uc.executes_in)}
    )
    assert set(sub.nodes) == expected


# -- identity components --------------------------------------------------------------------------


def test_identity_components_biggest_first_then_file_order():
    comps = identity_components(
        ["a", "b", "c", "d", "e", "f"],
        {"a": {"x"}, "b": {"y"}, "c": {"y"}, "d": {"x", "z"}, "e": set(), "f": {"z"}},
    )
    # a-d share x, d-f share z; b-c share y; e shares nothing
    assert comps == [["a", "d", "f"], ["b", "c"], ["e"]]


def test_identity_components_ties_keep_the_order_given():
    assert identity_components(["c", "a", "b"], {"c": {"x"}, "a": {"y"}, "b": {"z"}}) == [["c"], ["a"], ["b"]]
    assert identity_components(["q", "p", "r", "s"], {"p": {"x"}, "s": {"x"}, "q": {"y"}, "r": {"y"}}) == [
        ["q", "r"],
        ["p", "s"],
    ]


def test_identity_components_without_identifiers():
    assert identity_components([], {}) == []
    assert identity_components(["a", "b"], {}) == [["a"], ["b"]]
    assert identity_components(["a"], {"a": {"x"}, "zz": {"x"}}) == [["a"]]  # only listed systems count


# -- best_paths and path_to --------------------------------------------------------------------------


def test_best_paths_sources_only():
    assert best_paths({"a": DAILY, "b": UNKNOWN}, []) == {"a": (DAILY, ("a",)), "b": (UNKNOWN, ("b",))}
    assert path_to({"a": (DAILY, ("a",))}, "a") == ["a"]


def test_best_paths_chain_is_as_slow_as_its_slowest_hop():
    best = best_paths({"a": RT}, [("a", "b", HOURLY), ("b", "c", DAILY), ("c", "d", RT)])
    assert best == {
        "a": (RT, ("a",)),
        "b": (HOURLY, ("a", "b")),
        "c": (DAILY, ("a", "b", "c")),
        "d": (DAILY, ("a", "b", "c", "d")),
    }
    assert path_to(best, "d") == ["a", "b", "c", "d"]


def test_best_paths_source_holding_counts_as_a_hop():
    best = best_paths({"a": WEEKLY}, [("a", "b", RT)])
    assert best["b"] == (WEEKLY, ("a", "b"))


def test_best_paths_unknown_hop_makes_the_path_unknown():
    best = best_paths({"a": RT}, [("a", "b", UNKNOWN), ("b", "c", RT)])
    assert best["c"] == (UNKNOWN, ("a", "b", "c"))


def test_best_paths_a_faster_longer_path_beats_a_slower_shorter_one():
    best = best_paths({"a": RT}, [("a", "t", DAILY), ("a", "b", RT), ("b", "c", HOURLY), ("c", "t", RT)])
    assert best["t"][0] == HOURLY
    assert path_to(best, "t") == ["a", "b", "c", "t"]


def test_best_paths_a_feed_can_beat_a_stale_local_holding():
    best = best_paths({"master": RT, "copy": WEEKLY}, [("master", "copy", HOURLY)])
    assert best["copy"] == (HOURLY, ("master", "copy"))
    assert path_to(best, "copy") == ["master", "copy"]


def test_best_paths_picks_the_freshest_of_several_holders():
    best = best_paths({"slow": MONTHLY, "fast": RT}, [("slow", "t", RT), ("fast", "t", DAILY)])
    assert best["t"] == (DAILY, ("fast", "t"))


@pytest.mark.parametrize(
    "hops",
    [
        [("a", "t", DAILY), ("a", "b", RT), ("b", "t", DAILY)],
        [("a", "b", RT), ("b", "t", DAILY), ("a", "t", DAILY)],
    ],
    ids=["direct-first", "detour-first"],
)
def test_best_paths_among_equal_ranks_the_shorter_path_wins(hops):
    best = best_paths({"a": RT}, hops)
    assert best["t"] == (DAILY, ("a", "t"))
    assert path_to(best, "t") == ["a", "t"]


def test_best_paths_equal_ranks_from_two_holders_shorter_wins():
    best = best_paths({"far": RT, "near": DAILY}, [("far", "x", RT), ("x", "t", DAILY), ("near", "t", DAILY)])
    assert best["t"] == (DAILY, ("near", "t"))


def test_best_paths_shorter_path_wins_when_an_intermediate_improves_later():
    best = best_paths({"a": RT}, [("a", "b", DAILY), ("a", "c", RT), ("c", "b", RT), ("b", "t", DAILY)])
    assert best["t"][0] == DAILY
    assert path_to(best, "t") == ["a", "b", "t"]
    assert path_to(best, "b") == ["a", "c", "b"]  # b itself is reached fresher through c


def test_best_paths_with_cycles_terminates():
    best = best_paths({"a": HOURLY}, [("a", "b", RT), ("b", "c", RT), ("c", "a", RT), ("c", "b", DAILY)])
    assert best == {"a": (HOURLY, ("a",)), "b": (HOURLY, ("a", "b")), "c": (HOURLY, ("a", "b", "c"))}
    assert path_to(best, "c") == ["a", "b", "c"]


def test_best_paths_unreached_systems_are_absent():
    best = best_paths({"a": RT}, [("b", "c", RT)])
    assert set(best) == {"a"}


def test_best_paths_agrees_with_brute_force_on_random_graphs():
    import itertools
    import random

    rng = random.Random(3)
    nodes = list("abcdef")
    for _ in range(300):
        sources = {n: rng.randint(0, UNKNOWN) for n in rng.sample(nodes, rng.randint(1, 3))}
        hops = [(u, v, rng.randint(0, UNKNOWN)) for u, v in itertools.permutations(nodes, 2) if rng.random() < 0.3]
        best = best_paths(sources, hops)
        edges = {}
        for u, v, r in hops:
            edges[(u, v)] = min(r, edges.get((u, v), UNKNOWN + 1))
        for t in nodes:
            options = []  # every simple path from a source: (bottleneck, length)
            for src, r0 in sources.items():
                stack = [(src, r0, (src,))]
                while stack:
                    u, r, path = stack.pop()
                    if u == t:
                        options.append((r, len(path)))
                    for (a, b), rr in edges.items():
                        if a == u and b not in path:
                            stack.append((b, max(r, rr), path + (b,)))
            if not options:
                assert t not in best
                continue
            want_rank, want_len = min(options)
            got_rank, got_path = best[t]
            assert got_rank == want_rank
            assert len(got_path) == want_len
            assert got_path[0] in sources and got_path[-1] == t


def test_rank_and_names():
    assert gr.rank("realtime") < gr.rank("hourly") < gr.rank("daily") < gr.rank("weekly") < gr.rank("monthly")
    assert gr.rank(None) == gr.rank("unknown") == UNKNOWN > gr.rank("monthly")
    assert gr.RANK_NAME[UNKNOWN] == "unknown" and gr.RANK_NAME[DAILY] == "daily"
