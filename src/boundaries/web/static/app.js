// Boundaries: the little the pages need beyond HTMX. No inline script anywhere (the CSP forbids it).
"use strict";

document.addEventListener("htmx:responseError", function (event) {
  var results = document.getElementById("results");
  if (!results || event.detail.xhr.status === 401) { return; }
  var message = document.createElement("p");
  message.className = "error";
  message.setAttribute("role", "alert");
  message.textContent = event.detail.xhr.status === 403
    ? "This page has expired. Reload it and try again."
    : "The check could not be run just now. Please try again.";
  results.replaceChildren(message);
});

document.addEventListener("htmx:sendError", function () {
  var results = document.getElementById("results");
  if (!results) { return; }
  var message = document.createElement("p");
  message.className = "error";
  message.setAttribute("role", "alert");
  message.textContent = "Boundaries could not be reached. Check your connection and try again.";
  results.replaceChildren(message);
});

// Policy links end in #clause-6.15: move keyboard focus to the clause, not just the scroll.
function focusHashTarget() {
  if (!location.hash) { return; }
  var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) { target.focus({ preventScroll: false }); }
}
window.addEventListener("hashchange", focusHashTarget);
document.addEventListener("DOMContentLoaded", focusHashTarget);

// Upload progress for forms with a <progress data-upload-progress> (the connections audit).
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = event.target.querySelector && event.target.querySelector("progress[data-upload-progress]");
  if (!bar || !event.detail.lengthComputable) { return; }
  bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
});
