// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to a form's error summary so screen reader and keyboard users hear it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Links in the summary move focus to their field, not just scroll to it.
  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var input = target.matches("fieldset") ? target.querySelector("input") : target;
      (input || target).focus();
      target.scrollIntoView({ block: "center" });
    });
  });
  // Print buttons are hidden until this script can make them work (the browser's Print works anyway).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
