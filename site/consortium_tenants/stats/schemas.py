"""What the statistics service accepts, as marshmallow schemas: a range of months (a
library's and the consortium's statistics), a month to compute, a credential's label and
the parameters of a COUNTER report.

Messages are texts of the instance's catalogue (the REST views and pages translate them
to the request's language); a report's parameters that COUNTER answers with an
exception are mapped to it by the service (Appendix D: 1030, 3020)."""

from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, validates_schema

from ..units import parse_day, parse_month
from ..validation import Length, OneOf

MONTH_HELP = "Expected a month as YYYY-MM."
SORT_KEYS = ("name", "views", "downloads", "unique_visits", "deposits")


class Month(fields.Field):
    """A month as `YYYY-MM` (ASCII digits, units.parse_month) → its first day."""

    default_error_messages = {"invalid": MONTH_HELP, "required": MONTH_HELP,
                              "null": MONTH_HELP}

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_month(value)
        except ValueError as error:
            raise self.make_error("invalid") from error

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%Y-%m")


class RangeSchema(Schema):
    """`from`, `to` (months, `to` not before `from`) and `interval` (`month` only)."""

    class Meta:
        unknown = EXCLUDE

    first = Month(data_key="from", required=True)
    last = Month(data_key="to", required=True)
    interval = fields.String(load_default="month",
                             validate=OneOf(["month"], error="Only 'month' is supported."))

    @validates_schema
    def in_order(self, data, **kwargs):
        if data["first"] > data["last"]:
            raise ValidationError("Must not be before 'from'.", "to")


class ConsortiumRangeSchema(RangeSchema):
    """A range of months and the order of the libraries (a SORT_KEYS name, `-` first for
    descending)."""

    sort = fields.String(load_default="name", validate=OneOf(
        [*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)],
        error="One of name, views, downloads, unique_visits, deposits, optionally with '-'."))


class MonthSchema(Schema):
    """A month whose COUNTER metrics are computed."""

    month = Month(required=True)


class CredentialSchema(Schema):
    """A new SUSHI credential: a label saying which harvester it is for."""

    label = fields.String(load_default="", validate=Length(max=255))


class CounterDate(fields.Field):
    """`begin_date`/`end_date` of a report: `yyyy-mm-dd` or `yyyy-mm` → that day (the
    first of the month)."""

    default_error_messages = {"invalid": "Not a date: {input!r}"}

    def _deserialize(self, value, attr, data, **kwargs):
        for parse in (parse_day, parse_month):
            try:
                return parse(value)
            except ValueError:
                continue
        raise self.make_error("invalid", input=value)


class PipeList(fields.Field):
    """A COUNTER multi-value parameter (`Article|Book`) → its values."""

    def _deserialize(self, value, attr, data, **kwargs):
        return [v for v in str(value).split("|") if v]


class ReportArgsSchema(Schema):
    """The parameters of a report request (COUNTER_SUSHI API 5.1). Filters and attributes
    are lists; their values are checked by the report (an unsupported value is an
    exception in the report's header, 3060/3062); other parameters are kept (3050)."""

    class Meta:
        unknown = INCLUDE

    customer_id = fields.String()
    requestor_id = fields.String()
    api_key = fields.String()
    platform = fields.String()
    begin_date = CounterDate(required=True)
    end_date = CounterDate(required=True)
    metric_type = PipeList()
    data_type = PipeList()
    access_method = PipeList()
    access_type = PipeList()
    yop = PipeList()
    attributes_to_show = PipeList()
    item_id = fields.String()
    granularity = fields.String()
    include_parent_details = fields.String()
    include_component_details = fields.String()
