"""The library's Kramerius settings as clients send them; all validation is here."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates

from ...validation import Length

EXAMPLE_UUID = "uuid:0eaa6730-9068-11dd-97de-000d606f5dc6"
URL = fields.Url(schemes={"http", "https"}, require_tld=False)


def _url(value, error):
    try:
        URL.deserialize(value)
    except ValidationError:
        raise ValidationError(error)


class KrameriusSettingsSchema(Schema):
    """`base_url`: the Kramerius client (its works at <base_url>/uuid/<uuid>);
    `manifest_url`: the IIIF gateway's manifest URL with `{uuid}`; null removes one."""

    class Meta:
        unknown = EXCLUDE

    base_url = fields.String(allow_none=True, validate=Length(max=1024))
    manifest_url = fields.String(allow_none=True, validate=Length(max=1024))

    @validates("base_url")
    def _base_url(self, value, **kwargs):
        if value:
            _url(value, "Give the address of the library's Kramerius, e.g. "
                        "https://kramerius.example.cz.")

    @validates("manifest_url")
    def _manifest_url(self, value, **kwargs):
        if not value:
            return
        if value.count("{uuid}") != 1:
            raise ValidationError("Write {uuid} once where the work's Kramerius uuid goes, "
                                  "e.g. https://kramerius.example.cz/iiif/{uuid}/manifest.")
        _url(value.replace("{uuid}", EXAMPLE_UUID),
             "Give the address of the manifests of the library's IIIF gateway, e.g. "
             "https://kramerius.example.cz/iiif/{uuid}/manifest.")

    def load(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        data = {key: value.strip() if isinstance(value, str) else value
                for key, value in data.items()}
        out = super().load(data, **kwargs)
        return {key: (value.strip().rstrip("/") if key == "base_url" else value.strip())
                if isinstance(value, str) and value.strip() else None
                for key, value in out.items()}
