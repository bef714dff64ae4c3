"""Per-country settings a mini-app declares: a pydantic model whose every field has a default.

Operators change them per country in the console (or the admin API); the core validates
each change against the model and keeps it in the audit log with the value before and
after.  A handler reads them with ``ctx.settings`` (the user's country) or
``ctx.settings_for(country)``, read anew each time: a change takes effect on the next
request.  ::

    class TipSettings(BaseModel):
        most: int = Field(500, ge=1, le=10_000, title="Largest tip", description="In major units")

    app = MiniApp(manifest, settings=TipSettings)

    @app.command("tip", help="Tip someone", args=TipArgs)
    async def tip(ctx, args):
        if args.amount > ctx.settings.most: ...

The values a handler gets are an instance of the model; ``model_fields_set`` names the
fields an operator set for that country (the rest are the defaults).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

FIELD_TYPES = frozenset({"integer", "number", "string", "boolean"})
"""The JSON types a setting may have: a console draws a form field for each."""


def check_settings_model(model: Any, owner: str) -> type[BaseModel]:
    """``model`` if it can be a mini-app's settings, else ``ValueError`` saying why.

    Each field needs a default (a country nobody configured has a value), and a plain
    JSON type (a number, text, true or false, or one of a few choices).
    """
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise ValueError(f"{owner}: settings are a pydantic model class, not {model!r}")
    if not model.model_fields:
        raise ValueError(f"{owner}: {model.__name__} declares no settings")
    for name, field in model.model_fields.items():
        if field.is_required():
            raise ValueError(f"{owner}: the setting {name!r} needs a default")
    properties = model.model_json_schema().get("properties", {})
    for name, schema in properties.items():
        if schema.get("type") not in FIELD_TYPES and "enum" not in schema:
            raise ValueError(f"{owner}: the setting {name!r} is not a number, text, true/false or a choice")
    model()  # the defaults themselves must be valid
    return model


def operator_set(settings: BaseModel, name: str) -> Any:
    """The value an operator set for ``name`` in this country, or ``None`` where it is the default.

    For a mini-app that had its own per-country value before declaring settings: the
    operator's setting, once made, wins over the mini-app's older one.
    """
    return getattr(settings, name) if name in settings.model_fields_set else None
