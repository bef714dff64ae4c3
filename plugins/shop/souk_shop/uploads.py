"""The owner's catalogue upload: a file picked in the back office (``/myshop``), imported as
``souk shop import`` and ``POST /imports`` do, with the same rules and the same report."""

from __future__ import annotations

from souk_sdk import Context, FormErrors, Press, action, ui

from . import businesses, importer

MAX_ERRORS_SHOWN = 10


def report_text(report: importer.Report) -> str:
    lines = [
        f"Catalogue imported: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} rejected."
    ]
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        lines.append(f"Line {error['line']}: {error['sku'] or '(no SKU)'}: {error['reason']}")
    if len(report.errors) > MAX_ERRORS_SHOWN:
        lines.append(f"... and {len(report.errors) - MAX_ERRORS_SHOWN} more.")
    return "\n".join(lines)


@action("import_catalogue")
async def import_catalogue(ctx: Context, press: Press) -> str:
    shop = await businesses.require(ctx, press.payload["shop_id"], admin=True)
    upload: ui.UploadedFile = press.values["file"]
    kind: importer.Format = "json" if upload.name.lower().endswith(".json") else "csv"
    try:
        report = await ctx.transaction(
            lambda tx: importer.run(tx.db, shop["id"], shop["currency"], upload.data, kind, ctx.now())
        )
    except importer.ImportRefused as exc:
        raise FormErrors({"file": f"could not be read: {exc}"}) from None
    return report_text(report)


ACTIONS = [import_catalogue]
