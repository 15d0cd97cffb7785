// Bid form: recompute the match arithmetic as the person types (progressive enhancement;
// the "Check the figures" button does the same on the server without this file).
document.addEventListener("DOMContentLoaded", function () {
  var panel = document.querySelector("[data-match-calculator]");
  var form = panel && panel.closest("form");
  if (!panel || !form) { return; }
  var rules = JSON.parse(panel.getAttribute("data-rules") || "{}");
  var confirmed = parseInt(panel.getAttribute("data-confirmed"), 10) || 0;
  var output = panel.querySelector("[data-figures-output]");
  var live = panel.querySelector("[data-figures-live]");
  var requestedInput = form.querySelector("#requested");
  var timer = null;

  function toPence(text) {
    var cleaned = (text || "").replace(/[£,\s]/g, "");
    if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) { return null; }
    var parts = cleaned.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }

  function money(pence) {
    var pounds = Math.floor(pence / 100), rest = pence % 100;
    var text = "£" + pounds.toLocaleString("en-GB");
    return rest ? text + "." + (rest < 10 ? "0" : "") + rest : text;
  }

  function chosenRule() {
    var chosen = form.querySelector("input[name='locality_id']:checked");
    return chosen ? rules[chosen.value] : null;
  }

  function cell(row, text) {
    var td = document.createElement(row ? "td" : "th");
    td.textContent = text;
    return td;
  }

  function render(rule, requested) {
    var matchLimit = Math.floor(confirmed * rule.numerator / rule.denominator);
    var limits = [
      ["Amount requested", requested],
      ["Match limit: £" + rule.numerator + " for every £" + rule.denominator +
        " of confirmed partner funds (" + money(confirmed) + ")", matchLimit],
      ["Most the collective awards to one bid", rule.cap],
      ["Money available in the fund now", Math.max(0, rule.available)]
    ];
    var award = Math.min.apply(null, limits.map(function (limit) { return limit[1]; }));
    var table = document.createElement("table");
    table.className = "table";
    var caption = table.createCaption();
    caption.textContent = "How the match award is worked out: the award is the smallest of these";
    var head = table.createTHead().insertRow();
    ["Limit", "Amount", "Sets the award?"].forEach(function (label) {
      var th = cell(false, label); th.scope = "col"; head.appendChild(th);
    });
    var body = table.createTBody();
    limits.forEach(function (limit) {
      var tr = body.insertRow();
      var th = cell(false, limit[0]); th.scope = "row"; tr.appendChild(th);
      tr.appendChild(cell(true, money(limit[1])));
      tr.appendChild(cell(true, limit[1] === award ? "Yes" : "No"));
    });
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.appendChild(table);
    var result = document.createElement("p");
    result.className = "lead";
    result.textContent = "Match award: ";
    var strong = document.createElement("strong");
    strong.textContent = money(award);
    result.appendChild(strong);
    output.replaceChildren(wrap, result);
    return award;
  }

  function update() {
    var rule = chosenRule();
    var requested = toPence(requestedInput && requestedInput.value);
    if (!rule || requested === null) { return; }
    var award = render(rule, requested);
    clearTimeout(timer);
    timer = setTimeout(function () {
      live.textContent = "Match award " + money(award) + " for " + money(requested) + " requested.";
    }, 600);
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
});
