"""Every component id, as constants (page-prefixed, kebab-case values).
Tests import these instead of retyping strings."""

# shell
URL = "shell-url"
NAVBAR = "shell-navbar"
NAV_LINKS = "shell-nav-links"
LANG_SWITCH = "shell-lang-switch"
LANG_DUMMY = "shell-lang-dummy"
FILTER_STORE = "shell-filter-store"
URL_DUMMY = "shell-url-dummy"
FILTER_YEAR_FROM = "filter-year-from"
FILTER_YEAR_TO = "filter-year-to"
FILTER_THEME = "filter-theme"
FILTER_GOAL = "filter-goal"
FILTER_MUNICIPALITY = "filter-municipality"
FILTER_STATUS = "filter-status"
FILTER_RESET = "filter-reset"
DEMO_BANNER = "shell-demo-banner"
DB_ERROR = "shell-db-error"

# overview
OVERVIEW_KPIS = "overview-kpis"
OVERVIEW_DONUT = "overview-donut"
OVERVIEW_DONUT_WRAP = "overview-donut-wrap"
OVERVIEW_DONUT_SUMMARY = "overview-donut-summary"
OVERVIEW_TABLE = "overview-table"
OVERVIEW_TITLE = "overview-donut-title"
