"""The attributes SSO reads: eduPerson/X.500 friendly names and their urn:oid names
(SAML 2 attribute names in eduID.cz, REFEDS)."""

OIDS = {
    "eduPersonUniqueId": "urn:oid:1.3.6.1.4.1.5923.1.1.1.13",
    "eduPersonPrincipalName": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
    "eduPersonScopedAffiliation": "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
    "eduPersonEntitlement": "urn:oid:1.3.6.1.4.1.5923.1.1.1.7",
    "pairwise-id": "urn:oasis:names:tc:SAML:attribute:pairwise-id",
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    "displayName": "urn:oid:2.16.840.1.113730.3.1.241",
    "givenName": "urn:oid:2.5.4.42",
    "sn": "urn:oid:2.5.4.4",
}
SCOPED = ("eduPersonUniqueId", "eduPersonPrincipalName", "eduPersonScopedAffiliation",
          "pairwise-id")
"""Values `something@scope`: the scope must be one of the IdP's shibmd:Scope."""
RULE_ATTRIBUTES = ("eduPersonScopedAffiliation", "eduPersonEntitlement",
                   "eduPersonPrincipalName", "eduPersonUniqueId")
"""Attributes a library's rules may test."""


def by_friendly_name(saml_attributes):
    """{friendly name: [values]} of the attributes SSO knows, from {urn name: [values]}."""
    return {name: [v for v in saml_attributes.get(oid, []) if isinstance(v, str)]
            for name, oid in OIDS.items() if saml_attributes.get(oid)}


def out_of_scope(attributes, scopes):
    """(attribute, value) of the first scoped value whose scope the IdP does not own."""
    allowed = {s.lower() for s in scopes}
    for name in SCOPED:
        for value in attributes.get(name, []):
            scope = value.rpartition("@")[2].lower() if "@" in value else None
            if scope not in allowed:
                return name, value
    return None
