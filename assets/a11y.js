/* RUS-dashboard: accessibility fixes that the components' props cannot express (issue 17).
   1. dcc.Dropdown (Dash 4) puts an aria-hidden yet focusable input in the tab order and names its
      button by the shown value only ("Alla"), not by the visible <label>: the input leaves the tab
      order, the button takes its place and is named by the label followed by the value.
   2. Plotly's toolbar: a "download as SVG" button (config.modeBarButtonsToAdd carries
      {name: "rus-download-svg", title: …}; the click function cannot travel as JSON).
   3. Grids marked .rows-open-dialog: Enter or Space on a cell opens the row, as a click does.
   Also: scrolling regions join the tab order, and the upload's file input gets a name. */
(function () {
  "use strict";

  /* ---- 1. dropdowns ---- */
  function fixDropdown(wrap) {
    var button = wrap.querySelector(":scope > button.dash-dropdown");
    if (!button) { return; }
    var dummy = wrap.querySelector(":scope > .dash-dropdown-focus-target");
    if (dummy && dummy.tabIndex !== -1) { dummy.tabIndex = -1; }
    if (!button.disabled && button.tabIndex !== 0) { button.tabIndex = 0; }
    var id = button.id;
    if (!id) { return; }
    var label = document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (!label) { return; }
    if (!label.id) { label.id = id + "-label"; }
    var wanted = label.id + " " + id + "-value-count " + id + "-value";
    if (button.getAttribute("aria-labelledby") !== wanted) { button.setAttribute("aria-labelledby", wanted); }
  }
  /* A region that scrolls must be reachable by keyboard (the project dialog's body, a wide
     table): it joins the tab order, named by the dialog's title or the table's caption. */
  function fixScrollRegion(el) {
    var scrolls = el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
    if (!scrolls) {
      if (el.dataset.rusScroll) { el.removeAttribute("tabindex"); el.removeAttribute("role"); delete el.dataset.rusScroll; }
      return;
    }
    if (el.hasAttribute("tabindex") && !el.dataset.rusScroll) { return; }
    if (!el.dataset.rusScroll) {
      el.tabIndex = 0;
      el.dataset.rusScroll = "1";
      el.setAttribute("role", "region");
    }
    var title = el.closest(".modal-content") && el.closest(".modal-content").querySelector(".modal-title");
    var caption = el.querySelector("caption");
    var name = (title && title.textContent) || (caption && caption.textContent) || "";
    if (name && el.getAttribute("aria-label") !== name.trim()) { el.setAttribute("aria-label", name.trim()); }
  }
  /* dcc.Upload's file input has no name: the upload area's visible text names it */
  function fixUpload(input) {
    if (input.hasAttribute("aria-label") || input.hasAttribute("aria-labelledby")) { return; }
    var text = input.parentElement && input.parentElement.querySelector("[id]");
    if (text) { input.setAttribute("aria-labelledby", text.id); }
  }
  /* The open dropdown lists its options as role=option labels around real checkboxes (radios),
     and the keyboard moves between those inputs: an option cannot hold a focusable input
     (nested-interactive) and the listbox has no name. The inputs stay, named by their labels,
     in a group named like the dropdown; the option roles go. */
  function fixOptionList(list) {
    var radios = !!list.querySelector("input[type=radio]");
    var role = radios ? "radiogroup" : "group";
    if (list.getAttribute("role") !== role) { list.setAttribute("role", role); }
    var wrap = list.closest(".dash-dropdown-wrapper");
    var button = wrap && wrap.querySelector(":scope > button.dash-dropdown");
    var label = button && button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    if (label && label.id && list.getAttribute("aria-labelledby") !== label.id) {
      list.setAttribute("aria-labelledby", label.id);
    }
    list.querySelectorAll("[role=option], [aria-selected]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
  }
  function fixAll() {
    document.querySelectorAll(".dash-dropdown-wrapper").forEach(fixDropdown);
    document.querySelectorAll(".dash-options-list").forEach(fixOptionList);
    document.querySelectorAll(".modal-dialog-scrollable .modal-body, .table-responsive").forEach(fixScrollRegion);
    document.querySelectorAll("input[type=file]").forEach(fixUpload);
  }
  window.addEventListener("resize", function () { schedule(); });
  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    /* a microtask: runs before the next key press, so Tab never lands on the hidden input */
    Promise.resolve().then(function () { pending = false; fixAll(); });
    /* and once more after a dialog's opening transition, when its size is known */
    clearTimeout(schedule.later);
    schedule.later = setTimeout(fixAll, 400);
  }
  function observe() {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var r = records[i];
        if (r.type === "childList" || r.attributeName !== "tabindex" ||
            (r.target.classList && r.target.classList.contains("dash-dropdown-focus-target"))) {
          schedule();
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex", "aria-selected"] });
    fixAll();
  }
  if (document.body) { observe(); } else { document.addEventListener("DOMContentLoaded", observe); }

  /* ---- 2. the SVG download in Plotly's toolbar ---- */
  var SVG_BUTTON = "rus-download-svg";
  /* a download arrow over a tray, filled like Plotly's own icons (y grows downwards: no transform) */
  var SVG_ICON = {
    width: 1000,
    height: 1000,
    path: "M440 80 H560 V500 H740 L500 740 L260 500 H440 Z M120 680 H220 V820 H780 V680 H880 V920 H120 Z",
  };
  function withSvgButton(Plotly, config) {
    if (!config || !Array.isArray(config.modeBarButtonsToAdd)) { return config; }
    var changed = false;
    var buttons = config.modeBarButtonsToAdd.map(function (b) {
      if (!b || typeof b !== "object" || b.name !== SVG_BUTTON || typeof b.click === "function") { return b; }
      changed = true;
      return Object.assign({}, b, {
        icon: SVG_ICON,
        click: function (gd) {
          var name = (config.toImageButtonOptions && config.toImageButtonOptions.filename) || (gd.id || "diagram");
          Plotly.downloadImage(gd, { format: "svg", filename: name });
        },
      });
    });
    return changed ? Object.assign({}, config, { modeBarButtonsToAdd: buttons }) : config;
  }
  function patch(Plotly) {
    if (!Plotly || Plotly.__rusPatched) { return Plotly; }
    ["react", "newPlot"].forEach(function (method) {
      var original = Plotly[method];
      if (typeof original !== "function") { return; }
      Plotly[method] = function (gd, data, layout, config) {
        if (data && !Array.isArray(data) && typeof data === "object" && data.config) {
          data = Object.assign({}, data, { config: withSvgButton(Plotly, data.config) });
        } else if (config) {
          config = withSvgButton(Plotly, config);
        }
        return original.call(this, gd, data, layout, config);
      };
    });
    Plotly.__rusPatched = true;
    return Plotly;
  }
  if (window.Plotly) {
    patch(window.Plotly);
  } else {
    /* Dash loads plotly.js on demand; catch its `window.Plotly = Plotly` */
    var held;
    Object.defineProperty(window, "Plotly", {
      configurable: true,
      enumerable: true,
      get: function () { return held; },
      set: function (value) { held = patch(value); },
    });
  }

  /* ---- 3. grids whose rows open a dialog ---- */
  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Enter" && event.key !== " ") { return; }
      var target = event.target;
      if (!target || !target.classList || !target.classList.contains("ag-cell")) { return; }
      if (!target.closest(".rows-open-dialog")) { return; }
      event.preventDefault();
      event.stopPropagation();
      target.click();
    },
    true
  );
})();
