"""Every table module, imported in one place so the metadata is complete (Alembic, tests)."""

from __future__ import annotations

import importlib

TABLE_MODULES = [
    "app.core.revision",
    "app.core.changes",
    "app.system.models",
    "app.orgs.models",
    "app.people.models",
    "app.auth.models",
    "app.audit.models",
    "app.files.models",
    "app.documents.models",
    "app.plans.models",
    "app.tasks.models",
    "app.activities.models",
    "app.study_sessions.models",
    "app.acknowledgements.models",
    "app.links.models",
    "app.reports.models",
    "app.reminders.models",
    "app.webhooks.models",
    "app.transfers.models",
    "app.mail.models",
    "app.privacy.models",
    "app.quizzes.models",
    "app.contests.models",
]


def import_all_models() -> None:
    for module in TABLE_MODULES:
        importlib.import_module(module)
