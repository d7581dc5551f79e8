"""Digitised works through IIIF: Presentation API 3.0 manifests of a work's images.

InvenioRDM v14 serves the IIIF Image API and Presentation 2.1 manifests
(`/api/iiif/record:<id>/manifest`, kept for existing clients); this feature adds the 3.0
manifest at `/api/iiif/3/record:<id>/manifest`, with the work's library as `provider`,
its licence as `rights` and its metadata labelled in Czech and English."""
