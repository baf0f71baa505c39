"""Reports: prepared report data and its renderers (text, HTML, PDF, charts)."""
