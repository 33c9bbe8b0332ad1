// The report's style sheet: one inline <style>, no web fonts, readable on a
// laptop (content at most 1100px wide) and on A4 paper.
#include "report_internal.h"

namespace abmtier::report_detail {

std::string_view style_sheet() {
  // Tier colours come from a colour-blind-safe blue ramp plus amber and grey;
  // every coloured mark also has a text label, so colour is never the only cue.
  return R"CSS(
:root{--ink:#1b1f24;--muted:#5b636d;--line:#d5d9de;--soft:#eceef1;--bad:#b3261e;--badbg:#fdf0ef;
--good:#1e7b34;--goodbg:#edf7ef;--t1:#1d4f91;--t2:#3d7fcc;--t3:#9dc1ea;--tw:#d69a12;--to:#a3a7ad}
*{box-sizing:border-box}
html{background:#f3f4f6}
body{margin:0;color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 20px 32px}
h1{font-size:26px;line-height:1.2;margin:0 0 4px}
h2{font-size:19px;margin:0 0 2px}
h3{font-size:15px;margin:14px 0 6px}
p{margin:6px 0}
.lede{color:var(--muted);font-size:14px;margin:0 0 12px}
section,header.page{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px 20px;margin:0 0 16px}
.meta{color:var(--muted);font-size:14px;margin:0 0 14px}
.meta strong{color:var(--ink)}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(112px,1fr));gap:10px;margin:0;padding:0}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:0}
.tile dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.tile dd{text-align:left;margin:2px 0 0;font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
.tile dd.word{font-size:17px;padding-top:4px;white-space:nowrap}
.tile dd .sub{display:block;font-size:12px;font-weight:400;color:var(--muted)}
.tile dd.na{font-size:14px;font-weight:400;padding-top:6px}
.quality{font-size:13px;color:var(--muted);margin:12px 0 0}
.quality span.num{color:var(--ink);font-weight:600}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:6px 8px;border-bottom:1px solid var(--soft);text-align:left;vertical-align:middle}
thead th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em;border-bottom:1px solid var(--line)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.na{color:var(--muted);font-style:italic;font-weight:400}
.dash{color:var(--muted);text-align:right}
.chart{width:100%;min-width:220px}
svg{display:block;overflow:visible}
svg text{font-family:inherit;fill:var(--ink)}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:7px;vertical-align:-1px;border:1px solid rgba(0,0,0,.25)}
.t1{--c:var(--t1)}.t2{--c:var(--t2)}.t3{--c:var(--t3)}.tw{--c:var(--tw)}.to{--c:var(--to)}
.sw{background:var(--c)}
rect.bar{fill:var(--c)}rect.excess{fill:var(--bad)}
line.plan{stroke:var(--ink);stroke-width:3}
line.cap{stroke:var(--bad);stroke-width:2;stroke-dasharray:4 3}
svg text.zero{fill:#a0a6ad}svg text.tick{fill:var(--muted)}
.legend{font-size:13px;color:var(--muted);margin:4px 0 10px}
.legend span{margin-right:16px;white-space:nowrap}
.alert{border-left:6px solid var(--bad);background:var(--badbg);padding:10px 14px;margin:8px 0;border-radius:4px}
.alert code{font-weight:700;color:var(--bad);font-size:14px;margin-right:8px}
.alert.none{border-left-color:var(--good);background:var(--goodbg)}
section.alerts h2{color:var(--bad)}
section.alerts.clear h2{color:var(--good)}
table.heat{table-layout:fixed}
table.heat td.cell{text-align:center;border:3px solid #fff;padding:10px 6px;background:hsl(213,68%,var(--l));print-color-adjust:exact;-webkit-print-color-adjust:exact}
table.heat .big{font-size:24px;font-weight:650;display:block;font-variant-numeric:tabular-nums}
table.heat .small{font-size:13px;display:block}
table.heat th.row{width:130px}
.maps{font-size:13px;display:inline-block;margin-top:4px;padding:1px 8px;border-radius:10px;background:#fff;border:1px solid var(--line)}
.note{font-size:12px;color:var(--muted);display:block}
tr.over td,tr.over th{background:var(--badbg)}
.flag{color:var(--bad);font-weight:700;font-size:12px;white-space:nowrap}
.okflag{color:var(--muted);font-size:12px}
td.flow{text-align:center;font-variant-numeric:tabular-nums;print-color-adjust:exact;-webkit-print-color-adjust:exact}
td.up{background:#e3f3e6}td.down{background:#fbe3e1}td.same{background:#eef0f2}td.new{background:#e5eefa}
td.zero{background:#fff;color:#a0a6ad}
.gap{font-size:12px;color:var(--muted);display:block}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
@media (max-width:720px){main{padding:12px 8px}section,header.page{padding:12px}}
@media print{
@page{size:A4;margin:14mm 12mm}
html,body{background:#fff}
body{font-size:10pt}
main{max-width:none;padding:0}
section,header.page{border:0;border-radius:0;padding:0;margin:0 0 7mm}
h1{font-size:18pt}h2{font-size:13pt}
table{font-size:9pt}
.tile dd{font-size:14pt}
figure,svg,.chart,table.heat,table.flows,table.dist,table.mix,.alert,.tiles,tr,thead{break-inside:avoid}
h2,h3,.lede,.legend{break-after:avoid}
*{print-color-adjust:exact;-webkit-print-color-adjust:exact}
footer{display:none}
}
)CSS";
}

}  // namespace abmtier::report_detail
