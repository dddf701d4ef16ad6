/* Presentation mode: keys move between slides (the URL follows), Esc leaves, F toggles full screen. */
(function () {
  function root() { return document.querySelector(".presentation-root[data-exit]"); }
  function go(url) {
    if (!url) { return; }
    window.history.pushState({}, "", url);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }
  function toggleFullscreen() {
    if (!document.fullscreenElement) {
      document.documentElement.requestFullscreen && document.documentElement.requestFullscreen().catch(function () {});
    } else {
      document.exitFullscreen && document.exitFullscreen();
    }
  }
  document.addEventListener("keydown", function (event) {
    var r = root();
    if (!r) { return; }
    var typing = /^(TEXTAREA|INPUT|SELECT)$/.test((event.target && event.target.tagName) || "");
    if (typing && event.key !== "Escape") { return; }
    if (typing && event.key === "Escape") { event.target.blur(); return; }
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ":
        event.preventDefault(); go(r.dataset.next); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp":
        event.preventDefault(); go(r.dataset.prev); break;
      case "Escape":
        if (document.fullscreenElement) { return; }
        event.preventDefault(); go(r.dataset.exit); break;
      case "f": case "F":
        event.preventDefault(); toggleFullscreen(); break;
      default:
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-action='fullscreen']");
    if (target) { toggleFullscreen(); }
  });
})();
