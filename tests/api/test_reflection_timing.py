"""A plan's reflection with the confirmation or due later by its own deadline (issue 17)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.plans.models import Plan
from tests.api.test_acknowledgements import REFLECTION, count
from tests.api.test_plans import new_plan
from tests.factories import make_plan


def _later(db, world, **values):
    return make_plan(
        db,
        world.school,
        reflection_required=True,
        reflection_min_length=100,
        reflection_timing="later",
        reflection_due_on=date(2025, 4, 30),
        **values,
    )


def test_a_new_plan_asks_for_the_reflection_with_the_confirmation(client, world):
    plan = new_plan(client, world).json()
    assert plan["reflection_timing"] == "with_confirmation"
    assert plan["reflection_due_on"] is None


def test_a_reflection_due_later_with_its_deadline(client, world):
    created = new_plan(
        client,
        world,
        reflection_required=True,
        reflection_min_length=200,
        reflection_timing="later",
        reflection_due_on="2025-04-30",
    )
    assert created.status_code == 201, created.text
    plan = created.json()
    assert (plan["reflection_timing"], plan["reflection_due_on"]) == ("later", "2025-04-30")
    moved = client.patch(
        f"/api/v1/plans/{plan['id']}",
        json={"reflection_due_on": "2025-05-15"},
        headers=world.headers("manager"),
    )
    assert moved.status_code == 200 and moved.json()["reflection_due_on"] == "2025-05-15"
    back = client.patch(
        f"/api/v1/plans/{plan['id']}",
        json={"reflection_timing": "with_confirmation", "reflection_due_on": None},
        headers=world.headers("manager"),
    )
    assert back.status_code == 200
    assert (back.json()["reflection_timing"], back.json()["reflection_due_on"]) == (
        "with_confirmation",
        None,
    )


def test_a_deadline_only_when_later_and_not_before_the_plan_starts(client, world):
    with_confirmation = new_plan(client, world, reflection_due_on="2025-04-30")
    assert with_confirmation.status_code == 422
    assert with_confirmation.json()["errors"][0]["field"] == "body.reflection_due_on"
    assert with_confirmation.json()["errors"][0]["message"] == (
        "only with reflection_timing 'later'"
    )
    too_early = new_plan(client, world, reflection_timing="later", reflection_due_on="2025-02-28")
    assert too_early.status_code == 422
    assert too_early.json()["errors"][0]["field"] == "body.reflection_due_on"
    assert too_early.json()["errors"][0]["message"] == "must not be before period_start"
    unknown = new_plan(client, world, reflection_timing="sometime")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.reflection_timing"

    plan = new_plan(client, world, reflection_timing="later", reflection_due_on="2025-04-30")
    url = f"/api/v1/plans/{plan.json()['id']}"
    headers = world.headers("manager")
    # The update is checked against the plan as it would become.
    start_moved = client.patch(url, json={"period_start": "2025-05-01"}, headers=headers)
    assert start_moved.status_code == 422
    assert start_moved.json()["errors"][0]["field"] == "body.reflection_due_on"
    timing_only = client.patch(
        url, json={"reflection_timing": "with_confirmation"}, headers=headers
    )
    assert timing_only.status_code == 422
    assert timing_only.json()["errors"][0]["field"] == "body.reflection_due_on"
    assert client.get(url, headers=headers).json()["reflection_timing"] == "later"


def test_adoption_copies_when_the_reflection_is_due(client, world, db):
    district_plan = make_plan(
        db,
        world.district,
        reflection_required=True,
        reflection_min_length=150,
        reflection_timing="later",
        reflection_due_on=date(2025, 5, 20),
    )
    db.commit()
    adopted = client.post(
        f"/api/v1/plans/{district_plan.id}/adopt",
        json={"organization_id": world.school.id},
        headers=world.headers("manager"),
    )
    assert adopted.status_code == 201, adopted.text
    plan = adopted.json()
    assert (
        plan["reflection_required"],
        plan["reflection_min_length"],
        plan["reflection_timing"],
        plan["reflection_due_on"],
    ) == (True, 150, "later", "2025-05-20")


def test_due_later_confirming_needs_no_reflection_then_it_follows(client, world, db):
    plan = _later(db, world)
    db.commit()
    headers = world.headers("member")
    confirmed = client.post(f"/api/v1/plans/{plan.id}/acknowledgements", headers=headers)
    assert confirmed.status_code == 201, confirmed.text
    record = confirmed.json()
    assert record["reflection"] is None and record["reflection_submitted_at"] is None
    # Afterwards, on its own, under the plan's rule.
    url = f"/api/v1/acknowledgements/{record['id']}/reflection"
    short = client.put(url, json={"reflection": "Đã học."}, headers=headers)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "body.reflection"
    written = client.put(url, json={"reflection": REFLECTION}, headers=headers)
    assert written.status_code == 200, written.text
    assert written.json()["reflection"] == REFLECTION and written.json()["reflection_submitted_at"]
    actions = db.exec(
        sa.select(AuditEvent.action)
        .where(AuditEvent.entity_type == "acknowledgement", AuditEvent.entity_id == record["id"])
        .order_by(AuditEvent.id)
    ).scalars()
    assert list(actions) == ["acknowledgement.confirm", "acknowledgement.reflection"]


def test_due_later_a_reflection_sent_along_still_meets_the_rule(client, world, db):
    plan = _later(db, world)
    db.commit()
    url = f"/api/v1/plans/{plan.id}/acknowledgements"
    short = client.post(url, json={"reflection": "ngắn"}, headers=world.headers("member"))
    assert short.status_code == 422
    assert count(db) == 0
    ok = client.post(url, json={"reflection": REFLECTION}, headers=world.headers("member"))
    assert ok.status_code == 201 and ok.json()["reflection"] == REFLECTION


def test_due_later_by_personal_link(client, world, db):
    plan = _later(db, world)
    db.commit()
    token = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
    ).json()["token"]
    page = client.get(f"/api/v1/links/{token}").json()
    home_plan = next(p for p in page["plans"] if p["id"] == plan.id)
    assert (home_plan["reflection_timing"], home_plan["reflection_due_on"]) == (
        "later",
        "2025-04-30",
    )
    confirmed = client.post(f"/api/v1/links/{token}/acknowledgements/{plan.id}")
    assert confirmed.status_code == 201 and confirmed.json()["method"] == "link"
    assert client.get(f"/api/v1/links/{token}").json()["pending_count"] == 0
    written = client.put(
        f"/api/v1/links/{token}/acknowledgements/{plan.id}/reflection",
        json={"reflection": REFLECTION},
    )
    assert written.status_code == 200 and written.json()["reflection"] == REFLECTION


def test_with_the_confirmation_the_reflection_is_still_required(client, world, db):
    plan = make_plan(db, world.school, reflection_required=True, reflection_min_length=100)
    db.commit()
    assert db.get(Plan, plan.id).reflection_timing == "with_confirmation"
    url = f"/api/v1/plans/{plan.id}/acknowledgements"
    bare = client.post(url, headers=world.headers("member"))
    assert bare.status_code == 422 and bare.json()["errors"][0]["field"] == "body.reflection"
    assert count(db) == 0
    ok = client.post(url, json={"reflection": REFLECTION}, headers=world.headers("member"))
    assert ok.status_code == 201 and ok.json()["reflection_submitted_at"]


def test_progress_counts_confirmations_and_reflections_alike(client, world, db):
    plan = _later(db, world)
    db.commit()
    client.post(f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member"))
    progress = client.get(
        f"/api/v1/plans/{plan.id}/progress", headers=world.headers("manager")
    ).json()
    assert (progress["confirmed"], progress["reflections"]["submitted"]) == (1, 0)
