"""The deposited version of a work: the deposit form's field and COAR's version types.

One place for what the open-access policy checks (`oa`) and what OpenAIRE harvesters
read as `oaire:version` (`oai`): the version ids a library's policy lists are the
values of the deposit form's field.
"""

VERSION_FIELD = "consortium:oa_version"
"""Custom field holding which version of the work the depositor deposits."""

COAR_VERSION = "http://purl.org/coar/version/"

VERSION_TYPES = {
    # id: (COAR version type, its label)
    "submitted": ("c_71e4c1898caa6e32", "Submitted Manuscript Under Review"),
    "accepted": ("c_ab4af688f83e57aa", "Accepted Manuscript"),
    "published": ("c_970fb48d4fbd8a85", "Version of Record"),
}
VERSIONS = list(VERSION_TYPES)
