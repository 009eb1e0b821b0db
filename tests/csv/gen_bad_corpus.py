# Writes tests/csv/bad/NN-name.csv and NN-name.expected (run from tests/csv).
# Expected messages are written out by hand from the reader's rules; only
# byte offsets are computed from the bytes. The .expected header lines (#)
# give the mapping and which row lines must still be emitted.
import os
H = b"opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value"
OPP = "# record: opportunity\n# columns: {id: opportunity_id, owner: sales_agent, product: product, account_name: account, stage: deal_stage, created: engage_date, closed: close_date, amount: close_value}\n"
def row(i, prod=b"GTX Basic", acct=b"Cancity", stage=b"Won", eng=b"2016-10-20", close=b"2017-03-01", val=b"100"):
    return b"A%d,Rep %02d," % (i, i) + prod + b"," + acct + b"," + stage + b"," + eng + b"," + close + b"," + val
cases = {}
def case(name, data, meta, errors):
    cases[name] = (data, meta, errors)
nl = b"\n"
# 01
d = H + nl + row(1) + nl + b'A2,Rep 02,"GTX Basic,Cancity,Won,2016-10-20,2017-03-01,200' + nl + row(3, b"MG Special", b"Isdom", b"Lost", val=b"0") + nl
case("01-unterminated-quote", d, OPP + "# emitted: 2 4\n", ["3:11: unterminated quoted field"])
d = H + nl + row(1, b'GTX 5" Basic') + nl + row(2) + nl
case("02-stray-quote", d, OPP + "# emitted: 3\n", ["2:16: stray quote in unquoted field"])
d = H + nl + row(1, b'"GTX Basic" extra') + nl + row(2) + nl
case("03-text-after-quote", d, OPP + "# emitted: 3\n", ["2:22: text after closing quote"])
d = H + nl + row(1).rsplit(b",", 1)[0] + nl + row(2) + nl
case("04-short-row", d, OPP + "# emitted: 3\n", ["2:54: row has 7 fields, the header has 8"])
d = H + nl + row(1) + b",extra" + nl + row(2) + nl
case("05-long-row", d, OPP + "# emitted: 3\n", ["2:59: row has 9 fields, the header has 8"])
off = len(H) + 1 + 23
for n, (nm, bad) in enumerate([("06-utf8-overlong", b"\xC0\xA9"), ("07-utf8-truncated", b"\xC3"),
                               ("08-utf8-lone-continuation", b"\xA9"), ("09-utf8-surrogate", b"\xED\xA0\x80")]):
    d = H + nl + row(1, acct=b"Caf" + bad) + nl + row(2) + nl
    case(nm, d, OPP + "# emitted: 3\n", ["2:24: invalid UTF-8 at byte offset %d" % off])
d = H + nl + row(1) + nl + row(2, val=b"abc") + nl + row(3, val=b'"1.234,5"') + nl + row(4) + nl
case("10-bad-number", d, OPP + "# emitted: 2 5\n",
     ["3:55: column 'close_value' (field amount): 'abc' is not a number",
      "4:55: column 'close_value' (field amount): '1.234,5' is not a number"])
d = H + nl + row(1, eng=b"10/20/2016") + nl + row(2) + nl
case("11-bad-date", d, OPP + "# emitted: 3\n",
     ["2:33: column 'engage_date' (field created): '10/20/2016' does not match the date format '%Y-%m-%d'"])
d = H + nl + row(1, close=b"2017-02-30") + nl + row(2) + nl
case("12-impossible-date", d, OPP + "# emitted: 3\n",
     ["2:44: column 'close_date' (field closed): '2017-02-30' is not a valid date"])
h2 = H.replace(b"deal_stage", b"stage")
d = h2 + nl + row(1) + nl
case("13-missing-column", d, OPP + "# emitted:\n# status: -4004\n",
     ["1:1: missing column 'deal_stage' (field stage); the header has: " + ", ".join(h2.decode().split(","))])
case("14-empty-file", b"", OPP + "# emitted:\n# status: -4004\n", ["1:1: empty file: a header row is required"])
case("15-header-only", H + b"\r\n", OPP + "# emitted:\n# log: 15-header-only.csv: no rows after the header\n", [])
d = b"\xEF\xBB\xBF" + H + b"\r\n" + row(1) + b"\n" + row(2).rsplit(b",", 1)[0] + b"\r\n" + \
    row(3, b'"GTX\r\nBasic"') + b"\n" + row(4, b"MG Special", b"Isdom", b"Lost", val=b"0") + b"\r\n"
case("16-bom-crlf-mix", d, OPP + "# emitted: 2 4 6\n", ["3:54: row has 7 fields, the header has 8"])
d = H + nl + row(1, b"GTX\x00Basic") + nl + row(2) + nl
case("17-nul-byte", d, OPP + "# emitted: 3\n", ["2:14: NUL byte at byte offset %d" % (len(H) + 1 + 13)])
d = b"id,account,status\nO1,Acme,won\nO2,Acme,maybe\nO3,Acme,Lost\n"
case("18-bad-status", d, "# record: opportunity\n# columns: {id: id, account_name: account, status: status}\n# emitted: 2 4\n",
     ["3:9: column 'status' (field status): 'maybe' is not a status (open, won or lost)"])
d = b"account,fiscal_year_start\nAcme,April\nBeta,Smarch\nGamma,13\nDelta,\n"
case("19-bad-month", d, "# record: account\n# columns: {name: account, fy_start_month: fiscal_year_start}\n# emitted: 2 5\n",
     ["3:6: column 'fiscal_year_start' (field fy_start_month): 'Smarch' is not a month (1-12 or a month name)",
      "4:7: column 'fiscal_year_start' (field fy_start_month): '13' is not a month (1-12 or a month name)"])
d = b"account,date,feature,adoption\nAcme,2017-05-01,Reports,45%\nAcme,2017-05-01,Export,140%\nAcme,2017-05-01,Alerts,1.5\nAcme,2017-05-01,Sharing,\n"
case("20-adoption-over-100", d, "# record: feature\n# columns: {account_name: account, date: date, feature: feature, adoption: adoption}\n# emitted: 2 5\n",
     ["3:24: column 'adoption' (field adoption): '140%' is out of range (0..1, or 0%..100%)",
      "4:24: column 'adoption' (field adoption): '1.5' is out of range (0..1, or 0%..100%)"])
d = b"account,sect\xFFor\nAcme,tech\n"
case("21-bad-header-utf8", d, "# record: account\n# columns: {name: account}\n# emitted:\n# status: -4004\n",
     ["1:13: invalid UTF-8 at byte offset 12 (in the header row)"])
d = H + nl + row(1, acct=b"Caf\xF4\x90\x80\x80") + nl + row(2) + nl
case("22-utf8-above-max", d, OPP + "# emitted: 3\n", ["2:24: invalid UTF-8 at byte offset %d" % off])
d = b"account,name,roles\nAcme,Jo,champion;admin\nAcme,Al,champion;boss\n"
case("23-bad-role", d, "# record: contact\n# columns: {account_name: account, name: name, roles: roles}\n# emitted: 2\n",
     ["3:9: column 'roles' (field roles): 'boss' is not a role (champion, power_user, economic_buyer, executive or admin)"])
d = b"account,product,seats\nAcme,GTX Basic,10\nAcme,GTX Pro,-5\n"
case("24-negative-seats", d, "# record: product\n# columns: {account_name: account, product: product, seats_purchased: seats}\n# emitted: 2\n",
     ["3:14: column 'seats' (field seats_purchased): '-5' is negative"])
l2 = b'A1,Rep 01,"GTX\nBa\xFFsic",Cancity,Won,2016-10-20,2017-03-01,100'
d = H + nl + l2 + nl + row(2) + nl
case("25-multiline-bad-utf8", d, OPP + "# emitted: 4\n",
     ["3:3: invalid UTF-8 at byte offset %d" % (len(H) + 1 + l2.index(b"\xFF"))])
case("26-blank-lines-only", b"\r\n\n\n", OPP + "# emitted:\n# status: -4004\n", ["1:1: empty file: a header row is required"])
d = b"account,revenue\nAcme,$1.5\nBeta,USD 5\nGamma,\"1,000,000\"\n"
case("27-currency-words", d, "# record: account\n# columns: {name: account, revenue: revenue}\n# emitted: 2 4\n",
     ["3:6: column 'revenue' (field revenue): 'USD 5' is not a number"])
d = H + nl + row(1) + nl + b'A2,Rep 02,"GTX ""Pro"" "x,Cancity,Won,2016-10-20,2017-03-01,200' + nl + row(3) + nl
case("28-doubled-then-stray", d, OPP + "# emitted: 2 4\n", ["3:25: text after closing quote"])
d = b"account,date,event\nAcme,15/01/2025,funding\nBeta,2025-01-15,funding\nGamma,31/02/2025,funding\n"
case("29-date-custom-format", d, "# record: trigger\n# columns: {account_name: account, date: date, type: event}\n# yaml: date_format: \"%d/%m/%Y\"\n# emitted: 2\n",
     ["3:6: column 'date' (field date): '2025-01-15' does not match the date format '%d/%m/%Y'",
      "4:7: column 'date' (field date): '31/02/2025' is not a valid date"])
for name, (data, meta, errs) in cases.items():
    open("bad/%s.csv" % name, "wb").write(data)
    with open("bad/%s.expected" % name, "w") as f:
        f.write(meta)
        for e in errs:
            f.write("%s.csv:%s\n" % (name, e))
print(len(cases))
