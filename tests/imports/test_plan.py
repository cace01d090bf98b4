"""What an import proposes when an incoming item meets one the workshop has (``imports.plan.merge_fields``)."""

from __future__ import annotations

from needsmap.format import model as m
from needsmap.imports.plan import merge_fields


def test_a_system_with_feeds_and_steps_merges_with_one_that_states_none_or_the_same():
    feeds = [m.Feed("dwh", ["email"], "daily"), m.Feed("crm", ["phone"])]
    have = m.System("shop", "Web shop", holds=[m.Holding("email")], feeds=feeds)
    assert merge_fields(have, m.System("shop", "Web shop")) == ((), ())
    same = m.System("shop", "Web shop", feeds=[m.Feed("dwh", ["email"], "daily")])
    assert merge_fields(have, same) == ((), ())


def test_a_feed_to_a_new_system_is_a_fill_and_one_to_a_known_system_is_not_added_twice():
    have = m.System("shop", "Web shop", feeds=[m.Feed("dwh", ["email"])])
    incoming = m.System("shop", "Web shop", feeds=[m.Feed("dwh", ["email", "phone"]), m.Feed("crm", ["email"])])
    fills, conflicts = merge_fields(have, incoming)
    assert conflicts == ()
    (fill,) = fills
    assert fill.field == "feeds" and [f.to for f in fill.new] == ["crm"]


def test_steps_of_a_process_are_the_same_by_name():
    have = m.Process("p", "Onboarding", steps=[m.Step("Register"), m.Step("Verify e-mail")])
    incoming = m.Process("p", "Onboarding", steps=[m.Step("register"), m.Step("Welcome")])
    fills, _ = merge_fields(have, incoming)
    assert [s.name for s in fills[0].new] == ["Welcome"]
