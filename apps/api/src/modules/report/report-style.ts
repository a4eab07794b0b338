/** The report's stylesheet: readable on screen, A4 portrait in print (headless Chromium adds the page numbers). */
export const REPORT_STYLE = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #111827; line-height: 1.4; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #d1d5db; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; break-after: avoid; }
p { margin: 0 0 2mm; }
a { color: #1d4ed8; }
dl.meta { display: grid; grid-template-columns: 48mm 1fr; gap: 1mm 4mm; margin: 0 0 3mm; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.digest { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 8pt; word-break: break-all; }
.generated { color: #4b5563; font-size: 9pt; }
nav ol { columns: 2; margin: 0; padding-left: 6mm; }
section { margin-bottom: 4mm; }
section.group, #case-mix, #completeness, #changes, #data-status, #methods { break-before: page; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.5pt; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.8mm 1.2mm; text-align: left; vertical-align: top; }
thead th { border-bottom: 1.5px solid #111827; font-weight: bold; }
thead { display: table-header-group; }
tbody, tr { break-inside: avoid; }
.num { text-align: right; white-space: nowrap; }
thead th.num { white-space: normal; }
table.indicators tbody tr.difference td { border-bottom: 1.5px solid #9ca3af; font-weight: bold; }
table.indicators { font-size: 8pt; }
table.indicators tr.indicator th { padding-top: 2mm; border-bottom: 1px solid #9ca3af; }
table.indicators td.arm { white-space: nowrap; }
table.indicators .code { font-weight: normal; font-size: 7pt; color: #4b5563; }
table.compact { font-size: 8pt; }
tr.group th { background: #f3f4f6; }
tfoot th, tfoot td { border-top: 1.5px solid #111827; font-weight: bold; }
.sub { display: block; font-weight: normal; font-size: 7pt; color: #4b5563; }
.note { color: #4b5563; font-style: italic; }
figure.chart { margin: 3mm 0 5mm; break-inside: avoid; }
figure.chart canvas { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 8.5pt; color: #374151; margin-top: 1mm; }
.definitions { font-size: 9pt; }
.definitions h1 { font-size: 12pt; }
.definitions h2 { font-size: 11pt; break-before: auto; }
.definitions h3, .definitions h4 { font-size: 10pt; }
.definitions table { font-size: 8pt; }
.definitions pre, .definitions code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 8pt; white-space: pre-wrap; }
`;
