"""Reporting on the warehouse: the HTML report (marts only) and ``newsflow status`` (raw)."""
