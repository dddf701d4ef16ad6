"""Exports: CSV and XLSX tables (PNG/PDF come with the report issue)."""
