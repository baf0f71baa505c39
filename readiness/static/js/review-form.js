// The ethics review form, enhanced: a comment box opens where the reviewer marks a concern
// (without JavaScript every box shows), and each theme's progress follows the marks.
(function () {
  "use strict";
  var CONCERNS = ["needs_change", "not_acceptable"];

  function checked(item) {
    var radio = item.querySelector("input[type=radio][name^='mark_']:checked");
    return radio ? radio.value : "";
  }

  function showComments(item) {
    var box = item.querySelector(".concern-comments");
    if (!box) { return; }
    var written = Array.prototype.some.call(box.querySelectorAll("textarea"), function (t) { return t.value.trim() !== ""; });
    var hasError = box.querySelector(".field-error") !== null;
    box.hidden = !(CONCERNS.indexOf(checked(item)) >= 0 || written || hasError);
  }

  function updateProgress(theme) {
    var label = theme.querySelector(".theme-progress");
    if (!label) { return; }
    var items = theme.querySelectorAll(".review-item");
    var done = Array.prototype.filter.call(items, function (item) { return checked(item) !== ""; }).length;
    label.textContent = label.getAttribute("data-template")
      .replace("{done}", String(done)).replace("{total}", String(items.length));
  }

  document.querySelectorAll(".review-theme").forEach(function (theme) {
    theme.querySelectorAll(".review-item").forEach(function (item) {
      showComments(item);
      item.addEventListener("change", function () { showComments(item); updateProgress(theme); });
    });
  });

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
