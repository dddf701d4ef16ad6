/* RUS-dashboard client-side helpers (served locally from assets/). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  rus: {
    /* Write the filter query into the address bar without reloading or
       re-rendering the page (history.replaceState fires no Dash location event). */
    writeQuery: function (query) {
      if (query === null || query === undefined) {
        return window.dash_clientside.no_update;
      }
      /* Keep parameters that are not filters (project=, new=, …): they belong to the page. */
      var filterKeys = ["year", "theme", "goal", "municipality", "status", "source"];
      var params = new URLSearchParams(query);
      new URLSearchParams(window.location.search).forEach(function (value, key) {
        if (filterKeys.indexOf(key) < 0 && !params.has(key)) { params.append(key, value); }
      });
      var merged = params.toString().replace(/%2C/g, ",");
      var target = window.location.pathname + (merged ? "?" + merged : "") + window.location.hash;
      if (target !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", target);
      }
      return "";
    },
    /* Remember the language in a cookie (read by the server) and reload. */
    switchLanguage: function (nClicks, lang) {
      if (!nClicks) {
        return window.dash_clientside.no_update;
      }
      document.cookie = "rus_lang=" + encodeURIComponent(lang) + "; path=/; max-age=31536000; SameSite=Lax";
      window.location.reload();
      return "";
    }
  }
});
