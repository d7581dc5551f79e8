"""SAML metadata → identity providers: entity ID, SSO endpoint (HTTP-Redirect), signing
certificates, shibmd:Scope and mdui:DisplayName. Parsed without entities or network."""

from lxml import etree

NS = {
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "shibmd": "urn:mace:shibboleth:metadata:1.0",
    "mdui": "urn:oasis:names:tc:SAML:metadata:ui",
}
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                         remove_comments=True)


class MetadataError(ValueError):
    """Not SAML metadata this platform can use."""


def parse(xml):
    """The XML document (bytes) as an lxml tree; MetadataError when it is not XML."""
    try:
        return etree.fromstring(xml if isinstance(xml, bytes) else xml.encode(), PARSER)
    except etree.XMLSyntaxError as error:
        raise MetadataError(f"not XML: {error}") from error


def identity_providers(root):
    """Every usable IdP of a metadata document (EntityDescriptor or EntitiesDescriptor):
    a list of dicts with entity_id, names, sso_url, certificates, scopes."""
    if root.tag == f"{{{NS['md']}}}EntityDescriptor":
        entities = [root]
    elif root.tag == f"{{{NS['md']}}}EntitiesDescriptor":
        entities = root.findall(".//md:EntityDescriptor", NS)
    else:
        raise MetadataError("not SAML metadata (no EntityDescriptor)")
    found = []
    for entity in entities:
        idp = entity.find("md:IDPSSODescriptor", NS)
        if idp is None:
            continue
        sso = [s.get("Location") for s in idp.findall("md:SingleSignOnService", NS)
               if s.get("Binding") == REDIRECT]
        certificates = [
            "".join(c.text.split())
            for key in idp.findall("md:KeyDescriptor", NS) if key.get("use") in (None, "signing")
            for c in key.findall(".//ds:X509Certificate", NS) if c.text]
        if not sso or not certificates:
            continue
        scopes = [s.text.strip() for s in idp.findall("md:Extensions/shibmd:Scope", NS)
                  if s.text and s.get("regexp", "false") in ("false", "0")]
        names = {}
        for name in idp.findall("md:Extensions/mdui:UIInfo/mdui:DisplayName", NS):
            lang = name.get("{http://www.w3.org/XML/1998/namespace}lang", "en")[:2]
            if name.text and lang not in names:
                names[lang] = name.text.strip()
        entity_id = entity.get("entityID")
        found.append({"entity_id": entity_id, "names": names or {"en": entity_id},
                      "sso_url": sso[0], "certificates": certificates, "scopes": scopes})
    return found
