"""Compliance views: staff (HR), employee tab, policies and retention, portal."""
