/* The language switcher closes on Escape and on a click outside it.
   Progressive enhancement: without this script the switcher is a <details>
   that opens and closes by its own summary; nothing else depends on it. */
(function () {
  "use strict";

  function close(details, returnFocus) {
    details.open = false;
    if (returnFocus) {
      details.querySelector("summary").focus();
    }
  }

  document.querySelectorAll(".switcher__details").forEach(function (details) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        // Focus goes back to the summary only if it was in the panel, so that it is not lost.
        close(details, details.contains(document.activeElement));
      }
    });
    document.addEventListener("click", function (event) {
      if (details.open && !details.contains(event.target)) {
        close(details, false);
      }
    });
  });
})();
