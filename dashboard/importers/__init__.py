"""Importers: indicator values (Kolada JSON, CSV); project lists come with the data-management issue."""
