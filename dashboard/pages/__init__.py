"""Page modules: ``register_page(..., path=...)``, ``layout(**query)``, then thin callbacks."""

PAGE_MODULES = (
    "dashboard.pages.overview",
    "dashboard.pages.capital",
    "dashboard.pages.themes",
    "dashboard.pages.indicators",
    "dashboard.pages.projects",
    "dashboard.pages.strategy",
    "dashboard.pages.report",
    "dashboard.pages.health",
    "dashboard.pages.presentation",
    "dashboard.pages.slides",
    "dashboard.pages.survey",
    "dashboard.pages.importer",
    "dashboard.pages.audit",
    "dashboard.pages.edit",
    "dashboard.pages.not_found_404",
)
