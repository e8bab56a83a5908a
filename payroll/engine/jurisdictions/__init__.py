"""Pluggable jurisdictions: each module turns period wages into tax lines, from its data files.

A US state is another module (e.g. ``us_ca.py``) plus its data file, registered in
``payroll.engine.jurisdictions.registry``.
"""
