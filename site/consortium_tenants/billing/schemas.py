"""What the billing service accepts and returns, as marshmallow schemas (the tariff it
accepts is tariffs.TariffSchema)."""

from marshmallow import Schema, fields

PERIOD_HELP = "2026-11, 2026-Q4 or 2026."


class PeriodSchema(Schema):
    """A period asked for: a month, a quarter or a year (checked by statements.parse_period)."""

    period = fields.String(required=True, metadata={"description": PERIOD_HELP})


class SnapshotSchema(Schema):
    """A library's usage of one day, as billing prices it."""

    day = fields.Date()
    bytes = fields.Integer()
    files = fields.Integer()
    records = fields.Integer()
    drafts = fields.Integer()
    published = fields.Integer()
    members = fields.Integer()


class SnapshotsRunSchema(Schema):
    """A catch-up run: snapshots made, the last day covered, the libraries that failed."""

    made = fields.Integer()
    last_day = fields.Date()
    failed = fields.Dict(keys=fields.String(), values=fields.String())


class ClosedMonthSchema(Schema):
    """A month closed: statements issued now, and before."""

    period = fields.String()
    issued = fields.Integer()
    already = fields.Integer()
