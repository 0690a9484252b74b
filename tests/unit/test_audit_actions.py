"""Every action the server writes to the audit trail has a label on the audit screen."""

from __future__ import annotations

import re

from tests.support import ROOT

# `audit.record(db, actor, "plan.material.add", …)`, and so `audit.change`, `audit.create` and
# `audit.delete`: the action is the first string argument.
RECORDED = re.compile(r"audit\.(?:record|change|create|delete)\(\s*\w+,\s*\w+,\s*\"([a-z_.]+)\"")


def test_every_recorded_action_is_labelled_in_both_languages():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "backend/app").rglob("*.py"))
    recorded = set(RECORDED.findall(source))
    assert len(recorded) > 30  # the pattern still finds the calls
    for language in ("vi", "en"):
        labels = (ROOT / f"frontend/js/i18n/audit.{language}.js").read_text(encoding="utf-8")
        missing = sorted(a for a in recorded if f'"audit.actions.{a}"' not in labels)
        assert missing == [], f"{language}: no label for {missing}"
