"""Default configuration of the consortium tenants module (CONSORTIUM_* keys)."""

from .dois.components import DOITenantComponent
from .imports.component import ImportTenantComponent
from .stats.component import StatsTenantComponent
from .storage.provisioning import StorageTenantComponent
from .workflows.provisioning import WorkflowTenantComponent

CONSORTIUM_HOSTS = ["127.0.0.1", "localhost"]
"""Host names of the consortium's own site. Any other Host must belong to a
tenant (its host names, or `<slug>.<CONSORTIUM_TENANT_HOST_SUFFIX>`), else 400."""

CONSORTIUM_TENANT_HOST_SUFFIX = "localhost"
"""Every tenant answers on `<slug>.<suffix>` besides its own host names."""

CONSORTIUM_HOST_CACHE_SECONDS = 300
"""Longest time a web process trusts its cached host → library map; any change to a
library or its hosts invalidates every process's map at once (tenants.host_cache)."""

CONSORTIUM_RESERVED_SLUGS = [
    "consortium", "admin", "administration", "api", "static", "assets", "media", "files",
    "oai", "oai2d", "www", "localhost", "login", "logout", "signup", "register", "search",
    "records", "uploads", "communities", "collections", "requests", "users", "libraries",
    "tenants", "me", "account", "accounts", "dashboard", "settings", "oauth", "ping",
    "robots", "sitemap", "help", "support", "docs", "status", "mail", "smtp", "ftp", "s3",
    "cdn",
]
"""Slugs no library may take: words of the platform's own paths and host names (a
library's slug names its community, `/communities/<slug>`, and its implicit host
`<slug>.<CONSORTIUM_TENANT_HOST_SUFFIX>`). Checked when a library is created."""

CONSORTIUM_ADMIN_ROLE = "consortium-admin"
"""Role whose members manage every tenant (besides superusers)."""

CONSORTIUM_TENANT_ROLES = {
    "managers": "owner",
    "curators": "curator",
    "depositors": "reader",
}
"""Tenant member roles and the community role each maps to. Managers own the
library's community (settings, members); a community needs one owner."""

CONSORTIUM_TENANTS_SEARCH_SIZE_MAX = 100
"""Largest page of the tenant list."""

CONSORTIUM_TENANT_SERVICE_COMPONENTS = [StorageTenantComponent, WorkflowTenantComponent,
                                        StatsTenantComponent, DOITenantComponent,
                                        ImportTenantComponent]
"""Features plugged into the tenant service (consortium_tenants.tenants.components:
TenantServiceComponent): they provision a new library, add to its JSON and usage, and
name the library a deposit is assigned to. A new feature appends its own."""

CONSORTIUM_TENANTS_PERMISSION_POLICY = (
    "consortium_tenants.tenants.permissions:TenantPermissionPolicy")
"""Who may do what with a tenant (an invenio-records-permissions policy)."""

CONSORTIUM_LOGO_MAX_SIZE = 500 * 1000
"""Largest accepted logo, in bytes (also the limit the community settings page states
and checks: InvenioRDM's COMMUNITIES_LOGO_MAX_FILE_SIZE follows it)."""

CONSORTIUM_LOGO_MAX_DIMENSION = 4096
"""Largest width and height of a PNG or JPEG logo, in pixels (checked before the
image is decoded, against decompression bombs)."""

CONSORTIUM_LOGO_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
"""The font of generated logos (a library's short name on its colour): Debian's
fonts-dejavu-core, which has Czech letters (Pillow's built-in font has not)."""

CONSORTIUM_THEMED_ENVIRONMENTS = 32
"""Template environments of library themes each web process keeps (the libraries whose
pages were shown last; consortium_platform.themed_templates). 0: none, every themed
page looks its templates up again (InvenioRDM's behaviour)."""

CONSORTIUM_FRONTPAGE_LIBRARIES = 12
"""Member libraries the consortium's front page shows as cards (those with the most
works); it links to /libraries, which lists them all."""

CONSORTIUM_FOOTER_LIBRARIES = 10
"""Member libraries the consortium's footer names; with more, it links to /libraries
with their number instead."""

CONSORTIUM_STORAGE_DEFAULTS = {
    "quota": 50 * 10**9,
    "max_file_size": 10 * 10**9,
    "max_files": 100,
}
"""Storage limits of a library without its own (bytes, bytes, files per record;
None = no limit). Consortium administrators set a library's own limits."""

CONSORTIUM_STORAGE_PREFIX = "tenants"
"""Key prefix of the libraries' locations in the consortium bucket:
`<default location>/<prefix>/<slug>/…`."""

CONSORTIUM_STORAGE_UNAFFILIATED = False
"""Whether users who belong to no library may upload (within the per-record
RDM_FILES_DEFAULT_QUOTA_SIZE, uncharged). Off: they get 403."""

CONSORTIUM_STORAGE_WARNING_THRESHOLDS = (80, 95)
"""Usage percentages at which the library's managers are warned."""

CONSORTIUM_STORAGE_QUOTAS_ENABLED = True
"""Placement, quota checks and usage counters; off only to benchmark them."""

CONSORTIUM_STORAGE_ORPHAN_GRACE = 3600
"""Seconds before the storage repair (`tenants usage --recompute --check-s3`, the
daily check) removes an S3 object or multipart upload unknown to the database:
younger ones may belong to uploads still in flight."""

CONSORTIUM_STORAGE_MULTIPART_MAX_AGE = 7 * 24 * 3600
"""Seconds a multipart upload (parts straight to S3) may stay uncommitted. The hourly
task `expire_multipart_uploads` then deletes its draft file entry, which aborts the
upload in S3 and releases the size reserved for it. Keep the S3 lifecycle rule for
incomplete uploads (docs/operator-guide.md) longer than this."""

CONSORTIUM_STORAGE_MULTIPART_THRESHOLD = 16 * 2**20
"""Bytes above which the deposit form sends a file straight to S3 in parts (presigned
multipart upload); smaller files go through the web app in one request. Parts are
InvenioRDM's (at least 5 MiB), so a file above a threshold under 5 MiB is one part.
The deposit page carries it (templates/semantic-ui/consortium_tenants/deposit.html)."""

CONSORTIUM_STORAGE_MULTIPART_PART_SIZES = (5 * 2**20, 5 * 2**30)
"""Smallest and largest part (bytes) a multipart transfer may declare: S3's limits
(5 MiB, 5 GiB; only the last part may be smaller). A declaration must also have exactly
ceil(size / part_size) parts; each part URL is signed for its part's exact length."""

CONSORTIUM_S3_BUCKET = "consortium"
"""S3 bucket of the consortium's default files location (`s3://<bucket>`), created by
`invenio platform init`; the libraries' locations are prefixes in it."""

CONSORTIUM_S3_ACL = "private"
"""Canned ACL sent with every S3 write (see storage.s3.ConsortiumS3Storage)."""

CONSORTIUM_S3_FS_RETRIES = 1
"""Tries of s3fs around each S3 call (its default is 5). botocore already retries
(`S3_CONFIG_EXTRA["retries"]`); s3fs's own tries multiply a hung S3's timeouts."""

CONSORTIUM_S3_REQUEST_DEADLINE = 60
"""Seconds one S3 request of invenio-s3 (s3fs) may take from sending it, body included,
to the answer's headers, per try. S3_CONFIG_EXTRA's read timeout starts only once the
body is sent, so an S3 that stops reading is caught here. Bodies are blocks of
S3_DEFAULT_BLOCK_SIZE (5 MiB; 1/10 000 of larger files): 60 s needs ≥ 90 kB/s."""

CONSORTIUM_INDEX_REPAIR_PAUSE = 0
"""Seconds the background index repair (consortium_platform.tasks.repair_indices) waits
after each record it reindexes, so that a large repair leaves the search cluster room."""

CONSORTIUM_INDEX_REPAIR_DELAY = 60
"""Seconds after a request that saved a change but found OpenSearch down until the
index repair task runs (it retries with back-off while OpenSearch stays down)."""

CONSORTIUM_OAI_PAGE_SIZE = 100
"""Records per OAI-PMH list response."""

CONSORTIUM_OAI_SETS_PAGE_SIZE = 100
"""Sets per OAI-PMH ListSets response (the consortium's lists every library and
collection: hundreds of libraries answer in pages, with resumption tokens)."""

CONSORTIUM_OAI_TOKEN_TTL = 24 * 3600
"""Seconds a resumption token stays valid: the `max_age` its signature is read with
(stateless: nothing expires server-side; shortening it also ends older tokens sooner)."""

CONSORTIUM_OAI_REPLACED_VIEWS = [
    "invenio_oaiserver.*",  # invenio-oaiserver's /oai2d (and its static files)
    "administration.OAI-PMH",  # InvenioRDM's OAI-PMH sets pages: list, create, edit, details
    "administration.oaipmh_*",
    "administration.OAI-PMH details",
]
"""Endpoints (fnmatch patterns) that consortium_tenants.oai replaces: removed from the
UI application once it is loaded, with their administration menu entries (oai.unplug)."""

CONSORTIUM_OAI_CACHED_FORMATS = ["oai_dc", "oai_datacite", "marcxml"]
"""metadataPrefixes whose XML is kept per record (table consortium_oai_rendered, keyed by
the hash of the record's index document; oai.rendered): made when a record is published and
when first asked for, read a page at a time. [] makes every format on every request.
oai_openaire is left out: made from the index document, it is faster than a kept row
(bench/README.md)."""


CONSORTIUM_WORKFLOW_DEFAULT_PRESET = "mediated"
"""Deposit workflow of a new library: open, mediated or closed."""

CONSORTIUM_WORKFLOW_PRESETS = {
    "open": {"record_submission_policy": "closed", "review_policy": "members"},
    "mediated": {"record_submission_policy": "closed", "review_policy": "open"},
    "closed": {"record_submission_policy": "closed", "review_policy": "open"},
}
"""The community access settings behind each preset. Only members submit; `members`
lets depositors publish directly, `open` only curators and managers. `closed`
further refuses depositors (workflows.components: only curators and managers)."""

CONSORTIUM_WORKFLOW_QUEUE_SIZE_MAX = 100
"""Largest page of the curators' submission queue."""

CONSORTIUM_STATS_DOUBLE_CLICK_TTL = 2 * 60 * 60
"""Seconds Redis keeps a visitor's last click on an item (COUNTER double clicks); longer
than the time between two runs of invenio-stats' `process_events` (30 min)."""

CONSORTIUM_STATS_MONTH_CLOSE_DELAY = 2 * 60 * 60
"""Seconds after a month's end before its COUNTER metrics are final (its last events
drained: invenio-stats' `process_events` runs every 30 min). Until then the month is
computed as preliminary: shown as such on the statistics pages, not in SUSHI."""

CONSORTIUM_SUSHI_CONSORTIUM_CUSTOMER_ID = "consortium"
"""SUSHI customer ID of the consortium itself (its credentials harvest every library)."""

CONSORTIUM_SUSHI_NAMESPACE = "consortium"
"""Namespace of the proprietary IDs in SUSHI reports (`<namespace>:<library or record id>`)."""

CONSORTIUM_SUSHI_CREATED_BY = "Library Consortium Repository"
"""Created_By of SUSHI reports."""

CONSORTIUM_BILLING_SNAPSHOT_CATCH_UP_DAYS = 62
"""How many days back the daily snapshot task fills missing (library, day) snapshots
(never into an issued period); older gaps: `invenio tenants snapshots backfill`."""

CONSORTIUM_BILLING_TARIFFS = [
    {
        "effective_from": "2026-01-01",
        "price_gb_month": "2.50",
        "price_deposit": "10.00",
        "member_fee_year": "12000.00",
        "free_gb": "0",
        "currency": "CZK",
        "vat_rate": "0.21",
    },
]
"""Default tariffs (billing.tariffs): prices in CZK from each effective date; CZK per
GB-month (10^9 B), per published deposit, a yearly member fee (1/12 a month), a free
allowance of GB per library and day, and the VAT rate. Tariffs that consortium
administrators add in the database (`/api/billing/tariffs`) win on the same date."""
CONSORTIUM_DATACITE_URLS = {
    "test": "https://api.test.datacite.org/",
    "production": "https://api.datacite.org/",
}
"""DataCite REST API of each account mode (a library's account is in test or production
mode). Tests and the local platform point both at the DataCite test double."""

CONSORTIUM_DATACITE_TIMEOUT = 10
"""Seconds to wait for DataCite; an unanswered call is retried later (dois.tasks)."""

CONSORTIUM_DATACITE_KEYS = None
"""Fernet keys (urlsafe base64 of 32 bytes; `python3 -c "from cryptography.fernet import
Fernet; print(Fernet.generate_key().decode())"`) that encrypt the libraries' DataCite
passwords, a list or one string separated by commas: the first encrypts, all decrypt
(MultiFernet). Rotate: put a new key first, run `invenio tenants datacite rotate`, drop
the old one. Production: INVENIO_CONSORTIUM_DATACITE_KEYS (docker/.env); the local
platform generates one per machine ($LOCAL_DIR/datacite-keys, scripts/env.sh). Not derived
from SECRET_KEY: changing that leaves the passwords readable."""

CONSORTIUM_DOI_RETRY_BACKOFF = 900
"""Seconds before a failed DOI is retried a second time; every further failure doubles
the wait (dois.failures), up to CONSORTIUM_DOI_RETRY_BACKOFF_MAX."""

CONSORTIUM_DOI_RETRY_BACKOFF_MAX = 86400
"""The longest wait between two retries of one failed DOI (seconds)."""

CONSORTIUM_DOI_RETRY_LOCK_TIMEOUT = 3600
"""Seconds the lock of a DOI retry run (Redis) lives at most: one run at a time, and a
run that died leaves the lock for no longer than this."""

CONSORTIUM_DATACITE_FALLBACK = None
"""The consortium's own DataCite account, used by libraries without one:
{"prefix": "10.x", "repository_id": "...", "password": "...", "test_mode": True}
(production: set it with INVENIO_CONSORTIUM_DATACITE_FALLBACK). None: such
libraries' works get no DOI."""

CONSORTIUM_DATACITE_PUBLISHER_LANGUAGE = "cs"
"""Which of a library's names is the publisher of its works when none is given."""

CONSORTIUM_DATACITE_DEFAULT_PUBLISHER = "Library Consortium Repository"
"""Publisher of works that belong to no library."""

CONSORTIUM_SSO_REQUEST_LIFETIME = 600
"""Seconds a login started on a library's site (its SAML AuthnRequest) may take at the
institution's IdP; an answer after that is refused (start again)."""

CONSORTIUM_JOBS = {
    # COUNTER metrics of the previous and the current month, after event processing
    "consortium-stats-months": {"minute": "45", "hour": "*/6"},
    # every (library, day) that is over and has no snapshot yet: yesterday's just after
    # midnight (UTC); a run that is late or lost is made good by the next; idempotent
    "consortium-billing-snapshots": {"minute": "10"},
    # issues last month's statements once every library has all its days; a closed
    # month is left as it is, a month with missing days fails naming them
    "consortium-billing-close": {"minute": "40", "hour": "2"},
    "consortium-storage-check": {"minute": "30", "hour": "3"},
    "consortium-multipart-expiry": {"minute": "15"},
    "consortium-doi-retry": {"minute": "*/15"},
    # SAML federations' IdP metadata (CONSORTIUM_SSO_FEDERATION_FEEDS), signature verified
    "consortium-sso-federation-metadata": {"minute": "20", "hour": "5"},
    # database, indices, S3 and counters agree; alerts the consortium administrators
    "consortium-platform-check": {"minute": "0", "hour": "4"},
    # e-mails 30 and 7 days before a work's embargo ends and on the day (after RDM's
    # lifting at 00:02); each notice once, a late run sends what is due then
    "consortium-oa-embargo-notices": {"minute": "30", "hour": "6"},
    # each work's Kramerius link (HEAD, else GET); the broken ones on the library's page
    "consortium-kramerius-links": {"minute": "50", "hour": "4"},
    # each library's import sources again, from their last finished run (issue 28)
    "consortium-imports-incremental": {"minute": "50", "hour": "1"},
}
"""The instance's scheduled work as invenio-jobs jobs: job type → crontab fields (UTC).
`invenio platform init` creates a job for each entry that has none; administrators then
change, pause and run it at /administration/jobs, where each run's status, log and
failure reason are kept."""

CONSORTIUM_SSO_FEDERATION_FEEDS = []
"""Federation metadata feeds the IdPs come from, refreshed daily (job
`consortium-sso-federation-metadata`, CONSORTIUM_JOBS): a list of
{"url": …, "certificate": PEM text or the path of a PEM file}. eduID.cz:
{"url": "https://metadata.eduid.cz/entities/eduid+idp", "certificate":
"/etc/consortium/metadata.eduid.cz.crt.pem"} (the signing certificate eduID.cz publishes;
check its fingerprint out of band). A feed whose signature does not verify with it is
refused and the last good one kept."""

CONSORTIUM_OA_EMBARGO_NOTICE_DAYS = (30, 7, 0)
"""Days before an embargo ends when its depositor and the library's curators are told
(0: on the day); job `consortium-oa-embargo-notices`."""

CONSORTIUM_OA_EMBARGOES_AHEAD = 90
"""Days ahead the list of a library's ending embargoes covers (/libraries/<slug>/embargoes,
GET /api/tenants/<slug>/oa-embargoes)."""

CONSORTIUM_OA_PRESETS = {
    "czech-national": {
        "licenses": ["cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
                     "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "cc0-1.0"],
        "max_embargo_months": 6,
        "embargo_by_resource_type": {},
        "versions": ["accepted", "published"],
        "funding_required": True,
        "data_within_months": 12,
        "severity": "warning",
    },
    "plan-s": {
        "licenses": ["cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0"],
        "max_embargo_months": 0,
        "embargo_by_resource_type": {},
        "versions": ["accepted", "published"],
        "funding_required": True,
        "data_within_months": None,
        "severity": "error",
    },
}
"""Open-access policies a library starts from (`PUT /api/tenants/<slug>/oa-policy` with
`{"preset": …}`). `czech-national`: the Czech national OA strategy (the accepted manuscript
or the published version, CC licences, an embargo of at most 6 months, research data within
12 months of the project's end, funding stated for publicly funded works; warnings).
`plan-s`: cOAlition S (CC BY, CC BY-SA or CC0, no embargo, funding stated; errors). The
strategy's 12 months for the social sciences and humanities are set per resource type
(`embargo_by_resource_type`), since the platform records no discipline."""

# --- Digitised works: IIIF tiles (consortium_tenants.iiif.tiles) ---------------------
CONSORTIUM_IIIF_VIPS = "vips"
"""The `vips` command (Debian's libvips-tools) that makes the pyramidal TIFFs."""

CONSORTIUM_IIIF_VIPSHEADER = "vipsheader"
"""Its `vipsheader` command (a PDF's number of pages)."""

CONSORTIUM_IIIF_PDF_MAX_PAGES = 500
"""Pages of a PDF that get tiles and a canvas in the work's IIIF manifest (the first ones;
the whole PDF stays its `rendering`)."""

CONSORTIUM_IIIF_PDF_DPI = 150
"""Resolution at which a PDF's pages are rendered for their tiles (150: an A4 page is
1240 × 1754 pixels)."""

CONSORTIUM_IIIF_TILES_TIMEOUT = 600
"""Seconds one image's conversion may take before it is given up (the page stays on
InvenioRDM's on-the-fly path)."""

CONSORTIUM_IIIF_SERVER_TIMEOUT = 10
"""Seconds the web app waits for the IIPImage server (`RDM_IIIF_SERVER_URL`) before it
serves the request on InvenioRDM's on-the-fly path."""

CONSORTIUM_KRAMERIUS_LINK_TIMEOUT = 10
"""Seconds the Kramerius link check (job `consortium-kramerius-links`) waits for a
library's Kramerius to answer each link; no answer in time: the link is broken."""
