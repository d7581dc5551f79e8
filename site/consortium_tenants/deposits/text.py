"""Descriptions stored as characters, not HTML entities.

The deposit form's rich editor writes `d&iacute;la` for "díla": every Czech
letter with a diacritic became a named entity, which full-text search, OAI-PMH
(XML knows no `&iacute;`) and exports then carried. Entities that stand for
markup-significant characters (`&lt; &gt; &amp; &quot; &#39;`) stay encoded.
"""

import html
import re

from invenio_drafts_resources.services.records.components import ServiceComponent

_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_MARKUP = {"<", ">", "&", '"', "'"}


def decode_entities(text):
    """TEXT with character entities replaced by the characters, markup ones kept."""
    def _character(match):
        character = html.unescape(match.group(0))
        keep = character == match.group(0) or character in _MARKUP
        return match.group(0) if keep else character

    return _ENTITY.sub(_character, text)


class DescriptionTextComponent(ServiceComponent):
    """Decodes entities in a draft's description and additional descriptions."""

    def _decode(self, record):
        metadata = record.get("metadata") or {}
        if isinstance(metadata.get("description"), str):
            metadata["description"] = decode_entities(metadata["description"])
        for extra in metadata.get("additional_descriptions") or []:
            if isinstance(extra.get("description"), str):
                extra["description"] = decode_entities(extra["description"])

    def create(self, identity, data=None, record=None, **kwargs):
        """A new draft's descriptions."""
        self._decode(record)

    def update_draft(self, identity, data=None, record=None, **kwargs):
        """An edited draft's descriptions."""
        self._decode(record)
