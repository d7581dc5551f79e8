"""Kramerius links of digitised works (issue 30).

A work digitised by a member library usually lives in the library's Kramerius, the Czech
national digital-library system: it carries the URN:NBN the Czech resolver knows and the
library's Kramerius uuid (`uuid:…`) as identifiers (schemes `urnnbn` and `kramerius`,
`identifiers.py`). The library sets its Kramerius' address and, where its Kramerius has a
IIIF gateway, the manifest URL template (`settings.py`, REST + the library's page); the
work's landing page then links to the Kramerius view and shows the external manifest in
the same Mirador viewer. A job checks the links (`links.py`) and lists the broken ones to
the library's managers."""
