/* RUS-dashboard: an open page says so when the server cannot answer a callback.
   Every callback goes through window.fetch; a 503 (the database is gone, read-only, full,
   or the data is being prepared), 413/400 (a request outside the bounds), 429 or 5xx shows
   one banner with the server's message (as text, never HTML); the next good answer hides it.
   Without this an open grid just goes empty and a chart keeps its old numbers silently. */
(function () {
  "use strict";
  var FALLBACK = {
    sv: "Servern kunde inte svara. Det som visas kan vara inaktuellt; försök igen om en stund.",
    en: "The server could not answer. What is shown may be out of date; please try again shortly."
  };
  var RELOAD = { sv: "Ladda om sidan", en: "Reload the page" };
  function lang() {
    return (document.documentElement.getAttribute("lang") || "sv").slice(0, 2) === "en" ? "en" : "sv";
  }
  function banner() {
    var el = document.getElementById("rus-fault-banner");
    if (!el) {
      el = document.createElement("div");
      el.id = "rus-fault-banner";
      el.setAttribute("role", "alert");
      el.className = "rus-fault-banner";
      el.hidden = true;
      var message = document.createElement("span");
      message.className = "rus-fault-message";
      /* a list or grid that lost an answer may not ask again by itself: offer a reload */
      var reload = document.createElement("button");
      reload.type = "button";
      reload.id = "rus-fault-reload";
      reload.className = "btn btn-light btn-sm ms-3";
      reload.textContent = RELOAD[lang()];
      reload.addEventListener("click", function () { window.location.reload(); });
      el.appendChild(message);
      el.appendChild(reload);
      document.body.appendChild(el);
    }
    return el;
  }
  function show(text) {
    var el = banner();
    el.querySelector(".rus-fault-message").textContent = text || FALLBACK[lang()];
    el.hidden = false;
  }
  function hide() {
    var el = document.getElementById("rus-fault-banner");
    if (el) { el.hidden = true; }
  }
  var original = window.fetch;
  window.fetch = function (resource, init) {
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    var promise = original.apply(this, arguments);
    if (url.indexOf("/_dash-update-component") < 0) { return promise; }
    return promise.then(function (response) {
      if (response.ok || response.status === 204) {
        hide();
      } else if (response.status >= 400) {
        response.clone().json().then(
          function (body) { show(body && typeof body.error === "string" ? body.error : ""); },
          function () { show(""); }
        );
      }
      return response;
    }, function (error) {
      show("");
      throw error;
    });
  };
})();
