/* Formatters for dash-ag-grid columns (served locally from assets/). */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.sek = function (value, lang) {
  if (value === null || value === undefined || value === "" || isNaN(value)) {
    return "";
  }
  var text = new Intl.NumberFormat(lang === "en" ? "en-GB" : "sv-SE", { maximumFractionDigits: 0 }).format(value);
  return lang === "en" ? "SEK " + text : text + "\u00a0kr";
};

dagfuncs.decimal = function (value, lang, digits) {
  if (value === null || value === undefined || value === "" || isNaN(value)) {
    return "–";
  }
  return new Intl.NumberFormat(lang === "en" ? "en-GB" : "sv-SE", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
};

dagfuncs.percent = function (value, lang) {
  if (value === null || value === undefined || value === "" || isNaN(value)) {
    return "";
  }
  var text = new Intl.NumberFormat(lang === "en" ? "en-GB" : "sv-SE", { maximumFractionDigits: 2 }).format(value);
  return lang === "en" ? text + "%" : text + "\u00a0%";
};
