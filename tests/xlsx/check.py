"""Read business/client-metrics.xlsx back as a reviewer's spreadsheet would.

Usage: check.py PACKAGE_DIR CONTENT_DIR
Checks sheet names, that every metric is a number equal to the content's,
that the cost table holds formulas over the rate cells, and the trigger rows.
"""
import sys
import glob
import openpyxl
import yaml

pkg, content = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(f"{pkg}/business/client-metrics.xlsx")
fails = []


def check(cond, what):
    print(("ok xlsx: " if cond else "FAIL xlsx: ") + what)
    if not cond:
        fails.append(what)


check(wb.sheetnames == ["Monthly", "Clients", "Cost analysis", "Trigger metrics"],
      f"sheet names {wb.sheetnames}")

snapshots = [yaml.safe_load(open(f)) for f in sorted(glob.glob(f"{content}/metrics/*.yaml"))]
ws = wb["Monthly"]
check(ws.freeze_panes == "A2", "header row frozen")
check(ws.max_row == len(snapshots) + 1, f"a row per snapshot ({ws.max_row - 1})")
columns = ["active_organizations", "whatsapp_ai_clients", "messages", "message_cost",
           "uptime_percent", "webhook_avg_ms", "webhook_p95_ms", "delivery_success_percent", "mrr"]
ok = True
for row, snap in zip(ws.iter_rows(min_row=2, values_only=True), snapshots):
    if row[0].strftime("%Y-%m") != snap["month"]:
        ok = False
    for i, key in enumerate(columns, start=1):
        want = snap[key] / 100 if key.endswith("_percent") else snap[key]
        if not isinstance(row[i], (int, float)) or abs(row[i] - want) > 1e-9:
            ok = False
            print(f"  {snap['month']} {key}: {row[i]!r} != {want!r}")
check(ok, "every metric stored as the number in content/metrics")
check(len(ws._charts) == 1, "a native chart of messages per month")

latest = snapshots[-1]
ws = wb["Clients"]
check(ws.max_row == len(latest.get("clients", [])) + 1, "a row per client of the latest month")
check(sum(r[3] for r in ws.iter_rows(min_row=2, values_only=True)) == sum(c["messages"] for c in latest["clients"]),
      "client messages add up")

ws = wb["Cost analysis"]
check(ws["B2"].value == 0.06, "BSP rate is an input cell")
rows = list(ws.iter_rows(min_row=12, max_row=16))
check([r[0].value for r in rows] == [10000, 50000, 100000, 500000, latest["messages"]],
      "the seed's volumes, then this month's")
check(all(str(r[1].value).startswith("=A") and "$B$2" in r[1].value for r in rows),
      "cost via BSP is a formula over the rate cell")
check(all(str(r[2].value).startswith("=SUMPRODUCT(") for r in rows), "direct cost is a formula over the tiers")
check(all(r[3].value == f"=B{r[0].row}-C{r[0].row}" for r in rows), "savings is a formula")

ws = wb["Trigger metrics"]
trig = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, max_row=6, values_only=True)}
check(trig["Active WhatsApp AI clients"] == (latest["whatsapp_ai_clients"], 100, False),
      f"clients row {trig['Active WhatsApp AI clients']}")
check(trig["Platform uptime (30 days)"][2] is True, "uptime met, as a boolean")
sys.exit(1 if fails else 0)
