"""Per-country settings that mini-apps declare: read for a handler, changed by an operator.

A mini-app declares a pydantic model (``MiniApp(settings=...)``); ``country_settings``
holds, per mini-app, country and setting, what an operator changed from the default.
A handler's ``ctx.settings`` reads them on each call, so a change takes effect on the
next request.  A change is validated against the model as a whole (a bad value changes
nothing) and lands in the audit log, with the values before and after, in the same
transaction.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlite_utils import Database

from ..foundation.errors import Invalid
from .availability import _country, audit
from .registry import InstalledApp

log = logging.getLogger(__name__)

ACTION = "setting_change"


def _model(app: InstalledApp) -> type[BaseModel]:
    if app.settings is None:
        raise Invalid(f"{app.name} declares no per-country settings", code="no_settings")
    return app.settings


def _stored(db: Database, app: str, country: str) -> dict[str, Any]:
    rows = db.execute(
        "SELECT name, value FROM country_settings WHERE app = ? AND country = ?", [app, country]
    ).fetchall()
    return {name: json.loads(value) for name, value in rows}


def values(db: Database, app: InstalledApp, country: str | None) -> BaseModel:
    """The settings of ``app`` in ``country`` (the defaults for ``None``).

    A stored value the model no longer accepts (a newer version narrowed it) is left out,
    with a warning: the default stands in for it rather than failing every request.
    """
    model = _model(app)
    chosen = {} if country is None else _stored(db, app.name, country.upper())
    chosen = {k: v for k, v in chosen.items() if k in model.model_fields}
    try:
        return _validated(model, chosen)
    except ValidationError as exc:
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        log.warning("%s in %s: stored settings %s no longer valid, defaults used", app.name, country, bad)
        return _validated(model, {k: v for k, v in chosen.items() if k not in bad})


def _validated(model: type[BaseModel], chosen: dict[str, Any]) -> BaseModel:
    """Checked as the JSON it came as, strictly: ``"12"`` is no number, ``true`` no count."""
    return model.model_validate_json(json.dumps(chosen), strict=True)


def describe(db: Database, app: InstalledApp, country: str) -> dict[str, Any]:
    """What the console draws: each setting's schema, default and current value in ``country``."""
    model = _model(app)
    country = _country(country)
    current, defaults = values(db, app, country).model_dump(mode="json"), model().model_dump(mode="json")
    changes = {
        row[0]: {"at": row[1], "by": row[2]}
        for row in db.execute(
            "SELECT name, changed_at, changed_by FROM country_settings WHERE app = ? AND country = ?",
            [app.name, country],
        ).fetchall()
    }
    properties = model.model_json_schema().get("properties", {})
    fields = []
    for name, field in model.model_fields.items():
        schema = properties.get(name, {})
        fields.append(
            {
                "name": name,
                "title": field.title or name.replace("_", " ").capitalize(),
                "description": field.description or "",
                "type": schema.get("type", "string"),
                "choices": schema.get("enum"),
                "minimum": schema.get("minimum", schema.get("exclusiveMinimum")),
                "maximum": schema.get("maximum", schema.get("exclusiveMaximum")),
                "default": defaults[name],
                "value": current[name],
                "changed": changes.get(name),
            }
        )
    return {"app": app.name, "country": country, "fields": fields}


def change(
    db: Database, app: InstalledApp, country: str, wanted: dict[str, Any], actor: str, now: str
) -> bool:
    """Set ``wanted`` (names to values) for ``app`` in ``country``; False if nothing changed.

    Refused whole (422, nothing written) for a name the model lacks (``unknown_setting``)
    or a value it does not accept (``invalid_setting``, each problem in ``details``).
    """
    model = _model(app)
    country = _country(country)
    unknown = sorted(set(wanted) - set(model.model_fields))
    if unknown:
        raise Invalid(
            f"{app.name} has no setting {', '.join(map(repr, unknown))}; "
            f"it has {', '.join(model.model_fields)}",
            code="unknown_setting",
            details={"unknown": unknown},
        )
    before = values(db, app, country)
    try:
        after = _validated(model, {**before.model_dump(mode="json"), **wanted})
    except ValidationError as exc:
        problems = [
            {"name": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors(include_url=False)
        ]
        raise Invalid(
            f"{app.name}: " + "; ".join(f"{p['name']}: {p['message']}" for p in problems),
            code="invalid_setting",
            details={"problems": problems},
        ) from None
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    moved = sorted(name for name in wanted if old[name] != new[name])
    if not moved:
        return False
    for name in moved:
        db.execute(
            "INSERT INTO country_settings (app, country, name, value, changed_at, changed_by) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app, country, name) DO UPDATE SET "
            "value = excluded.value, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
            [app.name, country, name, json.dumps(new[name]), now, actor],
        )
    audit(
        db,
        now,
        actor,
        ACTION,
        app.name,
        country,
        ", ".join(moved),
        before={name: old[name] for name in moved},
        after={name: new[name] for name in moved},
    )
    return True
