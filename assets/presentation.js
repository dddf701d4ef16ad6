/* Presentation mode: keys move between slides (the URL follows), Esc leaves, F toggles full screen. */
(function () {
  /* Slides are laid out on a 1920 x 1080 stage and scaled to fit the screen (see .slide-stage). */
  function fit() {
    var scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    document.documentElement.style.setProperty("--slide-scale", String(scale));
  }
  fit();
  window.addEventListener("resize", fit);
  function root() { return document.querySelector(".presentation-root[data-exit]"); }
  /* Work from the URL, not the rendered slide: after a key press the next slide may not be drawn yet. */
  function step(r, delta) {
    var m = window.location.pathname.match(/^(.*\/presentation\/[^/]+\/)(\d+)$/);
    var total = parseInt(r.dataset.total || "0", 10);
    if (!m || !total) { return delta > 0 ? r.dataset.next : r.dataset.prev; }
    var n = parseInt(m[2], 10) + delta;
    if (n < 1 || n > total) { return ""; }
    return m[1] + n;
  }
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
    /* Space and Enter press the focused button or link (full screen, start …), they do not turn the slide */
    var pressable = event.target && event.target.closest && event.target.closest("button, a[href], summary, [role='button']");
    if (pressable && (event.key === " " || event.key === "Enter")) { return; }
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ":
        event.preventDefault(); go(step(r, 1)); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp":
        event.preventDefault(); go(step(r, -1)); break;
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
