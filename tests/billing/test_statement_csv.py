"""The accountant's CSV files: a total row, no formulas, one charset."""

import csv
import io
from decimal import Decimal

from billing_time import after_midnight, at, today
from helpers import tenant_payload


def test_summary_csv_has_a_total_row_neutralised_formulas_and_one_charset(
    client, make_tenant, admin_headers
):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    evil, _ = make_tenant("csv-evil")
    plain, plain_people = make_tenant("csv-plain")
    names = {"cs": "=HYPERLINK(\"http://evil.example\";\"Knihovna\")",
             "en": "@SUM(A1:A9)"}
    res = client.put(f"/api/tenants/{evil['slug']}", headers=admin_headers,
                     json=tenant_payload(evil["slug"], names=names))
    assert res.status_code == 200, res.json
    take_daily_snapshots(now=after_midnight(1))
    month = f"{today():%Y-%m}"
    with at(after_midnight(1, minute=30)):
        res = client.get("/api/billing/summary", headers=admin_headers,
                         query_string={"period": month, "lang": "cs"})
        statement = client.get(f"/api/tenants/{plain['slug']}/statements",
                               headers=plain_people["managers"],
                               query_string={"period": month, "format": "csv"})
    assert res.status_code == 200
    assert res.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert statement.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(res.get_data(as_text=True))))
    by_slug = {row["slug"]: row for row in rows}
    # The name is shown as text: a spreadsheet runs no formula.
    assert by_slug[evil["slug"]]["name"] == "'" + names["cs"]
    assert by_slug[plain["slug"]]["name"] == f"Knihovna {plain['slug']}"
    # The last row totals every library's.
    total = rows[-1]
    assert total["slug"] == "total" and total["period"] == month
    libraries = rows[:-1]
    for key in ("net", "vat", "gross"):
        assert total[key] == str(sum(Decimal(r[key]) for r in libraries))
    assert total["deposits"] == str(sum(int(r["deposits"]) for r in libraries))
