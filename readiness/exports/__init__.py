"""Spreadsheet exports (CSV, XLSX) of HQ tables, neutralised against formula injection."""
