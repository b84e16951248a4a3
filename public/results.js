// The results page of the listening tests: every test with its CMOS and 95% interval.
"use strict";
(async () => {
  const { tests } = await (await fetch("/v1/listening-tests")).json();
  const rows = document.getElementById("rows");
  for (const test of tests) {
    const r = await (await fetch(`/v1/listening-tests/${test.id}/results`)).json();
    const fmt = (x) => (x === null || x === undefined) ? "—" : x.toFixed(2);
    const tr = document.createElement("tr");
    tr.dataset.test = test.id;
    for (const cell of [test.name + " (" + test.id + ")", test.kind, test.system_a.label, test.system_b.label, test.status,
                        String(r.ratings), fmt(r.cmos), r.ci95_low == null ? "—" : `${fmt(r.ci95_low)} … ${fmt(r.ci95_high)}`]) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.appendChild(td);
    }
    rows.appendChild(tr);
  }
})();
