"""Request bodies shared by the tests."""


def minimal_record(title):
    """Smallest metadata InvenioRDM accepts for publication."""
    return {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "title": title,
            "publication_date": "2026-11-25",
            "resource_type": {"id": "publication-article"},
            "creators": [
                {
                    "person_or_org": {
                        "type": "personal",
                        "given_name": "Jana",
                        "family_name": "Nováková",
                    }
                }
            ],
            "publisher": "Library Consortium Repository",
        },
    }


def tenant_payload(slug, **extra):
    """A valid tenant body."""
    return {
        "slug": slug,
        "names": {"cs": f"Knihovna {slug}", "en": f"Library {slug}"},
        "short_name": slug[:10].upper(),
        "contact_email": f"repo@{slug}.example",
        "email_domains": [f"{slug}.example"],
        "branding": {"primary_color": "#123456", "footer_text": f"Patička {slug}"},
        **extra,
    }
