"""Single sign-on per member library through SAML 2 (eduID.cz): one SP per library host,
the IdPs each library allows, rules from attributes to the library's roles."""
